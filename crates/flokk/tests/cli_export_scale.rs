//! `flokk export` of 100,000 customers through the real binary: every row
//! is there, sampled values agree with `flokk customer show`, and the
//! export's peak memory stays within 100 MB of what loading the engine
//! takes (`flokk count` on the same store), in every format; and so does
//! `flokk members --format csv|json` of everyone (streamed, not collected).

use std::path::Path;
use std::process::{Command, Stdio};

const NOW: &str = "2026-06-01T12:00:00Z";
const CUSTOMERS: usize = 100_000;
/// The most an export may hold beyond what the engine takes, in KiB.
const MEMORY_BOUND_KIB: i64 = 100 * 1024;

fn command(data: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flokk"));
    cmd.arg("--data")
        .arg(data)
        .args(args)
        .env("FLOKK_NOW", NOW)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `args` to the end; its stdout and its peak resident memory in KiB
/// (from `wait4`, which reports on that one child).
// The child is reaped by `wait4`, which clippy does not see.
#[allow(clippy::zombie_processes)]
fn run_measured(data: &Path, args: &[&str]) -> (String, i64) {
    let mut child = command(data, args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).unwrap();
        s
    });
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).unwrap();
        s
    });
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data the call fills; pid is our own child,
    // not yet waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let (out, err) = (reader.join().unwrap(), errors.join().unwrap());
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "flokk {args:?} failed: {err}"
    );
    (out, usage.ru_maxrss)
}

/// A store of `CUSTOMERS` customers with addresses and tags, every tenth
/// with an order.
fn store(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("data");
    let file = dir.join("store.ndjson");
    let mut ndjson = String::new();
    for i in 0..CUSTOMERS {
        let sub = if i % 3 == 0 {
            "SUBSCRIBED"
        } else {
            "UNSUBSCRIBED"
        };
        ndjson.push_str(&format!(
            r#"{{"kind":"customer","id":"{id}","email":"c{i}@example.com","first_name":"Kari{i}","last_name":"Nordmann","tags":["t{t}","all"],"email_subscription":"{sub}","addresses":[{{"city":"Oslo","country":"NO","zip":"0{z}","phone":"22 33 44 {p:02}"}}]}}"#,
            id = 5_000_000 + i,
            t = i % 7,
            z = 150 + i % 50,
            p = i % 100,
        ));
        ndjson.push('\n');
        if i % 10 == 0 {
            ndjson.push_str(&format!(
                r#"{{"kind":"order","id":"o{i}","customer_id":"{id}","placed_at":"2026-05-{d:02}T10:00:00Z","total":{total}.5}}"#,
                id = 5_000_000 + i,
                d = 1 + i % 28,
                total = i % 1000,
            ));
            ndjson.push('\n');
        }
    }
    std::fs::write(&file, ndjson).unwrap();
    run_measured(&data, &["import", file.to_str().unwrap()]);
    data
}

#[test]
fn a_hundred_thousand_rows_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    // The engine snapshot is made now, so each run below only loads it.
    let (count, engine_kib) = run_measured(&data, &["count", "number_of_orders >= 0"]);
    assert!(count.contains(&CUSTOMERS.to_string()), "{count}");

    let out = tmp.path().join("all.csv");
    let (_, csv_kib) = run_measured(
        &data,
        &[
            "export",
            "--query",
            "number_of_orders >= 0",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), CUSTOMERS);
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for i in [0, 1, 10, 4_321, 50_000, 99_990, CUSTOMERS - 1] {
        let id = (5_000_000 + i).to_string();
        let row = rows
            .iter()
            .find(|r| r[column("Customer ID")] == id)
            .unwrap();
        let (shown, _) = run_measured(&data, &["--json", "customer", "show", &id]);
        let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(row[column("Email")], shown["email"].as_str().unwrap());
        assert_eq!(
            row[column("First Name")],
            shown["first_name"].as_str().unwrap()
        );
        assert_eq!(
            row[column("Total Orders")],
            shown["number_of_orders"].to_string()
        );
        let spent = shown["amount_spent"].as_f64().unwrap();
        assert_eq!(row[column("Total Spent")].parse::<f64>().unwrap(), spent);
        assert_eq!(
            row[column("Default Address Zip")],
            format!("0{}", 150 + i % 50)
        );
    }
    assert!(
        csv_kib - engine_kib < MEMORY_BOUND_KIB,
        "csv export peaked at {csv_kib} KiB, loading the engine at {engine_kib} KiB"
    );

    for format in ["csv-excel", "xlsx", "meta", "google"] {
        let out = tmp.path().join(format!("all.{format}"));
        let (_, kib) = run_measured(
            &data,
            &[
                "export",
                "--query",
                "number_of_orders >= 0",
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(
            kib - engine_kib < MEMORY_BOUND_KIB,
            "{format} export peaked at {kib} KiB, loading the engine at {engine_kib} KiB"
        );
        let size = std::fs::metadata(&out).unwrap().len();
        assert!(size > CUSTOMERS as u64 * 10, "{format}: {size} bytes");
    }

    for format in ["csv", "json"] {
        let (out, kib) = run_measured(
            &data,
            &["members", "number_of_orders >= 0", "--format", format],
        );
        let rows = match format {
            "csv" => out.lines().count() - 1,
            _ => serde_json::from_str::<serde_json::Value>(&out)
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
        };
        assert_eq!(rows, CUSTOMERS, "members {format}");
        assert!(
            kib - engine_kib < MEMORY_BOUND_KIB,
            "members {format} peaked at {kib} KiB, loading the engine at {engine_kib} KiB"
        );
    }
}
