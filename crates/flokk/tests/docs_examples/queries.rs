//! The docs' examples against a served demo store: ```fsql blocks are
//! counted, ```fsql,equal blocks must count the same, ```fsql,rejected
//! lines must be rejected with their code, and ```http,doctest requests
//! must succeed with the shape of the ```json,doctest block after them.

use super::json_shape;
use super::markdown::Block;
use super::server::{Server, encode};

/// The queries of ```fsql blocks, with where each is.
pub fn queries(all: &[Block]) -> Vec<(String, String)> {
    all.iter()
        .filter(|b| b.lang == "fsql" && !b.has("rejected"))
        .flat_map(|b| {
            b.lines
                .iter()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(n, l)| (b.at(*n), l.trim().to_owned()))
        })
        .collect()
}

/// Counts each query through the API of a server on the store, two at a
/// time (the machine has two cores).
pub fn count_queries(server: &Server, queries: &[(String, String)]) -> Vec<String> {
    let half = queries.len().div_ceil(2).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = queries
            .chunks(half)
            .map(|chunk| {
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for (at, query) in chunk {
                        let (status, body) =
                            server.get(&format!("/api/count?query={}", encode(query)));
                        let counted = serde_json::from_str::<serde_json::Value>(&body)
                            .is_ok_and(|v| v["count"].is_u64());
                        if status != 200 || !counted {
                            failures.push(format!("{at}: {query}\nHTTP {status}: {body}"));
                        }
                    }
                    failures
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    })
}

/// ```fsql,equal blocks: every query of the block has the same count
/// (the docs state an equivalence, e.g. that `!=` includes missing values).
pub fn check_equal_counts(server: &Server, all: &[Block]) -> Vec<String> {
    let mut failures = Vec::new();
    for b in all.iter().filter(|b| b.lang == "fsql" && b.has("equal")) {
        let counts: Vec<(String, Option<u64>)> = b
            .lines
            .iter()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(_, q)| {
                let (_, body) = server.get(&format!("/api/count?query={}", encode(q.trim())));
                let count = serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["count"].as_u64());
                (q.trim().to_owned(), count)
            })
            .collect();
        if counts.windows(2).any(|w| w[0].1 != w[1].1) {
            let at = b.at(b.lines.first().map_or(0, |(n, _)| *n));
            failures.push(format!(
                "{at}: these queries should count the same: {counts:?}"
            ));
        }
    }
    failures
}

/// ```fsql,rejected lines: `query  # code`, checked through the API.
pub fn check_rejections(server: &Server, all: &[Block]) -> Vec<String> {
    let mut failures = Vec::new();
    for b in all.iter().filter(|b| b.lang == "fsql" && b.has("rejected")) {
        for (n, line) in b.lines.iter().filter(|(_, l)| !l.trim().is_empty()) {
            let Some((query, code)) = line.rsplit_once(" # ") else {
                failures.push(format!("{}: write `query  # error_code`", b.at(*n)));
                continue;
            };
            let (status, body) = server.get(&format!("/api/check?query={}", encode(query.trim())));
            let codes: Vec<String> = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["errors"].as_array().cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|e| e["code"].as_str().map(str::to_owned))
                .collect();
            if status != 400 || !codes.iter().any(|c| c == code.trim()) {
                failures.push(format!(
                    "{}: {query} should be rejected with {}, got {codes:?}\nHTTP {status}: {body}",
                    b.at(*n),
                    code.trim(),
                ));
            }
        }
    }
    failures
}

/// ```http,doctest blocks: `GET /api/...` per line (read-only requests, so
/// the pages need no store of their own); each must answer 2xx, and a
/// ```json,doctest block right after shows the last answer's shape.
pub fn check_api_examples(server: &Server, all: &[Block]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut last: Option<(String, String)> = None;
    for (i, b) in all.iter().enumerate() {
        let after_http = i > 0 && all[i - 1].lang == "http" && all[i - 1].has("doctest");
        if b.lang == "json" && b.has("doctest") && after_http {
            let at = b.at(b.lines.first().map_or(0, |(n, _)| *n));
            let (Some((request_at, body)), Ok(documented)) = (
                last.as_ref(),
                serde_json::from_str::<serde_json::Value>(&b.text()),
            ) else {
                failures.push(format!("{at}: not JSON, or no answer to compare with"));
                continue;
            };
            match serde_json::from_str::<serde_json::Value>(body) {
                Ok(actual) => failures.extend(
                    json_shape::differences(&documented, &actual)
                        .into_iter()
                        .map(|d| format!("{at} (answer to {request_at}): {d}")),
                ),
                Err(e) => failures.push(format!("{at}: {request_at} answered no JSON ({e})")),
            }
        }
        if !(b.lang == "http" && b.has("doctest")) {
            continue;
        }
        for (n, line) in b.lines.iter().filter(|(_, l)| !l.trim().is_empty()) {
            let at = b.at(*n);
            let Some(path) = line.trim().strip_prefix("GET ") else {
                failures.push(format!("{at}: only `GET /api/...` lines run"));
                continue;
            };
            let (status, body) = server.get(path.trim());
            if !(200..300).contains(&status) {
                failures.push(format!("{at}: {line}\nHTTP {status}: {body}"));
            }
            last = Some((at, body));
        }
    }
    failures
}
