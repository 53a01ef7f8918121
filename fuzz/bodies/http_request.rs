//! The checks of the `http_request` fuzz target, shared by libFuzzer
//! (`fuzz/fuzz_targets/http_request.rs`) and the stable loop
//! (`crates/flokk-server/tests/fuzz_http.rs`): any bytes, read as a request
//! (`METHOD TARGET` on the first line, `Name: value` header lines, a blank
//! line, the body; `$TOKEN` in a header stands for an admin token, so the
//! fuzzer gets past sign-in), sent through the whole router over a small
//! store in-process. No request panics a handler; every answer has a status;
//! an error status (4xx, 5xx) comes with a JSON body `{"error": {"code",
//! "message"}}` (or, from `GET /api/check`, its documented verdict).

use axum::body::{Body, to_bytes};
use axum::http::Request;
use flokk_model::{Customer, ParseOptions, Record, parse_record};
use flokk_server::live::Live;
use flokk_server::{ServerOptions, ServerState, router};
use flokk_store::{Scopes, Store};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

/// Words the mutator inserts into requests.
pub const DICTIONARY: &[&[u8]] = &[
    b"GET /api/segments HTTP/1.1\n",
    b"POST /api/import?format=ndjson\n",
    b"Authorization: Bearer $TOKEN\n",
    b"Content-Type: application/json\n",
    b"Content-Length: 99999999999\n",
    b"Host: localhost\n",
    b"Host: evil.example\n",
    b"Cookie: flokk_session=x\n",
    b"X-CSRF-Token: x\n",
    b"/api/customers/",
    b"/api/segments/1",
    b"?query=amount_spent%20%3E%201",
    b"{\"name\":\"x\",\"query\":\"amount_spent > 1\"}",
    b"{\"kind\":\"customer\",\"id\":\"z\"}\n",
    b"%2F..%2F",
    b"\n\n",
];

/// A store of a few customers and a server state over it; the runtime, the
/// state, an admin token and the store's directory (kept while the state is).
pub struct Server {
    pub runtime: tokio::runtime::Runtime,
    pub state: Arc<ServerState>,
    pub token: String,
    /// Held so the store outlives the state.
    pub _dir: tempfile::TempDir,
}

impl Server {
    pub fn new() -> Server {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Store::open(dir.path()).expect("a store");
        let mut writer = store.writer().expect("a writer");
        for i in 0..20 {
            let id = format!("c{i}");
            writer
                .apply(&Record::Customer(Customer::stub(id.clone())))
                .expect("a customer");
            let order = format!(
                r#"{{"kind":"order","id":"o{i}","customer_id":"{id}","placed_at":"2025-03-01T12:30:00Z","total":{}}}"#,
                10 * i
            );
            let order = parse_record(&order, ParseOptions::default()).expect("an order");
            writer.apply(&order).expect("an order");
        }
        writer.commit().expect("the records");
        let token = store
            .create_token(
                "fuzz",
                Scopes::parse("read,write,export,admin").expect("scopes"),
                jiff::Timestamp::now(),
            )
            .expect("a token")
            .secret;
        let engine = flokk_segments::catch_up::build_engine(&store).expect("the engine");
        let refresh = |store: &Store, engine: &mut flokk_engine::Engine| {
            *engine = flokk_segments::catch_up::build_engine(store)?;
            Ok(())
        };
        let live = Live::new(
            store,
            engine,
            Box::new(refresh),
            jiff::tz::TimeZone::UTC,
            Some("2025-06-01T00:00:00Z".parse().expect("an instant")),
        )
        .expect("live segments");
        let options = ServerOptions {
            secure_cookies: false,
            rate_limit: None,
            allowed_hosts: Some(flokk_server::limits::AllowedHosts::new([
                "flokk.example".to_owned()
            ])),
            ..ServerOptions::default()
        };
        let state = Arc::new(
            ServerState::new(Arc::new(live), "fuzz store".into(), options).expect("a state"),
        );
        Server {
            runtime,
            state,
            token,
            _dir: dir,
        }
    }

    /// The target: panics on any broken promise.
    pub fn check(&self, data: &[u8]) {
        let Some(request) = self.request(data) else {
            return;
        };
        let shown = String::from_utf8_lossy(&data[..data.len().min(200)]).into_owned();
        let path = request.uri().path().to_owned();
        self.runtime.block_on(async {
            let response = router(self.state.clone())
                .oneshot(request)
                .await
                .expect("the router is infallible");
            let status = response.status();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            if !(status.is_client_error() || status.is_server_error()) {
                // A success is the handler's own business (an event stream
                // never ends, so its body is not read).
                return;
            }
            let body = tokio::time::timeout(
                Duration::from_secs(5),
                to_bytes(response.into_body(), 1 << 24),
            )
            .await;
            let body = body
                .unwrap_or_else(|_| panic!("{status} with a body that does not end: {shown:?}"))
                .unwrap_or_else(|e| panic!("{status} with an unreadable body ({e}): {shown:?}"));
            assert!(
                content_type.starts_with("application/json"),
                "{status} as {content_type:?}: {shown:?}"
            );
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_else(|e| {
                panic!(
                    "{status} with a body that is not JSON ({e}): {:?} for {shown:?}",
                    String::from_utf8_lossy(&body)
                )
            });
            // `GET /api/check` answers a query that does not check with its
            // verdict, as api.md documents.
            let verdict = json["valid"] == false && json["errors"].is_array();
            if path == "/api/check" && status == 400 && verdict {
                return;
            }
            assert!(
                json["error"]["code"]
                    .as_str()
                    .is_some_and(|c| !c.is_empty())
                    && json["error"]["message"].is_string(),
                "{status} without an error code and message: {json} for {shown:?}"
            );
        });
    }

    /// The request the bytes describe, or `None` when they describe none
    /// that can be built (no method, a target that is not a URI, a header
    /// name or value that cannot be one): the server never sees those.
    fn request(&self, data: &[u8]) -> Option<Request<Body>> {
        let (head, body) = match find(data, b"\n\n") {
            Some(i) => (&data[..i], &data[i + 2..]),
            None => (data, &[][..]),
        };
        let mut lines = head.split(|b| *b == b'\n');
        let first = String::from_utf8_lossy(lines.next()?).into_owned();
        let mut words = first.split_whitespace();
        let method = words.next()?;
        let target = words.next().unwrap_or("/");
        let mut request = Request::builder().method(method).uri(target);
        let mut host = false;
        for line in lines {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let Some(colon) = line.iter().position(|b| *b == b':') else {
                continue;
            };
            let name = &line[..colon];
            let value = line[colon + 1..].trim_ascii_start();
            let value = String::from_utf8_lossy(value).replace("$TOKEN", &self.token);
            host |= name.eq_ignore_ascii_case(b"host");
            request = request.header(name, value.as_bytes());
        }
        if !host {
            request = request.header("host", "localhost");
        }
        request.body(Body::from(body.to_vec())).ok()
    }
}

impl Default for Server {
    fn default() -> Self {
        Server::new()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
