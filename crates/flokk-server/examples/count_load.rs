//! A loopback HTTP load generator for `GET /api/count` (BENCHMARKS.md,
//! "HTTP API"): `CONNECTIONS` clients, each with its own keep-alive
//! connection, send count requests back to back for `SECONDS`, cycling
//! through the queries given on stdin (one a line); prints requests/s and
//! latency percentiles as one JSON line. Every answer must be 200 with a
//! count, or the run fails: a fast error is not a result.
//!
//!   count_load URL TOKEN CONNECTIONS SECONDS < queries.txt

use std::io::BufRead;
use std::time::{Duration, Instant};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, token, connections, seconds] = &args[..] else {
        eprintln!("usage: count_load URL TOKEN CONNECTIONS SECONDS < queries.txt");
        std::process::exit(2);
    };
    let connections: usize = connections.parse().expect("CONNECTIONS is a number");
    let seconds: u64 = seconds.parse().expect("SECONDS is a number");
    let queries: Vec<String> = std::io::stdin()
        .lock()
        .lines()
        .map(|l| l.expect("stdin"))
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!queries.is_empty(), "give queries on stdin");
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let threads: Vec<_> = (0..connections)
        .map(|t| {
            let (url, token, queries) = (url.clone(), token.clone(), queries.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                let mut latencies = Vec::new();
                let mut i = t;
                while Instant::now() < until {
                    let q = &queries[i % queries.len()];
                    i += 1;
                    let sent = Instant::now();
                    let mut response = agent
                        .get(format!("{url}/api/count"))
                        .query("query", q)
                        .header("authorization", format!("Bearer {token}"))
                        .call()
                        .expect("the server answers");
                    let body = response.body_mut().read_to_string().expect("a body");
                    let took = sent.elapsed().as_secs_f64() * 1000.0;
                    assert_eq!(response.status(), 200, "{q}: {body}");
                    assert!(body.contains("\"count\":"), "{q}: {body}");
                    latencies.push(took);
                }
                latencies
            })
        })
        .collect();
    let mut all: Vec<f64> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("a client thread"))
        .collect();
    let wall = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    println!(
        "{{\"connections\":{connections},\"requests\":{},\"seconds\":{wall:.1},\"requests_per_second\":{:.0},\"p50_ms\":{:.2},\"p90_ms\":{:.2},\"p99_ms\":{:.2},\"max_ms\":{:.2}}}",
        all.len(),
        all.len() as f64 / wall,
        percentile(&all, 0.5),
        percentile(&all, 0.9),
        percentile(&all, 0.99),
        all[all.len() - 1],
    );
}
