//! Fit and scoring time of the predictive models at 100k and 1M customers
//! (design.md target: MBG/NBD + Gamma-Gamma fit on 1M customers ≤ 10 s), on a
//! synthetic summary simulated from MBG/NBD + Gamma-Gamma inside this bench
//! (the demo generator is not part of this crate).
//!
//! ```text
//! cargo bench -p flokk-predict --bench fit_scale
//! # with the lifetimes comparison in the same run:
//! FLOKK_BENCH_PYTHON=/tmp/lt/bin/python cargo bench -p flokk-predict --bench fit_scale
//! ```
//!
//! Optional: `FLOKK_BENCH_SIZES=100000,1000000` (default), `FLOKK_BENCH_PARETO=1`
//! to also time the Pareto/NBD fit.

#[path = "support/simulate.rs"]
mod simulate;

use simulate::{Rng, simulate_customer};
use std::io::Write;
use std::time::Instant;

use flokk_predict::{
    BgNbd, CustomerSummary, GammaGamma, MbgNbd, ParetoNbd, PredictionSettings, SpendRow, compress,
    predict_customer,
};

fn seconds(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

fn main() {
    let sizes: Vec<usize> = std::env::var("FLOKK_BENCH_SIZES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("FLOKK_BENCH_SIZES"))
        .collect();
    let python = std::env::var("FLOKK_BENCH_PYTHON").ok();
    for n in sizes {
        let mut rng = Rng(42 + n as u64);
        let start = Instant::now();
        let customers: Vec<CustomerSummary> = (0..n).map(|_| simulate_customer(&mut rng)).collect();
        let simulate = seconds(start);

        let start = Instant::now();
        let rows = compress(&customers);
        let compress_time = seconds(start);

        let start = Instant::now();
        let mbg = MbgNbd::fit(&rows).expect("MBG/NBD fit");
        let mbg_time = seconds(start);

        let start = Instant::now();
        let spend: Vec<SpendRow> = customers
            .iter()
            .filter_map(|c| {
                c.monetary.map(|m| SpendRow {
                    x: c.x,
                    mean_value: m,
                    weight: 1.0,
                })
            })
            .collect();
        let gg = GammaGamma::fit(&spend).expect("Gamma-Gamma fit");
        let gg_time = seconds(start);

        let start = Instant::now();
        let bg = BgNbd::fit(&rows).expect("BG/NBD fit");
        let bg_time = seconds(start);

        let start = Instant::now();
        let settings = PredictionSettings::default();
        let mut checksum = 0.0;
        for c in &customers {
            let prediction = predict_customer(&mbg.model, Some(&gg.model), c, &settings);
            checksum += prediction.predicted_clv.unwrap_or(0.0);
        }
        let score_time = seconds(start);

        println!(
            "n = {n}: simulate {simulate:.2} s, distinct (x, t_x, T) rows {} ({compress_time:.3} s to compress)",
            rows.len()
        );
        println!(
            "  MBG/NBD fit   {mbg_time:.3} s ({} iterations) {:?}",
            mbg.iterations, mbg.model
        );
        println!(
            "  Gamma-Gamma   {gg_time:.3} s ({} customers with x > 0) {:?}",
            spend.len(),
            gg.model
        );
        println!(
            "  MBG/NBD + Gamma-Gamma fit incl. compression: {:.3} s",
            compress_time + mbg_time + gg_time
        );
        println!(
            "  BG/NBD fit    {bg_time:.3} s ({} iterations) {:?}",
            bg.iterations, bg.model
        );
        println!(
            "  scoring (P(alive), E[Y(365)], E[M], CLV, next-order gap) {score_time:.3} s, {:.0} ns/customer (checksum {checksum:.1})",
            1e9 * score_time / n as f64
        );
        if std::env::var("FLOKK_BENCH_PARETO").is_ok() {
            let start = Instant::now();
            let pnbd = ParetoNbd::fit(&rows).expect("Pareto/NBD fit");
            println!("  Pareto/NBD fit {:.3} s {:?}", seconds(start), pnbd.model);
        }
        if let Some(python) = &python {
            let path = std::env::temp_dir().join(format!("flokk_bench_summary_{n}.csv"));
            let mut file =
                std::io::BufWriter::new(std::fs::File::create(&path).expect("summary csv"));
            writeln!(file, "frequency,recency,T,monetary_value").unwrap();
            for c in &customers {
                writeln!(
                    file,
                    "{},{},{},{}",
                    c.x,
                    c.t_x,
                    c.t,
                    c.monetary.unwrap_or(0.0)
                )
                .unwrap();
            }
            drop(file);
            let script = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/scripts/lifetimes_fit_bench.py"
            );
            let output = std::process::Command::new(python)
                .arg(script)
                .arg(&path)
                .output()
                .expect("run python");
            let text = String::from_utf8_lossy(&output.stdout);
            print!(
                "{}",
                text.lines()
                    .map(|l| format!("  lifetimes: {l}\n"))
                    .collect::<String>()
            );
            if !output.status.success() {
                eprintln!("{}", String::from_utf8_lossy(&output.stderr));
            }
            let lifetimes_seconds = |key: &str| {
                text.lines().find_map(|l| {
                    l.strip_prefix(key)
                        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
                })
            };
            if let Some(t) = lifetimes_seconds("mbgnbd_seconds ") {
                println!(
                    "  ratio lifetimes / flokk, MBG/NBD fit on the same summary: {:.1}x",
                    t / (compress_time + mbg_time)
                );
            }
            if let Some(t) = lifetimes_seconds("gamma_gamma_seconds ") {
                println!(
                    "  ratio lifetimes / flokk, Gamma-Gamma fit: {:.1}x",
                    t / gg_time
                );
            }
            let _ = std::fs::remove_file(path);
        }
    }
}
