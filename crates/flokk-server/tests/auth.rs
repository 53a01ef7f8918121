//! Every boundary of authentication and authorisation through the router:
//! missing, malformed, forged, expired and revoked credentials (401), a
//! token without the scope (403 `forbidden` naming it), a cookie session
//! without its CSRF token (403 `csrf`), sign-in, sign-out and one-time
//! links.

mod common;

use axum::http::StatusCode;
use common::{request, send, sign_in, token};
use flokk_model::{Customer, Record};
use serde_json::json;

fn records() -> Vec<Record> {
    vec![Record::Customer(Customer::stub("a"))]
}

const COUNT: &str = "/api/count?query=number_of_orders%20%3E%3D%200";

fn bearer(secret: &str) -> String {
    format!("Bearer {secret}")
}

#[tokio::test]
async fn no_token_a_malformed_header_or_an_unknown_token_is_401() {
    let (_dir, state) = common::state_with(&records());
    for headers in [
        vec![],
        vec![("authorization", "Basic YWRtaW46YWRtaW4=")],
        vec![("authorization", "Bearer")],
        vec![("authorization", "Bearer flokk_not-a-token")],
    ] {
        let answer = send(&state, request("GET", COUNT, None, &headers)).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert_eq!(answer.code(), "unauthorized", "{}", answer.body);
        assert_eq!(answer.headers["www-authenticate"], "Bearer");
    }
    // Writes too, before their body is even read.
    let answer = send(
        &state,
        request(
            "PUT",
            "/api/settings/name",
            Some(json!({ "value": "x" })),
            &[],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_revoked_token_is_401() {
    let (_dir, state) = common::state_with(&records());
    let secret = token(&state, "read");
    let auth = bearer(&secret);
    let ok = send(
        &state,
        request("GET", COUNT, None, &[("authorization", &auth)]),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let id = state
        .credentials
        .store(|s| s.authenticate_token(&secret, jiff::Timestamp::now()))
        .unwrap()
        .unwrap()
        .id;
    let admin = bearer(&token(&state, "admin"));
    let revoked = send(
        &state,
        request(
            "DELETE",
            &format!("/api/tokens/{id}"),
            None,
            &[("authorization", &admin)],
        ),
    )
    .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert!(revoked.json()["revoked_at"].is_string());
    let after = send(
        &state,
        request("GET", COUNT, None, &[("authorization", &auth)]),
    )
    .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.code(), "unauthorized");
}

#[tokio::test]
async fn a_read_token_reads_but_cannot_write_or_administer() {
    let (_dir, state) = common::state_with(&records());
    let read = bearer(&token(&state, "read"));
    let auth = [("authorization", read.as_str())];
    for uri in [
        COUNT,
        "/api/status",
        "/api/settings",
        "/api/segments",
        "/api/settings/name",
    ] {
        let answer = send(&state, request("GET", uri, None, &auth)).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
    }
    let refused = [
        (
            "PUT",
            "/api/settings/name",
            Some(json!({ "value": "Shop" })),
            "write",
        ),
        (
            "POST",
            "/api/segments",
            Some(json!({ "name": "VIP", "query": "number_of_orders > 1" })),
            "write",
        ),
        (
            "POST",
            "/api/tokens",
            Some(json!({ "name": "x", "scopes": ["admin"] })),
            "admin",
        ),
        ("GET", "/api/tokens", None, "admin"),
        ("GET", "/api/webhooks", None, "admin"),
    ];
    for (method, uri, body, needed) in refused {
        let answer = send(&state, request(method, uri, body, &auth)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{method} {uri}");
        assert_eq!(answer.code(), "forbidden");
        assert_eq!(answer.json()["error"]["scope"], needed, "{}", answer.body);
    }
    // Nothing was written.
    let name = state.live.store(|s| s.settings().get("name")).unwrap();
    assert_eq!(name, "");
}

#[tokio::test]
async fn write_changes_settings_and_admin_may_do_everything() {
    let (_dir, state) = common::state_with(&records());
    let write = bearer(&token(&state, "write"));
    let answer = send(
        &state,
        request(
            "PUT",
            "/api/settings/currency",
            Some(json!({ "value": "eur" })),
            &[("authorization", &write)],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["value"], "EUR");
    // Write alone does not read.
    let read = send(
        &state,
        request(
            "GET",
            "/api/settings/currency",
            None,
            &[("authorization", &write)],
        ),
    )
    .await;
    assert_eq!(read.status, StatusCode::FORBIDDEN);

    let admin = bearer(&token(&state, "admin"));
    let auth = [("authorization", admin.as_str())];
    let read = send(
        &state,
        request("GET", "/api/settings/currency", None, &auth),
    )
    .await;
    assert_eq!(read.json()["value"], "EUR");
    let bad = send(
        &state,
        request(
            "PUT",
            "/api/settings/timezone",
            Some(json!({ "value": "Mars/Olympus" })),
            &auth,
        ),
    )
    .await;
    assert_eq!(
        (bad.status, bad.code().as_str()),
        (StatusCode::BAD_REQUEST, "invalid_setting")
    );
    let unknown = send(&state, request("GET", "/api/settings/colour", None, &auth)).await;
    assert_eq!(
        (unknown.status, unknown.code().as_str()),
        (StatusCode::NOT_FOUND, "unknown_setting")
    );

    // Token management: the secret is shown once, never listed.
    let created = send(
        &state,
        request(
            "POST",
            "/api/tokens",
            Some(json!({ "name": "newsletter", "scopes": ["read", "export"] })),
            &auth,
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let secret = created.json()["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("flokk_"));
    assert_eq!(created.json()["token"]["scopes"], json!(["read", "export"]));
    let listed = send(&state, request("GET", "/api/tokens", None, &auth)).await;
    assert!(listed.body.contains("newsletter") && !listed.body.contains(&secret));
    let clash = send(
        &state,
        request(
            "POST",
            "/api/tokens",
            Some(json!({ "name": "newsletter", "scopes": ["read"] })),
            &auth,
        ),
    )
    .await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    let unknown_scope = send(
        &state,
        request(
            "POST",
            "/api/tokens",
            Some(json!({ "name": "y", "scopes": ["everything"] })),
            &auth,
        ),
    )
    .await;
    assert_eq!(unknown_scope.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unknown_scope.code(),
        "invalid_body",
        "{}",
        unknown_scope.body
    );
    let revoked = send(
        &state,
        request("DELETE", "/api/tokens/newsletter", None, &auth),
    )
    .await;
    assert_eq!(revoked.status, StatusCode::OK);
}

#[tokio::test]
async fn a_session_reads_and_writes_only_with_its_csrf_token() {
    let (_dir, state) = common::state_with(&records());
    let (cookie, csrf) = sign_in(&state, "read,write").await;
    let cookie = [("cookie", cookie.as_str())];
    let read = send(&state, request("GET", COUNT, None, &cookie)).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);

    let change = || Some(json!({ "value": "My shop" }));
    let missing = send(
        &state,
        request("PUT", "/api/settings/name", change(), &cookie),
    )
    .await;
    assert_eq!(
        (missing.status, missing.code().as_str()),
        (StatusCode::FORBIDDEN, "csrf")
    );
    let wrong = [cookie[0], ("x-csrf-token", "not-the-token")];
    let wrong = send(
        &state,
        request("PUT", "/api/settings/name", change(), &wrong),
    )
    .await;
    assert_eq!(
        (wrong.status, wrong.code().as_str()),
        (StatusCode::FORBIDDEN, "csrf")
    );
    let with = [cookie[0], ("x-csrf-token", csrf.as_str())];
    let ok = send(
        &state,
        request("PUT", "/api/settings/name", change(), &with),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    // The session grants what its token grants: no admin.
    let tokens = send(&state, request("GET", "/api/tokens", None, &with)).await;
    assert_eq!(tokens.status, StatusCode::FORBIDDEN);

    let me = send(&state, request("GET", "/api/session", None, &cookie)).await;
    assert_eq!(me.json()["via"], "session");
    assert_eq!(me.json()["csrf"], csrf.as_str());
    assert_eq!(me.json()["token"]["scopes"], json!(["read", "write"]));

    // Signing out is a change too; afterwards the cookie is dead.
    let out = send(&state, request("DELETE", "/api/session", None, &cookie)).await;
    assert_eq!(out.status, StatusCode::FORBIDDEN);
    let out = send(&state, request("DELETE", "/api/session", None, &with)).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(
        out.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = send(&state, request("GET", COUNT, None, &cookie)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_refuses_a_bad_token() {
    let (_dir, state) = common::state_with(&records());
    let secret = token(&state, "read");
    let answer = send(
        &state,
        request(
            "POST",
            "/api/session",
            Some(json!({ "token": secret })),
            &[],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let cookie = answer.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("flokk_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "served on loopback: {cookie}");
    assert!(
        !cookie.contains(&secret),
        "the cookie is a session, not the token"
    );

    let bad = send(
        &state,
        request(
            "POST",
            "/api/session",
            Some(json!({ "token": "flokk_x" })),
            &[],
        ),
    )
    .await;
    assert_eq!(
        (bad.status, bad.code().as_str()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    assert!(!bad.headers.contains_key("set-cookie"));
    // A form post (what another site could send) is not accepted.
    let form = axum::http::Request::post("/api/session")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!("token={secret}")))
        .unwrap();
    let form = send(&state, form).await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(form.code(), "unsupported_media_type");
}

#[tokio::test]
async fn off_loopback_the_cookie_is_secure() {
    let options = flokk_server::ServerOptions {
        secure_cookies: true,
        ..common::test_options()
    };
    let (_dir, state) = common::state_with_options(&records(), options);
    let secret = token(&state, "read");
    let answer = send(
        &state,
        request(
            "POST",
            "/api/session",
            Some(json!({ "token": secret })),
            &[],
        ),
    )
    .await;
    assert!(
        answer.headers["set-cookie"]
            .to_str()
            .unwrap()
            .ends_with("; Secure")
    );
}

#[tokio::test]
async fn a_forged_or_expired_cookie_is_401() {
    let (_dir, state) = common::state_with(&records());
    let forged = send(
        &state,
        request("GET", COUNT, None, &[("cookie", "flokk_session=Zm9yZ2Vk")]),
    )
    .await;
    assert_eq!(
        (forged.status, forged.code().as_str()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );

    // A session that ended a minute ago.
    let secret = token(&state, "admin");
    let expired = state.credentials.store(|s| {
        let t = s
            .authenticate_token(&secret, jiff::Timestamp::now())
            .unwrap()
            .unwrap();
        let thirteen_hours_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_mins(13 * 60);
        s.create_session(
            t.id,
            thirteen_hours_ago,
            jiff::SignedDuration::from_mins(12 * 60 - 1),
        )
        .unwrap()
    });
    let cookie = format!("flokk_session={}", expired.secret);
    let answer = send(&state, request("GET", COUNT, None, &[("cookie", &cookie)])).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let page = send(&state, request("GET", "/", None, &[("cookie", &cookie)])).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_one_time_link_signs_in_once() {
    let (_dir, state) = common::state_with(&records());
    let secret = token(&state, "admin");
    let id = state
        .credentials
        .store(|s| s.authenticate_token(&secret, jiff::Timestamp::now()))
        .unwrap()
        .unwrap()
        .id;
    let link = state.sign_in_link(id);
    let first = send(&state, request("GET", &link, None, &[])).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(first.headers["location"], "/");
    let cookie = first.headers["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap();
    let page = send(&state, request("GET", "/", None, &[("cookie", cookie)])).await;
    assert_eq!(page.status, StatusCode::OK);

    let again = send(&state, request("GET", &link, None, &[])).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.headers["location"], "/signin?link=used");
    assert!(!again.headers.contains_key("set-cookie"));
}
