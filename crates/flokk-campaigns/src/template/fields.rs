//! The merge fields: a customer's fields by their filter name
//! (language.md): those the customer record carries, and the computed ones
//! (`amount_spent`, `predicted_clv`, ..., see `computed.rs`); and the
//! campaign's own (`unsubscribe_url`, `campaign_link`, `campaign_name`,
//! `discount_code`).

use super::computed::COMPUTED_FIELDS;
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
pub const CAMPAIGN_FIELDS: &[&str] = &[
    "unsubscribe_url",
    "campaign_link",
    "campaign_name",
    "discount_code",
];

/// Whether a template may name the field.
pub fn is_known(name: &str) -> bool {
    static_name(name).is_some()
}

/// The field's name as a constant, if it is one.
pub fn static_name(name: &str) -> Option<&'static str> {
    CUSTOMER_FIELDS
        .iter()
        .chain(COMPUTED_FIELDS)
        .chain(CAMPAIGN_FIELDS)
        .find(|f| **f == name)
        .copied()
}

/// Every field, for error messages.
pub fn all_fields() -> Vec<&'static str> {
    CUSTOMER_FIELDS
        .iter()
        .chain(COMPUTED_FIELDS)
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

    /// Values as JSON `{field: text}`, to freeze with a recipient.
    pub fn frozen(values: &BTreeMap<&'static str, String>) -> String {
        serde_json::to_string(values).expect("a map of text serialises")
    }

    /// Values frozen with a recipient (JSON `{field: text}`, see
    /// [`MergeValues::frozen`]); names that are not fields are dropped.
    pub fn thawed(json: &str) -> Result<BTreeMap<&'static str, String>, String> {
        let map: BTreeMap<String, String> =
            serde_json::from_str(json).map_err(|e| format!("frozen merge values: {e}"))?;
        Ok(map
            .into_iter()
            .filter_map(|(k, v)| static_name(&k).map(|name| (name, v)))
            .collect())
    }
}
