//! Exact money at the CLI (issue 17): the amounts the f64 sums printed
//! wrong (`22768.919999999995`, `119.64000000000001`, `216955.4099999999`,
//! `-0.00`), `amount_spent = 119.64` against orders that add up to it, and
//! the store currency's decimals (JPY none, EUR two, CLF four).

use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2026-11-24T12:00:00Z";

fn flokk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .arg("--now")
        .arg(NOW)
        .args(args)
        .env_remove("FLOKK_NOW")
        .output()
        .expect("the binary runs")
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = flokk(data, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A store of `customers`, each with orders of these totals (as written).
fn store(dir: &Path, currency: &str, customers: &[(&str, &[&str])]) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let data = dir.join("store");
    let mut ndjson = String::new();
    let mut n = 0;
    for (id, totals) in customers {
        ndjson.push_str(&format!("{{\"kind\":\"customer\",\"id\":\"{id}\"}}\n"));
        for total in *totals {
            n += 1;
            ndjson.push_str(&format!(
                "{{\"kind\":\"order\",\"id\":\"o{n}\",\"customer_id\":\"{id}\",\
                 \"placed_at\":\"2025-03-0{}T10:00:00Z\",\"total\":{total}}}\n",
                1 + n % 9
            ));
        }
    }
    let file = dir.join("records.ndjson");
    std::fs::write(&file, ndjson).unwrap();
    ok(&data, &["config", "set", "currency", currency]);
    ok(&data, &["import", file.to_str().unwrap()]);
    data
}

#[test]
fn member_lists_print_the_exact_sum() {
    let tmp = tempfile::tempdir().unwrap();
    // Summed as f64 these are 22768.919999999995.
    let data = store(
        tmp.path(),
        "EUR",
        &[("a", &["17261.92", "4178.49", "1328.51"])],
    );
    let csv = ok(&data, &["members", "amount_spent > 0", "--format", "csv"]);
    assert!(csv.contains(",22768.92,3,"), "{csv}");
    assert!(!csv.contains("22768.919"), "{csv}");
    let json = ok(&data, &["members", "amount_spent > 0", "--format", "json"]);
    let docs: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(docs[0]["amount_spent"], serde_json::json!(22768.92));
    assert!(!json.contains("22768.919"), "{json}");
}

#[test]
fn customer_show_rounds_the_average_for_display() {
    let tmp = tempfile::tempdir().unwrap();
    // (100.98 + 138.30) / 2 in f64 is 119.64000000000001.
    let data = store(tmp.path(), "EUR", &[("b", &["100.98", "138.30"])]);
    let text = ok(&data, &["customer", "show", "b"]);
    assert!(
        text.contains("average_order_value            119.64\n"),
        "{text}"
    );
    assert!(
        text.contains("amount_spent                   239.28\n"),
        "{text}"
    );
    assert!(!text.contains("119.6400"), "{text}");
    let json = ok(&data, &["--json", "customer", "show", "b"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["average_order_value"], serde_json::json!(119.64));
}

#[test]
fn count_statistics_are_exact_and_never_minus_zero() {
    let tmp = tempfile::tempdir().unwrap();
    // 200 customers, one order each; their f64 sum is 216955.4099999999.
    let ids: Vec<String> = (0..AMOUNTS.len()).map(|i| format!("c{i:03}")).collect();
    let customers: Vec<(&str, &[&str])> = ids
        .iter()
        .zip(AMOUNTS)
        .map(|(id, a)| (id.as_str(), std::slice::from_ref(a)))
        .collect();
    let data = store(tmp.path(), "EUR", &customers);
    let json = ok(&data, &["--json", "count", "amount_spent > 0"]);
    assert!(json.contains("\"amount_spent_sum\":216955.41"), "{json}");
    let text = ok(&data, &["count", "amount_spent > 0"]);
    assert!(text.contains("amount_spent: 216955.41 in total"), "{text}");
    let empty = ok(&data, &["count", "amount_spent > 100000000"]);
    assert!(
        empty.contains("amount_spent: 0.00 in total, 0.00 on average"),
        "{empty}"
    );
    assert!(!empty.contains("-0.00"), "{empty}");
}

#[test]
fn an_amount_equals_the_orders_that_add_up_to_it() {
    let tmp = tempfile::tempdir().unwrap();
    // 0.07 + 119.57 is 119.63999999999999 in f64; 100.98 + 138.30 is
    // 239.28000000000003 and 70.49 + 168.79 is 239.27999999999997 (the f64
    // build listed no one for `amount_spent = 119.64`).
    let data = store(
        tmp.path(),
        "EUR",
        &[
            ("a", &["0.07", "119.57"]),
            ("b", &["100.98", "138.30"]),
            ("c", &["70.49", "168.79"]),
        ],
    );
    assert_eq!(ok(&data, &["members", "amount_spent = 119.64"]), "a\n");
    assert_eq!(ok(&data, &["members", "amount_spent = 239.28"]), "b\nc\n");
    assert_eq!(
        ok(
            &data,
            &["members", "orders_placed MATCHES (sum_amount = 119.64)"]
        ),
        "a\n"
    );
}

#[test]
fn money_is_printed_with_the_currency_decimals() {
    let tmp = tempfile::tempdir().unwrap();
    let yen = store(&tmp.path().join("jpy"), "JPY", &[("y", &["1500", "2000"])]);
    let csv = ok(&yen, &["members", "amount_spent > 0", "--format", "csv"]);
    assert!(csv.contains(",3500,2,"), "{csv}");
    let text = ok(&yen, &["count", "amount_spent > 0"]);
    assert!(
        text.contains("amount_spent: 3500 in total, 3500 on average"),
        "{text}"
    );

    let clf = store(
        &tmp.path().join("clf"),
        "CLF",
        &[("u", &["1.2345", "0.0001"])],
    );
    let csv = ok(&clf, &["members", "amount_spent > 0", "--format", "csv"]);
    assert!(csv.contains(",1.2346,2,"), "{csv}");

    let eur = store(&tmp.path().join("eur"), "EUR", &[("e", &["19.9"])]);
    let csv = ok(&eur, &["members", "amount_spent > 0", "--format", "csv"]);
    assert!(csv.contains(",19.90,1,"), "{csv}");
}

#[test]
fn exports_print_amounts_with_the_currency_decimals() {
    // An order of 19.9 in euros is 19.90 in every text export (it was
    // `19.9`); yen amounts have no decimals.
    let tmp = tempfile::tempdir().unwrap();
    let eur = store(&tmp.path().join("eur"), "EUR", &[("e", &["19.9"])]);
    let csv = ok(
        &eur,
        &["export", "--query", "amount_spent > 0", "--format", "csv"],
    );
    assert!(csv.contains(",no,19.90,1,"), "{csv}");
    let excel = ok(
        &eur,
        &[
            "export",
            "--query",
            "amount_spent > 0",
            "--format",
            "csv-excel",
        ],
    );
    assert!(excel.contains(",no,19.90,1,"), "{excel}");
    let chosen = ok(
        &eur,
        &[
            "export",
            "--query",
            "amount_spent > 0",
            "--format",
            "csv",
            "--columns",
            "id,amount_spent,historic_clv,average_order_value,number_of_orders",
        ],
    );
    assert_eq!(
        chosen,
        "id,amount_spent,historic_clv,average_order_value,number_of_orders\ne,19.90,19.90,19.90,1\n"
    );
    let yen = store(&tmp.path().join("jpy"), "JPY", &[("y", &["1500.4"])]);
    let csv = ok(
        &yen,
        &[
            "export",
            "--query",
            "amount_spent > 0",
            "--format",
            "csv",
            "--columns",
            "id,amount_spent",
        ],
    );
    assert_eq!(csv, "id,amount_spent\ny,1500\n");
}

/// Order totals whose f64 sum, in this order, is 216955.4099999999 (the
/// exact sum is 216955.41).
const AMOUNTS: &[&str] = &[
    "2895.89", "606.94", "692.33", "694.31", "4322.79", "137.20", "407.11", "311.88", "517.03",
    "44.14", "874.64", "1383.99", "848.88", "472.27", "834.61", "1150.07", "132.03", "1372.21",
    "565.24", "761.25", "52.33", "1854.64", "53.49", "550.56", "1378.36", "4596.60", "2236.61",
    "1329.02", "1377.10", "1407.94", "128.55", "524.55", "123.24", "157.82", "582.37", "533.90",
    "6611.37", "325.88", "189.05", "1116.69", "936.35", "1305.84", "432.97", "1262.42", "17.39",
    "1526.03", "666.36", "2579.33", "244.07", "674.16", "99.61", "207.88", "50.32", "415.49",
    "165.66", "217.32", "1943.14", "938.44", "538.58", "3897.79", "255.48", "608.59", "949.36",
    "837.46", "506.88", "166.09", "2342.48", "1029.80", "105.81", "585.25", "249.75", "2553.12",
    "339.70", "3319.39", "829.40", "2615.76", "1618.27", "357.14", "66.83", "957.68", "1639.13",
    "767.85", "391.02", "1172.27", "233.42", "212.54", "1803.57", "295.01", "1276.38", "720.20",
    "1676.37", "3237.86", "1483.42", "579.67", "716.32", "1854.41", "352.10", "161.26", "7410.25",
    "112.11", "1163.19", "335.29", "246.61", "293.67", "1854.27", "612.74", "789.00", "871.09",
    "112.37", "1533.92", "31.72", "1219.26", "145.64", "1470.23", "4827.80", "525.17", "1251.81",
    "927.95", "1680.69", "238.91", "23.17", "342.95", "286.60", "4443.51", "3638.11", "1311.09",
    "319.30", "269.82", "607.43", "223.02", "5307.78", "320.21", "1325.75", "669.01", "1125.19",
    "128.55", "1471.01", "802.53", "1097.89", "736.16", "5382.76", "68.16", "489.23", "3143.75",
    "177.32", "895.29", "157.43", "828.66", "382.68", "92.23", "78.53", "2298.34", "1013.32",
    "2976.28", "44.13", "138.27", "749.86", "498.83", "542.46", "90.20", "333.55", "93.32",
    "4104.96", "684.45", "462.35", "846.77", "1060.82", "21.02", "486.19", "2075.20", "125.79",
    "2260.99", "3349.66", "266.01", "383.08", "544.84", "900.55", "174.02", "945.25", "237.55",
    "347.55", "3349.05", "2136.89", "2359.12", "969.90", "420.21", "802.68", "669.63", "151.76",
    "1215.58", "404.37", "960.16", "293.58", "763.09", "2968.69", "3.15", "2544.28", "1370.43",
    "1079.69", "1497.66",
];
