//! Money in the dialect: summed exactly, as the engine sums it.
//!
//! ClickHouse holds amounts as `Float64` (each the nearest `f64` of an exact
//! amount of ten-thousandths, as flokk writes them). Summing those floats
//! drifts (0.1 + 0.2 is 0.30000000000000004, so `amount_spent = 0.3` would
//! miss), while the engine sums `Money` as integers. So every sum here
//! turns each amount back into its whole ten-thousandths first, adds
//! integers, and divides once: the nearest `f64` of the exact sum, the value
//! the engine compares with a literal. Decision until the ClickHouse tables
//! hold amounts as integer ten-thousandths themselves.

/// A stored amount column as whole ten-thousandths: exact for every amount
/// below 2^53 ten-thousandths (about 9·10^11 of a currency), the range
/// where the stored `f64` still tells neighbouring ten-thousandths apart.
pub(crate) fn units(column: &str) -> String {
    format!("toInt64(round({column} * 10000))")
}

/// A customer's spend net of refunds (`amount_spent`), summed exactly.
pub(crate) const SPENT: &str =
    "(sum(toInt64(round(total * 10000)) - toInt64(round(refunded * 10000))) / 10000)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spent_is_the_units_of_both_columns() {
        assert_eq!(
            SPENT,
            format!("(sum({} - {}) / 10000)", units("total"), units("refunded"))
        );
    }
}
