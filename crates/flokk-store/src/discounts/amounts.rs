//! The one place a discount's money is read: a decimal as written
//! (`10`, `12.50`), kept as that text so it stays exact; checked to be a
//! plain non-negative decimal with at most four decimals within the
//! largest amount a record may carry. When amounts become an exact money
//! type (issue 17), this is the function to switch over.

use crate::error::StoreError;
use flokk_model::MAX_AMOUNT;

/// `text` checked as an amount; its value as a number (for comparisons).
pub fn checked_amount(what: &str, text: &str) -> Result<f64, StoreError> {
    let t = text.trim();
    let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let ok = !whole.is_empty()
        && digits(whole)
        && digits(fraction)
        && fraction.len() <= 4
        && (t.contains('.') <= !fraction.is_empty());
    let value: f64 = if ok {
        t.parse().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    };
    if !value.is_finite() || value > MAX_AMOUNT {
        return Err(StoreError::Invalid(format!(
            "{what} must be a decimal amount such as 10 or 12.50, not {text:?}"
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::checked_amount;

    #[test]
    fn amounts_are_plain_decimals() {
        assert_eq!(checked_amount("v", "12.50").unwrap(), 12.5);
        assert_eq!(checked_amount("v", " 10 ").unwrap(), 10.0);
        for bad in ["", "-1", "1e3", "12.", ".5", "1.23456", "abc", "1,5"] {
            assert!(checked_amount("v", bad).is_err(), "{bad}");
        }
    }
}
