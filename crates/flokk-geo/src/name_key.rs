//! The key place names are matched by: case- and diacritic-insensitive, and
//! blind to spaces and punctuation, so `TROMSØ`, `Tromso` and `tromsø` all
//! find Tromsø and `Frankfurt a.M.`-style spelling noise matters less.

/// Folds a place name into its match key: lower-case, Latin diacritics
/// stripped (`ø`→`o`, `æ`→`ae`, `ß`→`ss`), and only letters and digits kept.
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    name_key_into(name, &mut out);
    out
}

/// [`name_key`] into a reused buffer (cleared first), for bulk indexing.
pub(crate) fn name_key_into(name: &str, out: &mut String) {
    out.clear();
    for c in name.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
            continue;
        }
        for lower in c.to_lowercase() {
            match fold_char(lower) {
                Some(s) => out.push_str(s),
                None if lower.is_alphanumeric() => out.push(lower),
                None => {}
            }
        }
    }
}

/// The ASCII spelling of a lower-case Latin letter with a diacritic.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' | 'ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ķ' => "k",
        'ľ' | 'ĺ' | 'ļ' | 'ł' => "l",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// Normalises a postal code for lookup: upper-case, no spaces or dashes
/// (`0154`, `1011 AB` → `1011AB`, `SW1A 1AA` → `SW1A1AA`).
pub fn zip_key(zip: &str) -> String {
    zip.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(name_key("TROMSØ"), "tromso");
        assert_eq!(name_key("tromsø"), "tromso");
        assert_eq!(name_key("Tromso"), "tromso");
        assert_eq!(name_key("Ærøskøbing"), "aeroskobing");
        assert_eq!(name_key("Köln"), "koln");
        assert_eq!(name_key("Großenhain"), "grossenhain");
        assert_eq!(name_key("Reykjavík"), "reykjavik");
        assert_eq!(name_key("Frankfurt am Main"), "frankfurtammain");
        assert_eq!(name_key("Saint-Jérôme"), "saintjerome");
    }

    #[test]
    fn zip_keys() {
        assert_eq!(zip_key("1011 ab"), "1011AB");
        assert_eq!(zip_key(" 0154 "), "0154");
        assert_eq!(zip_key("10001-1234"), "100011234");
    }
}
