//! `meta` and `google`: normalisation, hashing and the consent gate.

mod common;

use common::{bjorn, export, show};
use flokk_export::{Columns, ExportError, ExportFormat, Exporter};
use flokk_model::{Customer, SubscriptionStatus::*};
use serde_json::{Value, json};

fn one(c: Customer) -> [(Customer, Value); 1] {
    [(c, json!({}))]
}

#[test]
fn meta_raw_writes_normalised_values() {
    let (out, summary) = export(
        ExportFormat::Meta { raw: true },
        Columns::shopify(),
        &one(bjorn()),
    );
    assert_eq!(summary.exported, 1);
    insta::assert_snapshot!(show(&out), @r"
    email,phone,fn,ln,ct,st,zip,country,doby,gen
    test@example.com,4791234567,bjørn,oneil,oslo,03,0150,no,1990,m
    ");
}

#[test]
fn meta_hashes_every_value() {
    let (out, _) = export(
        ExportFormat::Meta { raw: false },
        Columns::shopify(),
        &one(bjorn()),
    );
    let text = String::from_utf8(out).unwrap();
    let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    // Each value is `printf %s VALUE | sha256sum`.
    assert_eq!(
        row,
        [
            "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b", // test@example.com
            "8e691d17cd72d7f630c95c400ce73b503202c6d5102af569c3a8546e7f72f21c", // 4791234567
            "9981679719f6d9fdef217c7b6c28070feaa48b00d73ecb08b92b5bcd45aa3a96", // bjørn
            "67a42a846e98e3c1a96cd6ba14883a5ea05990cd93964ce8b832aa9497ca785c", // oneil
            "8e016391c88c77d6773deab343b91f53bb64bfbc9ca18101844cb84c3d01e561", // oslo
            "0b8efa5a3bf104413a725c6ff0459a6be12b1fd33314cbb138745baf39504ae5", // 03
            "84a517d25feb3396a30448e2b215fa7ddfac8be973a99fa3df0e0f1678937aeb", // 0150
            "9390298f3fb0c5b160498935d79cb139aef28e1c47358b4bbba61862b9c26e59", // no
            "a7be8e1fe282a37cd666e0632b17d933fa13f21addf4798fc0455bc166e2488c", // 1990
            "62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a", // m
        ]
    );
}

#[test]
fn meta_leaves_empty_values_empty() {
    let c = Customer {
        email: Some("a@b.no".into()),
        email_subscription: Some(Subscribed),
        ..Customer::stub("9")
    };
    let (out, _) = export(
        ExportFormat::Meta { raw: false },
        Columns::shopify(),
        &one(c),
    );
    let text = String::from_utf8(out).unwrap();
    let row = text.lines().nth(1).unwrap();
    assert_eq!(row.matches(',').count(), 9);
    assert!(row.ends_with(",,,,,,,,,"), "{row}");
}

#[test]
fn google_hashes_identifiers_with_e164_plus() {
    let mut c = bjorn();
    c.email = Some("Bjorn.Berg@GMail.com".into());
    let (out, _) = export(ExportFormat::Google, Columns::shopify(), &one(c));
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("Email,Phone,First Name,Last Name,Country,Zip")
    );
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let sha = |s: &str| {
        use sha2::Digest;
        sha2::Sha256::digest(s.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(row[0], sha("bjornberg@gmail.com"));
    // `printf %s +4791234567 | sha256sum`
    assert_eq!(
        row[1],
        "ffcbee1d17948bbad790c0b467ce90267dc1d9f9f4494f28451642fee49ff9a9"
    );
    assert_eq!(
        row[2],
        "9981679719f6d9fdef217c7b6c28070feaa48b00d73ecb08b92b5bcd45aa3a96"
    );
    assert_eq!(row[3], sha("oneil"));
    assert_eq!(&row[4..], ["NO", "0150"]);
}

#[test]
fn consent_gate_counts_who_is_left_out() {
    let base = bjorn();
    let with = |email, sms, f: fn(&mut Customer)| {
        let mut c = Customer {
            email_subscription: email,
            sms_subscription: sms,
            ..base.clone()
        };
        f(&mut c);
        (c, json!({}))
    };
    let customers = [
        with(Some(Subscribed), Some(Subscribed), |_| {}),
        with(None, None, |_| {}),
        with(Some(Unsubscribed), Some(Pending), |_| {}),
        with(Some(Subscribed), None, |c| c.email = None),
        with(Some(Invalid), Some(Subscribed), |c| c.addresses.clear()),
        with(Some(Subscribed), Some(Subscribed), |c| c.addresses.clear()),
        with(Some(Subscribed), Some(NotSubscribed), |_| {}),
        with(Some(NotSubscribed), Some(Subscribed), |_| {}),
    ];
    let (out, summary) = export(
        ExportFormat::Meta { raw: true },
        Columns::shopify(),
        &customers,
    );
    insta::assert_snapshot!(show(&out), @r"
    email,phone,fn,ln,ct,st,zip,country,doby,gen
    test@example.com,4791234567,bjørn,oneil,oslo,03,0150,no,1990,m
    test@example.com,,bjørn,oneil,,,,,1990,m
    test@example.com,,bjørn,oneil,oslo,03,0150,no,1990,m
    ,4791234567,bjørn,oneil,oslo,03,0150,no,1990,m
    ");
    insta::assert_json_snapshot!(summary, @r#"
    {
      "exported": 4,
      "left_out": {
        "no_consent": 2,
        "no_contact": 2
      },
      "blanked": {
        "phone_no_country_code": 1
      }
    }
    "#);
}

#[test]
fn spreadsheets_export_everyone() {
    let c = Customer {
        email_subscription: Some(Unsubscribed),
        ..bjorn()
    };
    let (_, summary) = export(ExportFormat::Csv, Columns::shopify(), &one(c));
    assert_eq!(summary.exported, 1);
    assert!(summary.left_out.is_empty());
}

#[test]
fn audiences_have_fixed_columns() {
    let columns = Columns::chosen(&["email"], []).unwrap();
    let err = Exporter::new(ExportFormat::Google, columns, Vec::new())
        .err()
        .unwrap();
    assert!(matches!(
        err,
        ExportError::FixedColumns { format: "google" }
    ));
    insta::assert_snapshot!(err, @"the google export has fixed columns; chosen columns apply to csv, csv-excel and xlsx");
}
