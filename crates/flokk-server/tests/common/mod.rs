//! A server over a temporary store, for the API tests.
#![allow(dead_code)]

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use flokk_engine::Engine;
use flokk_model::Record;
use flokk_segments::SegmentsError;
use flokk_server::live::Live;
use flokk_server::{ServerOptions, ServerState, router};
use flokk_store::{Scopes, Store};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tower::ServiceExt;

/// Builds the engine from every record of the store.
pub fn build_engine(store: &Store) -> Engine {
    flokk_segments::catch_up::build_engine(store).expect("the store scans")
}

/// The options of the test servers: served on loopback (no Secure cookie),
/// no rate limit (the rate-limit test sets one).
pub fn test_options() -> ServerOptions {
    ServerOptions {
        secure_cookies: false,
        rate_limit: None,
        ..ServerOptions::default()
    }
}

/// A store holding `records` and a server state over it, as of
/// 2025-06-01T00:00:00Z in UTC.
pub fn state_with(records: &[Record]) -> (tempfile::TempDir, Arc<ServerState>) {
    state_with_options(records, test_options())
}

/// [`state_with`] with other server options.
pub fn state_with_options(
    records: &[Record],
    options: ServerOptions,
) -> (tempfile::TempDir, Arc<ServerState>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    for r in records {
        writer.apply(r).unwrap();
    }
    writer.commit().unwrap();
    let state = state_over(store, options);
    (dir, state)
}

/// A server state over an existing store (a restart: saved segments are
/// brought up to date as `flokk serve` does when it starts).
pub fn state_over(store: Store, options: ServerOptions) -> Arc<ServerState> {
    state_over_at(store, options, "2025-06-01T00:00:00Z")
}

/// [`state_over`] with the server's clock fixed at `now` (RFC 3339).
pub fn state_over_at(store: Store, options: ServerOptions, now: &str) -> Arc<ServerState> {
    let engine = build_engine(&store);
    let refresh = |store: &Store, engine: &mut Engine| -> Result<(), SegmentsError> {
        *engine = build_engine(store);
        Ok(())
    };
    let live = Live::new(
        store,
        engine,
        Box::new(refresh),
        jiff::tz::TimeZone::UTC,
        Some(now.parse().unwrap()),
    )
    .unwrap();
    Arc::new(ServerState::new(Arc::new(live), "test store".into(), options).unwrap())
}

/// A new token with `scopes` (a comma-separated list); its secret.
pub fn token(state: &ServerState, scopes: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let name = format!("test-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    state
        .credentials
        .store(|s| {
            s.create_token(
                &name,
                Scopes::parse(scopes).unwrap(),
                jiff::Timestamp::now(),
            )
        })
        .unwrap()
        .secret
}

/// The status, headers and body of a response.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The error code of a JSON error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
}

/// Sends `request` through the router.
pub async fn send(state: &Arc<ServerState>, request: Request<Body>) -> Answer {
    let response = router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), 1 << 22).await.unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A request with optional JSON body and these extra headers.
pub fn request(
    method: &str,
    uri: &str,
    body: Option<serde_json::Value>,
    headers: &[(&str, &str)],
) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = match body {
        Some(v) => {
            request = request.header("content-type", "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    request.body(body).unwrap()
}

/// Sends a request with an optional JSON body as an admin token; the
/// status and JSON answer.
pub async fn call(
    state: &Arc<ServerState>,
    method: &str,
    uri: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let bearer = format!("Bearer {}", token(state, "admin"));
    let answer = send(
        state,
        request(method, uri, body, &[("authorization", &bearer)]),
    )
    .await;
    (answer.status, answer.json())
}

/// Signs in through `POST /api/session` with a new token of `scopes`: the
/// `Cookie` header value and the session's CSRF token.
pub async fn sign_in(state: &Arc<ServerState>, scopes: &str) -> (String, String) {
    let secret = token(state, scopes);
    let answer = send(
        state,
        request(
            "POST",
            "/api/session",
            Some(serde_json::json!({ "token": secret })),
            &[],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let set_cookie = answer.headers["set-cookie"].to_str().unwrap();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let csrf = answer.json()["csrf"].as_str().unwrap().to_owned();
    (cookie, csrf)
}
