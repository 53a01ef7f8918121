//! No client can hold the server open (issue 18): heads and idle
//! keep-alive connections time out, a body that goes silent ends its
//! request, oversized requests are refused before their body is read, and
//! the number of open connections is capped. Driven over raw sockets
//! against the real accept loop (`flokk_server::serve`).

mod common;

use flokk_model::{Customer, Record};
use flokk_server::ServerOptions;
use flokk_server::limits::{AllowedHosts, ConnectionLimits};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// Longer than any timeout configured below: a read that waits this long
/// means the server held the connection.
const PATIENCE: Duration = Duration::from_secs(15);

async fn server(limits: ConnectionLimits) -> (tempfile::TempDir, SocketAddr) {
    server_with(ServerOptions {
        connections: limits,
        ..common::test_options()
    })
    .await
}

async fn server_with(options: ServerOptions) -> (tempfile::TempDir, SocketAddr) {
    let (dir, state) =
        common::state_with_options(&[Record::Customer(Customer::stub("a"))], options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(flokk_server::serve(state, listener));
    (dir, addr)
}

fn quick(header_timeout_ms: u64, max_connections: usize) -> ConnectionLimits {
    ConnectionLimits {
        header_timeout: Duration::from_millis(header_timeout_ms),
        body_timeout: Duration::from_millis(header_timeout_ms),
        max_connections,
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

/// Reads until the server closes the connection; what it sent, and whether
/// it closed (rather than the read timing out).
fn read_to_close(stream: &mut TcpStream) -> (String, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                return (String::from_utf8_lossy(&got).into_owned(), true);
            }
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
        }
    }
}

/// Reads one response head and body (up to a blank line and the JSON).
fn read_response(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains("\r\n\r\n{") || !got.ends_with(b"}") {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => panic!("no response: {e}; got {:?}", String::from_utf8_lossy(&got)),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

fn status_line(response: &str) -> &str {
    response.lines().next().unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_that_never_ends_is_closed() {
    let (_dir, addr) = server(quick(500, 64)).await;
    tokio::task::spawn_blocking(move || {
        let mut s = connect(addr);
        s.write_all(b"GET /api/openapi.json HTTP/1.1\r\nHost: localhost\r\n")
            .unwrap();
        let started = Instant::now();
        let (_, closed) = read_to_close(&mut s);
        assert!(closed, "the server held a half-sent head for {PATIENCE:?}");
        assert!(started.elapsed() >= Duration::from_millis(400));
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed() {
    let (_dir, addr) = server(quick(500, 64)).await;
    tokio::task::spawn_blocking(move || {
        let mut s = connect(addr);
        s.write_all(b"GET /api/nothing-here HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        let response = read_response(&mut s);
        assert!(status_line(&response).contains("404"), "{response}");
        let (_, closed) = read_to_close(&mut s);
        assert!(closed, "an idle connection stayed open for {PATIENCE:?}");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_goes_silent_ends_its_request() {
    let (_dir, addr) = server(quick(500, 64)).await;
    tokio::task::spawn_blocking(move || {
        let mut s = connect(addr);
        s.write_all(
            b"POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"tok",
        )
        .unwrap();
        let (got, closed) = read_to_close(&mut s);
        assert!(closed, "a silent body held the connection for {PATIENCE:?}");
        assert!(
            got.is_empty() || status_line(&got).contains(" 4"),
            "{got}"
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_body_over_the_limit_is_refused_before_it_is_sent() {
    // Timeouts far beyond the read below: the answer must come at once.
    let (_dir, addr) = server(ConnectionLimits {
        header_timeout: Duration::from_secs(60),
        body_timeout: Duration::from_secs(60),
        max_connections: 64,
    })
    .await;
    tokio::task::spawn_blocking(move || {
        for path in ["/api/session", "/api/segments", "/api/import"] {
            let mut s = connect(addr);
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let head = format!(
                "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n"
            );
            s.write_all(head.as_bytes()).unwrap();
            let response = read_response(&mut s);
            assert!(status_line(&response).contains("413"), "{path}: {response}");
            assert!(response.contains("\"payload_too_large\""), "{path}: {response}");
        }
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_uris_and_headers_get_json_errors() {
    let (_dir, addr) = server(quick(5_000, 64)).await;
    tokio::task::spawn_blocking(move || {
        let mut s = connect(addr);
        let uri = format!("/api/count?query={}", "a".repeat(10_000));
        s.write_all(format!("GET {uri} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
            .unwrap();
        let response = read_response(&mut s);
        assert!(status_line(&response).contains("414"), "{response}");
        assert!(response.contains("\"uri_too_long\""), "{response}");

        let mut s = connect(addr);
        let big = "b".repeat(40_000);
        s.write_all(
            format!("GET /api/status HTTP/1.1\r\nHost: localhost\r\nX-Big: {big}\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
        let response = read_response(&mut s);
        assert!(status_line(&response).contains("431"), "{response}");
        assert!(response.contains("\"headers_too_large\""), "{response}");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_cap_wait_for_a_slot() {
    let (_dir, addr) = server(quick(1_000, 3)).await;
    tokio::task::spawn_blocking(move || {
        // Three silent connections take every slot.
        let idle: Vec<TcpStream> = (0..3).map(|_| connect(addr)).collect();
        std::thread::sleep(Duration::from_millis(200));
        let started = Instant::now();
        let mut s = connect(addr);
        s.write_all(
            b"GET /api/nothing-here HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
        let response = read_response(&mut s);
        assert!(status_line(&response).contains("404"), "{response}");
        // Served only once the idle ones timed out and freed a slot.
        assert!(
            started.elapsed() >= Duration::from_millis(600),
            "answered after {:?}, while every slot was taken",
            started.elapsed()
        );
        drop(idle);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebound_host_name_is_refused() {
    let (_dir, addr) = server_with(ServerOptions {
        allowed_hosts: Some(AllowedHosts::new(["flokk.example.com".to_owned()])),
        ..common::test_options()
    })
    .await;
    tokio::task::spawn_blocking(move || {
        let ask = |host: &str| {
            let mut s = connect(addr);
            s.write_all(
                format!(
                    "GET /api/nothing-here HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                )
                .as_bytes(),
            )
            .unwrap();
            read_response(&mut s)
        };
        let refused = ask("evil.example:8080");
        assert!(status_line(&refused).contains("421"), "{refused}");
        assert!(refused.contains("\"unknown_host\""), "{refused}");
        assert!(refused.contains("public_url"), "{refused}");
        for host in [
            format!("{addr}"),
            "localhost:8080".into(),
            "flokk.example.com".into(),
        ] {
            let answer = ask(&host);
            assert!(status_line(&answer).contains("404"), "{host}: {answer}");
        }
    })
    .await
    .unwrap();
}
