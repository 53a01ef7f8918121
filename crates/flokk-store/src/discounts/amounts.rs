//! The one place a discount's money is read: a decimal as written
//! (`10`, `12.50`), kept as that text so it stays exact; checked to be a
//! plain non-negative decimal with at most four decimals within the
//! largest amount a record may carry. When amounts become an exact money
//! type (issue 17), this is the function to switch over.

use crate::error::StoreError;
use flokk_model::{MAX_AMOUNT, Money};

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

/// An order subtotal a checkout sends (`discount check --subtotal`,
/// `?subtotal=`): a plain non-negative decimal with at most the store
/// currency's `decimals` places, read exactly.
// More places than the currency has (`10.005` in EUR) is refused rather
// than rounded: a checkout that sends them has a bug, and rounding would
// decide a minimum the shop never set.
pub fn checked_subtotal(text: &str, decimals: u32) -> Result<Money, StoreError> {
    let t = text.trim();
    let fraction = t.split_once('.').map_or("", |(_, f)| f);
    checked_amount("the subtotal", t)?;
    if fraction.len() > decimals as usize {
        let places = match decimals {
            0 => "no decimal places".to_owned(),
            1 => "1 decimal place".to_owned(),
            n => format!("{n} decimal places"),
        };
        return Err(StoreError::Invalid(format!(
            "the subtotal {t:?} has more decimals than the store currency, which has {places}"
        )));
    }
    Money::parse(t).map_err(|e| StoreError::Invalid(format!("the subtotal: {e}")))
}

#[cfg(test)]
mod tests {
    use super::{checked_amount, checked_subtotal};
    use flokk_model::Money;

    #[test]
    fn subtotals_are_exact_within_the_currency_decimals() {
        assert_eq!(
            checked_subtotal("49.99", 2).unwrap(),
            Money::from_units(499_900)
        );
        assert_eq!(checked_subtotal(" 50 ", 2).unwrap(), Money::from_whole(50));
        assert_eq!(
            checked_subtotal("1500", 0).unwrap(),
            Money::from_whole(1500)
        );
        assert_eq!(
            checked_subtotal("1.005", 3).unwrap(),
            Money::from_units(10_050)
        );
        for (bad, decimals) in [("10.005", 2), ("10.5", 0), ("-1", 2), ("", 2), ("1e3", 2)] {
            assert!(checked_subtotal(bad, decimals).is_err(), "{bad}");
        }
        let e = checked_subtotal("10.005", 2).unwrap_err().to_string();
        assert!(e.contains("2 decimal places"), "{e}");
    }

    #[test]
    fn amounts_are_plain_decimals() {
        assert_eq!(checked_amount("v", "12.50").unwrap(), 12.5);
        assert_eq!(checked_amount("v", " 10 ").unwrap(), 10.0);
        for bad in ["", "-1", "1e3", "12.", ".5", "1.23456", "abc", "1,5"] {
            assert!(checked_amount("v", bad).is_err(), "{bad}");
        }
    }
}
