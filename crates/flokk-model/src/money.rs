//! Exact money: an amount held as a whole number of ten-thousandths of the
//! store currency's unit.
//!
//! Summing `f64` amounts printed `22768.919999999995` for a customer whose
//! orders add up to 22768.92, and `amount_spent = 119.64` missed a customer
//! with one order of 119.64 bought as two lines. Four decimal places cover
//! every ISO 4217 currency (exponents 0 to 4: JPY, EUR, KWD, CLF), so every
//! amount a shop records is a whole number of these units and sums are
//! integer sums, exact in any order.
//!
//! Amounts come in as text (NDJSON numbers, Shopify CSV cells) and are read
//! digit by digit ([`Money::parse`]). Where only an `f64` is at hand (a JSON
//! number that serde has already read, an SQLite `REAL`), [`Money::from_f64`]
//! goes through the shortest decimal that reads back as the same `f64`: for
//! an amount with at most 15 significant digits that is the very decimal
//! written (`119.64` → 1196400), so amounts up to 10^11 at four places and up
//! to 10^13 at two come back exactly (the limit, [`crate::MAX_AMOUNT`], is
//! 10^12).

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Units of [`Money`] in one unit of currency (four decimal places).
pub const MONEY_SCALE: i64 = 10_000;

/// Decimal places [`Money`] holds.
pub const MONEY_DECIMALS: u32 = 4;

/// An exact amount of money in the store currency (see the module doc).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not a plain decimal (`12`, `-3.5`, `0.0001`).
    #[error("{0:?} is not a decimal amount")]
    NotDecimal(String),
    /// Too large to hold.
    #[error("{0:?} is beyond the largest amount flokk can hold")]
    TooLarge(String),
}

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);

    /// The amount of `units` ten-thousandths.
    pub const fn from_units(units: i64) -> Self {
        Money(units)
    }

    /// Ten-thousandths of a currency unit.
    pub const fn units(self) -> i64 {
        self.0
    }

    /// A whole number of currency units.
    pub const fn from_whole(n: i64) -> Self {
        Money(n.saturating_mul(MONEY_SCALE))
    }

    /// Reads a plain decimal (`119.64`, `-3`, `+0.5`, `1e3` is not one)
    /// exactly. Digits past the fourth decimal place are rounded half away
    /// from zero: no currency has them, and a feed that carries a computed
    /// `19.99000001` means 19.99.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let bad = || MoneyError::NotDecimal(text.to_string());
        let t = text.trim();
        let (negative, digits) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && fraction.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let too_large = || MoneyError::TooLarge(text.to_string());
        let mut units: i64 = 0;
        for b in whole.bytes() {
            units = units
                .checked_mul(10)
                .and_then(|u| u.checked_add(i64::from(b - b'0')))
                .ok_or_else(too_large)?;
        }
        let mut places = fraction.bytes();
        for _ in 0..MONEY_DECIMALS {
            let digit = places.next().map_or(0, |b| i64::from(b - b'0'));
            units = units
                .checked_mul(10)
                .and_then(|u| u.checked_add(digit))
                .ok_or_else(too_large)?;
        }
        if places.next().is_some_and(|b| b >= b'5') {
            units = units.checked_add(1).ok_or_else(too_large)?;
        }
        Ok(Money(if negative { -units } else { units }))
    }

    /// The amount an `f64` stands for (see the module doc); `None` for NaN,
    /// the infinities and amounts beyond `i64` units.
    pub fn from_f64(v: f64) -> Option<Money> {
        if !v.is_finite() {
            return None;
        }
        // `{}` prints the shortest decimal that reads back as `v`, never
        // with an exponent.
        Money::parse(&format!("{v}")).ok()
    }

    /// The nearest `f64` (correctly rounded, so `Money::parse("119.64")`
    /// gives the same `f64` as the literal `119.64`).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / MONEY_SCALE as f64
    }

    /// `self + other`, saturating at the ends of the range (no store reaches
    /// them: the largest amount is 10^12, the range 9.2·10^14).
    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }

    /// `self - other`, saturating like [`Money::saturating_add`].
    pub fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }

    /// `quantity` times the amount (a line's unit price times its units).
    pub fn times(self, quantity: i64) -> Money {
        Money(self.0.saturating_mul(quantity))
    }

    /// Whether the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The amount with `decimals` places (0 to 4), rounded half away from
    /// zero, as text: `22768.92`, `1500` for yen, `0.00` (never `-0.00`).
    pub fn display(self, decimals: u32) -> String {
        MoneySum::from(self).display(decimals)
    }
}

/// A sum of many amounts (a segment's, a store's): `i128` units, so no
/// number of amounts overflows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct MoneySum(i128);

impl MoneySum {
    /// Adds one amount.
    pub fn add(&mut self, m: Money) {
        self.0 += i128::from(m.0);
    }

    /// Ten-thousandths of a currency unit.
    pub fn units(self) -> i128 {
        self.0
    }

    /// The sum divided by `n` as an `f64` (an average: rounded for display
    /// only), 0 when `n` is 0.
    pub fn average(self, n: u64) -> f64 {
        if n == 0 {
            return 0.0;
        }
        self.0 as f64 / MONEY_SCALE as f64 / n as f64
    }

    /// The nearest `f64`.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / MONEY_SCALE as f64
    }

    /// The sum rounded to `decimals` places as an `f64`: what a JSON answer
    /// carries (its shortest printing is the rounded decimal).
    pub fn rounded_f64(self, decimals: u32) -> f64 {
        self.display(decimals).parse().unwrap_or(0.0)
    }

    /// The sum with `decimals` places (0 to 4) as text (see [`Money::display`]).
    pub fn display(self, decimals: u32) -> String {
        let decimals = decimals.min(MONEY_DECIMALS);
        let step = 10i128.pow(MONEY_DECIMALS - decimals);
        let magnitude = self.0.unsigned_abs() as i128;
        let rounded = (magnitude + step / 2) / step;
        let sign = if self.0 < 0 && rounded != 0 { "-" } else { "" };
        if decimals == 0 {
            return format!("{sign}{rounded}");
        }
        let scale = 10i128.pow(decimals);
        format!(
            "{sign}{}.{:0width$}",
            rounded / scale,
            rounded % scale,
            width = decimals as usize
        )
    }
}

impl From<Money> for MoneySum {
    fn from(m: Money) -> Self {
        MoneySum(i128::from(m.0))
    }
}

impl std::iter::Sum<Money> for MoneySum {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Self {
        let mut s = MoneySum::default();
        iter.for_each(|m| s.add(m));
        s
    }
}

impl fmt::Display for Money {
    /// All four places without trailing zeros (`119.64`, `3`): the amount
    /// as data, not as a price tag (that is [`Money::display`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let full = self.display(MONEY_DECIMALS);
        let trimmed = full.trim_end_matches('0').trim_end_matches('.');
        f.write_str(trimmed)
    }
}

impl Serialize for Money {
    /// A JSON number whose shortest printing is the decimal (exact up to 15
    /// significant digits, see the module doc).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_f64())
    }
}

impl<'de> Deserialize<'de> for Money {
    /// A JSON number, or a decimal string (`"119.64"`) for amounts with more
    /// than 15 significant digits.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MoneyVisitor;
        impl Visitor<'_> for MoneyVisitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount (a number or a decimal string)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                v.checked_mul(MONEY_SCALE)
                    .map(Money)
                    .ok_or_else(|| E::custom(beyond(v as f64)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                i64::try_from(v)
                    .map_err(|_| E::custom(beyond(v as f64)))
                    .and_then(|v| self.visit_i64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
                Money::from_f64(v).ok_or_else(|| E::custom(beyond(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(MoneyVisitor)
    }
}

/// Why a JSON number cannot be held: beyond ±9.2·10^14 (whatever is held
/// but beyond [`crate::MAX_AMOUNT`] is refused by the record's checks).
fn beyond(v: f64) -> String {
    format!("{v:e} is beyond the largest amount flokk accepts (1,000,000,000,000)")
}

/// Decimal places of an ISO 4217 currency (`EUR` 2, `JPY` 0, `KWD` 3,
/// `CLF` 4); 2 for a code not in the table, as for most currencies.
pub fn currency_decimals(code: &str) -> u32 {
    // ISO 4217 (list one, 2024): every currency whose minor unit is not 2.
    const ZERO: &[&str] = &[
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
        "VUV", "XAF", "XOF", "XPF",
    ];
    const THREE: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    const FOUR: &[&str] = &["CLF", "UYW"];
    let code = code.trim().to_ascii_uppercase();
    let is = |list: &[&str]| list.contains(&code.as_str());
    if is(ZERO) {
        0
    } else if is(THREE) {
        3
    } else if is(FOUR) {
        4
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(Money::parse("119.64").unwrap().units(), 1_196_400);
        assert_eq!(Money::parse("-3").unwrap().units(), -30_000);
        assert_eq!(Money::parse(".5").unwrap().units(), 5_000);
        assert_eq!(Money::parse("0.00005").unwrap().units(), 1);
        assert_eq!(Money::parse("0.00004").unwrap().units(), 0);
        assert_eq!(Money::parse("-0.00005").unwrap().units(), -1);
        for bad in ["", ".", "1e3", "1,5", "12a", "--1", "nan"] {
            assert!(Money::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            Money::parse("99999999999999999999"),
            Err(MoneyError::TooLarge(_))
        ));
    }

    #[test]
    fn f64_amounts_come_back_as_their_decimals() {
        assert_eq!(Money::from_f64(119.64).unwrap().units(), 1_196_400);
        assert_eq!(Money::from_f64(0.1 + 0.2).unwrap().units(), 3_000);
        assert_eq!(
            Money::from_f64(1e12).unwrap().units(),
            10_000_000_000_000_000
        );
        assert_eq!(
            Money::from_f64(12345678901.2345).unwrap().units(),
            123_456_789_012_345
        );
        assert_eq!(Money::from_f64(f64::NAN), None);
        assert_eq!(Money::parse("119.64").unwrap().to_f64(), 119.64);
    }

    #[test]
    fn printed_with_the_currency_decimals() {
        let m = Money::parse("22768.92").unwrap();
        assert_eq!(m.display(2), "22768.92");
        assert_eq!(m.display(0), "22769");
        assert_eq!(m.display(3), "22768.920");
        assert_eq!(Money::parse("-0.001").unwrap().display(2), "0.00");
        assert_eq!(Money::ZERO.display(2), "0.00");
        assert_eq!(Money::parse("-1.005").unwrap().display(2), "-1.01");
        assert_eq!(Money::parse("1500").unwrap().display(0), "1500");
        assert_eq!(Money::parse("119.64").unwrap().to_string(), "119.64");
        assert_eq!(Money::parse("-7").unwrap().to_string(), "-7");
    }

    #[test]
    fn currency_exponents() {
        assert_eq!(currency_decimals("JPY"), 0);
        assert_eq!(currency_decimals("eur"), 2);
        assert_eq!(currency_decimals("USD"), 2);
        assert_eq!(currency_decimals("KWD"), 3);
        assert_eq!(currency_decimals("CLF"), 4);
    }

    #[test]
    fn the_issue_sums_are_exact() {
        // The f64 sums in issue 17 printed these; the exact sums do not.
        let orders = ["59.82", "59.82"];
        let f: f64 = orders.iter().map(|t| t.parse::<f64>().unwrap()).sum();
        let exact: MoneySum = orders.iter().map(|t| Money::parse(t).unwrap()).sum();
        assert_eq!(exact.display(2), "119.64");
        assert_eq!(exact.to_f64(), 119.64);
        let _ = f;
        let many = ["0.1"; 10];
        let f: f64 = many.iter().map(|t| t.parse::<f64>().unwrap()).sum();
        assert_ne!(f, 1.0, "the f64 sum is off");
        let exact: MoneySum = many.iter().map(|t| Money::parse(t).unwrap()).sum();
        assert_eq!(exact.to_f64(), 1.0);
    }

    proptest! {
        /// The sum of parsed amounts is the exact decimal sum, whatever the
        /// order, and each reads back from its `f64`.
        #[test]
        fn sums_are_exact(amounts in proptest::collection::vec((-10_000_000_000i64..10_000_000_000, 0u32..5), 0..60)) {
            let mut exact_units: i128 = 0;
            let mut parsed = Vec::new();
            for (cents_like, places) in &amounts {
                // A decimal with `places` places.
                let scale = 10i64.pow(*places);
                let text = format!(
                    "{}{}.{:0w$}",
                    if *cents_like < 0 { "-" } else { "" },
                    cents_like.unsigned_abs() / scale as u64,
                    cents_like.unsigned_abs() % scale as u64,
                    w = *places as usize
                );
                let text = text.trim_end_matches('.').to_string();
                let m = Money::parse(&text).unwrap();
                exact_units += i128::from(*cents_like) * i128::from(10i64.pow(4 - places));
                prop_assert_eq!(Money::from_f64(text.parse::<f64>().unwrap()), Some(m));
                parsed.push(m);
            }
            let sum: MoneySum = parsed.iter().copied().sum();
            prop_assert_eq!(sum.units(), exact_units);
            let backwards: MoneySum = parsed.iter().rev().copied().sum();
            prop_assert_eq!(backwards, sum);
        }
    }
}
