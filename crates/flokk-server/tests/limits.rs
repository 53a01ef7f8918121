//! The limits in front of the API: the per-client rate limit (429 with
//! Retry-After), the request body size limit (413), and JSON for the
//! errors axum answers by itself.

mod common;

use axum::http::StatusCode;
use common::{request, send, token};
use flokk_model::{Customer, Record};
use flokk_server::limits::{BODY_LIMIT, RateLimit};
use serde_json::json;
use std::num::NonZeroU32;
use std::time::Duration;

fn records() -> Vec<Record> {
    vec![Record::Customer(Customer::stub("a"))]
}

#[tokio::test]
async fn a_client_over_its_rate_gets_429_with_retry_after() {
    let options = flokk_server::ServerOptions {
        // An hour per request: however slow the machine, the fourth is refused.
        rate_limit: Some(RateLimit {
            interval: Duration::from_secs(3600),
            burst: NonZeroU32::new(3).unwrap(),
        }),
        ..common::test_options()
    };
    let (_dir, state) = common::state_with_options(&records(), options);
    let auth = format!("Bearer {}", token(&state, "read"));
    for _ in 0..3 {
        let answer = send(
            &state,
            request("GET", "/api/status", None, &[("authorization", &auth)]),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    let answer = send(
        &state,
        request("GET", "/api/status", None, &[("authorization", &auth)]),
    )
    .await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer.code(), "rate_limited");
    let retry: u64 = answer.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3500..=3600).contains(&retry), "Retry-After {retry}");
    // The limit comes before authentication: guessing tokens is throttled too.
    let guess = send(
        &state,
        request(
            "GET",
            "/api/status",
            None,
            &[("authorization", "Bearer flokk_guess")],
        ),
    )
    .await;
    assert_eq!(guess.status, StatusCode::TOO_MANY_REQUESTS);
    // The web UI's assets are not metered: a page load fetches a dozen.
    for _ in 0..10 {
        let asset = send(&state, request("GET", "/ui/common.js", None, &[])).await;
        assert_eq!(asset.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_json() {
    let (_dir, state) = common::state_with(&records());
    let auth = format!("Bearer {}", token(&state, "write"));
    let huge = json!({ "value": "x".repeat(BODY_LIMIT) });
    let answer = send(
        &state,
        request(
            "PUT",
            "/api/settings/name",
            Some(huge),
            &[("authorization", &auth)],
        ),
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        answer.body
    );
    assert_eq!(answer.code(), "payload_too_large");
    // Just under the limit is fine.
    let fits = json!({ "value": "x".repeat(BODY_LIMIT - 100) });
    let answer = send(
        &state,
        request(
            "PUT",
            "/api/settings/name",
            Some(fits),
            &[("authorization", &auth)],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn errors_axum_answers_itself_are_json_too() {
    let (_dir, state) = common::state_with(&records());
    let auth = format!("Bearer {}", token(&state, "admin"));
    let malformed = axum::http::Request::put("/api/settings/name")
        .header("authorization", &auth)
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    let answer = send(&state, malformed).await;
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    assert!(
        !answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    let wrong_method = send(
        &state,
        request("PATCH", "/api/status", None, &[("authorization", &auth)]),
    )
    .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.code(), "method_not_allowed");
}
