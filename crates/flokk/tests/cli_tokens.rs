//! `flokk token` and the credentials of `flokk serve`, with the real binary:
//! tokens are created, listed without their secret and revoked; the first
//! start of a server prints an admin token and a one-time sign-in link,
//! later starts print neither, and the API wants the token.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::Duration;

fn flokk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn ok_json(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = flokk(data, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn tokens_are_created_listed_without_secrets_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let created = ok_json(
        data,
        &[
            "token",
            "create",
            "sync",
            "--scopes",
            "read,write",
            "--json",
        ],
    );
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("flokk_"), "{created}");
    assert_eq!(
        created["token"]["scopes"],
        serde_json::json!(["read", "write"])
    );

    let human = flokk(data, &["token", "create", "ops", "--scopes", "admin"]);
    assert_eq!(human.status.code(), Some(0));
    let printed = String::from_utf8(human.stdout).unwrap();
    assert!(
        printed.trim().starts_with("flokk_"),
        "the secret alone on stdout: {printed}"
    );
    assert!(String::from_utf8_lossy(&human.stderr).contains("shown only this once"));

    let list = ok_json(data, &["token", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(
        !list.to_string().contains(&secret),
        "secrets are never listed"
    );
    let table = String::from_utf8(flokk(data, &["token", "list"]).stdout).unwrap();
    assert!(
        table.contains("sync") && table.contains("read,write"),
        "{table}"
    );

    let revoked = ok_json(data, &["token", "revoke", "sync", "--json"]);
    assert!(revoked["revoked_at"].is_string());
    let id = revoked["id"].to_string();
    let again = flokk(data, &["token", "revoke", &id]);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stderr).contains("revoked already"));

    for bad in [
        vec!["token", "revoke", "nobody"],
        vec!["token", "create", "x", "--scopes", "read,everything"],
        vec!["token", "create", "123", "--scopes", "read"],
        vec!["token", "create", "ops", "--scopes", "read"],
    ] {
        let out = flokk(data, &bad);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{bad:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A running `flokk serve` and the lines it printed up to its sign-in line.
struct Server {
    child: Child,
    base: String,
    printed: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a line").unwrap();
    let base = first
        .split("serving on ")
        .nth(1)
        .and_then(|rest| rest.split('/').nth(2))
        .map(|host| format!("http://{host}"))
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    let mut printed = vec![first];
    // What follows the address: the token and the link, on a first start;
    // nothing on later ones. Read in the background so the pipe never
    // fills; give the first start a moment to print.
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || drain(lines, send));
    while let Ok(line) = receive.recv_timeout(Duration::from_secs(2)) {
        let done = line.starts_with("Sign in");
        printed.push(line);
        if done {
            break;
        }
    }
    Server {
        child,
        base,
        printed,
    }
}

fn drain(lines: std::io::Lines<BufReader<ChildStdout>>, send: std::sync::mpsc::Sender<String>) {
    for line in lines.map_while(Result::ok) {
        if send.send(line).is_err() {
            return;
        }
    }
}

/// A minimal HTTP/1.1 GET: the status and the raw response.
/// The value of response header `name` (case-insensitive), if sent.
fn header<'r>(response: &'r str, name: &str) -> Option<&'r str> {
    let head = response.split("\r\n\r\n").next().unwrap_or("");
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn get(base: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    (status, response)
}

#[test]
fn the_first_start_prints_an_admin_token_and_a_sign_in_link_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let server = serve(data);
    let text = server.printed.join("\n");
    let token = server
        .printed
        .iter()
        .map(|l| l.trim())
        .find(|l| l.starts_with("flokk_"))
        .unwrap_or_else(|| panic!("no token in {text}"))
        .to_owned();
    let link = server
        .printed
        .iter()
        .find_map(|l| l.strip_prefix("Sign in: "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no sign-in link in {text}"))
        .to_owned();

    let (status, body) = get(&server.base, "/api/status", &[]);
    assert_eq!(status, 401, "{body}");
    assert!(body.contains(r#""code":"unauthorized""#));
    let bearer = format!("Bearer {token}");
    let (status, _) = get(&server.base, "/api/status", &[("Authorization", &bearer)]);
    assert_eq!(status, 200);
    let (status, _) = get(&server.base, "/api/openapi.json", &[]);
    assert_eq!(status, 200);

    // The link signs a browser in once; on loopback the cookie is not Secure.
    let path = link.trim_start_matches(&server.base);
    let (status, response) = get(&server.base, path, &[]);
    assert_eq!(status, 303, "{response}");
    assert_eq!(header(&response, "location"), Some("/"), "{response}");
    let cookie_line = response
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .expect("a session cookie");
    assert!(cookie_line.contains("HttpOnly") && cookie_line.contains("SameSite=Strict"));
    assert!(!cookie_line.contains("Secure"), "{cookie_line}");
    let cookie = cookie_line["set-cookie:".len()..]
        .trim()
        .split(';')
        .next()
        .unwrap();
    let (status, page) = get(&server.base, "/", &[("Cookie", cookie)]);
    assert_eq!(status, 200);
    assert!(page.contains(r#"<meta name="csrf-token" content=""#));
    let (status, reused) = get(&server.base, path, &[]);
    assert_eq!(status, 303, "used links send the browser to sign in");
    assert_eq!(
        header(&reused, "location"),
        Some("/signin?link=used"),
        "{reused}"
    );
    assert_eq!(header(&reused, "set-cookie"), None, "{reused}");
    drop(server);

    // The next start makes no token and prints none.
    let again = serve(data);
    let text = again.printed.join("\n");
    assert!(
        !text.contains("flokk_") && !text.contains("Sign in"),
        "{text}"
    );
    let tokens = ok_json(data, &["token", "list", "--json"]);
    assert_eq!(tokens.as_array().unwrap().len(), 1);
    assert_eq!(tokens[0]["name"], "admin");
    assert_eq!(tokens[0]["scopes"], serde_json::json!(["admin"]));
}
