//! Properties over any text: plain CSV round-trips, csv-excel never starts
//! a cell with a formula character, no format panics.

mod common;

use common::export;
use flokk_export::{Columns, ExportFormat};
use flokk_model::{Address, Customer, SubscriptionStatus};
use proptest::prelude::*;
use serde_json::{Value, json};

fn customer(t: &[String]) -> (Customer, Value) {
    let c = Customer {
        id: t[0].clone(),
        first_name: Some(t[1].clone()),
        last_name: Some(t[2].clone()),
        email: Some(t[3].clone()),
        phone: Some(t[4].clone()),
        note: Some(t[5].clone()),
        tags: vec![t[6].clone()],
        email_subscription: Some(SubscriptionStatus::Subscribed),
        sms_subscription: Some(SubscriptionStatus::Subscribed),
        addresses: vec![Address {
            city: Some(t[7].clone()),
            zip: Some(t[8].clone()),
            region: Some(t[9].clone()),
            country: Some(t[10].clone()),
            ..Default::default()
        }],
        ..Customer::stub("")
    };
    (c, json!({ "rfm_group": t[11], "amount_spent": t[12] }))
}

const CHOSEN: &[&str] = &[
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "note",
    "rfm_group",
    "amount_spent",
];

fn texts() -> impl Strategy<Value = Vec<String>> {
    // Any text, with formula characters, quotes, separators and digits often.
    let text = prop_oneof![any::<String>(), "[=+\\-@\t\r\n\",'0-9 a-zø]{0,12}",];
    proptest::collection::vec(text, 13)
}

fn read(bytes: &[u8]) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

proptest! {
    #[test]
    fn plain_csv_round_trips(t in texts()) {
        let columns = Columns::chosen(CHOSEN, ["rfm_group", "amount_spent"]).unwrap();
        let (out, _) = export(ExportFormat::Csv, columns, &[customer(&t)]);
        let rows = read(&out);
        prop_assert_eq!(rows.len(), 2);
        let want = [&t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[11], &t[12]];
        prop_assert_eq!(&rows[1], &want.map(String::clone).to_vec());
    }

    #[test]
    fn csv_excel_cells_never_start_a_formula(t in texts()) {
        for columns in [Columns::shopify(), Columns::chosen(CHOSEN, ["rfm_group", "amount_spent"]).unwrap()] {
            let (out, _) = export(ExportFormat::CsvExcel, columns, &[customer(&t)]);
            for row in read(&out) {
                for cell in row {
                    prop_assert!(
                        !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "cell {:?}", cell
                    );
                    let digits = cell.len() >= 2 && cell.bytes().all(|b| b.is_ascii_digit());
                    prop_assert!(!(digits && (cell.starts_with('0') || cell.len() >= 12)), "cell {:?}", cell);
                }
            }
        }
    }

    #[test]
    fn every_format_takes_any_text(t in texts()) {
        for format in ["csv-excel", "csv", "xlsx", "meta", "google"] {
            let format: ExportFormat = format.parse().unwrap();
            let (out, summary) = export(format, Columns::shopify(), &[customer(&t)]);
            prop_assert!(!out.is_empty());
            prop_assert_eq!(summary.exported + summary.left_out.values().sum::<u64>(), 1);
        }
        let (out, _) = export(ExportFormat::Meta { raw: false }, Columns::shopify(), &[customer(&t)]);
        for row in read(&out).iter().skip(1) {
            for cell in row {
                prop_assert!(cell.is_empty() || (cell.len() == 64 && cell.bytes().all(|b| b.is_ascii_hexdigit())));
            }
        }
    }
}
