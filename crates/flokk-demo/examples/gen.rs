//! Generates a demo store and reports how many records of each kind it
//! made and how fast:
//! `cargo run --release -p flokk-demo --example gen -- 1000000 [seed] [--json] [--out FILE] [--dense]`.
//! `--dense` uses purchase-process parameters with about 11 orders per
//! customer, the shape of the engine benchmarks (1M customers / 10M orders).
//! With `--json` every record is also serialised (as `flokk dump` would),
//! to measure that cost too; `--out FILE` writes the NDJSON to FILE.

use flokk_demo::{BtydParams, DemoConfig, Generator};
use flokk_model::RecordKind;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let customers: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(42);
    let out_path = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1));
    let json = out_path.is_some() || args.iter().any(|a| a == "--json");
    let mut out =
        out_path.map(|p| std::io::BufWriter::new(std::fs::File::create(p).expect("output file")));
    let cfg = DemoConfig::new(customers, seed, jiff::civil::date(2026, 11, 24));
    let mut counts: BTreeMap<RecordKind, u64> = BTreeMap::new();
    let mut bytes = 0usize;
    let mut buf = Vec::with_capacity(4096);
    let start = Instant::now();
    let params = if args.iter().any(|a| a == "--dense") {
        BtydParams::dense()
    } else {
        BtydParams::default()
    };
    let generator = Generator::with_params(&cfg, params);
    let mut sink = |r: flokk_model::Record| {
        *counts.entry(r.kind()).or_default() += 1;
        if json {
            buf.clear();
            serde_json::to_writer(&mut buf, &r).expect("records serialise");
            bytes += buf.len() + 1;
            if let Some(out) = out.as_mut() {
                use std::io::Write;
                buf.push(b'\n');
                out.write_all(&buf).expect("write");
            }
        }
    };
    generator.shared_records(&mut sink);
    generator.customers(0..customers, &mut sink);
    let took = start.elapsed().as_secs_f64();
    let total: u64 = counts.values().sum();
    println!("customers: {customers}, seed: {seed}, as_of: {}", cfg.as_of);
    for (kind, n) in &counts {
        println!("{:>18}: {n}", kind.as_str());
    }
    println!("{:>18}: {total}", "total");
    if json {
        println!("{:>18}: {:.1} MB of NDJSON", "size", bytes as f64 / 1e6);
    }
    println!("time: {took:.2} s, {:.0} records/s", total as f64 / took);
}
