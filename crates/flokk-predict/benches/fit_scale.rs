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
//!
//! Checks what it prints, and exits with status 1 when a check fails: at 1M
//! customers or more the MBG/NBD + Gamma-Gamma fit (compression included)
//! within design.md's 10 s; with lifetimes, its run succeeding and its
//! parameters equal to flokk's to 0.1 % (both find the same optimum).

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
    let mut failures: Vec<String> = Vec::new();
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
        let fit_time = compress_time + mbg_time + gg_time;
        println!("  MBG/NBD + Gamma-Gamma fit incl. compression: {fit_time:.3} s");
        if n >= 1_000_000 && fit_time > 10.0 {
            failures.push(format!(
                "n = {n}: the fit took {fit_time:.1} s, over design.md's 10 s"
            ));
        }
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
                failures.push(format!("n = {n}: lifetimes failed ({})", output.status));
            }
            let flokk_params = [
                ("mbgnbd_seconds ", "r", mbg.model.r),
                ("mbgnbd_seconds ", "alpha", mbg.model.alpha),
                ("mbgnbd_seconds ", "a", mbg.model.a),
                ("mbgnbd_seconds ", "b", mbg.model.b),
                ("gamma_gamma_seconds ", "p", gg.model.p),
                ("gamma_gamma_seconds ", "q", gg.model.q),
                ("gamma_gamma_seconds ", "v", gg.model.gamma),
            ];
            for (line, name, ours) in flokk_params {
                match lifetimes_param(&text, line, name) {
                    Some(theirs) if ((theirs - ours) / ours).abs() <= 1e-3 => {}
                    theirs => failures.push(format!(
                        "n = {n}: {}{name}: lifetimes {theirs:?}, flokk {ours}",
                        line.trim_end_matches("seconds ")
                    )),
                }
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
    if !failures.is_empty() {
        eprintln!("FAILED:\n  {}", failures.join("\n  "));
        std::process::exit(1);
    }
}

/// Parameter `name` from the lifetimes line starting with `line`
/// (`mbgnbd_seconds 1.2 params {'r': 0.2552, 'alpha': 31.8071, ...}`).
fn lifetimes_param(text: &str, line: &str, name: &str) -> Option<f64> {
    let params = text
        .lines()
        .find(|l| l.starts_with(line))?
        .split_once("params {")?
        .1;
    params.trim_end_matches('}').split(',').find_map(|entry| {
        let (key, value) = entry.split_once(':')?;
        let key = key.trim().trim_matches(|c| c == '\'' || c == '"');
        // numpy 2 prints `np.float64(0.2552)` where a float was not converted.
        let value = value
            .trim()
            .trim_start_matches("np.float64(")
            .trim_end_matches(')');
        (key == name).then(|| value.parse().ok())?
    })
}
