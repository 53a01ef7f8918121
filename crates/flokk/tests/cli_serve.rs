//! `flokk serve` as a process: a client that goes away while the server
//! is still writing to it (an event stream closed by navigation) costs
//! that connection, never the server (a SIGPIPE once killed it silently).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const NOW: &str = "2026-11-24T12:00:00Z";

struct Server {
    child: Child,
    address: String,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args([
            "--now",
            NOW,
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--rate-limit",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut address, mut token) = (None, None);
    while address.is_none() || token.is_none() {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.split("serving on http://").nth(1) {
            address = Some(rest.split('/').next().unwrap().to_owned());
        }
        if line.trim().starts_with("flokk_") {
            token = Some(line.trim().to_owned());
        }
    }
    // Keep draining stdout so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        address: address.unwrap(),
        token: token.unwrap(),
    }
}

fn get(server: &Server, path: &str) -> String {
    let mut s = TcpStream::connect(&server.address).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        server.token
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn clients_that_hang_up_mid_stream_do_not_stop_the_server() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let made = Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(&data)
        .args(["--now", NOW, "demo", "--customers", "1500", "--no-serve"])
        .output()
        .unwrap();
    assert!(made.status.success());
    let mut server = serve(&data);
    // Thousands of feed entries: the stream writes a batch every half second.
    for _ in 0..4 {
        let mut s = TcpStream::connect(&server.address).unwrap();
        write!(
            s,
            "GET /api/events?since=0 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\r\n",
            server.token
        )
        .unwrap();
        let mut first = [0u8; 512];
        let n = s.read(&mut first).unwrap();
        assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
        drop(s);
    }
    // Wait until a stream opened after the hang-ups has had several polls
    // (at most 500 entries each, every half second): the closed ones,
    // older, have had as many writes by then.
    let mut watcher = TcpStream::connect(&server.address).unwrap();
    watcher
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        watcher,
        "GET /api/events?since=0 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\r\n",
        server.token
    )
    .unwrap();
    let (mut seen, mut buffer) = (String::new(), [0u8; 65536]);
    while seen.matches("event: change").count() <= 1500 {
        let n = watcher
            .read(&mut buffer)
            .expect("the stream goes on sending the backlog");
        assert!(
            n > 0,
            "the stream ended after {} entries",
            seen.matches("event: change").count()
        );
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    drop(watcher);
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server stopped: {:?}",
        server.child.try_wait()
    );
    assert!(get(&server, "/api/status").starts_with("HTTP/1.1 200"));
}

#[test]
fn ctrl_c_stops_the_server_even_with_an_event_stream_open() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut server = serve(&data);
    let mut stream = TcpStream::connect(&server.address).unwrap();
    write!(
        stream,
        "GET /api/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\r\n",
        server.token
    )
    .unwrap();
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).unwrap();
    assert!(String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.1 200"));
    let interrupted = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    for _ in 0..100 {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("flokk serve still runs 10 s after Ctrl-C");
}
