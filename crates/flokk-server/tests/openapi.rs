//! The OpenAPI document: served without credentials, snapshot-tested (any
//! change to the API surface shows in review as a change to
//! `snapshots/openapi__openapi.snap`), and in agreement with what the
//! server enforces: every operation that declares a scope refuses a caller
//! without credentials (401) and one without that scope (403 naming it).

mod common;

use axum::http::StatusCode;
use common::{request, send, token};
use flokk_model::{Customer, Record};
use serde_json::Value;

fn records() -> Vec<Record> {
    vec![Record::Customer(Customer::stub("a"))]
}

async fn document() -> Value {
    let (_dir, state) = common::state_with(&records());
    let answer = send(&state, request("GET", "/api/openapi.json", None, &[])).await;
    assert_eq!(answer.status, StatusCode::OK, "public: {}", answer.body);
    answer.json()
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_unchanged() {
    let doc = document().await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["session"]["in"],
        "cookie"
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn operation_ids_are_unique() {
    let doc = document().await;
    let mut seen = std::collections::BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let id = op["operationId"]
                .as_str()
                .expect("every operation has an id");
            assert!(seen.insert(id.to_owned()), "operationId {id} is used twice");
        }
    }
}

/// A concrete path for a templated one.
fn concrete(path: &str) -> String {
    path.replace("{key}", "name")
        .replace("{id}", "1")
        .replace("{name}", "x")
        .replace("{token}", "x")
}

/// A token that lacks `scope` (and admin) but has the others.
fn lacking(scope: &str) -> &'static str {
    match scope {
        "read" => "write,export,checkout",
        "write" => "read,export,checkout",
        "export" => "read,write,checkout",
        "admin" => "read,write,export,checkout",
        "checkout" => "read,write,export",
        "ingest" => "read,write,export,checkout",
        other => panic!("unknown scope {other}"),
    }
}

#[tokio::test]
async fn every_documented_scope_is_enforced() {
    let doc = document().await;
    let (dir, state) = common::state_with(&records());
    // With a secret set, an unsigned Shopify delivery is 401 (without
    // one, every delivery is 503).
    flokk_store::Store::open(dir.path())
        .unwrap()
        .settings()
        .set("shopify_webhook_secret", "shh")
        .unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(security) = op.get("security") else {
                continue; // public
            };
            let uri = concrete(path);
            let method = method.to_uppercase();
            let none = send(&state, request(&method, &uri, None, &[])).await;
            assert_eq!(none.status, StatusCode::UNAUTHORIZED, "{method} {path}");

            // The scheme requirements by name (the live-data endpoints
            // have `ingest` Basic or `shopifyHmac` beside or instead of
            // `bearer`, and no `session`).
            let requirement = |scheme: &str| {
                security
                    .as_array()
                    .unwrap()
                    .iter()
                    .find_map(|r| r.get(scheme).and_then(Value::as_array).cloned())
            };
            let scopes = requirement("bearer").unwrap_or_default();
            if let Some(scope) = scopes.first().and_then(Value::as_str) {
                let auth = format!("Bearer {}", token(&state, lacking(scope)));
                let answer = send(
                    &state,
                    request(&method, &uri, None, &[("authorization", &auth)]),
                )
                .await;
                assert_eq!(answer.status, StatusCode::FORBIDDEN, "{method} {path}");
                assert_eq!(answer.json()["error"]["scope"], scope, "{method} {path}");
                if let Some(session) = requirement("session") {
                    assert_eq!(session[0], scope, "{method} {path}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} operations checked");
}
