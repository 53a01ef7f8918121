//! Simulation of MBG/NBD + Gamma-Gamma customers, shared by the benchmark
//! and the parameter-recovery test.
#![allow(dead_code)]

use flokk_predict::{CustomerSummary, summarise};

/// True parameters of the simulation (days).
pub const TRUE_MBG: (f64, f64, f64, f64) = (0.25, 30.0, 0.8, 2.5);
/// True Gamma-Gamma parameters.
pub const TRUE_GG: (f64, f64, f64) = (6.0, 3.7, 15.0);

/// SplitMix64: small, fast, good enough for simulation.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    pub fn normal(&mut self) -> f64 {
        (-2.0 * self.uniform().ln()).sqrt() * (2.0 * std::f64::consts::PI * self.uniform()).cos()
    }
    /// Gamma(shape, scale) by Marsaglia & Tsang (2000), boosted for shape < 1.
    pub fn gamma(&mut self, shape: f64, scale: f64) -> f64 {
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
    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a, 1.0);
        x / (x + self.gamma(b, 1.0))
    }
}

/// Simulates one MBG/NBD + Gamma-Gamma customer whose first purchase is
/// uniform over the last two years, and summarises them as of day 730.
pub fn simulate_customer(rng: &mut Rng) -> CustomerSummary {
    const NOW: i64 = 730;
    let (r, alpha, a, b) = TRUE_MBG;
    let (p, q, gamma) = TRUE_GG;
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
