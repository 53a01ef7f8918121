//! The Shopify CSV readers against hand-written fixtures in
//! `tests/fixtures/shopify/`: every record field by field, every error's
//! line, column and reason, and format detection for each file.

use flokk_model::{
    Address, Channel, Customer, Order, OrderLine, PropertyValue, SubscriptionStatus,
};
use flokk_store::shopify::{
    HeaderError, ReadError, RowError, ShopifyFormat, ShopifyReader, ShopifyRecord, detect,
    detect_format,
};
use std::io::Read;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/shopify/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// An item with the line the reader reports for it.
type Item = (u64, Result<ShopifyRecord, RowError>);

/// Every item of a file.
fn read_all(name: &str) -> (ShopifyFormat, Vec<Item>) {
    let data = fixture(name);
    let mut reader = ShopifyReader::new(&data[..], None).unwrap();
    let format = reader.format();
    let mut items = Vec::new();
    while let Some(item) = reader.next() {
        let item = item.map_err(|e| match e {
            ReadError::Row(e) => e,
            ReadError::Io(e) => panic!("I/O error reading {name}: {e}"),
        });
        items.push((reader.line(), item));
    }
    (format, items)
}

fn customer(item: &Result<ShopifyRecord, RowError>) -> &Customer {
    match item {
        Ok(ShopifyRecord::Customer(c)) => c,
        other => panic!("expected a customer, got {other:?}"),
    }
}

fn order(item: &Result<ShopifyRecord, RowError>) -> (&Order, Option<&str>) {
    match item {
        Ok(ShopifyRecord::Order { order, email }) => (order, email.as_deref()),
        other => panic!("expected an order, got {other:?}"),
    }
}

fn error(item: &Result<ShopifyRecord, RowError>) -> &RowError {
    match item {
        Err(e) => e,
        Ok(r) => panic!("expected an error, got {r:?}"),
    }
}

fn assert_error(item: &Item, line: u64, field: Option<&str>, reason: &str) {
    let e = error(&item.1);
    assert_eq!(
        (e.line, e.field.as_deref(), e.reason.as_str()),
        (line, field, reason),
        "{e:?}"
    );
}

fn date(s: &str) -> PropertyValue {
    PropertyValue::Date(s.parse().unwrap())
}

fn props(pairs: &[(&str, PropertyValue)]) -> flokk_model::Properties {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

#[test]
fn customers_export_is_read_field_by_field() {
    let (format, items) = read_all("customers_export.csv");
    assert_eq!(format, ShopifyFormat::Customers);
    // Line 7 holds only commas and is skipped.
    assert_eq!(
        items.iter().map(|i| i.0).collect::<Vec<_>>(),
        vec![2, 3, 6, 8]
    );

    let ann = Customer {
        id: "5012345678901".into(),
        email: s("ann@example.no"),
        phone: s("+4791234567"),
        first_name: s("Ann"),
        last_name: s("Berg"),
        email_subscription: Some(SubscriptionStatus::Subscribed),
        sms_subscription: Some(SubscriptionStatus::NotSubscribed),
        tags: vec!["vip".into(), "newsletter".into()],
        note: s("Prefers pickup, not delivery"),
        tax_exempt: false,
        addresses: vec![Address {
            company: s("Berg & Co, AS"),
            address1: s("Karl Johans gate 1"),
            city: s("Oslo"),
            country: s("NO"),
            zip: s("0154"),
            phone: s("+4722000000"),
            default: true,
            ..Address::default()
        }],
        properties: props(&[
            ("shopify.total_spent", PropertyValue::Number(1249.5)),
            ("shopify.total_orders", PropertyValue::Number(3.0)),
            ("facts.birth_date", date("1988-04-12")),
            ("loyalty.points", PropertyValue::Number(120.0)),
            ("loyalty.member", PropertyValue::Boolean(true)),
            ("custom.shoe_size", PropertyValue::String("0042".into())),
        ]),
        ..Customer::default()
    };
    assert_eq!(customer(&items[0].1), &ann);

    let john = Customer {
        id: "5012345678902".into(),
        email: s("john.smith@example.com"),
        first_name: s("John"),
        last_name: s("Smith"),
        email_subscription: Some(SubscriptionStatus::NotSubscribed),
        sms_subscription: Some(SubscriptionStatus::Subscribed),
        tags: vec!["wholesale".into(), "Boston".into(), "VIP".into()],
        // CRLF inside the quoted note becomes \n; doubled quotes are one.
        note: s("Called twice.\nAsked about sizing,\nsee \"ticket\" 42"),
        tax_exempt: true,
        addresses: vec![Address {
            address1: s("12 Beacon St, Apt 4"),
            city: s("Boston"),
            region: s("US-MA"),
            country: s("US"),
            zip: s("02108"),
            default: true,
            ..Address::default()
        }],
        properties: props(&[
            ("shopify.total_spent", PropertyValue::Number(0.0)),
            ("shopify.total_orders", PropertyValue::Number(0.0)),
        ]),
        ..Customer::default()
    };
    assert_eq!(customer(&items[1].1), &john);
    assert_eq!(
        customer(&items[1].1).addresses[0].region_code().as_deref(),
        Some("US-MA")
    );

    // Empty yes/no cells leave the consent unknown; no address cells, no address.
    let kari = Customer {
        id: "5012345678903".into(),
        email: s("kari@example.no"),
        first_name: s("Kari"),
        ..Customer::default()
    };
    assert_eq!(customer(&items[2].1), &kari);

    let emile = Customer {
        id: "5012345678904".into(),
        email: s("emile@example.fr"),
        phone: s("+33610826417"),
        first_name: s("Émile"),
        last_name: s("Dubois"),
        email_subscription: Some(SubscriptionStatus::Subscribed),
        sms_subscription: Some(SubscriptionStatus::NotSubscribed),
        tags: vec!["Tromsø".into()],
        addresses: vec![Address {
            address1: s("3 rue de Berri"),
            city: s("Paris"),
            country: s("FR"),
            zip: s("75008"),
            default: true,
            ..Address::default()
        }],
        properties: props(&[
            ("shopify.total_spent", PropertyValue::Number(89.9)),
            ("shopify.total_orders", PropertyValue::Number(1.0)),
            // Not a real day, so it stays text.
            (
                "facts.birth_date",
                PropertyValue::String("1990-02-30".into()),
            ),
            ("loyalty.points", PropertyValue::Number(-3.5)),
            ("loyalty.member", PropertyValue::Boolean(false)),
        ]),
        ..Customer::default()
    };
    assert_eq!(customer(&items[3].1), &emile);
}

#[test]
fn customers_export_header_loses_its_bom() {
    let data = fixture("customers_export.csv");
    assert!(data.starts_with(b"\xEF\xBB\xBF"));
    let reader = ShopifyReader::new(&data[..], None).unwrap();
    assert_eq!(&reader.header()[0], "Customer ID");
    assert!(
        reader
            .header_text()
            .starts_with("Customer ID,First Name,Last Name,Email,")
    );
    assert!(
        reader
            .header_text()
            .ends_with("(customer.metafields.custom.shoe_size)")
    );
    assert_eq!(reader.header().len(), 24);
    assert_eq!(reader.line(), 1);
}

#[test]
fn import_template_derives_ids_from_email_then_phone() {
    let (format, items) = read_all("customer_template.csv");
    assert_eq!(format, ShopifyFormat::CustomerTemplate);
    assert_eq!(items.len(), 4);

    let ann = Customer {
        id: "ann.berg@example.no".into(),
        email: s("Ann.Berg@Example.NO"),
        phone: s("+4791234567"),
        first_name: s("Ann"),
        last_name: s("Berg"),
        email_subscription: Some(SubscriptionStatus::Subscribed),
        sms_subscription: Some(SubscriptionStatus::NotSubscribed),
        tags: vec!["vip".into(), "newsletter".into()],
        addresses: vec![Address {
            address1: s("Karl Johans gate 1"),
            city: s("Oslo"),
            region: s("NO-03"),
            country: s("NO"),
            zip: s("0154"),
            default: true,
            ..Address::default()
        }],
        ..Customer::default()
    };
    assert_eq!(items[0].0, 2);
    assert_eq!(customer(&items[0].1), &ann);

    let ola = Customer {
        id: "+4798765432".into(),
        phone: s("+4798765432"),
        first_name: s("Ola"),
        last_name: s("Nordmann"),
        sms_subscription: Some(SubscriptionStatus::Subscribed),
        note: s("Walk-in, no email"),
        ..Customer::default()
    };
    assert_eq!(items[1].0, 3);
    assert_eq!(customer(&items[1].1), &ola);

    assert_error(
        &items[2],
        4,
        Some("Email"),
        "the row has neither Email nor Phone, so no customer id can be derived",
    );
    assert_eq!(
        error(&items[2].1).raw,
        ",Nobody,Known,,no,no,,,,,,,,,,,,migration"
    );

    let bjorn = Customer {
        id: "bjorn@example.no".into(),
        email: s("bjorn@example.no"),
        first_name: s("Bjørn"),
        last_name: s("Ås"),
        email_subscription: Some(SubscriptionStatus::NotSubscribed),
        tax_exempt: true,
        addresses: vec![Address {
            address1: s("Storgata 5"),
            city: s("Tromsø"),
            region: s("NO-54"),
            country: s("NO"),
            zip: s("9008"),
            default: true,
            ..Address::default()
        }],
        ..Customer::default()
    };
    assert_eq!(items[3].0, 5);
    assert_eq!(customer(&items[3].1), &bjorn);
}

fn ts(s: &str) -> flokk_model::Timestamp {
    s.parse().unwrap()
}

fn line(
    product: &str,
    title: &str,
    sku: Option<&str>,
    vendor: Option<&str>,
    q: i64,
    p: f64,
) -> OrderLine {
    OrderLine {
        product_id: s(product),
        title: s(title),
        sku: sku.map(str::to_owned),
        vendor: vendor.map(str::to_owned),
        quantity: q,
        price: flokk_model::Money::from_f64(p).unwrap(),
        ..OrderLine::default()
    }
}

#[test]
fn orders_export_groups_line_item_rows_into_orders() {
    let (format, items) = read_all("orders_export.csv");
    assert_eq!(format, ShopifyFormat::Orders);
    // #1001 spans lines 2-4 (a multi-line note on its first row).
    assert_eq!(
        items.iter().map(|i| i.0).collect::<Vec<_>>(),
        vec![2, 5, 6, 7, 10]
    );

    let (o, email) = order(&items[0].1);
    assert_eq!(email, Some("ann@example.no"));
    assert_eq!(
        o,
        &Order {
            id: "5550001001".into(),
            customer_id: String::new(),
            placed_at: ts("2024-03-01T11:30:45Z"),
            total: flokk_model::Money::parse("128.90").unwrap(),
            refunded: flokk_model::Money::parse("0.0").unwrap(),
            cancelled: false,
            channel: Some(Channel::Online),
            location_id: None,
            app_id: s("web"),
            tags: vec!["summer".into(), "first order".into()],
            discount_codes: Vec::new(),
            lines: vec![
                line(
                    "SHORT-01",
                    "Summer shorts",
                    Some("SHORT-01"),
                    Some("Acme"),
                    2,
                    49.95
                ),
                // No SKU: the name stands in for the product id.
                line(
                    "Sun hat, wide brim",
                    "Sun hat, wide brim",
                    None,
                    Some("Acme"),
                    1,
                    29.0
                ),
            ],
        }
    );

    let (o, email) = order(&items[1].1);
    assert_eq!(email, None);
    assert_eq!(
        o,
        &Order {
            id: "5550001002".into(),
            placed_at: ts("2024-03-02T08:15:00Z"),
            total: flokk_model::Money::parse("59.0").unwrap(),
            channel: Some(Channel::Pos),
            location_id: s("Oslo Store"),
            app_id: s("pos"),
            lines: vec![line(
                "SOCK-3",
                "Wool socks",
                Some("SOCK-3"),
                Some("Nordic Knit"),
                1,
                59.0
            )],
            ..Order::default()
        }
    );

    let (o, email) = order(&items[2].1);
    assert_eq!(email, Some("John.Smith@example.com"));
    assert_eq!(
        o,
        &Order {
            id: "5550001003".into(),
            placed_at: ts("2024-03-03T23:00:00Z"),
            total: flokk_model::Money::parse("80.0").unwrap(),
            cancelled: true,
            channel: None,
            app_id: s("shopify_draft_order"),
            lines: vec![line(
                "JACKET-9",
                "Rain jacket",
                Some("JACKET-9"),
                Some("Acme"),
                1,
                80.0
            )],
            ..Order::default()
        }
    );

    let (o, email) = order(&items[3].1);
    assert_eq!(email, Some("ann@example.no"));
    assert_eq!(
        o,
        &Order {
            id: "5550001004".into(),
            placed_at: ts("2024-04-10T06:05:00Z"),
            total: flokk_model::Money::parse("150.0").unwrap(),
            refunded: flokk_model::Money::parse("49.95").unwrap(),
            channel: Some(Channel::App),
            app_id: s("iphone"),
            tags: vec!["app".into()],
            lines: vec![
                line(
                    "SHIRT-L",
                    "Linen shirt",
                    Some("SHIRT-L"),
                    Some("Acme"),
                    1,
                    70.0
                ),
                line(
                    "SHORT-01",
                    "Summer shorts",
                    Some("SHORT-01"),
                    Some("Acme"),
                    1,
                    49.95
                ),
                line("Gift card", "Gift card", None, None, 3, 10.0),
            ],
            ..Order::default()
        }
    );

    let (o, email) = order(&items[4].1);
    assert_eq!(email, Some("kari@example.no"));
    assert_eq!(
        o,
        &Order {
            id: "5550001005".into(),
            placed_at: ts("2024-05-01T08:00:00Z"),
            total: flokk_model::Money::parse("19.9").unwrap(),
            channel: None,
            app_id: s("580111"),
            lines: vec![line(
                "LACE-1",
                "Laces",
                Some("LACE-1"),
                Some("Acme"),
                1,
                19.9
            )],
            ..Order::default()
        }
    );
}

#[test]
fn orders_without_id_column_use_the_name() {
    let (format, items) = read_all("orders_without_id.csv");
    assert_eq!(format, ShopifyFormat::Orders);
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].0, 2);
    let (o, email) = order(&items[0].1);
    assert_eq!(email, Some("ola@example.no"));
    assert_eq!(
        o,
        &Order {
            id: "#2001".into(),
            placed_at: ts("2024-06-01T12:00:00Z"),
            total: flokk_model::Money::parse("10.0").unwrap(),
            channel: Some(Channel::Online),
            app_id: s("web"),
            lines: vec![line("Sticker", "Sticker", None, None, 2, 5.0)],
            ..Order::default()
        }
    );
    assert_eq!(items[1].0, 3);
    let (o, email) = order(&items[1].1);
    assert_eq!(email, None);
    assert_eq!(
        o,
        &Order {
            id: "#2002".into(),
            placed_at: ts("2024-06-02T12:00:00Z"),
            total: flokk_model::Money::parse("0.0").unwrap(),
            lines: vec![line("Free sample", "Free sample", None, None, 1, 0.0)],
            ..Order::default()
        }
    );
}

#[test]
fn bad_customer_rows_are_reported_and_reading_goes_on() {
    let (format, items) = read_all("customers_bad.csv");
    assert_eq!(format, ShopifyFormat::Customers);
    assert_eq!(items.len(), 10);
    assert_eq!(customer(&items[0].1).id, "1001");
    assert_error(
        &items[1],
        3,
        Some("Accepts Email Marketing"),
        "'maybe' is neither 'yes' nor 'no'",
    );
    assert_eq!(
        error(&items[1].1).raw,
        "'1002,Maybe,Marketing,maybe@example.no,maybe,,,,,,,,,,no,10.00,1,,no,"
    );
    assert_error(
        &items[2],
        4,
        Some("Total Spent"),
        "'12,50' is not an amount like 49.95",
    );
    assert_error(
        &items[3],
        5,
        Some("Customer ID"),
        "the customer id is empty",
    );
    assert_error(
        &items[4],
        6,
        None,
        "the row has 5 cells but the header has 20 columns",
    );
    assert_eq!(
        error(&items[4].1).raw,
        "'1005,Short,Row,short@example.no,yes"
    );
    assert_error(
        &items[5],
        7,
        Some("First Name"),
        "the cell is not valid UTF-8 (bad byte at position 2); save the file as UTF-8",
    );
    // The raw text keeps the row, the bad byte replaced.
    assert!(
        error(&items[5].1)
            .raw
            .starts_with("'1006,J\u{FFFD}rn,Latin1,")
    );
    assert_error(
        &items[6],
        8,
        Some("Default Address Country Code"),
        "'NOR' is not an ISO 3166-1 alpha-2 country code",
    );
    let after = customer(&items[7].1);
    assert_eq!(after.id, "1008");
    assert_eq!(
        after.email_subscription,
        Some(SubscriptionStatus::NotSubscribed)
    );
    assert!(after.properties.is_empty());
    assert_error(
        &items[8],
        10,
        Some("Total Orders"),
        "'2.5' is not a whole number >= 0",
    );
    assert_error(
        &items[9],
        11,
        None,
        "a quoted cell is never closed: it runs to the end of the file (missing '\"')",
    );
    // The open quote swallowed the last row, which is part of the raw text.
    assert!(
        error(&items[9].1)
            .raw
            .ends_with("'1011,Swallowed,Row,swallowed@example.no,yes,,,,,,,,,,no,10.00,1,,no,")
    );
    assert_eq!(
        error(&items[9].1).to_string().lines().next(),
        Some(
            "line 11: a quoted cell is never closed: it runs to the end of the file (missing '\"')"
        )
    );
}

#[test]
fn bad_order_rows_reject_the_whole_order() {
    let (format, items) = read_all("orders_bad.csv");
    assert_eq!(format, ShopifyFormat::Orders);
    let text = String::from_utf8(fixture("orders_bad.csv")).unwrap();
    let file_lines: Vec<&str> = text.lines().collect();
    let rows = |from: usize, to: usize| file_lines[from - 1..to].join("\n");
    assert_eq!(items.len(), 11);

    assert_error(
        &items[0],
        2,
        Some("Total"),
        "'abc' is not an amount like 49.95",
    );
    assert_eq!(error(&items[0].1).raw, rows(2, 3));
    assert_eq!(
        error(&items[0].1).to_string(),
        "line 2: column 'Total': 'abc' is not an amount like 49.95"
    );

    assert_eq!(items[1].0, 4);
    let (o, email) = order(&items[1].1);
    assert_eq!(
        (o.id.as_str(), email, o.lines.len()),
        ("3002", Some("b@example.no"), 1)
    );

    assert_error(
        &items[2],
        5,
        Some("Created at"),
        "'2024-13-01 10:00:00 +0100' is not a time like 2024-03-01 12:30:45 +0100 (with its UTC offset)",
    );
    // The reader's line is the order's first row; the error's the bad row.
    assert_eq!(items[3].0, 6);
    assert_error(
        &items[3],
        7,
        Some("Lineitem quantity"),
        "'two' is not a whole number >= 0",
    );
    assert_eq!(error(&items[3].1).raw, rows(6, 7));

    assert_error(
        &items[4],
        8,
        None,
        "the row has 3 cells but the header has 13 columns",
    );
    assert_eq!(error(&items[4].1).raw, rows(8, 9));

    assert_error(
        &items[5],
        10,
        Some("Name"),
        "the order name (like #1001) is empty",
    );
    assert_eq!(error(&items[5].1).raw, rows(10, 10));
    assert_error(
        &items[6],
        11,
        Some("Cancelled at"),
        "'yesterday' is not a time like 2024-03-01 12:30:45 +0100 (with its UTC offset)",
    );
    assert_error(
        &items[7],
        12,
        Some("Created at"),
        "'Created at' is empty on the order's first row (Shopify fills the order columns on the \
         first row of each order)",
    );
    assert_eq!(items[8].0, 13);
    let (o, _) = order(&items[8].1);
    assert_eq!(
        (o.id.as_str(), o.refunded, o.total),
        (
            "3009",
            flokk_model::Money::ZERO,
            flokk_model::Money::from_whole(29)
        )
    );
    assert_error(&items[9], 14, Some("Refunded Amount"), "-5.00 is negative");
    assert_error(
        &items[10],
        15,
        Some("Lineitem name"),
        "the line item has neither a name nor a SKU to identify the product",
    );
}

#[test]
fn each_fixture_is_detected() {
    let cases = [
        ("customers_export.csv", Some(ShopifyFormat::Customers)),
        ("customers_bad.csv", Some(ShopifyFormat::Customers)),
        (
            "customer_template.csv",
            Some(ShopifyFormat::CustomerTemplate),
        ),
        ("orders_export.csv", Some(ShopifyFormat::Orders)),
        ("orders_without_id.csv", Some(ShopifyFormat::Orders)),
        ("orders_bad.csv", Some(ShopifyFormat::Orders)),
        ("orders_missing_columns.csv", Some(ShopifyFormat::Orders)),
        ("not_shopify.csv", None),
    ];
    for (name, want) in cases {
        let data = fixture(name);
        let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&data);
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(data);
        let header = csv.records().next().unwrap().unwrap();
        assert_eq!(detect(&header), want, "{name}");
    }
}

#[test]
fn missing_required_columns_are_named() {
    let data = fixture("orders_missing_columns.csv");
    let err = ShopifyReader::new(&data[..], None).err().unwrap();
    match &err {
        HeaderError::MissingColumns { format, missing } => {
            assert_eq!(*format, ShopifyFormat::Orders);
            assert_eq!(missing, &["Created at", "Total"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "line 1: the Shopify orders export file lacks the required column(s) 'Created at', 'Total'"
    );
    let header = csv::StringRecord::from(vec!["Name", "Email", "Lineitem name"]);
    assert!(matches!(
        detect_format(&header),
        Err(HeaderError::MissingColumns { .. })
    ));
}

#[test]
fn unknown_empty_and_forced_formats() {
    let data = fixture("not_shopify.csv");
    let err = ShopifyReader::new(&data[..], None).err().unwrap();
    assert!(matches!(err, HeaderError::UnknownFormat { .. }), "{err:?}");
    assert!(err.to_string().contains("header: id,email,amount"), "{err}");

    assert!(matches!(
        ShopifyReader::new(&b""[..], None).err().unwrap(),
        HeaderError::Empty
    ));
    assert!(matches!(
        ShopifyReader::new(&b"\xEF\xBB\xBF"[..], None)
            .err()
            .unwrap(),
        HeaderError::Empty
    ));
    assert!(matches!(
        ShopifyReader::new(&b"Customer ID,E\xffmail\n"[..], None)
            .err()
            .unwrap(),
        HeaderError::NotUtf8
    ));

    // A format given by the caller is checked against the header.
    let data = fixture("customers_export.csv");
    match ShopifyReader::new(&data[..], Some(ShopifyFormat::Orders))
        .err()
        .unwrap()
    {
        HeaderError::MissingColumns {
            format: ShopifyFormat::Orders,
            missing,
        } => {
            assert_eq!(
                missing,
                [
                    "Name",
                    "Created at",
                    "Total",
                    "Lineitem quantity",
                    "Lineitem name",
                    "Lineitem price"
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    // Reading the export as the template ignores its id and totals.
    let mut reader = ShopifyReader::new(&data[..], Some(ShopifyFormat::CustomerTemplate)).unwrap();
    let first = customer(
        &reader
            .next()
            .unwrap()
            .map_err(|e| e.as_row().cloned().unwrap()),
    )
    .clone();
    assert_eq!(first.id, "ann@example.no");
    assert!(!first.properties.contains_key("shopify.total_spent"));
}

/// Fails after handing out `ok` bytes.
struct FailingAfter<'a> {
    data: &'a [u8],
    ok: usize,
}

impl Read for FailingAfter<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.ok == 0 {
            return Err(std::io::Error::other("disk on fire"));
        }
        let n = buf.len().min(self.ok).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        self.ok -= n;
        Ok(n)
    }
}

#[test]
fn an_io_error_ends_reading_without_a_half_order() {
    let data = fixture("orders_export.csv");
    // Stop in the middle of order #1004 (its first row is line 7).
    let cut = data
        .split(|b| *b == b'\n')
        .take(7)
        .map(|l| l.len() + 1)
        .sum::<usize>()
        + 20;
    let mut reader = ShopifyReader::new(
        FailingAfter {
            data: &data,
            ok: cut,
        },
        None,
    )
    .unwrap();
    let mut ids = Vec::new();
    let mut io_errors = 0;
    for item in reader.by_ref() {
        match item {
            Ok(ShopifyRecord::Order { order, .. }) => ids.push(order.id),
            Ok(other) => panic!("{other:?}"),
            Err(ReadError::Io(e)) => {
                assert_eq!(e.to_string(), "disk on fire");
                io_errors += 1;
            }
            Err(ReadError::Row(e)) => panic!("{e}"),
        }
    }
    assert_eq!(ids, ["5550001001", "5550001002", "5550001003"]);
    assert_eq!(io_errors, 1);
    assert!(reader.next().is_none());
}

fn read_bytes(data: &[u8]) -> Vec<Result<ShopifyRecord, RowError>> {
    let reader = ShopifyReader::new(data, None).unwrap();
    reader
        .map(|item| item.map_err(|e| e.as_row().cloned().unwrap()))
        .collect()
}

#[test]
fn orders_sharing_a_name_are_split_by_id_and_email_comes_from_any_row() {
    let items = read_bytes(
        b"Name,Id,Email,Created at,Total,Lineitem quantity,Lineitem name,Lineitem price\n\
          #1,11,,2024-01-01 10:00:00 +0000,5.00,1,A,5.00\n\
          #1,11,late@example.no,,,1,B,0\n\
          #1,12,other@example.no,2024-01-02 10:00:00 +0000,7.00,1,C,7.00\n",
    );
    assert_eq!(items.len(), 2);
    let (first, email) = order(&items[0]);
    assert_eq!(
        (first.id.as_str(), email, first.lines.len()),
        ("11", Some("late@example.no"), 2)
    );
    let (second, email) = order(&items[1]);
    assert_eq!(
        (second.id.as_str(), email, second.total),
        (
            "12",
            Some("other@example.no"),
            flokk_model::Money::from_whole(7)
        )
    );
}

#[test]
fn column_names_match_in_any_case_and_with_spaces() {
    let items = read_bytes(b" customer id ,EMAIL,accepts email marketing\n'7,a@example.no,YES\n");
    let c = customer(&items[0]);
    assert_eq!(c.id, "7");
    assert_eq!(c.email.as_deref(), Some("a@example.no"));
    assert_eq!(c.email_subscription, Some(SubscriptionStatus::Subscribed));
}

#[test]
fn trailing_empty_cells_beyond_the_header_are_tolerated_but_content_is_not() {
    let items = read_bytes(b"Customer ID,Email\n1,a@example.no,,\n2,b@example.no,oops\n");
    assert_eq!(customer(&items[0]).id, "1");
    let e = error(&items[1]);
    assert_eq!(
        (e.line, e.reason.as_str()),
        (3, "the row has 3 cells but the header has 2 columns")
    );
}

#[test]
fn ids_rounded_by_a_spreadsheet_are_refused() {
    let items = read_bytes(b"Customer ID,Email\n5.01235E+12,a@example.no\n");
    assert_error(
        &(2, items[0].clone()),
        2,
        Some("Customer ID"),
        "'5.01235E+12' is an id rounded by a spreadsheet; export the file again and do not save \
         it from a spreadsheet",
    );
}

#[test]
fn a_reject_file_of_header_and_raw_rows_reads_back_to_the_same_errors() {
    let data = fixture("orders_bad.csv");
    let mut reader = ShopifyReader::new(&data[..], None).unwrap();
    let mut reject = format!("{}\n", reader.header_text());
    let mut reasons = Vec::new();
    for item in reader.by_ref() {
        if let Err(ReadError::Row(e)) = item {
            reject.push_str(&e.raw);
            reject.push('\n');
            reasons.push((e.field, e.reason));
        }
    }
    let again: Vec<_> = read_bytes(reject.as_bytes())
        .into_iter()
        .map(|item| {
            let e = item.unwrap_err();
            (e.field, e.reason)
        })
        .collect();
    assert_eq!(again, reasons);
}

#[test]
fn the_reader_can_move_to_another_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<ShopifyReader<std::fs::File>>();
    assert_send::<ReadError>();
}
