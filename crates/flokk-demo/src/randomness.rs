//! Seeding and sampling helpers shared by every part of the generator.
//!
//! Each customer draws from its own generator, seeded from (config seed,
//! customer index), so customer 17 looks the same whether 1k or 10M
//! customers are generated and whether or not generation is split across
//! threads. Xoshiro256++ is rand's portable small generator: its output is
//! guaranteed stable across rand releases, unlike `StdRng`/`SmallRng`.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// The generator type used throughout.
pub type DemoRng = Xoshiro256PlusPlus;

/// SplitMix64's finaliser: a bijective 64-bit mix that spreads nearby
/// inputs (seed, seed + 1, index i, i + 1) to unrelated outputs.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A generator for one purpose (`stream`) of one seed.
pub fn stream_rng(seed: u64, stream: u64) -> DemoRng {
    DemoRng::seed_from_u64(mix64(
        mix64(seed) ^ mix64(stream.wrapping_mul(0x2545_f491_4f6c_dd1d)),
    ))
}

/// The generator of customer `index`.
pub fn customer_rng(seed: u64, index: u64) -> DemoRng {
    stream_rng(seed ^ 0x5eed_c057_0e4a_11ce, index)
}

/// Picks from weighted choices in O(log n): cumulative weights and a
/// binary search.
#[derive(Debug, Clone)]
pub struct Weighted<T> {
    items: Vec<T>,
    cumulative: Vec<f64>,
}

impl<T> Weighted<T> {
    /// Builds the table; weights must be non-negative with a positive sum.
    pub fn new(pairs: impl IntoIterator<Item = (T, f64)>) -> Self {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0.0;
        for (item, w) in pairs {
            total += w.max(0.0);
            items.push(item);
            cumulative.push(total);
        }
        assert!(total > 0.0, "weighted choice needs a positive total weight");
        Weighted { items, cumulative }
    }

    /// A weighted random item.
    pub fn pick(&self, rng: &mut DemoRng) -> &T {
        let total = *self.cumulative.last().expect("non-empty");
        let u = rng.random::<f64>() * total;
        let i = self
            .cumulative
            .partition_point(|&c| c <= u)
            .min(self.items.len() - 1);
        &self.items[i]
    }
}

/// Picks uniformly from a non-empty slice.
pub fn one_of<'a, T>(rng: &mut DemoRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// True with probability `p`.
pub fn chance(rng: &mut DemoRng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// A uniform draw in `[0, 1)`.
pub fn unit(rng: &mut DemoRng) -> f64 {
    rng.random::<f64>()
}

/// An exponential waiting time with the given mean.
pub fn exponential(rng: &mut DemoRng, mean: f64) -> f64 {
    // 1 - u is in (0, 1], so the logarithm is finite.
    -mean * (1.0 - rng.random::<f64>()).ln()
}

/// A Poisson count with small mean (Knuth's method; means here are < 10).
pub fn poisson(rng: &mut DemoRng, mean: f64) -> u32 {
    let limit = (-mean).exp();
    let mut k = 0;
    let mut p = rng.random::<f64>();
    while p > limit && k < 1000 {
        k += 1;
        p *= rng.random::<f64>();
    }
    k
}
