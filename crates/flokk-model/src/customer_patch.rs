//! The partial customer update (`customer_patch`, data.md §1.1): only the
//! fields present change; `tags_add` / `tags_remove` change tags without
//! sending the whole list.
//!
//! Decisions where the spec is silent:
//! - A field given as `null` is cleared (back to "not recorded").
//! - `properties` is merged key by key (a patch sets or replaces the keys it
//!   names and keeps the others); `"properties":null` clears them all.
//!   Every other field, lists included (`addresses`, `permissions`, `tags`),
//!   is replaced as a whole when present.
//! - `tags` and `tags_add`/`tags_remove` may come together: the list is
//!   replaced first, then tags are removed, then added. A tag named in both
//!   `tags_add` and `tags_remove` is an error (which one did the sender
//!   mean?). Adding a tag the customer has does not repeat it. Tags compare
//!   ignoring case ([`same_tag`]), as `customer_tags CONTAINS` does: adding
//!   `vip` to a customer tagged `VIP` keeps `VIP`; removing `vip` removes
//!   `VIP`.

use crate::id::id;
use crate::list_limits::{MAX_LIST_ITEMS, check_len};
use crate::parse::{ParseOptions, typed, typed_slow};
use crate::property::normalise_keys;
use crate::{Customer, Properties, RecordError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every field of a `customer` record but `id`: what a patch may name.
pub const CUSTOMER_FIELDS: &[&str] = &[
    "email",
    "phone",
    "first_name",
    "last_name",
    "title",
    "gender",
    "birth_date",
    "language",
    "created_at",
    "account_status",
    "email_subscription",
    "sms_subscription",
    "product_subscription",
    "permissions",
    "tags",
    "companies",
    "note",
    "tax_exempt",
    "created_by_app_id",
    "addresses",
    "properties",
];

/// Whether two tags are the same tag: equal ignoring case, as
/// `customer_tags CONTAINS` compares them.
pub fn same_tag(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// `{"kind":"customer_patch","id":"1001","tags_add":["vip"],"email":"x@y.no"}`:
/// changes a known customer's given fields only.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CustomerPatch {
    /// The customer to change; an unknown id is an error, not a new customer.
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// Tags to add (kept once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags_add: Vec<String>,
    /// Tags to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags_remove: Vec<String>,
    /// The customer fields present, as sent (checked against the customer
    /// record's schema when the patch is read).
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl CustomerPatch {
    /// Reads a patch from a JSON object (with or without `kind`), checking
    /// every field as a `customer` record would: an unknown field is refused
    /// (dropped with `lenient`), a bad value names its field.
    pub fn from_json(line: &str, opts: ParseOptions) -> Result<Self, RecordError> {
        let mut patch: CustomerPatch = typed(line, opts)?;
        patch.check(opts)?;
        Ok(patch)
    }

    /// Checks the fields against the customer schema; in lenient mode
    /// drops what a `customer` record would drop.
    fn check(&mut self, opts: ParseOptions) -> Result<(), RecordError> {
        let unknown: Vec<String> = self
            .fields
            .keys()
            .filter(|k| !CUSTOMER_FIELDS.contains(&k.as_str()))
            .cloned()
            .collect();
        for name in unknown {
            if !opts.lenient {
                let hint = if name == "kind" {
                    String::new()
                } else {
                    " (use --lenient to ignore unknown fields)".to_owned()
                };
                return Err(RecordError::Field(format!("unknown field `{name}`{hint}")));
            }
            self.fields.remove(&name);
        }
        check_len("tags_add", self.tags_add.len(), MAX_LIST_ITEMS)?;
        check_len("tags_remove", self.tags_remove.len(), MAX_LIST_ITEMS)?;
        if let Some(both) = self
            .tags_add
            .iter()
            .find(|t| self.tags_remove.iter().any(|r| same_tag(t, r)))
        {
            return Err(RecordError::invalid(
                "tags_add",
                format!("the tag '{both}' is both in tags_add and in tags_remove"),
            ));
        }
        // The fields alone, as a customer: the same schema, the same errors
        // (`addresses[0].lat`) as a `customer` record.
        let mut alone = Map::new();
        alone.insert("id".into(), Value::String(self.id.clone()));
        for (k, v) in &self.fields {
            if !v.is_null() {
                alone.insert(k.clone(), v.clone());
            }
        }
        let text = Value::Object(alone).to_string();
        let mut customer: Customer = typed_slow(&text, opts)?;
        customer.properties = normalise_keys(std::mem::take(&mut customer.properties));
        customer.validate()?;
        if opts.lenient {
            // Keep what survived the lenient read (unknown nested fields gone).
            let cleaned = serde_json::to_value(&customer).expect("a customer serialises");
            for (k, v) in self.fields.iter_mut() {
                if !v.is_null() {
                    *v = cleaned.get(k).cloned().unwrap_or(Value::Null);
                }
            }
        }
        Ok(())
    }

    /// The customer `base` with this patch applied, checked as a whole
    /// customer (list limits, property keys).
    pub fn apply_to(&self, base: &Customer) -> Result<Customer, RecordError> {
        let mut value = serde_json::to_value(base).expect("a customer serialises");
        let obj = value.as_object_mut().expect("a customer is an object");
        for (k, v) in &self.fields {
            if k == "properties" {
                continue;
            }
            if v.is_null() {
                obj.remove(k);
            } else {
                obj.insert(k.clone(), v.clone());
            }
        }
        let mut customer: Customer = serde_path_to_error::deserialize(value)
            .map_err(|e| RecordError::Field(format!("`{}`: {}", e.path(), e.inner())))?;
        match self.fields.get("properties") {
            None => {}
            Some(Value::Null) => customer.properties.clear(),
            Some(props) => {
                let props: Properties = serde_json::from_value(props.clone())
                    .map_err(|e| RecordError::invalid("properties", e.to_string()))?;
                customer.properties.extend(normalise_keys(props));
            }
        }
        customer
            .tags
            .retain(|t| !self.tags_remove.iter().any(|r| same_tag(t, r)));
        for tag in &self.tags_add {
            if !customer.tags.iter().any(|t| same_tag(t, tag)) {
                customer.tags.push(tag.clone());
            }
        }
        customer.validate()?;
        Ok(customer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Address;

    fn patch(line: &str) -> Result<CustomerPatch, RecordError> {
        CustomerPatch::from_json(line, ParseOptions::default())
    }

    fn ann() -> Customer {
        Customer {
            email: Some("ann@example.no".into()),
            first_name: Some("Ann".into()),
            tags: vec!["new".into(), "newsletter".into()],
            addresses: vec![Address {
                city: Some("Oslo".into()),
                country: Some("NO".into()),
                ..Default::default()
            }],
            ..Customer::stub("1001")
        }
    }

    #[test]
    fn only_the_fields_present_change() {
        let p = patch(
            r#"{"kind":"customer_patch","id":"1001","email":"x@y.no","tags_add":["vip"],"tags_remove":["new"]}"#,
        )
        .unwrap();
        let c = p.apply_to(&ann()).unwrap();
        assert_eq!(c.email.as_deref(), Some("x@y.no"));
        assert_eq!(c.first_name.as_deref(), Some("Ann"));
        assert_eq!(c.addresses, ann().addresses);
        assert_eq!(c.tags, vec!["newsletter".to_owned(), "vip".to_owned()]);
    }

    #[test]
    fn null_clears_and_adding_a_held_tag_keeps_it_once() {
        let p = patch(r#"{"id":1001,"first_name":null,"tags_add":["newsletter"]}"#).unwrap();
        assert_eq!(p.id, "1001");
        let c = p.apply_to(&ann()).unwrap();
        assert_eq!(c.first_name, None);
        assert_eq!(c.tags, ann().tags);
    }

    #[test]
    fn tags_compare_ignoring_case_as_contains_does() {
        let p = patch(r#"{"id":"1001","tags_add":["NEWSLETTER","Gold"],"tags_remove":["NEW"]}"#)
            .unwrap();
        let c = p.apply_to(&ann()).unwrap();
        assert_eq!(c.tags, vec!["newsletter".to_owned(), "Gold".to_owned()]);
        assert!(patch(r#"{"id":"1","tags_add":["a"],"tags_remove":["A"]}"#).is_err());
    }

    #[test]
    fn properties_merge_key_by_key() {
        let mut base = ann();
        base.properties =
            normalise_keys(serde_json::from_str(r#"{"color":"blue","points":3}"#).unwrap());
        let p = patch(r#"{"id":"1001","properties":{"points":5}}"#).unwrap();
        let c = p.apply_to(&base).unwrap();
        let got = serde_json::to_string(&c.properties).unwrap();
        assert_eq!(got, r#"{"custom.color":"blue","custom.points":5.0}"#);
    }

    #[test]
    fn bad_fields_are_named() {
        let e = patch(r#"{"id":"1","emial":"x"}"#).unwrap_err();
        assert_eq!(e.field().as_deref(), Some("emial"));
        let e = patch(r#"{"id":"1","addresses":[{"lat":95,"lon":1}]}"#).unwrap_err();
        assert_eq!(e.field().as_deref(), Some("addresses[0].lat"));
        let e = patch(r#"{"id":"1","gender":"UNKNOWN"}"#).unwrap_err();
        assert_eq!(e.field().as_deref(), Some("gender"), "{e}");
        let e = patch(r#"{"id":"1","tags_add":["a"],"tags_remove":["a"]}"#).unwrap_err();
        assert_eq!(e.field().as_deref(), Some("tags_add"));
        assert!(
            patch(r#"{"email":"x@y.no"}"#).is_err(),
            "the id is required"
        );
    }

    #[test]
    fn lenient_drops_unknown_fields_at_any_depth() {
        let opts = ParseOptions { lenient: true };
        let p = CustomerPatch::from_json(
            r#"{"id":"1","emial":"x","addresses":[{"city":"Oslo","zipp":"1"}]}"#,
            opts,
        )
        .unwrap();
        assert!(!p.fields.contains_key("emial"));
        let c = p.apply_to(&ann()).unwrap();
        assert_eq!(c.addresses[0].city.as_deref(), Some("Oslo"));
    }
}
