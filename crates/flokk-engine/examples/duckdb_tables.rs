//! The demo data as the CSV tables `scripts/bench_duckdb.py` loads into
//! DuckDB, written straight from the generator: the comparison at sizes
//! (10M customers / 100M orders) where importing into a store first would
//! take longer than the benchmark. The tables hold what the store's
//! `customers`, `customer_addresses`, `orders` and `order_lines` columns
//! would (instants in nanoseconds, tags as a JSON list), and the records
//! are the ones `engine_profile` builds its engine from with the same
//! arguments (same seed, same day).
//!
//! `cargo run --release -p flokk-engine --example duckdb_tables -- CUSTOMERS DIR [--dense]`

mod bench_data;

use flokk_model::Record;
use std::fs::File;
use std::io::BufWriter;

type Table = csv::Writer<BufWriter<File>>;

fn table(dir: &str, name: &str) -> Table {
    let file = File::create(format!("{dir}/{name}.csv")).expect("the output directory is writable");
    csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(BufWriter::with_capacity(1 << 20, file))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let customers: u64 = args
        .first()
        .and_then(|a| a.parse().ok())
        .expect("usage: duckdb_tables CUSTOMERS DIR [--dense]");
    let dir = args
        .get(1)
        .expect("usage: duckdb_tables CUSTOMERS DIR [--dense]");
    let dense = args.iter().any(|a| a == "--dense");
    let generator = bench_data::generator(customers, dense);
    let mut customer_rows = table(dir, "customers");
    let mut addresses = table(dir, "addresses");
    let mut orders = table(dir, "orders");
    let mut lines = table(dir, "lines");
    let mut keys = bench_data::CustomerKeys::default();
    let mut key = |id: &str| keys.key(id);
    let mut next_order = 0i64;
    let mut sink = |r: Record| {
        let written = match &r {
            Record::Customer(c) => {
                let cid = key(&c.id);
                customer_rows
                    .write_record([
                        cid.to_string().as_str(),
                        c.id.as_str(),
                        c.email_subscription.map_or("", |s| s.as_str()),
                    ])
                    .and_then(|()| {
                        c.addresses.iter().try_for_each(|a| {
                            addresses.write_record([
                                cid.to_string().as_str(),
                                a.country.as_deref().unwrap_or(""),
                            ])
                        })
                    })
            }
            Record::Order(o) => {
                let cid = key(&o.customer_id);
                next_order += 1;
                let oid = next_order.to_string();
                let placed_ns = i128::from(o.placed_at.as_second()) * 1_000_000_000
                    + i128::from(o.placed_at.subsec_nanosecond());
                orders
                    .write_record([
                        oid.as_str(),
                        cid.to_string().as_str(),
                        placed_ns.to_string().as_str(),
                        o.total.to_string().as_str(),
                        o.refunded.to_string().as_str(),
                        if o.cancelled { "1" } else { "0" },
                    ])
                    .and_then(|()| {
                        o.lines.iter().try_for_each(|l| {
                            let tags = serde_json::to_string(&l.tags).expect("tags serialise");
                            lines.write_record([oid.as_str(), tags.as_str()])
                        })
                    })
            }
            _ => Ok(()),
        };
        written.expect("the CSV tables are written");
    };
    generator.shared_records(&mut sink);
    generator.customers(0..customers, &mut sink);
    for mut t in [customer_rows, addresses, orders, lines] {
        t.flush().expect("the CSV tables are written");
    }
    println!("{customers} customers, {next_order} orders written to {dir}");
}
