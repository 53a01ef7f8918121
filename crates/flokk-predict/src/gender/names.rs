//! First-name lookup in the bundled tables (see `data/README.md` for sources
//! and licences).

use std::collections::HashMap;
use std::sync::OnceLock;

const SSA_TABLE: &str = include_str!("data/ssa_first_names.tsv");
const SUPPLEMENT: &str = include_str!("data/european_supplement.tsv");

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
fn table() -> &'static HashMap<&'static str, u16> {
    static TABLE: OnceLock<HashMap<&'static str, u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::with_capacity(64_000);
        // The supplement comes last so it overrides the SSA rows.
        for text in [SSA_TABLE, SUPPLEMENT] {
            for line in text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            {
                let mut fields = line.split('\t');
                let (Some(name), Some(share)) = (fields.next(), fields.next()) else {
                    continue;
                };
                if let Ok(share) = share.trim().parse::<u16>() {
                    map.insert(name.trim(), share);
                }
            }
        }
        map
    })
}
