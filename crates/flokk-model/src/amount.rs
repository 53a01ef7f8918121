//! The range of money amounts a record may carry.
//!
//! JSON numbers go up to 1.7e308; one order of that size turned every
//! store-wide sum into infinity (and the statistics into `null`). No real
//! order, refund, price or cart reaches a trillion in any currency, so that
//! is the limit: sums over a store of such amounts stay finite and exact
//! enough to print.

use crate::{Money, RecordError};

/// The largest amount (in absolute value) an order total, refund, line price,
/// cart value or custom event `value` may have: 1,000,000,000,000.
pub const MAX_AMOUNT: f64 = 1e12;

/// Checks one amount: a finite number within ±[`MAX_AMOUNT`], and not
/// negative unless `negative_allowed`.
pub(crate) fn check_amount(
    field: impl Into<String>,
    v: f64,
    negative_allowed: bool,
) -> Result<(), RecordError> {
    if !v.is_finite() || (!negative_allowed && v < 0.0) {
        let what = if negative_allowed {
            "an amount"
        } else {
            "an amount >= 0"
        };
        return Err(RecordError::invalid(field, format!("{v} is not {what}")));
    }
    if v.abs() > MAX_AMOUNT {
        return Err(RecordError::invalid(
            field,
            format!("{v:e} is beyond the largest amount flokk accepts (1,000,000,000,000)"),
        ));
    }
    Ok(())
}

/// Checks one money amount: within ±[`MAX_AMOUNT`], and not negative unless
/// `negative_allowed`.
pub(crate) fn check_money(
    field: impl Into<String>,
    v: Money,
    negative_allowed: bool,
) -> Result<(), RecordError> {
    if !negative_allowed && v.is_negative() {
        return Err(RecordError::invalid(
            field,
            format!("{v} is not an amount >= 0"),
        ));
    }
    if v.units().unsigned_abs() > MAX_AMOUNT as u64 * crate::money::MONEY_SCALE as u64 {
        return Err(RecordError::invalid(
            field,
            format!("{v} is beyond the largest amount flokk accepts (1,000,000,000,000)"),
        ));
    }
    Ok(())
}
