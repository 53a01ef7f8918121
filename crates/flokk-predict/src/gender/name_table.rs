//! Parsing of the bundled first-name tables (`data/*.tsv`), strict: a row
//! that does not parse or is out of range is an error naming the row, never
//! skipped (a silently skipped `mary -316` made Mary `UNCERTAIN`).

use std::collections::HashSet;

use super::names::fold;

/// Female share of all bearers, in per mille (0..=1000).
pub type PerMille = u16;

/// What the third column of a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThirdColumn {
    /// Bearers counted in the statistics (a positive integer), as in
    /// `first_names.tsv`.
    Bearers,
    /// Why the row overrides the statistics (free text, required), as in
    /// `cross_market_overrides.tsv`.
    Reason,
}

/// A malformed row of a name table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameTableError {
    /// Not `name<TAB>share<TAB>third` (too few or too many fields).
    #[error("line {line}: expected 3 tab-separated fields, found {found}")]
    FieldCount {
        /// 1-based line number.
        line: usize,
        /// Fields found.
        found: usize,
    },
    /// The name is empty, or not in folded form (lower case, ASCII-folded,
    /// no whitespace), so a lookup could never reach it.
    #[error("line {line}: name {name:?} is not in folded form (expected {folded:?})")]
    NotFolded {
        /// 1-based line number.
        line: usize,
        /// The name as written.
        name: String,
        /// What `fold` makes of it.
        folded: String,
    },
    /// The share is not an integer in 0..=1000.
    #[error("line {line}: female share {share:?} of {name:?} is not an integer in 0..=1000")]
    Share {
        /// 1-based line number.
        line: usize,
        /// The name.
        name: String,
        /// The share as written.
        share: String,
    },
    /// The bearers column is not a positive integer.
    #[error("line {line}: bearers {bearers:?} of {name:?} is not a positive integer")]
    Bearers {
        /// 1-based line number.
        line: usize,
        /// The name.
        name: String,
        /// The column as written.
        bearers: String,
    },
    /// An override row without its reason.
    #[error("line {line}: override of {name:?} gives no reason")]
    NoReason {
        /// 1-based line number.
        line: usize,
        /// The name.
        name: String,
    },
    /// The same name twice in one table.
    #[error("line {line}: {name:?} is given twice")]
    Duplicate {
        /// 1-based line number of the second row.
        line: usize,
        /// The name.
        name: String,
    },
}

/// Parses a table: `#` lines and blank lines are comments; every other line
/// is `name<TAB>female per mille<TAB>bearers or reason`.
pub fn parse(text: &str, third: ThirdColumn) -> Result<Vec<(&str, PerMille)>, NameTableError> {
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, share, last] = fields[..] else {
            return Err(NameTableError::FieldCount {
                line: line_no,
                found: fields.len(),
            });
        };
        let folded = fold(name);
        if name.is_empty() || folded != name || name.chars().any(char::is_whitespace) {
            return Err(NameTableError::NotFolded {
                line: line_no,
                name: name.to_owned(),
                folded,
            });
        }
        let per_mille = share
            .parse::<PerMille>()
            .ok()
            .filter(|&s| s <= 1000)
            .ok_or_else(|| NameTableError::Share {
                line: line_no,
                name: name.to_owned(),
                share: share.to_owned(),
            })?;
        match third {
            ThirdColumn::Bearers => {
                if !matches!(last.parse::<u64>(), Ok(n) if n > 0) {
                    return Err(NameTableError::Bearers {
                        line: line_no,
                        name: name.to_owned(),
                        bearers: last.to_owned(),
                    });
                }
            }
            ThirdColumn::Reason => {
                if last.trim().is_empty() {
                    return Err(NameTableError::NoReason {
                        line: line_no,
                        name: name.to_owned(),
                    });
                }
            }
        }
        if !seen.insert(name) {
            return Err(NameTableError::Duplicate {
                line: line_no,
                name: name.to_owned(),
            });
        }
        rows.push((name, per_mille));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gender::names::{OVERRIDES, STATISTICS};

    #[test]
    fn every_row_of_the_bundled_tables_parses_and_is_in_range() {
        let statistics = parse(STATISTICS, ThirdColumn::Bearers).unwrap();
        let overrides = parse(OVERRIDES, ThirdColumn::Reason).unwrap();
        // The whole table, not a prefix: one row per non-comment line.
        let rows = STATISTICS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(statistics.len(), rows);
        assert!(statistics.len() > 50_000, "{}", statistics.len());
        assert!(!overrides.is_empty());
    }

    #[test]
    fn the_overflowed_row_of_the_old_table_is_refused() {
        let err = parse("anna\t1000\t5\nmary\t-316\t3272497\n", ThirdColumn::Bearers);
        assert_eq!(
            err,
            Err(NameTableError::Share {
                line: 2,
                name: "mary".into(),
                share: "-316".into()
            })
        );
    }

    #[test]
    fn malformed_rows_are_errors_not_skipped() {
        let bearers = ThirdColumn::Bearers;
        let refused = [
            ("anna\t1001\t5", "share above 1000"),
            ("anna\t99.5\t5", "share not an integer"),
            ("anna\t\t5", "share missing"),
            ("anna\t1000\t0", "no bearers"),
            ("anna\t1000\t-3", "negative bearers"),
            ("anna\t1000", "two fields"),
            ("anna\t1000\t5\tx", "four fields"),
            ("Anna\t1000\t5", "not lower case"),
            ("åse\t1000\t5", "not folded"),
            ("anna maria\t1000\t5", "whitespace"),
            ("\t1000\t5", "empty name"),
            ("anna\t1000\t5\nanna\t1000\t5", "duplicate"),
        ];
        for (text, why) in refused {
            assert!(
                parse(text, bearers).is_err(),
                "{why}: {text:?} was accepted"
            );
        }
        assert!(parse("kim\t500\t", ThirdColumn::Reason).is_err());
        assert_eq!(
            parse("# comment\n\nase\t1000\t8923\n", bearers),
            Ok(vec![("ase", 1000)])
        );
    }
}
