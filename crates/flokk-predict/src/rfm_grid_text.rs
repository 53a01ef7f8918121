//! The RFM grid as the `rfm_grid` store setting writes it: the two FM
//! bounds, then the four rows (R = 5, R = 4, R = 3, R ≤ 2) of three groups
//! each (FM ≥ high, low ≤ FM < high, FM < low), separated by `|`:
//!
//! ```text
//! 4,2.5|CHAMPIONS ACTIVE NEW|LOYAL ACTIVE PROMISING|LOYAL NEEDS_ATTENTION ALMOST_LOST|PREVIOUSLY_LOYAL AT_RISK DORMANT
//! ```
//!
//! (the default, predictive.md's table).

use crate::rfm::{RfmGrid, RfmGroup};
use std::fmt;

const GROUPS: [RfmGroup; 10] = [
    RfmGroup::Champions,
    RfmGroup::Active,
    RfmGroup::New,
    RfmGroup::Loyal,
    RfmGroup::Promising,
    RfmGroup::NeedsAttention,
    RfmGroup::AlmostLost,
    RfmGroup::PreviouslyLoyal,
    RfmGroup::AtRisk,
    RfmGroup::Dormant,
];

impl fmt::Display for RfmGrid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{}", self.fm_high, self.fm_low)?;
        for row in &self.groups {
            let names: Vec<&str> = row.iter().map(|g| g.as_str()).collect();
            write!(f, "|{}", names.join(" "))?;
        }
        Ok(())
    }
}

impl RfmGrid {
    /// Reads the setting's text form; the error says what is wrong.
    pub fn parse(text: &str) -> Result<RfmGrid, String> {
        let parts: Vec<&str> = text.split('|').map(str::trim).collect();
        let [bounds, rows @ ..] = parts.as_slice() else {
            return Err("empty".into());
        };
        if rows.len() != 4 {
            return Err(format!(
                "expected the bounds and 4 rows separated by |, found {} rows",
                rows.len()
            ));
        }
        let numbers: Vec<f64> = bounds
            .split(',')
            .map(|n| n.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("{bounds:?} is not two numbers like 4,2.5"))?;
        let [fm_high, fm_low] = numbers[..] else {
            return Err(format!("{bounds:?} is not two numbers like 4,2.5"));
        };
        if !(1.0..=5.0).contains(&fm_low) || !(fm_low..=5.0).contains(&fm_high) || fm_low >= fm_high
        {
            return Err(format!(
                "the FM bounds must satisfy 1 ≤ low < high ≤ 5, found high {fm_high}, low {fm_low}"
            ));
        }
        let mut groups = RfmGrid::default().groups;
        for (r, row) in rows.iter().enumerate() {
            let names: Vec<&str> = row.split_whitespace().collect();
            if names.len() != 3 {
                return Err(format!(
                    "row {} has {} groups, not 3: {row:?}",
                    r + 1,
                    names.len()
                ));
            }
            for (c, name) in names.iter().enumerate() {
                groups[r][c] = *GROUPS
                    .iter()
                    .find(|g| g.as_str().eq_ignore_ascii_case(name))
                    .ok_or_else(|| {
                        let known: Vec<&str> = GROUPS.iter().map(|g| g.as_str()).collect();
                        format!("{name:?} is not an RFM group ({})", known.join(", "))
                    })?;
            }
        }
        Ok(RfmGrid {
            fm_high,
            fm_low,
            groups,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_prints_and_reads_back() {
        let text = RfmGrid::default().to_string();
        assert_eq!(
            text,
            "4,2.5|CHAMPIONS ACTIVE NEW|LOYAL ACTIVE PROMISING|LOYAL NEEDS_ATTENTION ALMOST_LOST|PREVIOUSLY_LOYAL AT_RISK DORMANT"
        );
        assert_eq!(RfmGrid::parse(&text).unwrap(), RfmGrid::default());
    }

    #[test]
    fn mistakes_are_named() {
        let err = |t: &str| RfmGrid::parse(t).unwrap_err();
        assert!(err("4,2.5|A B C").contains("4 rows"));
        assert!(err("x|a b c|a b c|a b c|a b c").contains("two numbers"));
        assert!(err("2,4|CHAMPIONS ACTIVE NEW|LOYAL ACTIVE PROMISING|LOYAL NEEDS_ATTENTION ALMOST_LOST|PREVIOUSLY_LOYAL AT_RISK DORMANT").contains("low < high"));
        assert!(err("4,2.5|CHAMPIONS ACTIVE|LOYAL ACTIVE PROMISING|LOYAL NEEDS_ATTENTION ALMOST_LOST|PREVIOUSLY_LOYAL AT_RISK DORMANT").contains("row 1"));
        assert!(err("4,2.5|CHAMPS ACTIVE NEW|LOYAL ACTIVE PROMISING|LOYAL NEEDS_ATTENTION ALMOST_LOST|PREVIOUSLY_LOYAL AT_RISK DORMANT").contains("not an RFM group"));
    }
}
