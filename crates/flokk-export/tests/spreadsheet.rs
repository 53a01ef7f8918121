//! `csv` and `csv-excel`: exact bytes of small examples.

mod common;

use common::{ann, bob, export, show};
use flokk_export::{Columns, ExportFormat};

#[test]
fn csv_excel_has_bom_crlf_and_protected_cells() {
    let (out, summary) = export(ExportFormat::CsvExcel, Columns::shopify(), &[ann(), bob()]);
    assert!(out.starts_with(b"\xEF\xBB\xBF"));
    assert_eq!(summary.exported, 2);
    insta::assert_snapshot!(show(&out), @r#"
    <BOM>Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags<CR>
    '7434558324993,Ann,"Berg, Jr.",ann@example.com,yes,"Acme ""AS""",Storgata 1,,Oslo,'03,NO,'0150,,'+4791234567,no,1234.5,3,"said ""hi""
    then left",no,"vip, =cmd"<CR>
    1002,'-5,'@x,'<TAB>bob@example.com,no,,,,Boston,MA,US,'02108,,'+1 617 555 0100,no,0,0,,yes,<CR>
    "#);
}

#[test]
fn plain_csv_writes_values_as_they_are() {
    let (out, _) = export(ExportFormat::Csv, Columns::shopify(), &[ann(), bob()]);
    assert!(!out.starts_with(b"\xEF\xBB\xBF"));
    assert!(!out.contains(&b'\r'));
    insta::assert_snapshot!(show(&out), @r#"
    Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags
    7434558324993,Ann,"Berg, Jr.",ann@example.com,yes,"Acme ""AS""",Storgata 1,,Oslo,03,NO,0150,,+4791234567,no,1234.5,3,"said ""hi""
    then left",no,"vip, =cmd"
    1002,-5,@x,<TAB>bob@example.com,no,,,,Boston,MA,US,02108,,+1 617 555 0100,no,0,0,,yes,
    "#);
}

#[test]
fn chosen_columns_write_fields_plainly() {
    let (ann_c, ann_f) = ann();
    let names = ann_f
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>();
    let columns = Columns::chosen(
        &[
            "id",
            "email",
            "last_order_date",
            "customer_tags",
            "churn_probability",
            "number_of_orders",
            "predicted_clv",
            "tax_exempt",
        ],
        names,
    )
    .unwrap();
    let (out, _) = export(ExportFormat::Csv, columns.clone(), &[(ann_c, ann_f), bob()]);
    insta::assert_snapshot!(show(&out), @r#"
    id,email,last_order_date,customer_tags,churn_probability,number_of_orders,predicted_clv,tax_exempt
    7434558324993,ann@example.com,2026-01-02T10:00:00+01:00,"vip, =cmd",0.2,3,,no
    1002,<TAB>bob@example.com,,,,0,,yes
    "#);
    let (out, _) = export(ExportFormat::CsvExcel, columns, &[ann()]);
    insta::assert_snapshot!(show(&out), @r#"
    <BOM>id,email,last_order_date,customer_tags,churn_probability,number_of_orders,predicted_clv,tax_exempt<CR>
    '7434558324993,ann@example.com,2026-01-02T10:00:00+01:00,"vip, =cmd",0.2,3,,no<CR>
    "#);
}

#[test]
fn nested_and_negative_values() {
    let (c, _) = bob();
    let f = serde_json::json!({
        "amount_spent": -12.5, "records": { "orders": 2 }, "segments": ["a", "b"], "big": 1e20
    });
    let columns = Columns::chosen(
        &["amount_spent", "records", "segments", "big"],
        ["amount_spent", "records", "segments", "big"],
    )
    .unwrap();
    let (out, _) = export(ExportFormat::CsvExcel, columns, &[(c, f)]);
    insta::assert_snapshot!(show(&out), @r#"
    <BOM>amount_spent,records,segments,big<CR>
    -12.5,"{""orders"":2}","a, b",100000000000000000000<CR>
    "#);
}

#[test]
fn unknown_column_is_an_error_before_writing() {
    let (_, f) = ann();
    let keys = f.as_object().unwrap().keys().map(String::as_str);
    let err = Columns::chosen(&["id", "churn_probabilty"], keys).unwrap_err();
    assert!(err.is_user_error());
    insta::assert_snapshot!(err, @"unknown column 'churn_probabilty' (did you mean 'churn_probability'?); valid columns: amount_spent, birth_date, churn_probability, customer_tags, email, first_name, id, last_name, last_order_date, note, number_of_orders, phone, predicted_clv, rfm_group, tax_exempt");
}

#[test]
fn empty_export_is_the_header() {
    let (out, summary) = export(ExportFormat::Csv, Columns::shopify(), &[]);
    assert_eq!(summary.exported, 0);
    assert!(out.starts_with(b"Customer ID,First Name,"));
    assert_eq!(out.iter().filter(|b| **b == b'\n').count(), 1);
}

#[test]
fn money_columns_print_the_currency_decimals() {
    // The fields document carries 1234.5 and 0.0 as JSON numbers; as
    // amounts in a 2-decimal currency they are 1234.50 and 0.00 (issue 17:
    // `19.9` was printed for 19.90), in every CSV flavour.
    let money = ["amount_spent", "predicted_clv"];
    for format in [ExportFormat::Csv, ExportFormat::CsvExcel] {
        let columns = Columns::shopify().with_money(&money, 2);
        let (out, _) = export(format, columns, &[ann(), bob()]);
        let text = show(&out);
        assert!(text.contains(",no,1234.50,3,"), "{text}");
        assert!(text.contains(",no,0.00,0,"), "{text}");
    }
    // Yen has no decimals, CLF four; a money field that is null stays empty.
    let (ann_c, mut ann_f) = ann();
    ann_f["predicted_clv"] = serde_json::json!(-12.5);
    let names: Vec<String> = ann_f.as_object().unwrap().keys().cloned().collect();
    let chosen = || {
        Columns::chosen(
            &["id", "amount_spent", "predicted_clv", "number_of_orders"],
            names.iter().map(String::as_str),
        )
        .unwrap()
    };
    let customers = [(ann_c, ann_f), bob()];
    let (out, _) = export(
        ExportFormat::Csv,
        chosen().with_money(&money, 0),
        &customers,
    );
    insta::assert_snapshot!(show(&out), @r"
    id,amount_spent,predicted_clv,number_of_orders
    7434558324993,1235,-13,3
    1002,0,,0
    ");
    let (out, _) = export(
        ExportFormat::CsvExcel,
        chosen().with_money(&money, 4),
        &customers,
    );
    insta::assert_snapshot!(show(&out), @r"
    <BOM>id,amount_spent,predicted_clv,number_of_orders<CR>
    '7434558324993,1234.5000,-12.5000,3<CR>
    1002,0.0000,,0<CR>
    ");
}
