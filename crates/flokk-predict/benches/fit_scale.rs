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

use std::io::Write;
use std::time::Instant;

use flokk_predict::{
    BgNbd, CustomerSummary, GammaGamma, MbgNbd, ParetoNbd, PredictionSettings, SpendRow, compress,
    predict_customer, summarise,
};

/// SplitMix64: small, fast, good enough for simulation.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        (-2.0 * self.uniform().ln()).sqrt() * (2.0 * std::f64::consts::PI * self.uniform()).cos()
    }
    /// Gamma(shape, scale) by Marsaglia & Tsang (2000), boosted for shape < 1.
    fn gamma(&mut self, shape: f64, scale: f64) -> f64 {
        if shape < 1.0 {
            return self.gamma(shape + 1.0, scale) * self.uniform().powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && self.uniform().ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v * scale;
            }
        }
    }
    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a, 1.0);
        x / (x + self.gamma(b, 1.0))
    }
}

/// Simulates one MBG/NBD + Gamma-Gamma customer whose first purchase is
/// uniform over the last two years, and summarises them as of day 730.
fn simulate_customer(rng: &mut Rng) -> CustomerSummary {
    const NOW: i64 = 730;
    let (r, alpha, a, b) = (0.25, 30.0, 0.8, 2.5);
    let (p, q, gamma) = (6.0, 3.7, 15.0);
    let first = (rng.uniform() * NOW as f64) as i64;
    let rate = rng.gamma(r, 1.0 / alpha);
    let dropout = rng.beta(a, b);
    let nu = rng.gamma(q, 1.0 / gamma);
    let mut orders = vec![(first, rng.gamma(p, 1.0 / nu))];
    let mut time = first as f64;
    // MBG/NBD: the customer may drop out after every purchase, the first included.
    while rng.uniform() >= dropout {
        time += -rng.uniform().ln() / rate;
        if time > NOW as f64 {
            break;
        }
        orders.push((time.floor() as i64, rng.gamma(p, 1.0 / nu)));
    }
    summarise(&orders, NOW).expect("first order is before now")
}

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
