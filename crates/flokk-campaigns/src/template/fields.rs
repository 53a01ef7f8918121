//! The merge fields: a customer's fields by their filter name
//! (language.md), and the campaign's own (`unsubscribe_url`,
//! `campaign_link`, `campaign_name`).
//!
//! Decision: the fields are those the customer record carries. Computed
//! fields (`amount_spent`, `predicted_clv`, ...) would need the engine for
//! every recipient at send time and are not offered yet; naming one is the
//! unknown-field error at create time.

use flokk_model::Customer;
use std::collections::BTreeMap;

/// Customer fields a template may name.
pub const CUSTOMER_FIELDS: &[&str] = &[
    "customer_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "customer_email_domain",
    "customer_language",
    "customer_tags",
    "customer_countries",
    "email_subscription_status",
    "sms_subscription_status",
    "customer_account_status",
];

/// Fields the campaign fills in.
pub const CAMPAIGN_FIELDS: &[&str] = &["unsubscribe_url", "campaign_link", "campaign_name"];

/// Whether a template may name the field.
pub fn is_known(name: &str) -> bool {
    CUSTOMER_FIELDS.contains(&name) || CAMPAIGN_FIELDS.contains(&name)
}

/// Every field, for error messages.
pub fn all_fields() -> Vec<&'static str> {
    CUSTOMER_FIELDS
        .iter()
        .chain(CAMPAIGN_FIELDS)
        .copied()
        .collect()
}

/// One recipient's values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeValues {
    values: BTreeMap<&'static str, String>,
}

impl MergeValues {
    /// The customer's fields.
    pub fn of_customer(c: &Customer) -> Self {
        let mut values = BTreeMap::new();
        let mut put = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                values.insert(k, v);
            }
        };
        put("customer_id", Some(c.id.clone()));
        put("first_name", c.first_name.clone());
        put("last_name", c.last_name.clone());
        put("email", c.email.clone());
        put("phone", c.phone.clone());
        put("customer_email_domain", c.email_domain());
        put("customer_language", c.language.clone());
        put("customer_tags", Some(c.tags.join(", ")));
        let countries: Vec<String> = c
            .addresses
            .iter()
            .filter_map(|a| a.country_code())
            .collect();
        put("customer_countries", Some(countries.join(", ")));
        put(
            "email_subscription_status",
            c.email_subscription.map(|s| s.as_str().to_owned()),
        );
        put(
            "sms_subscription_status",
            c.sms_subscription.map(|s| s.as_str().to_owned()),
        );
        put(
            "customer_account_status",
            c.account_status.map(|s| s.as_str().to_owned()),
        );
        MergeValues { values }
    }

    /// Sets a campaign field.
    pub fn set(&mut self, name: &'static str, value: String) {
        self.values.insert(name, value);
    }

    /// A field's value.
    pub fn get(&self, name: &str) -> Option<String> {
        self.values.get(name).cloned()
    }
}
