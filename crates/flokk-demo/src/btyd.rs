//! Purchase behaviour from a buy-till-you-die process, so that the
//! predictive models (predictive.md) have something real to recover.
//!
//! - Each buyer purchases at a Poisson rate λ ~ Gamma(r, α) per day while
//!   alive (NBD), and after every purchase, the first included, drops out for
//!   good with probability p ~ Beta(a, b) (MBG/NBD; Batislam et al. 2007).
//! - Each buyer has a mean spend: order values are Gamma(p_s, ν) with
//!   ν ~ Gamma(q_s, γ) (Gamma-Gamma; Fader, Hardie & Lee 2005).
//! - The Poisson process is seasonal: candidate purchases are drawn at the
//!   peak rate and kept with probability weight(day) / peak (thinning), so
//!   Black Friday and the Christmas weeks sell more. The seasonal intensity
//!   averages close to 1, so λ keeps its meaning.

use crate::calendar::{DAY, Seasonality};
use crate::randomness::{DemoRng, chance, exponential, unit};
use rand_distr::{Beta, Distribution, Gamma};

/// The population parameters of the purchase process (time unit: days).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BtydParams {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Rate (scale⁻¹) of the purchase-rate distribution, in days.
    pub alpha: f64,
    /// Dropout Beta first shape.
    pub a: f64,
    /// Dropout Beta second shape.
    pub b: f64,
    /// Gamma-Gamma: shape of order values around a buyer's mean.
    pub spend_p: f64,
    /// Gamma-Gamma: shape of the buyers' ν.
    pub spend_q: f64,
    /// Gamma-Gamma: rate of the buyers' ν.
    pub spend_gamma: f64,
}

impl BtydParams {
    /// A dense purchase process, about 11 orders per customer: the shape of
    /// design.md's engine benchmarks (1M customers / 10M orders).
    pub fn dense() -> Self {
        BtydParams {
            r: 0.9,
            alpha: 14.5,
            a: 0.9,
            b: 14.0,
            ..BtydParams::default()
        }
    }
}

impl Default for BtydParams {
    /// A mid-sized apparel shop: about 2.4 purchases a year for the mean
    /// live buyer, a 22 % chance of dropping out after each purchase, and a
    /// mean order of about 120 with a long right tail.
    fn default() -> Self {
        BtydParams {
            r: 0.55,
            alpha: 85.0,
            a: 0.9,
            b: 3.2,
            spend_p: 4.0,
            spend_q: 2.2,
            spend_gamma: 36.0,
        }
    }
}

/// One buyer's latent traits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Buyer {
    /// Purchases per day while alive.
    pub lambda: f64,
    /// Probability of dropping out after a purchase.
    pub dropout: f64,
    /// ν: order values are Gamma(p, scale 1/ν); mean order value p/ν.
    pub nu: f64,
}

/// Cap on the purchase rate: a few customers would otherwise buy daily for
/// years and dominate the store (and the file).
const MAX_LAMBDA: f64 = 0.25;
/// Cap on orders per customer.
pub const MAX_ORDERS: usize = 400;

impl BtydParams {
    /// Draws a buyer's latent traits.
    pub fn draw_buyer(&self, rng: &mut DemoRng) -> Buyer {
        let lambda = Gamma::new(self.r, 1.0 / self.alpha)
            .expect("valid")
            .sample(rng)
            .min(MAX_LAMBDA);
        let dropout = Beta::new(self.a, self.b).expect("valid").sample(rng);
        let nu = Gamma::new(self.spend_q, 1.0 / self.spend_gamma)
            .expect("valid")
            .sample(rng)
            .max(1e-4);
        Buyer {
            lambda,
            dropout,
            nu,
        }
    }

    /// An order value for the buyer (store currency, before rounding).
    pub fn order_value(&self, rng: &mut DemoRng, buyer: &Buyer) -> f64 {
        Gamma::new(self.spend_p, 1.0 / buyer.nu)
            .expect("valid")
            .sample(rng)
    }
}

/// The purchase times (Unix seconds) of a buyer whose first purchase is at
/// `first`, up to (not including) `end`: the first purchase, then seasonal
/// Poisson arrivals at rate λ until the buyer drops out.
pub fn purchase_times(
    rng: &mut DemoRng,
    buyer: &Buyer,
    first: i64,
    end: i64,
    season: &Seasonality,
    out: &mut Vec<i64>,
) {
    out.clear();
    if first >= end {
        return;
    }
    out.push(first);
    if chance(rng, buyer.dropout) || buyer.lambda <= 0.0 {
        return;
    }
    let peak_rate = buyer.lambda * Seasonality::PEAK;
    let mut t = first as f64;
    while out.len() < MAX_ORDERS {
        t += exponential(rng, 1.0 / peak_rate) * DAY as f64;
        if t >= end as f64 {
            break;
        }
        let second = t as i64;
        if unit(rng) * Seasonality::PEAK > season.weight(second) {
            continue; // thinned: not a purchase, and no dropout chance
        }
        out.push(second);
        if chance(rng, buyer.dropout) {
            break;
        }
    }
}

/// Moves each purchase to a plausible local time of day on its day (a
/// lunchtime and an evening peak) for a customer `utc_offset` hours from
/// UTC, keeping every time before `end`, and re-sorts them.
pub fn at_daytime(rng: &mut DemoRng, times: &mut [i64], utc_offset: i8, end: i64) {
    for t in times.iter_mut() {
        let local_day = (*t + i64::from(utc_offset) * 3600).div_euclid(DAY) * DAY;
        let hour = if chance(rng, 0.35) {
            11.0 + 3.0 * unit(rng)
        } else {
            17.0 + 5.5 * unit(rng)
        };
        let moved = local_day + (hour * 3600.0) as i64 - i64::from(utc_offset) * 3600;
        if moved < end {
            *t = moved;
        }
    }
    times.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::randomness::stream_rng;
    use jiff::civil::Date;

    #[test]
    fn purchase_times_are_ordered_and_bounded() {
        let season = Seasonality::new(Date::constant(2023, 1, 1), Date::constant(2026, 1, 1));
        let mut rng = stream_rng(1, 2);
        let params = BtydParams::default();
        let mut times = Vec::new();
        let start = crate::calendar::timestamp_of(Date::constant(2023, 1, 1));
        let end = crate::calendar::timestamp_of(Date::constant(2026, 1, 1));
        for _ in 0..2000 {
            let buyer = params.draw_buyer(&mut rng);
            purchase_times(&mut rng, &buyer, start + 1000, end, &season, &mut times);
            assert!(times.windows(2).all(|w| w[0] <= w[1]));
            assert!(times.iter().all(|&t| t >= start && t < end));
            assert!(times.len() <= MAX_ORDERS);
        }
    }
}
