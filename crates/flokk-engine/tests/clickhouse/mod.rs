//! ClickHouse for the differential tests: the HTTP front of chDB
//! (`scripts/clickhouse_front.py`, ClickHouse 26.x in process) started
//! once per test binary, a loader writing a reference store into it
//! (flokk-clickhouse's schema and rows), and the members a statement of
//! the dialect selects there.
//!
//! Without Python and chDB the tests print that they are skipped; with
//! `FLOKK_CLICKHOUSE_TESTS=required` (scripts/test sets it) a missing chDB
//! fails them instead. `FLOKK_CHDB_PYTHON` names the Python that has chDB
//! (default `python3`).
#![allow(dead_code)]

use super::reference::{AsOf, Store};
use flokk_clickhouse::rows::{CustomerRecords, Rows, customer_rows, performance_row, venue_row};
use flokk_clickhouse::schema::{TABLES, ddl};
use flokk_clickhouse::{DialectError, SavedSegments, Statement, members_statement_with_segments};
use flokk_lang::check::TypedQuery;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// A running front.
pub struct Front {
    port: u16,
    /// Kept so the front lives as long as the test binary (it exits when
    /// its standard input closes).
    _child: Child,
}

/// Whether the tests must run (scripts/test) rather than be skipped.
fn required() -> bool {
    std::env::var("FLOKK_CLICKHOUSE_TESTS").is_ok_and(|v| v == "required")
}

fn start() -> Result<Front, String> {
    let python = std::env::var("FLOKK_CHDB_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/clickhouse_front.py"
    );
    let mut child = Command::new(&python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{python}: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let Some(port) = line.trim().strip_prefix("listening on ") else {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        return Err(format!("the front did not start: {line}{err}"));
    };
    Ok(Front {
        port: port.parse().map_err(|_| format!("bad port {port}"))?,
        _child: child,
    })
}

/// The shared front, or `None` (after saying so) when chDB is missing and
/// the tests are not required.
pub fn front() -> Option<MutexGuard<'static, Front>> {
    static FRONT: OnceLock<Result<Mutex<Front>, String>> = OnceLock::new();
    match FRONT.get_or_init(|| start().map(Mutex::new)) {
        Ok(f) => Some(f.lock().unwrap_or_else(|p| p.into_inner())),
        Err(e) if required() => panic!("ClickHouse (chDB) is required here: {e}"),
        Err(e) => {
            eprintln!("skipped: no ClickHouse (chDB) for the differential tests: {e}");
            None
        }
    }
}

fn percent(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Front {
    /// POSTs `body` with URL parameters `args`; the response text, or
    /// ClickHouse's error.
    pub fn post(&self, args: &[(String, String)], body: &str) -> Result<String, String> {
        let query: Vec<String> = args
            .iter()
            .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
            .collect();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        let request = format!(
            "POST /?{} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            query.join("&"),
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .map_err(|e| e.to_string())?;
        let (head, text) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        if head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200") {
            Ok(text.to_owned())
        } else {
            Err(text.to_owned())
        }
    }

    /// Runs a statement with its parameters bound.
    pub fn run(&self, statement: &Statement) -> Result<String, String> {
        let args: Vec<(String, String)> = statement
            .params
            .iter()
            .map(|p| (format!("param_{}", p.name), p.value.wire_text()))
            .collect();
        self.post(&args, &statement.sql)
    }

    /// Creates the schema's tables (once) and empties them.
    pub fn reset(&self) {
        for statement in ddl(None).split(";\n") {
            let has_sql = statement
                .lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"));
            if has_sql {
                self.post(&[], statement)
                    .unwrap_or_else(|e| panic!("DDL failed: {e}\n{statement}"));
            }
        }
        for t in TABLES {
            self.post(&[], &format!("TRUNCATE TABLE {}", t.name))
                .unwrap_or_else(|e| panic!("truncate failed: {e}"));
        }
    }

    /// Writes `store` into the (emptied) tables.
    pub fn load(&self, store: &Store) {
        self.reset();
        let mut rows = Rows::default();
        for v in &store.venues {
            venue_row(v, 1, &mut rows);
        }
        for p in &store.performances {
            performance_row(p, 1, &mut rows);
        }
        for (key, c) in store.customers.iter().enumerate() {
            let positions: Vec<(f64, f64)> = c.positions.iter().flatten().copied().collect();
            customer_rows(
                &CustomerRecords {
                    key: key as i64,
                    customer: &c.record,
                    positions: &positions,
                    orders: &c.orders,
                    checkouts: &c.checkouts,
                    email: &c.email,
                    storefront: &c.storefront,
                    custom: &c.custom,
                },
                1,
                &mut rows,
            );
        }
        for t in TABLES {
            let body = rows.json_each_row(t.name);
            if body.is_empty() {
                continue;
            }
            let args = [(
                "query".to_owned(),
                format!("INSERT INTO {} FORMAT JSONEachRow", t.name),
            )];
            self.post(&args, &body)
                .unwrap_or_else(|e| panic!("insert into {} failed: {e}", t.name));
        }
    }

    /// The ids ClickHouse selects for `query` (saved segments from
    /// `store`); `Ok(None)` when the dialect does not express it yet (what
    /// it names is in `skipped`).
    pub fn members(
        &self,
        store: &Store,
        query: &TypedQuery,
        as_of: &AsOf,
        skipped: &mut BTreeSet<String>,
    ) -> Result<Option<BTreeSet<String>>, String> {
        let as_of = flokk_clickhouse::AsOf {
            now: as_of.now,
            tz: as_of.tz.clone(),
        };
        let mut segments = SavedSegments::default();
        for (name, expr) in &store.segments {
            segments.insert(name, TypedQuery { expr: expr.clone() });
        }
        let statement = match members_statement_with_segments(query, &as_of, &segments) {
            Ok(s) => s,
            Err(DialectError::Unsupported { what, .. }) => {
                skipped.insert(what);
                return Ok(None);
            }
            Err(e) => return Err(e.to_string()),
        };
        let text = self
            .run(&statement)
            .map_err(|e| format!("{e}\n{}", statement.client_script()))?;
        // Each row: the id, then the store key.
        Ok(Some(
            text.lines()
                .map(|l| unescape(l.split('\t').next().unwrap_or_default()))
                .collect(),
        ))
    }
}

/// A TabSeparated field as text.
fn unescape(field: &str) -> String {
    let mut out = String::new();
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}
