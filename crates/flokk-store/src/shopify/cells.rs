//! Reading single cells the way Shopify writes them: `yes`/`no` flags,
//! money, counts, timestamps, comma-separated tags, apostrophe-protected
//! ids and typed metafield values.
//!
//! Each function takes the cell already trimmed and non-empty (empty cells
//! are "absent" and handled by the caller) and returns a reason for the
//! person reading the error report when the text does not fit.

use flokk_model::{Date, Money, PropertyValue, Timestamp};

/// Spreadsheets turn long digit strings into numbers, so Shopify writes ids,
/// zips and phone numbers as `'5012345678901`. The apostrophe is not data.
pub(crate) fn strip_apostrophe(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell).trim()
}

/// An id cell (`Customer ID`, order `Id`): without the apostrophe, and
/// refused when a spreadsheet has already turned it into a rounded number
/// (`5.01235E+12`), since the real id is then lost.
pub(crate) fn id(cell: &str) -> Result<String, String> {
    let id = strip_apostrophe(cell);
    let (mantissa, exponent) = id.split_once(['E', 'e']).unwrap_or((id, ""));
    let scientific = !exponent.is_empty()
        && exponent
            .trim_start_matches(['+', '-'])
            .bytes()
            .all(|b| b.is_ascii_digit())
        && mantissa.contains('.')
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if scientific {
        return Err(format!(
            "'{id}' is an id rounded by a spreadsheet; export the file again and do not \
             save it from a spreadsheet"
        ));
    }
    Ok(id.to_owned())
}

/// `yes`/`no` (Shopify's spelling), also `true`/`false`, any case.
pub(crate) fn yes_no(cell: &str) -> Result<bool, String> {
    match cell.to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(format!("'{cell}' is neither 'yes' nor 'no'")),
    }
}

/// Whether `cell` is a plain decimal: optional `-`, digits, optional `.`
/// and digits. Exponents, thousands separators and currency signs are not.
fn is_plain_decimal(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !frac.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// An amount of money as Shopify exports it (`49.95`, no currency sign, no
/// thousands separator). Negative amounts are refused: no amount flokk reads
/// from Shopify can be below zero.
/// Read digit by digit ([`Money::parse`]): `49.95` is exactly 49.95.
pub(crate) fn money(cell: &str) -> Result<Money, String> {
    if !is_plain_decimal(cell) {
        return Err(format!("'{cell}' is not an amount like 49.95"));
    }
    let v = Money::parse(cell).map_err(|e| e.to_string())?;
    if v.is_negative() {
        return Err(format!("{cell} is negative"));
    }
    Ok(v)
}

/// A whole non-negative count (`Lineitem quantity`, `Total Orders`).
pub(crate) fn count(cell: &str) -> Result<i64, String> {
    match cell.parse::<i64>() {
        Ok(n) if n >= 0 && cell.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(format!("'{cell}' is not a whole number >= 0")),
    }
}

/// Shopify's `2024-03-01 12:30:45 +0100`; RFC 3339 (`2024-03-01T11:30:45Z`)
/// is accepted too for files that went through other tools. The offset is
/// required: without it the instant is unknown.
pub(crate) fn timestamp(cell: &str) -> Result<Timestamp, String> {
    for format in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S %:z"] {
        if let Ok(ts) = jiff::fmt::strtime::parse(format, cell).and_then(|t| t.to_timestamp()) {
            return Ok(ts);
        }
    }
    cell.parse::<Timestamp>().map_err(|_| {
        format!("'{cell}' is not a time like 2024-03-01 12:30:45 +0100 (with its UTC offset)")
    })
}

/// A `Tags` cell: comma-separated, trimmed, empty entries dropped. Tags
/// compare case-insensitively in flokk, so a repeat in another case is
/// dropped too (the first spelling wins).
pub(crate) fn tags(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in cell.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let folded = tag.to_lowercase();
        if !out.iter().any(|t| t.to_lowercase() == folded) {
            out.push(tag.to_owned());
        }
    }
    out
}

/// Whether `cell` has the shape `YYYY-MM-DD` (jiff alone would also take
/// `20240301`, which is more likely a number).
fn looks_like_date(cell: &str) -> bool {
    let b = cell.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Types a metafield value: `YYYY-MM-DD` → Date, a plain decimal → Number,
/// `true`/`false` → Boolean, a JSON list of strings (Shopify's list
/// metafields) → List, anything else → String. Digit strings with a leading
/// zero (`0047`) stay strings, since they are codes rather than quantities.
pub(crate) fn property_value(cell: &str) -> PropertyValue {
    if looks_like_date(cell)
        && let Ok(d) = cell.parse::<Date>()
    {
        return PropertyValue::Date(d);
    }
    let unsigned = cell.strip_prefix('-').unwrap_or(cell);
    let leading_zero =
        unsigned.len() > 1 && unsigned.starts_with('0') && !unsigned.starts_with("0.");
    if is_plain_decimal(cell)
        && !leading_zero
        && let Ok(n) = cell.parse::<f64>()
    {
        return PropertyValue::Number(n);
    }
    match cell {
        "true" | "TRUE" | "True" => return PropertyValue::Boolean(true),
        "false" | "FALSE" | "False" => return PropertyValue::Boolean(false),
        _ => {}
    }
    if cell.starts_with('[')
        && let Ok(list) = serde_json::from_str::<Vec<String>>(cell)
    {
        return PropertyValue::List(list);
    }
    PropertyValue::String(cell.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_no_values() {
        assert_eq!(yes_no("yes"), Ok(true));
        assert_eq!(yes_no("No"), Ok(false));
        assert_eq!(yes_no("TRUE"), Ok(true));
        assert_eq!(
            yes_no("maybe"),
            Err("'maybe' is neither 'yes' nor 'no'".into())
        );
    }

    #[test]
    fn money_values() {
        assert_eq!(money("49.95").map(|m| m.units()), Ok(499_500));
        assert_eq!(money("0"), Ok(Money::ZERO));
        assert_eq!(money("1200"), Ok(Money::from_whole(1200)));
        assert!(money("1,200.00").is_err());
        assert!(money("$5").is_err());
        assert!(money("1e3").is_err());
        assert!(money("abc").is_err());
        assert!(money(".5").is_err());
        assert_eq!(money("-1.00"), Err("-1.00 is negative".into()));
    }

    #[test]
    fn counts() {
        assert_eq!(count("3"), Ok(3));
        assert!(count("-1").is_err());
        assert!(count("2.0").is_err());
        assert!(count("+2").is_err());
    }

    #[test]
    fn shopify_timestamps_keep_their_offset() {
        let ts = timestamp("2024-03-01 12:30:45 +0100").unwrap();
        assert_eq!(ts.to_string(), "2024-03-01T11:30:45Z");
        assert_eq!(
            timestamp("2024-03-01 12:30:45 -05:00").unwrap().to_string(),
            "2024-03-01T17:30:45Z"
        );
        assert_eq!(timestamp("2024-03-01T11:30:45Z").unwrap(), ts);
        assert!(timestamp("2024-03-01 12:30:45").is_err());
        assert!(timestamp("01/03/2024").is_err());
        assert!(timestamp("2024-02-30 10:00:00 +0000").is_err());
    }

    #[test]
    fn tags_are_split_trimmed_and_deduplicated() {
        assert_eq!(
            tags(" vip, newsletter,,VIP , Oslo "),
            vec!["vip", "newsletter", "Oslo"]
        );
        assert!(tags(" , ").is_empty());
    }

    #[test]
    fn property_values_are_typed() {
        use PropertyValue as P;
        assert_eq!(
            property_value("1988-04-12"),
            P::Date("1988-04-12".parse().unwrap())
        );
        assert_eq!(property_value("1988-02-30"), P::String("1988-02-30".into()));
        assert_eq!(property_value("120"), P::Number(120.0));
        assert_eq!(property_value("-2.5"), P::Number(-2.5));
        assert_eq!(property_value("0.5"), P::Number(0.5));
        assert_eq!(property_value("0047"), P::String("0047".into()));
        assert_eq!(property_value("true"), P::Boolean(true));
        assert_eq!(property_value("blue"), P::String("blue".into()));
        assert_eq!(
            property_value(r#"["a","b"]"#),
            P::List(vec!["a".into(), "b".into()])
        );
        assert_eq!(property_value("[not json"), P::String("[not json".into()));
    }

    #[test]
    fn ids_rounded_by_spreadsheets_are_refused() {
        assert_eq!(id("'5012345678901"), Ok("5012345678901".into()));
        assert_eq!(id("gid-7E3"), Ok("gid-7E3".into()));
        assert_eq!(id("12E4"), Ok("12E4".into()));
        assert!(id("5.01235E+12").is_err());
        assert!(id("5.01235e12").is_err());
    }

    #[test]
    fn apostrophes_are_stripped() {
        assert_eq!(strip_apostrophe("'5012345678901"), "5012345678901");
        assert_eq!(strip_apostrophe("O'Neil"), "O'Neil");
    }
}
