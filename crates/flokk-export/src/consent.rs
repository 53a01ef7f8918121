//! The consent gate of ad audience exports: who may be contacted, and by
//! which identifier.

use flokk_model::{Customer, SubscriptionStatus};

/// Left out: neither email nor SMS marketing consent.
pub(crate) const NO_CONSENT: &str = "no_consent";
/// Left out: consent, but no usable email or phone for it.
pub(crate) const NO_CONTACT: &str = "no_contact";

/// Which identifiers of a customer may be exported to an ad platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Consent {
    /// Email marketing status is `SUBSCRIBED`: the email may go.
    pub email: bool,
    /// SMS marketing status is `SUBSCRIBED`: the phone may go.
    pub phone: bool,
}

impl Consent {
    /// The customer's consent.
    pub(crate) fn of(c: &Customer) -> Self {
        let subscribed = |s: Option<SubscriptionStatus>| s == Some(SubscriptionStatus::Subscribed);
        Consent {
            email: subscribed(c.email_subscription),
            phone: subscribed(c.sms_subscription),
        }
    }

    /// Whether the customer may be contacted at all.
    pub(crate) fn any(self) -> bool {
        self.email || self.phone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_subscribed_counts() {
        let mut c = Customer::stub("1");
        assert!(!Consent::of(&c).any());
        for s in SubscriptionStatus::ALL {
            c.email_subscription = Some(*s);
            assert_eq!(Consent::of(&c).email, *s == SubscriptionStatus::Subscribed);
            assert!(!Consent::of(&c).phone);
        }
        c.sms_subscription = Some(SubscriptionStatus::Subscribed);
        assert!(Consent::of(&c).phone);
    }
}
