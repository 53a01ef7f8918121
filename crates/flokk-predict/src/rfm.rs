//! RFM groups (predictive.md, "Fields" and "RFM grid"): R, F and M scores 1–5
//! by store quintiles, then a group from R and FM = (F + M)/2 by a grid that
//! is a store setting.

/// RFM inputs of one customer with orders.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RfmInput {
    /// Days since the last order (smaller is better).
    pub days_since_last_order: f64,
    /// Number of orders.
    pub orders: f64,
    /// Lifetime net spend.
    pub spend: f64,
}

/// The groups of the grid, plus `Prospects` for customers without orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum RfmGroup {
    Champions,
    Active,
    New,
    Loyal,
    Promising,
    NeedsAttention,
    AlmostLost,
    PreviouslyLoyal,
    AtRisk,
    Dormant,
    Prospects,
}

impl RfmGroup {
    /// The value as the filter language spells it (`CHAMPIONS`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RfmGroup::Champions => "CHAMPIONS",
            RfmGroup::Active => "ACTIVE",
            RfmGroup::New => "NEW",
            RfmGroup::Loyal => "LOYAL",
            RfmGroup::Promising => "PROMISING",
            RfmGroup::NeedsAttention => "NEEDS_ATTENTION",
            RfmGroup::AlmostLost => "ALMOST_LOST",
            RfmGroup::PreviouslyLoyal => "PREVIOUSLY_LOYAL",
            RfmGroup::AtRisk => "AT_RISK",
            RfmGroup::Dormant => "DORMANT",
            RfmGroup::Prospects => "PROSPECTS",
        }
    }
}

/// The R × FM grid. Rows: R = 5, R = 4, R = 3, R ≤ 2. Columns: FM ≥
/// `fm_high`, `fm_low` ≤ FM < `fm_high`, FM < `fm_low`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RfmGrid {
    /// Lower bound of the first column (default 4).
    pub fm_high: f64,
    /// Lower bound of the middle column (default 2.5).
    pub fm_low: f64,
    /// Groups by row and column.
    pub groups: [[RfmGroup; 3]; 4],
}

impl Default for RfmGrid {
    fn default() -> Self {
        use RfmGroup::*;
        Self {
            fm_high: 4.0,
            fm_low: 2.5,
            groups: [
                [Champions, Active, New],
                [Loyal, Active, Promising],
                [Loyal, NeedsAttention, AlmostLost],
                [PreviouslyLoyal, AtRisk, Dormant],
            ],
        }
    }
}

impl RfmGrid {
    /// The group for scores `r` (1–5) and `fm` = (F + M)/2.
    pub fn group(&self, r: u8, fm: f64) -> RfmGroup {
        let row = match r {
            5.. => 0,
            4 => 1,
            3 => 2,
            _ => 3,
        };
        let column = if fm >= self.fm_high {
            0
        } else if fm >= self.fm_low {
            1
        } else {
            2
        };
        self.groups[row][column]
    }
}

/// Scores and group of one customer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RfmScore {
    /// Recency score 1–5 (5 = most recent); 0 for prospects.
    pub r: u8,
    /// Frequency score 1–5; 0 for prospects.
    pub f: u8,
    /// Monetary score 1–5; 0 for prospects.
    pub m: u8,
    /// The group.
    pub group: RfmGroup,
}

/// Scores every customer of a store (`None` = no orders → `PROSPECTS`).
///
/// Quintile score of a value: `1 + ⌊5 · k / n⌋` where `k` is the number of
/// customers with orders whose value is strictly worse and `n` their count.
/// Ties therefore share the score of the lowest position they occupy
/// ("competition ranking"), so equal inputs always get equal scores, and a
/// store where 70 % bought once gives all of them F = 1 rather than
/// splitting identical customers across quintiles by an arbitrary order.
pub fn rfm_scores(customers: &[Option<RfmInput>], grid: &RfmGrid) -> Vec<RfmScore> {
    // Scored against the cut-offs of these same customers (see
    // `band_cutoffs`), with recency counted on one day (any day will do).
    let cutoffs = crate::band_cutoffs::RfmCutoffs::of(customers, 0);
    customers
        .iter()
        .map(|customer| match &cutoffs {
            Some(cut) => cut.score(customer.as_ref(), 0, grid),
            // Nobody has orders: everyone is a prospect.
            None => RfmScore {
                r: 0,
                f: 0,
                m: 0,
                group: RfmGroup::Prospects,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_grid_matches_the_spec_table() {
        let g = RfmGrid::default();
        let cases = [
            (5, 4.0, "CHAMPIONS"),
            (5, 3.5, "ACTIVE"),
            (5, 2.0, "NEW"),
            (4, 4.5, "LOYAL"),
            (4, 2.5, "ACTIVE"),
            (4, 2.4, "PROMISING"),
            (3, 5.0, "LOYAL"),
            (3, 3.0, "NEEDS_ATTENTION"),
            (3, 1.0, "ALMOST_LOST"),
            (2, 4.0, "PREVIOUSLY_LOYAL"),
            (1, 3.9, "AT_RISK"),
            (1, 1.0, "DORMANT"),
        ];
        for (r, fm, group) in cases {
            assert_eq!(g.group(r, fm).as_str(), group, "R={r} FM={fm}");
        }
    }

    #[test]
    fn quintile_scores_with_ties_and_prospects() {
        // Ten customers: days since last order 0..9, orders 1 for six of them.
        let customers: Vec<Option<RfmInput>> = (0..10)
            .map(|i| {
                Some(RfmInput {
                    days_since_last_order: i as f64,
                    orders: if i < 4 { 2.0 + i as f64 } else { 1.0 },
                    spend: 10.0 * (10 - i) as f64,
                })
            })
            .chain(std::iter::once(None))
            .collect();
        let scores = rfm_scores(&customers, &RfmGrid::default());
        let r: Vec<u8> = scores.iter().map(|s| s.r).collect();
        assert_eq!(r, [5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0]);
        let f: Vec<u8> = scores.iter().map(|s| s.f).collect();
        // Six tied one-order customers all get F = 1; the others rank above.
        assert_eq!(f, [4, 4, 5, 5, 1, 1, 1, 1, 1, 1, 0]);
        assert_eq!(scores[0].group, RfmGroup::Champions); // R5, F4, M5
        assert_eq!(scores[9].group, RfmGroup::Dormant);
        assert_eq!(scores[10].group, RfmGroup::Prospects);
    }

    #[test]
    fn a_custom_grid_is_honoured() {
        let mut grid = RfmGrid::default();
        grid.groups[0][0] = RfmGroup::Loyal;
        grid.fm_high = 4.5;
        assert_eq!(grid.group(5, 4.5), RfmGroup::Loyal);
        assert_eq!(grid.group(5, 4.0), RfmGroup::Active);
    }
}
