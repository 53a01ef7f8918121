//! Layer 2: the consent gate. Only customers with an email address whose
//! email marketing status is `SUBSCRIBED` and who have no hard bounce or
//! spam complaint on record receive a campaign; everyone else is left out
//! with one reason (the first that applies, in [`LEFT_OUT_REASONS`] order).
//! Suppression cannot be bypassed: there is no flag for it. With the
//! `email_required_permission` setting, a customer must also carry that
//! value in `permissions` (`missing_permission` otherwise, decided last).

use flokk_model::{Customer, SubscriptionStatus};
use flokk_store::Suppressions;

/// The reasons, in the order they are decided: a missing address first
/// (nothing else matters), then suppressions (they hold whatever the
/// status says), then the status.
pub const LEFT_OUT_REASONS: &[&str] = &[
    "no_email",
    "suppressed_complaint",
    "suppressed_hard_bounce",
    "unsubscribed",
    "not_subscribed",
];

/// Left out of a campaign shown for a production or performance: the
/// customer already holds tickets to it (counted before the gate).
pub const HOLDS_TICKETS: &str = "already_holds_tickets";

/// Left out of a campaign whose message uses `{{ discount_code }}`: its
/// discount issued this customer no code.
pub const NO_DISCOUNT_CODE: &str = "no_discount_code";

/// Left out: the required permission (setting `email_required_permission`) is missing.
pub const MISSING_PERMISSION: &str = "missing_permission";

/// Why the gate leaves the customer out, or `None` when they may be mailed.
/// `required_permission`: a value the customer's `permissions` must hold
/// (compared ignoring case), if any.
pub fn left_out_reason(
    c: &Customer,
    suppressions: &Suppressions,
    required_permission: Option<&str>,
) -> Option<&'static str> {
    let email = c.email.as_deref().map(str::trim).unwrap_or("");
    if email.is_empty() || !email.contains('@') {
        return Some("no_email");
    }
    if suppressions.complained.contains(&c.id) {
        return Some("suppressed_complaint");
    }
    if suppressions.hard_bounced.contains(&c.id) {
        return Some("suppressed_hard_bounce");
    }
    match c.email_subscription {
        Some(SubscriptionStatus::Subscribed) => {}
        Some(SubscriptionStatus::Unsubscribed) => return Some("unsubscribed"),
        _ => return Some("not_subscribed"),
    }
    match required_permission {
        Some(p) if !c.permissions.iter().any(|x| x.eq_ignore_ascii_case(p)) => {
            Some(MISSING_PERMISSION)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_reason_that_applies() {
        let mut s = Suppressions::default();
        let mut c = Customer::stub("1");
        assert_eq!(left_out_reason(&c, &s, None), Some("no_email"));
        c.email = Some("a@b.no".into());
        assert_eq!(left_out_reason(&c, &s, None), Some("not_subscribed"));
        c.email_subscription = Some(SubscriptionStatus::Unsubscribed);
        assert_eq!(left_out_reason(&c, &s, None), Some("unsubscribed"));
        c.email_subscription = Some(SubscriptionStatus::Subscribed);
        assert_eq!(left_out_reason(&c, &s, None), None);
        assert_eq!(
            left_out_reason(&c, &s, Some("news")),
            Some("missing_permission")
        );
        c.permissions = vec!["NEWS".into()];
        assert_eq!(left_out_reason(&c, &s, Some("news")), None);
        s.hard_bounced.insert("1".into());
        assert_eq!(
            left_out_reason(&c, &s, None),
            Some("suppressed_hard_bounce")
        );
        s.complained.insert("1".into());
        assert_eq!(left_out_reason(&c, &s, None), Some("suppressed_complaint"));
    }
}
