//! `flokk serve` as a child process, and plain HTTP/1.0 requests to it:
//! one warm server answers the docs' queries far faster than a process
//! per query would.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running `flokk serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
    /// The admin token the first start printed.
    pub token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves `data` (a store without API tokens, so the first admin token is
/// printed) with `flokk` as built for the tests and the environment given.
pub fn serve(mut flokk: Command, data: &Path) -> Server {
    let mut child = flokk
        .env("FLOKK_DATA", data)
        .args(["serve", "--listen", "127.0.0.1:0", "--rate-limit", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("flokk serve starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let (mut address, mut token) = (None, None);
    while address.is_none() || token.is_none() {
        let line = lines
            .next()
            .expect("serve prints its address and token")
            .expect("utf-8");
        if let Some(rest) = line.split("serving on http://").nth(1) {
            address = rest.split('/').next().map(str::to_owned);
        }
        if line.trim().starts_with("flokk_") {
            token = Some(line.trim().to_owned());
        }
    }
    // Keep draining stdout so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        address: address.expect("address"),
        token: token.expect("token"),
    }
}

impl Server {
    /// `GET path` with the token: the status and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let mut s = std::net::TcpStream::connect(&self.address).expect("connects");
        write!(
            s,
            "GET {path} HTTP/1.0\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\r\n",
            self.token
        )
        .expect("sends");
        let mut response = String::new();
        s.read_to_string(&mut response).expect("answers");
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, body.to_owned())
    }
}

/// `text` percent-encoded for a query string (everything but unreserved
/// characters).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
