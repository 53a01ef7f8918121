//! A server over a temporary store, for the API tests.
#![allow(dead_code)]

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use flokk_engine::Engine;
use flokk_model::Record;
use flokk_segments::SegmentsError;
use flokk_server::live::Live;
use flokk_server::{ServerState, router};
use flokk_store::Store;
use std::sync::Arc;
use tower::ServiceExt;

/// Builds the engine from every record of the store.
pub fn build_engine(store: &Store) -> Engine {
    flokk_segments::catch_up::build_engine(store).expect("the store scans")
}

/// A store holding `records` and a server state over it, as of
/// 2025-06-01T00:00:00Z in UTC.
pub fn state_with(records: &[Record]) -> (tempfile::TempDir, Arc<ServerState>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    for r in records {
        writer.apply(r).unwrap();
    }
    writer.commit().unwrap();
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
        Some("2025-06-01T00:00:00Z".parse().unwrap()),
    )
    .unwrap();
    let state = Arc::new(ServerState {
        live: Arc::new(live),
        name: "test store".into(),
    });
    (dir, state)
}

/// Sends a request with an optional JSON body; the status and JSON answer.
pub async fn call(
    state: &Arc<ServerState>,
    method: &str,
    uri: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(uri);
    let body = match body {
        Some(v) => {
            request = request.header("content-type", "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let response = router(state.clone())
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), 1 << 22).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}
