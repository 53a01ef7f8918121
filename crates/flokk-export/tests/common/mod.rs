//! Customers and helpers shared by the tests.
#![allow(dead_code)]

use flokk_export::{Columns, ExportCustomer, ExportFormat, ExportSummary, Exporter};
use flokk_model::{Address, Customer, Gender, SubscriptionStatus};
use serde_json::{Value, json};

/// A customer whose cells need quoting and protection.
pub fn ann() -> (Customer, Value) {
    let c = Customer {
        id: "7434558324993".into(),
        first_name: Some("Ann".into()),
        last_name: Some("Berg, Jr.".into()),
        email: Some("ann@example.com".into()),
        phone: Some("+4791234567".into()),
        email_subscription: Some(SubscriptionStatus::Subscribed),
        sms_subscription: Some(SubscriptionStatus::Unsubscribed),
        tags: vec!["vip".into(), "=cmd".into()],
        note: Some("said \"hi\"\nthen left".into()),
        addresses: vec![Address {
            company: Some("Acme \"AS\"".into()),
            address1: Some("Storgata 1".into()),
            city: Some("Oslo".into()),
            region: Some("NO-03".into()),
            country: Some("NO".into()),
            zip: Some("0150".into()),
            ..Default::default()
        }],
        ..Customer::stub("")
    };
    let f = json!({
        "amount_spent": 1234.5, "number_of_orders": 3,
        "last_order_date": "2026-01-02T10:00:00+01:00", "birth_date": "1990-05-17",
        "customer_tags": ["vip", "=cmd"], "churn_probability": 0.2, "rfm_group": "champions",
        "predicted_clv": null
    });
    (c, f)
}

/// A customer whose values start with formula characters.
pub fn bob() -> (Customer, Value) {
    let c = Customer {
        id: "1002".into(),
        first_name: Some("-5".into()),
        last_name: Some("@x".into()),
        email: Some("\tbob@example.com".into()),
        phone: Some("+1 617 555 0100".into()),
        tax_exempt: true,
        addresses: vec![Address {
            city: Some("Boston".into()),
            region: Some("US-MA".into()),
            country: Some("US".into()),
            zip: Some("02108".into()),
            ..Default::default()
        }],
        ..Customer::stub("")
    };
    let f = json!({ "amount_spent": 0.0, "number_of_orders": 0, "last_order_date": null,
        "customer_tags": [], "churn_probability": null, "rfm_group": null });
    (c, f)
}

/// A Norwegian customer with every identifier Meta takes.
pub fn bjorn() -> Customer {
    Customer {
        id: "3".into(),
        first_name: Some(" Bjørn ".into()),
        last_name: Some("O'Neil".into()),
        email: Some(" Test@Example.com ".into()),
        phone: Some("912 34 567".into()),
        gender: Some(Gender::Male),
        birth_date: Some(jiff::civil::date(1990, 5, 17)),
        email_subscription: Some(SubscriptionStatus::Subscribed),
        sms_subscription: Some(SubscriptionStatus::Subscribed),
        addresses: vec![Address {
            city: Some("Oslo".into()),
            region: Some("NO-03".into()),
            country: Some("no".into()),
            zip: Some("0150".into()),
            ..Default::default()
        }],
        ..Customer::stub("")
    }
}

/// Exports `customers` with empty fields documents unless given.
pub fn export(
    format: ExportFormat,
    columns: Columns,
    customers: &[(Customer, Value)],
) -> (Vec<u8>, ExportSummary) {
    let mut out = Vec::new();
    let mut ex = Exporter::new(format, columns, &mut out).unwrap();
    for (customer, fields) in customers {
        ex.push(&ExportCustomer { customer, fields }).unwrap();
    }
    let summary = ex.finish().unwrap();
    (out, summary)
}

/// The bytes as text with the BOM, CR and tab made visible.
pub fn show(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .replace('\u{feff}', "<BOM>")
        .replace('\r', "<CR>")
        .replace('\t', "<TAB>")
}
