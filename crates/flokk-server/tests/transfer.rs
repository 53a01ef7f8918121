//! Files in and out through the API: an upload imported (all or nothing,
//! rows reported with their line), membership following it, downloads in
//! the export formats with their summary headers, and the scopes: `write`
//! imports, only `export` downloads.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{send, token};
use flokk_model::{Customer, Record};
use serde_json::json;

fn upload(uri: &str, secret: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri(uri)
        .header("authorization", format!("Bearer {secret}"))
        .header("content-type", "application/x-ndjson")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn get(uri: &str, secret: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .header("authorization", format!("Bearer {secret}"))
        .body(Body::empty())
        .unwrap()
}

const NEW: &str = concat!(
    r#"{"kind":"customer","id":"c1","email":"Ada@Example.com","first_name":"Ada","email_subscription":"SUBSCRIBED","addresses":[{"city":"Oslo","country":"NO","zip":"0150"}]}"#,
    "\n",
    r#"{"kind":"customer","id":"c2","email":"bo@example.com","first_name":"=cmd","tags":["vip"]}"#,
    "\n",
    r#"{"kind":"order","id":"o1","customer_id":"c1","placed_at":"2025-05-01T10:00:00Z","total":120.5}"#,
    "\n",
);

#[tokio::test]
async fn an_upload_is_imported_and_membership_follows() {
    let (_dir, state) = common::state_with(&[Record::Customer(Customer::stub("a"))]);
    let (status, _) = common::call(
        &state,
        "POST",
        "/api/segments",
        Some(json!({ "name": "Buyers", "query": "number_of_orders >= 1" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let writer = token(&state, "write");
    let answer = send(&state, upload("/api/import", &writer, NEW)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let v = answer.json();
    assert_eq!(v["imported"], json!({ "customer": 2, "order": 1 }));
    assert_eq!(v["rejected"], 0);
    assert_eq!(v["segments"]["entered"], 1, "{v}");
    let (_, count) = common::call(
        &state,
        "GET",
        "/api/count?query=number_of_orders%20%3E%3D%200",
        None,
    )
    .await;
    assert_eq!(count["count"], 3);
}

#[tokio::test]
async fn a_bad_row_imports_nothing_and_says_where_unless_skipped() {
    let (_dir, state) = common::state_with(&[]);
    let writer = token(&state, "write");
    let bad = format!(
        "{NEW}{}\n",
        r#"{"kind":"order","id":"o2","customer_id":"c1","placed_at":"yesterday","total":1}"#
    );
    let answer = send(&state, upload("/api/import", &writer, &bad)).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert_eq!(answer.code(), "invalid_rows");
    let rejects = &answer.json()["error"]["rejects"];
    assert_eq!(rejects[0]["line"], 4, "{rejects}");
    let (_, status) = common::call(&state, "GET", "/api/status", None).await;
    assert_eq!(status["customers"], 0, "nothing was imported");

    let answer = send(
        &state,
        upload("/api/import?skip_invalid=true", &writer, &bad),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["rejected"], 1);
    assert_eq!(answer.json()["imported"]["customer"], 2);

    let answer = send(&state, upload("/api/import?format=xml", &writer, NEW)).await;
    assert_eq!(answer.code(), "unknown_format");
    let answer = send(&state, upload("/api/import", &writer, "Name,Colour\nx,y\n")).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert_eq!(answer.code(), "bad_header");
}

#[tokio::test]
async fn uploads_over_the_limit_are_refused() {
    let options = flokk_server::ServerOptions {
        import_limit: 100,
        ..common::test_options()
    };
    let (_dir, state) = common::state_with_options(&[], options);
    let writer = token(&state, "write");
    let answer = send(&state, upload("/api/import", &writer, NEW)).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.code(), "payload_too_large");
}

#[tokio::test]
async fn exports_need_the_export_scope_and_say_who_was_left_out() {
    let (_dir, state) = common::state_with(&[]);
    let writer = token(&state, "write");
    assert_eq!(
        send(&state, upload("/api/import", &writer, NEW))
            .await
            .status,
        StatusCode::OK
    );
    let uri = "/api/export?query=number_of_orders%20%3E%3D%200&format=csv-excel";
    for scopes in ["read", "write"] {
        let answer = send(&state, get(uri, &token(&state, scopes))).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{scopes}");
    }
    let exporter = token(&state, "read,export");
    let answer = send(&state, get(uri, &exporter)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        answer.headers["content-disposition"],
        "attachment; filename=\"customers-csv-excel.csv\""
    );
    assert_eq!(answer.headers["x-flokk-exported"], "2");
    let lines: Vec<&str> = answer.body.split("\r\n").collect();
    assert!(
        lines[0].starts_with("\u{feff}Customer ID,First Name"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("c1,Ada,,Ada@Example.com,yes,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(",'0150,"),
        "zip kept as text: {}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("c2,'=cmd,"),
        "formula protected: {}",
        lines[2]
    );

    let meta = send(
        &state,
        get(
            "/api/export?query=number_of_orders%20%3E%3D%200&format=meta&raw=true",
            &exporter,
        ),
    )
    .await;
    assert_eq!(meta.status, StatusCode::OK, "{}", meta.body);
    assert_eq!(meta.headers["x-flokk-exported"], "1");
    assert_eq!(meta.headers["x-flokk-left-out"], "no_consent=1");
    assert_eq!(
        meta.body.lines().nth(1).unwrap(),
        "ada@example.com,,ada,,oslo,,0150,no,,"
    );

    let columns = send(
        &state,
        get(
            "/api/export?query=number_of_orders%20%3E%3D%201&format=csv&columns=id,amount_spent",
            &exporter,
        ),
    )
    .await;
    assert_eq!(columns.body, "id,amount_spent\nc1,120.50\n");
    let bad = send(
        &state,
        get(
            "/api/export?query=number_of_orders%20%3E%3D%201&format=csv&columns=id,amount_spnt",
            &exporter,
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.code(), "unknown_column");
    assert!(
        bad.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("amount_spent")
    );
    let missing = send(
        &state,
        get("/api/export?segment=Nope&format=csv", &exporter),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
