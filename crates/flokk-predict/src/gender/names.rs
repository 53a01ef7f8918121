//! First-name lookup in the bundled tables (see `data/README.md` for sources
//! and licences).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::name_table::{PerMille, ThirdColumn, parse};

/// Female shares from the national statistics of flokk's markets, built by
/// `scripts/build_name_table.py`.
pub(super) const STATISTICS: &str = include_str!("data/first_names.tsv");
/// Hand-written rows for names whose usage splits by market; they override
/// the statistics.
pub(super) const OVERRIDES: &str = include_str!("data/cross_market_overrides.tsv");

/// Female share (0–1) of a first name, if the tables know it.
pub fn female_share(first_name: &str) -> Option<f64> {
    let key = fold(first_name);
    table()
        .get(key.as_str())
        .map(|&per_mille| f64::from(per_mille) / 1000.0)
}

/// Lower-cases and folds Latin diacritics to ASCII (`Bjørn` → `bjorn`,
/// `Jürgen` → `jurgen`, `Ægir` → `aegir`), the form of the table keys.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        let folded: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'č' | 'ć' => "c",
            'ð' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
            'ł' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'œ' => "oe",
            'ř' => "r",
            'ß' => "ss",
            'š' | 'ś' => "s",
            'þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
            'ý' | 'ÿ' => "y",
            'ž' | 'ź' | 'ż' => "z",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(folded);
    }
    out
}

/// Name → female share in per mille; parsed once, on first use.
///
/// The tables are compiled in and a unit test parses every row, so a
/// malformed row fails the build's tests; should one slip through, the
/// lookup panics naming the row rather than quietly answering `UNCERTAIN`.
fn table() -> &'static HashMap<&'static str, PerMille> {
    static TABLE: OnceLock<HashMap<&'static str, PerMille>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let statistics = parse(STATISTICS, ThirdColumn::Bearers)
            .unwrap_or_else(|e| panic!("data/first_names.tsv: {e}"));
        let overrides = parse(OVERRIDES, ThirdColumn::Reason)
            .unwrap_or_else(|e| panic!("data/cross_market_overrides.tsv: {e}"));
        // The overrides come last so they replace the statistics' rows.
        statistics.into_iter().chain(overrides).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PredictedGender::{self, *};
    use crate::gender::decide;

    fn by_name(name: &str) -> Option<PredictedGender> {
        female_share(name).map(decide)
    }

    /// The names issue 17 found missing or wrong in the old SSA-based table.
    #[test]
    fn names_of_flokks_markets_are_known() {
        let cases = [
            ("Mary", LikelyFemale), // was UNCERTAIN: the overflowed `mary -316` row was skipped
            ("Åse", LikelyFemale),
            ("Tuva", LikelyFemale),
            ("Øystein", LikelyMale),
            ("Sindre", LikelyMale),
            ("Håkon", LikelyMale),
            ("Kristian", LikelyMale),
            ("Jukka", LikelyMale),
            ("Daan", LikelyMale),
            ("Jeroen", LikelyMale),
            ("Matti", LikelyMale), // was LIKELY_FEMALE from US usage
        ];
        for (name, expected) in cases {
            assert_eq!(
                by_name(name),
                Some(expected),
                "{name}: {:?}",
                female_share(name)
            );
        }
    }

    #[test]
    fn overrides_replace_the_statistics() {
        // Kim: 78 % male with the markets weighted equally, but male in the
        // Nordics and female in NL/DE/GB/US, so overridden to ambiguous.
        assert_eq!(female_share("Kim"), Some(0.5));
        let statistics = parse(STATISTICS, ThirdColumn::Bearers).unwrap();
        let kim = statistics.iter().find(|(n, _)| *n == "kim").unwrap().1;
        assert!(kim < 250, "{kim}");
    }
}
