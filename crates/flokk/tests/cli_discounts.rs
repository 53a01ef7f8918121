//! Discounts (cli.md "Acting on segments"): `flokk discount create` with a
//! shared code or unique codes, `discount codes` (CSV and the Shopify bulk
//! import file), `discount check` with every reason, redemption through
//! orders' `discount_codes` (NDJSON and the Shopify orders export) seen by
//! `orders_placed MATCHES (discount_code = ...)` and `discount show`, and bad
//! input (a colliding code, a percentage over 100, an unknown segment)
//! refused with nothing written; the minimum order judged against the
//! subtotal a checkout sends; the Shopify GraphQL batches of codes.

use std::path::Path;
use std::process::{Command, Output};

fn flokk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("FLOKK_NOW", "2026-06-01T12:00:00Z")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = flokk(data, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn refused(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = flokk(data, args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    serde_json::from_str(&stderr(&out)).unwrap()
}

fn import(dir: &Path, data: &Path, name: &str, text: &str) {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    let out = flokk(data, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Customers 1–3 tagged `vip` (the segment VIP), 4 not.
fn store(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("store");
    let lines: Vec<String> = (1..=4)
        .map(|i| {
            let tags = if i < 4 { r#"["vip"]"# } else { "[]" };
            format!(
                r#"{{"kind":"customer","id":"{i}","email":"c{i}@x.no","first_name":"N{i}","tags":{tags}}}"#
            )
        })
        .collect();
    import(dir, &data, "c.ndjson", &lines.join("\n"));
    let out = flokk(
        &data,
        &[
            "segment",
            "create",
            "VIP",
            "--query",
            "customer_tags CONTAINS 'vip'",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    data
}

fn check(data: &Path, code: &str, customer: &str) -> serde_json::Value {
    json(
        data,
        &["--json", "discount", "check", code, "--customer", customer],
    )
}

#[test]
fn a_shared_code_is_checked_redeemed_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    let d = json(
        &data,
        &[
            "--json",
            "discount",
            "create",
            "Summer",
            "--segment",
            "VIP",
            "--code",
            "SUMMER10",
            "--percent",
            "10",
            "--starts",
            "2026-05-01",
            "--ends",
            "2026-06-30",
            "--uses-per-customer",
            "1",
            "--uses",
            "2",
        ],
    );
    assert_eq!(d["issued"], 3);
    assert_eq!(d["code"], "SUMMER10");
    assert_eq!(d["unique"], false);
    assert_eq!(d["kind"], "percent");
    assert_eq!(d["value"], "10");
    // The end day is included: valid until the next store-local midnight.
    assert_eq!(d["ends"], "2026-07-01T00:00:00Z");

    assert_eq!(
        check(&data, "summer10", "1"),
        serde_json::json!({"valid": true, "reason": null, "minimum": null})
    );
    assert_eq!(check(&data, "WINTER", "1")["reason"], "unknown");
    assert_eq!(check(&data, "SUMMER10", "4")["reason"], "not_issued");
    let early = flokk(
        &data,
        &[
            "--json",
            "--now",
            "2026-04-30T12:00:00Z",
            "discount",
            "check",
            "SUMMER10",
            "--customer",
            "1",
        ],
    );
    let early: serde_json::Value = serde_json::from_slice(&early.stdout).unwrap();
    assert_eq!(early["reason"], "expired", "{early}");

    // Customer 2 leaves the segment: the code no longer applies to them.
    import(
        tmp.path(),
        &data,
        "untag.ndjson",
        r#"{"kind":"customer_patch","id":"2","tags_remove":["vip"]}"#,
    );
    assert_eq!(check(&data, "SUMMER10", "2")["reason"], "not_in_segment");

    // Customer 1 redeems it (any case): used up for them, and the query sees it.
    import(
        tmp.path(),
        &data,
        "o.ndjson",
        r#"{"kind":"order","id":"o1","customer_id":"1","placed_at":"2026-05-20T10:00:00Z","total":120.3,"discount_codes":["summer10"]}"#,
    );
    assert_eq!(check(&data, "SUMMER10", "1")["reason"], "used_up");
    assert_eq!(check(&data, "SUMMER10", "3")["valid"], true);
    let count = json(
        &data,
        &[
            "--json",
            "count",
            "orders_placed MATCHES (discount_code = 'Summer10')",
        ],
    );
    assert_eq!(count["count"], 1);
    let none = json(
        &data,
        &[
            "--json",
            "count",
            "orders_placed MATCHES (discount_code = 'OTHER')",
        ],
    );
    assert_eq!(none["count"], 0);
    // Customer 3 redeems it through a Shopify orders export: all uses spent.
    let csv = "Name,Email,Created at,Total,Refunded Amount,Cancelled at,Source,Location,Tags,Discount Code,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Vendor\n\
               #1002,c3@x.no,2026-05-21 10:00:00 +0000,80.60,0.00,,web,,,SUMMER10,1,Shirt,80.60,SH-1,Acme\n";
    import(tmp.path(), &data, "orders_export.csv", csv);
    assert_eq!(check(&data, "SUMMER10", "3")["reason"], "used_up");
    let shown = json(&data, &["--json", "discount", "show", "summer"]);
    assert_eq!(shown["redeemed"], 2, "{shown}");
    // Summed exactly: 120.3 + 80.6 as floats is 200.89999999999998.
    assert_eq!(shown["revenue"], 200.9, "{shown}");
    assert_eq!(shown["issued"], 3);
}

#[test]
fn unique_codes_are_one_per_member_and_download_as_csv_and_for_shopify() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    let d = json(
        &data,
        &[
            "--json",
            "discount",
            "create",
            "Thanks",
            "--segment",
            "VIP",
            "--unique",
            "--prefix",
            "vip-",
            "--length",
            "6",
            "--amount",
            "50",
            "--minimum",
            "200",
        ],
    );
    assert_eq!(d["issued"], 3);
    assert_eq!(d["unique"], true);
    assert_eq!(d["code"], serde_json::Value::Null);
    let csv = stdout(&flokk(&data, &["discount", "codes", "Thanks"]));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "code,customer_id,email,first_name,last_name");
    assert_eq!(lines.len(), 4);
    let mut codes = Vec::new();
    for (line, id) in lines[1..].iter().zip(["1", "2", "3"]) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[1], id);
        assert_eq!(cells[2], format!("c{id}@x.no"));
        assert!(
            cells[0].starts_with("VIP-") && cells[0].len() == 10,
            "{line}"
        );
        assert!(!cells[0][4..].contains(['0', 'O', '1', 'I', 'L']), "{line}");
        codes.push(cells[0].to_owned());
    }
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 3, "every member has a code of their own");
    // A code is for its customer only.
    assert_eq!(check(&data, &codes[0], "4")["reason"], "not_issued");
    let owner = lines[1..]
        .iter()
        .find(|l| l.starts_with(&codes[0]))
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap();
    assert_eq!(check(&data, &codes[0].to_lowercase(), owner)["valid"], true);
    let other = if owner == "1" { "2" } else { "1" };
    assert_eq!(check(&data, &codes[0], other)["reason"], "not_issued");

    let file = tmp.path().join("shopify-discounts.csv");
    let out = flokk(
        &data,
        &[
            "discount",
            "codes",
            "Thanks",
            "--format",
            "shopify",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shopify = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = shopify.lines().collect();
    assert_eq!(lines[0], "Title,Command,Code");
    assert_eq!(lines.len(), 4);
    assert!(lines[1].starts_with("Thanks,MERGE,VIP-"), "{shopify}");
}

#[test]
fn bad_discounts_are_refused_with_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    json(
        &data,
        &[
            "--json",
            "discount",
            "create",
            "Summer",
            "--segment",
            "VIP",
            "--code",
            "SUMMER10",
            "--percent",
            "10",
        ],
    );
    let cases: &[(&[&str], &str)] = &[
        (&["--code", "summer10", "--percent", "5"], "conflict"),
        (&["--code", "NEW10", "--percent", "100.5"], "invalid"),
        (&["--code", "NEW10", "--percent", "0"], "invalid"),
        (&["--code", "NEW10", "--amount=-5"], "invalid"),
        (&["--code", "NEW10", "--amount", "1e3"], "invalid"),
        (&["--code", "NE W", "--percent", "5"], "invalid"),
        (&["--unique", "--length", "3", "--percent", "5"], "invalid"),
        (
            &[
                "--code",
                "NEW10",
                "--percent",
                "5",
                "--starts",
                "2026-07-01",
                "--ends",
                "2026-06-01",
            ],
            "invalid",
        ),
        (
            &["--code", "NEW10", "--percent", "5", "--ends", "someday"],
            "invalid_date",
        ),
    ];
    for (extra, code) in cases {
        let mut args = vec!["--json", "discount", "create", "New", "--segment", "VIP"];
        args.extend_from_slice(extra);
        let e = refused(&data, &args);
        assert_eq!(e["error"]["code"], *code, "{extra:?}: {e}");
    }
    let e = refused(
        &data,
        &[
            "--json",
            "discount",
            "create",
            "New",
            "--segment",
            "Nope",
            "--code",
            "NEW10",
            "--percent",
            "5",
        ],
    );
    assert_eq!(e["error"]["code"], "unknown_segment");
    let e = refused(
        &data,
        &[
            "--json",
            "discount",
            "create",
            "summer",
            "--segment",
            "VIP",
            "--code",
            "NEW10",
            "--percent",
            "5",
        ],
    );
    assert_eq!(e["error"]["code"], "conflict");
    let all = json(&data, &["--json", "discount", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 1, "nothing written: {all}");
    assert_eq!(check(&data, "NEW10", "1")["reason"], "unknown");
    let e = refused(&data, &["--json", "discount", "show", "New"]);
    assert_eq!(e["error"]["code"], "unknown_discount");
}

fn check_subtotal(data: &Path, code: &str, customer: &str, subtotal: &str) -> serde_json::Value {
    json(
        data,
        &[
            "--json",
            "discount",
            "check",
            code,
            "--customer",
            customer,
            "--subtotal",
            subtotal,
        ],
    )
}

#[test]
fn a_minimum_order_is_judged_exactly_against_the_subtotal() {
    let tmp = tempfile::tempdir().unwrap();
    let data = store(tmp.path());
    json(
        &data,
        &[
            "--json",
            "discount",
            "create",
            "Fifty",
            "--segment",
            "VIP",
            "--code",
            "MIN50",
            "--amount",
            "10",
            "--minimum",
            "50",
        ],
    );
    // No subtotal: valid, and the answer says the minimum that applies.
    assert_eq!(
        check(&data, "MIN50", "1"),
        serde_json::json!({"valid": true, "reason": null, "minimum": "50.00"})
    );
    let out = flokk(&data, &["discount", "check", "MIN50", "--customer", "1"]);
    assert_eq!(stdout(&out).trim(), "valid (minimum order subtotal 50.00)");
    // One cent short is below; exactly the minimum is enough (as money, not
    // floats: 49.99 + 0.01 = 50).
    assert_eq!(
        check_subtotal(&data, "MIN50", "1", "49.99"),
        serde_json::json!({"valid": false, "reason": "below_minimum", "minimum": "50.00"})
    );
    assert_eq!(check_subtotal(&data, "MIN50", "1", "50")["valid"], true);
    assert_eq!(check_subtotal(&data, "MIN50", "1", "50.00")["valid"], true);
    assert_eq!(check_subtotal(&data, "min50", "2", "1250.5")["valid"], true);
    // The customer's own reasons come first: the minimum is the one reason
    // left to fix in the cart.
    assert_eq!(
        check_subtotal(&data, "MIN50", "4", "10")["reason"],
        "not_issued"
    );
    assert_eq!(
        check_subtotal(&data, "NOPE", "1", "10"),
        serde_json::json!({"valid": false, "reason": "unknown", "minimum": null})
    );
    // More decimals than the currency has, negative or not a number: refused.
    for bad in ["10.005", "-5", "ten", "1e3", ""] {
        let e = refused(
            &data,
            &[
                "--json",
                "discount",
                "check",
                "MIN50",
                "--customer",
                "1",
                "--subtotal",
                bad,
            ],
        );
        assert_eq!(e["error"]["code"], "invalid_subtotal", "{bad}: {e}");
    }
    let e = refused(
        &data,
        &[
            "--json",
            "discount",
            "check",
            "MIN50",
            "--customer",
            "1",
            "--subtotal",
            "10.005",
        ],
    );
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2 decimal places"),
        "{e}"
    );
    // A discount without a minimum takes any subtotal.
    json(
        &data,
        &[
            "--json",
            "discount",
            "create",
            "Any",
            "--segment",
            "VIP",
            "--code",
            "ANY5",
            "--percent",
            "5",
        ],
    );
    assert_eq!(
        check_subtotal(&data, "ANY5", "1", "0.01"),
        serde_json::json!({"valid": true, "reason": null, "minimum": null})
    );
    // In yen (no decimals) the minimum shows whole and a subtotal with
    // decimals is refused.
    let out = flokk(&data, &["config", "set", "currency", "JPY"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(check(&data, "MIN50", "1")["minimum"], "50");
    assert_eq!(
        check_subtotal(&data, "MIN50", "1", "49")["reason"],
        "below_minimum"
    );
    let e = refused(
        &data,
        &[
            "--json",
            "discount",
            "check",
            "MIN50",
            "--customer",
            "1",
            "--subtotal",
            "50.5",
        ],
    );
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no decimal places"),
        "{e}"
    );
}

#[test]
fn codes_for_shopify_graphql_come_in_batches_of_250() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let lines: Vec<String> = (1..=260)
        .map(|i| format!(r#"{{"kind":"customer","id":"{i}","tags":["vip"]}}"#))
        .collect();
    import(tmp.path(), &data, "c.ndjson", &lines.join("\n"));
    let out = flokk(
        &data,
        &[
            "segment",
            "create",
            "VIP",
            "--query",
            "customer_tags CONTAINS 'vip'",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    json(
        &data,
        &[
            "--json",
            "discount",
            "create",
            "Thanks",
            "--segment",
            "VIP",
            "--unique",
            "--amount",
            "5",
        ],
    );
    let csv = stdout(&flokk(&data, &["discount", "codes", "Thanks"]));
    let mut issued: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
    issued.sort();
    let out = flokk(
        &data,
        &[
            "discount",
            "codes",
            "Thanks",
            "--format",
            "shopify-graphql",
            "--shopify-discount-id",
            "1057371",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let batches: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(batches.len(), 2);
    assert_eq!(batches[0]["codes"].as_array().unwrap().len(), 250);
    assert_eq!(batches[1]["codes"].as_array().unwrap().len(), 10);
    let mut sent: Vec<String> = Vec::new();
    for b in &batches {
        assert_eq!(b["discountId"], "gid://shopify/DiscountCodeNode/1057371");
        assert_eq!(b.as_object().unwrap().len(), 2, "{b}");
        for c in b["codes"].as_array().unwrap() {
            assert_eq!(c.as_object().unwrap().len(), 1, "{c}");
            sent.push(c["code"].as_str().unwrap().to_owned());
        }
    }
    sent.sort();
    assert_eq!(sent, issued, "every issued code once");
    // Without the Shopify discount the lines carry the codes alone.
    let out = flokk(
        &data,
        &["discount", "codes", "Thanks", "--format", "shopify-graphql"],
    );
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(
        first.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["codes"]
    );
    // A Shopify id that is not one, or with another format: refused.
    for args in [
        &[
            "--format",
            "shopify-graphql",
            "--shopify-discount-id",
            "gid://shopify/Product/1",
        ][..],
        &["--format", "csv", "--shopify-discount-id", "1"][..],
    ] {
        let mut all = vec!["--json", "discount", "codes", "Thanks"];
        all.extend_from_slice(args);
        let e = refused(&data, &all);
        assert_eq!(e["error"]["code"], "bad_arguments", "{args:?}: {e}");
    }
}
