//! `xlsx`: the workbook read back from its zip.

mod common;

use common::{ann, bob, export};
use flokk_export::{Columns, ExportFormat};
use std::io::Read;

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn one_sheet_typed_cells_frozen_header() {
    let (ann_c, ann_f) = ann();
    let names: Vec<String> = ann_f.as_object().unwrap().keys().cloned().collect();
    let columns = Columns::chosen(
        &[
            "id",
            "amount_spent",
            "number_of_orders",
            "last_order_date",
            "birth_date",
            "rfm_group",
        ],
        names.iter().map(String::as_str),
    )
    .unwrap();
    let (out, summary) = export(ExportFormat::Xlsx, columns, &[(ann_c, ann_f), bob()]);
    assert_eq!(summary.exported, 2);
    assert!(out.starts_with(b"PK\x03\x04"));

    let workbook = part(&out, "xl/workbook.xml");
    assert_eq!(workbook.matches("<sheet ").count(), 1, "{workbook}");
    assert!(workbook.contains(r#"name="Customers""#));

    let sheet = part(&out, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{sheet}"
    );
    // Numbers are number cells (no `t="s"`).
    assert!(sheet.contains(r#"<c r="B2"><v>1234.5</v></c>"#), "{sheet}");
    assert!(sheet.contains(r#"<c r="C2"><v>3</v></c>"#), "{sheet}");
    // 2026-01-02 10:00 is serial 46024 + 10/24; 1990-05-17 is 33010.
    let d2 = cell(&sheet, "D2");
    assert!(d2.contains(r#" s=""#) && !d2.contains(r#"t="s""#), "{d2}");
    let serial: f64 = value(&d2).parse().unwrap();
    assert!((serial - (46024.0 + 10.0 / 24.0)).abs() < 1e-9, "{serial}");
    assert_eq!(value(&cell(&sheet, "E2")), "33010");
    // The id and the text field are strings (inline: the sheet is written
    // in constant memory, without a shared-strings table), zeros and digits
    // kept.
    assert!(cell(&sheet, "A2").contains(r#"t="inlineStr""#));
    for s in ["7434558324993", "champions", "1002", "amount_spent"] {
        assert!(sheet.contains(&format!("<t>{s}</t>")), "{s} in {sheet}");
    }
    let styles = part(&out, "xl/styles.xml");
    assert!(
        styles.contains("yyyy-mm-dd hh:mm:ss") && styles.contains(r#"formatCode="yyyy-mm-dd""#),
        "{styles}"
    );
}

#[test]
fn shopify_columns_in_xlsx_keep_text_as_text() {
    let (out, _) = export(ExportFormat::Xlsx, Columns::shopify(), &[ann(), bob()]);
    let sheet = part(&out, "xl/worksheets/sheet1.xml");
    for s in [
        "0150",
        "02108",
        "+4791234567",
        "-5",
        "@x",
        "yes",
        "no",
        "vip, =cmd",
    ] {
        assert!(sheet.contains(&format!(">{s}<")), "{s} in {sheet}");
    }
    assert!(!sheet.contains("<f>"), "no formulas: {sheet}");
    // Columns fitted to their widest cell, as autofit would.
    assert!(sheet.contains("<cols>"), "{sheet}");
}

fn cell(sheet: &str, r: &str) -> String {
    let start = sheet
        .find(&format!(r#"<c r="{r}""#))
        .unwrap_or_else(|| panic!("{r} in {sheet}"));
    let end = start + sheet[start..].find("</c>").unwrap() + 4;
    sheet[start..end].to_owned()
}

fn value(cell: &str) -> String {
    let start = cell.find("<v>").unwrap() + 3;
    let end = cell.find("</v>").unwrap();
    cell[start..end].to_owned()
}

#[test]
fn money_cells_are_numbers_shown_with_the_currency_decimals() {
    // 1234.5 in a 2-decimal currency is a number cell (so it adds up)
    // whose format shows 1234.50; a count keeps the general format.
    let columns = Columns::shopify().with_money(&["amount_spent"], 2);
    let (out, _) = export(ExportFormat::Xlsx, columns, &[ann(), bob()]);
    let sheet = part(&out, "xl/worksheets/sheet1.xml");
    let styles = part(&out, "xl/styles.xml");
    let spent = cell(&sheet, "P2");
    assert_eq!(value(&spent), "1234.5", "{spent}");
    assert!(!spent.contains(r#"t="s""#), "{spent}");
    let style = attribute(&spent, "s").expect("a styled cell");
    assert_eq!(number_format(&styles, style), "0.00", "{styles}");
    assert_eq!(value(&cell(&sheet, "P3")), "0");
    assert!(attribute(&cell(&sheet, "P3"), "s").is_some());
    assert!(attribute(&cell(&sheet, "Q2"), "s").is_none(), "{sheet}");
    // Without money columns (the old export) the cell had no format.
    let (plain, _) = export(ExportFormat::Xlsx, Columns::shopify(), &[ann(), bob()]);
    let plain_sheet = part(&plain, "xl/worksheets/sheet1.xml");
    assert!(attribute(&cell(&plain_sheet, "P2"), "s").is_none());
}

/// The value of attribute `name` in a cell's XML.
fn attribute(cell: &str, name: &str) -> Option<String> {
    let open = &cell[..cell.find('>')?];
    let key = format!(" {name}=\"");
    let start = open.find(&key)? + key.len();
    let len = open[start..].find('"')?;
    Some(open[start..start + len].to_owned())
}

/// The number format code of cell style `index` (`cellXfs`) in styles.xml.
fn number_format(styles: &str, index: String) -> String {
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = xfs
        .split("<xf ")
        .nth(index.parse::<usize>().unwrap() + 1)
        .unwrap();
    let id = attribute(&format!("<xf {xf}"), "numFmtId").unwrap();
    // Excel's built-in formats are not written out (ECMA-376 §18.8.30).
    match id.as_str() {
        "1" => return "0".to_owned(),
        "2" => return "0.00".to_owned(),
        _ => {}
    }
    let key = format!("numFmtId=\"{id}\" formatCode=\"");
    let start = styles
        .find(&key)
        .unwrap_or_else(|| panic!("{id} in {styles}"))
        + key.len();
    let len = styles[start..].find('"').unwrap();
    styles[start..start + len].to_owned()
}
