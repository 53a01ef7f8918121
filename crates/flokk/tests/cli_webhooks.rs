//! Webhooks end to end with the real binary: `flokk serve` delivering to a
//! loopback receiver is killed (SIGKILL) in the middle of delivering and
//! started again; every feed entry still arrives, and a batch that arrives
//! twice arrives with the same webhook-id, so the receiver can drop it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn flokk(data: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("the binary runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn serve(data: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts")
}

type Deliveries = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

/// A minimal HTTP receiver: records (webhook-id, body) and answers 200
/// after a short pause, so a kill lands in the middle of deliveries.
fn receiver() -> (String, Deliveries) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got: Deliveries = Arc::default();
    let sink = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut id = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if lower.starts_with("webhook-id:") {
                    id = line["webhook-id:".len()..].trim().to_owned();
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            sink.lock()
                .unwrap()
                .push((id, serde_json::from_slice(&body).unwrap()));
            std::thread::sleep(Duration::from_millis(150));
            let mut stream = reader.into_inner();
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    (url, got)
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn deliveries_survive_a_killed_server() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("customers.ndjson");
    let lines: String = (1..=8)
        .map(|i| format!("{{\"kind\":\"customer\",\"id\":\"c{i}\"}}\n"))
        .collect();
    std::fs::write(&file, lines).unwrap();
    flokk(&data, &["import", file.to_str().unwrap()]);
    flokk(
        &data,
        &[
            "segment",
            "create",
            "All",
            "--query",
            "number_of_orders >= 0",
        ],
    );
    flokk(&data, &["config", "set", "webhook_batch_size", "1"]);
    let (url, got) = receiver();
    flokk(
        &data,
        &["webhook", "add", &url, "--segments", "All", "--from-start"],
    );

    let mut server = serve(&data);
    wait_for("the first deliveries", Duration::from_secs(30), || {
        got.lock().unwrap().len() >= 3
    });
    server.kill().unwrap(); // SIGKILL: no chance to finish anything
    server.wait().unwrap();
    let before_restart = got.lock().unwrap().len();
    assert!(before_restart < 8, "the kill should land mid-delivery");

    let mut server = serve(&data);
    let unique = |got: &Deliveries| -> BTreeMap<String, serde_json::Value> {
        got.lock().unwrap().iter().cloned().collect()
    };
    wait_for("every delivery", Duration::from_secs(30), || {
        unique(&got).len() >= 8
    });
    let cursor = || -> u64 {
        let out = flokk(&data, &["--json", "webhook", "list"]);
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        list[0]["cursor"].as_u64().unwrap()
    };
    let last_seq = got
        .lock()
        .unwrap()
        .iter()
        .filter_map(|(_, b)| b["data"][0]["seq"].as_u64())
        .max()
        .unwrap();
    wait_for("the last acknowledgement", Duration::from_secs(30), || {
        cursor() >= last_seq
    });
    server.kill().unwrap();
    server.wait().unwrap();

    let all = got.lock().unwrap().clone();
    // Duplicates carry the same id and the same body.
    let mut by_id: BTreeMap<&str, &serde_json::Value> = BTreeMap::new();
    for (id, body) in &all {
        if let Some(first) = by_id.insert(id, body) {
            assert_eq!(first, body, "{id} was sent twice with different content");
        }
    }
    // Every entry of the segment arrived, in feed order.
    let mut seqs = Vec::new();
    let mut customers = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (id, body) in &all {
        if !seen.insert(id.clone()) {
            continue;
        }
        for e in body["data"].as_array().unwrap() {
            assert_eq!(e["segment"], "All");
            seqs.push(e["seq"].as_u64().unwrap());
            customers.push(e["customer"].as_str().unwrap().to_owned());
        }
    }
    let mut sorted = seqs.clone();
    sorted.sort();
    assert_eq!(seqs, sorted, "out of order: {seqs:?}");
    customers.sort();
    let want: Vec<String> = (1..=8).map(|i| format!("c{i}")).collect();
    assert_eq!(customers, want);
    let list: serde_json::Value =
        serde_json::from_slice(&flokk(&data, &["--json", "webhook", "list"]).stdout).unwrap();
    assert_eq!(list[0]["failures"], 0);
}

/// Webhook settings written by another process reach a running server:
/// started with `webhook_batch_size` 1, told 100 by `flokk config set`, it
/// delivers a new endpoint's eight entries in one batch (it used to read
/// the settings once, at start, and send eight).
#[test]
fn a_running_server_applies_webhook_settings_set_by_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("customers.ndjson");
    let lines: String = (1..=8)
        .map(|i| format!("{{\"kind\":\"customer\",\"id\":\"c{i}\"}}\n"))
        .collect();
    std::fs::write(&file, lines).unwrap();
    flokk(&data, &["import", file.to_str().unwrap()]);
    flokk(
        &data,
        &[
            "segment",
            "create",
            "All",
            "--query",
            "number_of_orders >= 0",
        ],
    );
    flokk(&data, &["config", "set", "webhook_batch_size", "1"]);
    let mut server = serve(&data);
    // Up and syncing (the segment's entries are in the feed) before the
    // setting changes.
    std::thread::sleep(Duration::from_secs(2));
    flokk(&data, &["config", "set", "webhook_batch_size", "100"]);
    std::thread::sleep(Duration::from_millis(1500));
    let (url, got) = receiver();
    flokk(
        &data,
        &["webhook", "add", &url, "--segments", "All", "--from-start"],
    );
    let entries = |got: &Deliveries| -> usize {
        got.lock()
            .unwrap()
            .iter()
            .map(|(_, b)| b["data"].as_array().map_or(0, Vec::len))
            .sum()
    };
    wait_for("the deliveries", Duration::from_secs(30), || {
        entries(&got) >= 8
    });
    server.kill().unwrap();
    server.wait().unwrap();
    let batches: Vec<usize> = got
        .lock()
        .unwrap()
        .iter()
        .map(|(_, b)| b["data"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(batches, [8], "batch sizes: {batches:?}");
}
