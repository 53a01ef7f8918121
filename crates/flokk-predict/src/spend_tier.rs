//! `predicted_spend_tier` (predictive.md): by predicted 12-month spend across
//! the store's customers, `HIGH` above the 70th percentile, `LOW` below the
//! 10th or zero, else `MEDIUM`.

/// Spend tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpendTier {
    /// Above the high percentile.
    High,
    /// Between.
    Medium,
    /// Below the low percentile, or zero.
    Low,
}

impl SpendTier {
    /// The value as the filter language spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SpendTier::High => "HIGH",
            SpendTier::Medium => "MEDIUM",
            SpendTier::Low => "LOW",
        }
    }
}

/// Percentile cut-offs (settings; defaults 70 and 10).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendTierSettings {
    /// `HIGH` strictly above this percentile.
    pub high_above_percentile: f64,
    /// `LOW` strictly below this percentile.
    pub low_below_percentile: f64,
}

impl Default for SpendTierSettings {
    fn default() -> Self {
        Self {
            high_above_percentile: 70.0,
            low_below_percentile: 10.0,
        }
    }
}

/// Tiers for every customer's predicted 12-month spend. Non-finite values
/// (no prediction) are left out of the percentiles and get `None`.
/// Percentiles interpolate linearly between order statistics (Hyndman & Fan
/// type 7, the default of numpy and R).
pub fn spend_tiers(
    predicted_spend: &[f64],
    settings: &SpendTierSettings,
) -> Vec<Option<SpendTier>> {
    let cutoffs = crate::band_cutoffs::SpendTierCutoffs::of(predicted_spend, settings);
    predicted_spend
        .iter()
        .map(|&v| cutoffs.and_then(|c| c.tier(v)))
        .collect()
}

/// Type-7 percentile of sorted values, `p` in 0–100.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let position = (p / 100.0).clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    sorted[below] + (position - below as f64) * (sorted[above] - sorted[below])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_follow_the_percentiles() {
        // 0, 10, …, 100: p10 = 10, p70 = 70.
        let spend: Vec<f64> = (0..=10).map(|i| 10.0 * i as f64).collect();
        assert_eq!(percentile(&spend, 70.0), 70.0);
        let tiers: Vec<&str> = spend_tiers(&spend, &SpendTierSettings::default())
            .iter()
            .map(|t| t.unwrap().as_str())
            .collect();
        assert_eq!(
            tiers,
            [
                "LOW", "MEDIUM", "MEDIUM", "MEDIUM", "MEDIUM", "MEDIUM", "MEDIUM", "MEDIUM",
                "HIGH", "HIGH", "HIGH"
            ]
        );
        assert_eq!(
            spend_tiers(&[f64::NAN, 1.0], &SpendTierSettings::default())[0],
            None
        );
        // Zero is LOW even when most customers are at zero.
        assert!(
            spend_tiers(&[0.0, 0.0, 0.0, 5.0], &SpendTierSettings::default())[..3]
                .iter()
                .all(|t| *t == Some(SpendTier::Low))
        );
    }
}
