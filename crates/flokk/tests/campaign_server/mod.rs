//! `flokk serve` for the campaign tests: started on a store (optionally
//! with `--now`), its address and admin token, and raw HTTP requests to it.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::process::Command;

/// `flokk serve` on the store; killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub address: String,
    pub token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `flokk serve` on a store served for the first time (it prints the admin
/// token it makes).
pub fn serve(data: &Path) -> Server {
    serve_with(data, &[], None)
}

/// `flokk serve` with global flags before it (`--now T`). `token`: an admin
/// token made beforehand (`flokk token create`), for a store served before;
/// `None` reads the one a first serve prints.
pub fn serve_with(data: &Path, global: &[&str], token: Option<&str>) -> Server {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(global)
        .args(["serve", "--listen", "127.0.0.1:0", "--rate-limit", "0"])
        .env_remove("FLOKK_NOW")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut address = None;
    let mut token = token.map(str::to_owned);
    while address.is_none() || token.is_none() {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.split("serving on http://").nth(1) {
            address = Some(rest.split('/').next().unwrap().to_owned());
        }
        if line.trim().starts_with("flokk_") {
            token = Some(line.trim().to_owned());
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        address: address.unwrap(),
        token: token.unwrap(),
    }
}

/// One raw HTTP request (no token: public pages); status and whole answer.
pub fn http_as(
    server: &Server,
    method: &str,
    path: &str,
    body: &str,
    agent: &str,
) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(&server.address).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: {agent}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out).into_owned();
    let status = out.split(' ').nth(1).unwrap().parse().unwrap();
    (status, out)
}

/// An API request with `token`; status and body.
pub fn api_with(
    server: &Server,
    token: &str,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(&server.address).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out).into_owned();
    let status = out.split(' ').nth(1).unwrap().parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|x| x.1)
        .unwrap_or("")
        .to_owned();
    (status, body)
}

/// An API request with the server's admin token; status and body.
pub fn api(server: &Server, method: &str, path: &str, body: &str) -> (u16, String) {
    let token = server.token.clone();
    api_with(server, &token, method, path, body)
}

/// Runs flokk on the store; fails the test unless it succeeds.
pub fn run_ok(data: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("FLOKK_NOW")
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A store of `n` subscribed customers `c0@example.no`... (tagged `news`)
/// and one more whose relay drops the connection (`drop@`), if asked.
pub fn many(dir: &Path, relay_url: &str, n: usize, rate: u32) -> PathBuf {
    let data = dir.join("many");
    let file = dir.join("many.ndjson");
    let lines: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"kind":"customer","id":"c{i}","email":"c{i}@example.no","email_subscription":"SUBSCRIBED","tags":["news"]}}"#
            )
        })
        .collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    run_ok(&data, &["import", file.to_str().unwrap()]);
    for (k, v) in [
        ("smtp_url", relay_url.to_owned()),
        ("smtp_from", "news@shop.example".into()),
        ("public_url", "https://flokk.shop.example".into()),
        ("smtp_rate_per_second", rate.to_string()),
        ("smtp_max_attempts", "2".into()),
        ("smtp_retry_seconds", "1".into()),
    ] {
        run_ok(&data, &["config", "set", k, &v]);
    }
    let body = dir.join("b.md");
    std::fs::write(&body, "Hello {{ first_name | default: \"friend\" }}\n").unwrap();
    run_ok(
        &data,
        &[
            "campaign",
            "create",
            "Big",
            "--query",
            "customer_tags CONTAINS 'news'",
            "--subject",
            "Big news",
            "--body-file",
            body.to_str().unwrap(),
        ],
    );
    data
}
