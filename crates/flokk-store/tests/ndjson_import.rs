//! NDJSON import: upserts, deletes, stub customers, all-or-nothing files,
//! skip-invalid, and dump → import round trips.

use flokk_model::{ParseOptions, RecordKind};
use flokk_store::{ImportError, ImportOptions, ImportSummary, NdjsonReader, RejectedRow, Store};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn import_with(
    store: &Store,
    text: &str,
    options: ImportOptions,
) -> (Result<ImportSummary, ImportError>, Vec<RejectedRow>) {
    let mut rejected = Vec::new();
    let reader = NdjsonReader::new(text.as_bytes(), ParseOptions::default());
    let result =
        flokk_store::import_rows(store, reader, options, &mut |r| rejected.push(r.clone()));
    (result, rejected)
}

fn import(store: &Store, text: &str) -> ImportSummary {
    let (result, rejected) = import_with(store, text, ImportOptions::default());
    assert!(rejected.is_empty(), "{rejected:?}");
    result.unwrap()
}

fn dump(store: &Store) -> String {
    let mut out = Vec::new();
    flokk_store::dump(store, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

const SPEC: &str = include_str!("fixtures/spec_example.ndjson");

#[test]
fn the_spec_example_imports_and_round_trips() {
    let (_d, s) = store();
    let summary = import(&s, SPEC);
    assert_eq!(summary.imported[&RecordKind::Customer], 1);
    assert_eq!(summary.imported[&RecordKind::Order], 2);
    assert_eq!(summary.imported[&RecordKind::EmailEvent], 2);
    assert_eq!(
        s.customer_count().unwrap(),
        2,
        "order 5002 created customer 2002"
    );
    let first = dump(&s);
    let (_d2, s2) = store();
    import(&s2, &first);
    let second = dump(&s2);
    assert_eq!(first, second);
    // The dump holds every record of the input (plus the stub customer).
    assert_eq!(first.lines().count(), SPEC.lines().count() + 1);
    assert!(
        first.contains(r#""properties":{"custom.favorite_color":"blue""#),
        "{first}"
    );
}

#[test]
fn customers_upsert_and_replace_their_lists() {
    let (_d, s) = store();
    import(
        &s,
        r#"{"kind":"customer","id":"1","tags":["a","b"],"addresses":[{"city":"Oslo","country":"NO"}]}"#,
    );
    import(
        &s,
        r#"{"kind":"customer","id":"1","tags":["c"],"email":"x@y.no"}"#,
    );
    let p = s.customer_profile("1").unwrap().unwrap();
    assert_eq!(p.customer.tags, vec!["c"]);
    assert!(p.customer.addresses.is_empty());
    assert_eq!(p.customer.email.as_deref(), Some("x@y.no"));
    assert_eq!(s.customer_count().unwrap(), 1);
}

#[test]
fn orders_upsert_with_their_lines_and_may_move_customer() {
    let (_d, s) = store();
    import(
        &s,
        r#"{"kind":"order","id":"o1","customer_id":"a","placed_at":"2025-01-01T00:00:00Z","total":10,"lines":[{"product_id":"p1"},{"product_id":"p2"}]}"#,
    );
    import(
        &s,
        r#"{"kind":"order","id":"o1","customer_id":"b","placed_at":"2025-01-02T00:00:00Z","total":20,"lines":[{"product_id":"p3","quantity":3}]}"#,
    );
    assert!(s.customer_profile("a").unwrap().unwrap().orders.is_empty());
    let b = s.customer_profile("b").unwrap().unwrap();
    assert_eq!(b.orders.len(), 1);
    assert_eq!(b.orders[0].total, flokk_model::Money::from_whole(20));
    assert_eq!(b.orders[0].lines.len(), 1);
    assert_eq!(b.orders[0].lines[0].product_id.as_deref(), Some("p3"));
    assert_eq!(b.orders[0].lines[0].quantity, 3);
}

#[test]
fn events_with_ids_upsert_and_without_ids_append() {
    let (_d, s) = store();
    let ev = |id: &str, t: &str| {
        let id = if id.is_empty() {
            String::new()
        } else {
            format!(r#""id":"{id}","#)
        };
        format!(
            r#"{{"kind":"email_event",{id}"customer_id":"1","type":"{t}","at":"2025-01-01T00:00:00Z"}}"#
        )
    };
    import(
        &s,
        &[ev("e1", "opened"), ev("", "opened"), ev("", "opened")].join("\n"),
    );
    import(&s, &[ev("e1", "clicked"), ev("", "opened")].join("\n"));
    let p = s.customer_profile("1").unwrap().unwrap();
    assert_eq!(p.email_events.len(), 4);
    let e1 = p
        .email_events
        .iter()
        .find(|e| e.id.as_deref() == Some("e1"))
        .unwrap();
    assert_eq!(e1.event_type.as_str(), "clicked");
}

#[test]
fn deleting_a_customer_removes_everything_of_theirs() {
    let (_d, s) = store();
    import(&s, SPEC);
    let before = s.sequence().unwrap();
    import(&s, r#"{"kind":"delete","entity":"customer","id":"1001"}"#);
    assert!(s.customer_profile("1001").unwrap().is_none());
    let counts: std::collections::BTreeMap<_, _> = s.table_counts().unwrap().into_iter().collect();
    assert_eq!(counts["customers"], 1);
    assert_eq!(
        counts["orders"], 1,
        "only the other customer's order is left"
    );
    assert_eq!(counts["order_lines"], 0);
    assert_eq!(counts["checkouts"], 0);
    assert_eq!(counts["email_events"], 0);
    assert_eq!(counts["storefront_events"], 0);
    assert_eq!(counts["custom_events"], 0);
    assert_eq!(counts["performances"], 1, "the catalogue stays");
    assert!(
        s.sequence().unwrap() > before,
        "the deletion is in the change sequence"
    );
    // Deleting again is harmless.
    import(&s, r#"{"kind":"delete","entity":"customer","id":"1001"}"#);
}

#[test]
fn a_bad_row_leaves_the_store_unchanged_and_every_error_is_reported() {
    let (_d, s) = store();
    import(&s, SPEC);
    let before = dump(&s);
    let seq = s.sequence().unwrap();
    let bad = [
        r#"{"kind":"customer","id":"9","tags":["new"]}"#,
        r#"{"kind":"customer","id":"1001","emial":"typo@x.no"}"#,
        r#"{"kind":"order","id":"o9","customer_id":"9","placed_at":"not a time"}"#,
        r#"{"kind":"customer","id":"10"}"#,
    ]
    .join("\n");
    let (result, rejected) = import_with(&s, &bad, ImportOptions::default());
    assert!(
        matches!(result, Err(ImportError::Invalid { count: 2 })),
        "{result:?}"
    );
    assert_eq!(rejected.len(), 2);
    assert_eq!(rejected[0].line, 2);
    assert_eq!(rejected[0].field.as_deref(), Some("emial"));
    assert_eq!(rejected[1].line, 3);
    assert_eq!(rejected[1].field.as_deref(), Some("placed_at"));
    assert_eq!(dump(&s), before);
    assert_eq!(s.sequence().unwrap(), seq);
}

#[test]
fn skip_invalid_imports_the_good_rows_in_batches() {
    let (_d, s) = store();
    let mut lines: Vec<String> = (0..25)
        .map(|i| format!(r#"{{"kind":"customer","id":"c{i}"}}"#))
        .collect();
    lines.insert(7, r#"{"kind":"customer"}"#.into());
    lines.insert(15, "not json".into());
    let text = lines.join("\n");
    let options = ImportOptions {
        skip_invalid: true,
        batch_size: 4,
    };
    let (result, rejected) = import_with(&s, &text, options);
    let summary = result.unwrap();
    assert_eq!(summary.imported[&RecordKind::Customer], 25);
    assert_eq!(summary.rejected, 2);
    assert_eq!(s.customer_count().unwrap(), 25);
    assert_eq!(
        rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
        vec![8, 16]
    );
    assert_eq!(rejected[1].raw, "not json");
}

#[test]
fn the_change_sequence_records_each_touched_customer_once_per_commit() {
    let (_d, s) = store();
    assert_eq!(s.sequence().unwrap(), 0);
    import(&s, SPEC);
    // Two customers and three catalogue entities were touched.
    assert_eq!(s.sequence().unwrap(), 5);
    import(
        &s,
        r#"{"kind":"checkout","id":"c10","customer_id":"1001","abandoned_at":"2025-03-05T09:00:00Z"}"#,
    );
    assert_eq!(s.sequence().unwrap(), 6);
}

#[test]
fn times_keep_nanoseconds_and_instants_survive_offsets() {
    let (_d, s) = store();
    import(
        &s,
        r#"{"kind":"order","id":"o","customer_id":"c","placed_at":"2025-03-01T13:30:00.123456789+01:00"}"#,
    );
    let p = s.customer_profile("c").unwrap().unwrap();
    assert_eq!(
        p.orders[0].placed_at.to_string(),
        "2025-03-01T12:30:00.123456789Z"
    );
}

#[test]
fn a_store_reopens_with_its_data_and_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = Store::open(dir.path()).unwrap();
        import(&s, SPEC);
    }
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.customer_count().unwrap(), 2);
    drop(s);
    let conn = rusqlite::Connection::open(dir.path().join(flokk_store::DB_FILE)).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let err = Store::open(dir.path()).err().unwrap();
    assert!(err.to_string().contains("schema version 999"), "{err}");
}

#[test]
fn a_customer_deleted_and_recreated_in_one_file_gets_a_fresh_record() {
    let (_d, s) = store();
    import(
        &s,
        &[
            r#"{"kind":"customer","id":"1","tags":["old"]}"#,
            r#"{"kind":"order","id":"o1","customer_id":"1","placed_at":"2025-01-01T00:00:00Z"}"#,
            r#"{"kind":"delete","entity":"customer","id":"1"}"#,
            r#"{"kind":"order","id":"o2","customer_id":"1","placed_at":"2025-01-02T00:00:00Z"}"#,
        ]
        .join("\n"),
    );
    let p = s.customer_profile("1").unwrap().unwrap();
    assert!(p.customer.tags.is_empty());
    assert_eq!(
        p.orders.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(),
        vec!["o2"]
    );
}

#[test]
fn a_scan_yields_every_record_with_its_customer_key() {
    let (_d, s) = store();
    import(&s, SPEC);
    import(
        &s,
        r#"{"kind":"customer","id":"2002","tags":["b","a"],"addresses":[{"city":"Oslo","country":"NO"},{"city":"Bergen","country":"NO","lat":60.39,"lon":5.32}],"properties":{"x":1}}"#,
    );
    let mut scanned = Vec::new();
    let seq = s
        .scan(&mut |r| {
            scanned.push(r);
            Ok(())
        })
        .unwrap();
    assert_eq!(seq, s.sequence().unwrap());
    // Every record of the dump, and nothing else, comes out of the scan.
    let mut from_scan: Vec<String> = scanned
        .iter()
        .map(|r| serde_json::to_string(&r.record).unwrap())
        .collect();
    let mut from_dump: Vec<String> = dump(&s).lines().map(str::to_owned).collect();
    from_scan.sort();
    from_dump.sort();
    assert_eq!(from_scan, from_dump);
    // Records of a customer carry that customer's key; the catalogue none.
    let key_of = |id: &str| {
        scanned
            .iter()
            .find(|r| matches!(&r.record, flokk_model::Record::Customer(c) if c.id == id))
            .and_then(|r| r.customer_key)
            .unwrap()
    };
    for r in &scanned {
        match r.record.customer_id() {
            Some(id) => assert_eq!(r.customer_key, Some(key_of(id)), "{:?}", r.record),
            None => assert_eq!(r.customer_key, None),
        }
    }
    let c2002 = scanned
        .iter()
        .find(|r| matches!(&r.record, flokk_model::Record::Customer(c) if c.id == "2002"))
        .unwrap();
    assert_eq!(c2002.coordinates.len(), 2);
    assert_eq!(c2002.coordinates[1], Some((60.39, 5.32)));
}

#[test]
fn addresses_without_coordinates_are_placed_but_dump_as_given() {
    let (_d, s) = store();
    let line = r#"{"kind":"customer","id":"g","addresses":[{"city":"Bergen","country":"NO"},{"city":"Nowhere-on-earth","country":"NO"}]}"#;
    import(&s, line);
    let p = s.customer_profile("g").unwrap().unwrap();
    let (lat, lon) = p.coordinates[0].expect("Bergen is in the gazetteer");
    assert!(
        flokk_geo::haversine_km(lat, lon, 60.39, 5.32) < 10.0,
        "{lat},{lon}"
    );
    assert_eq!(p.coordinates[1], None);
    // The placed coordinates are not part of the record.
    assert_eq!(dump(&s).trim(), line);
}

#[test]
fn organisations_of_venues_and_productions_import_round_trip_and_are_known() {
    let (_dir, s) = store();
    let text = r#"{"kind":"venue","id":"hall","name":"Hall","organisation":" Philharmonic "}
{"kind":"venue","id":"stage","name":"Stage","organisation":"Opera"}
{"kind":"production","id":"carmen","name":"Carmen","organisation":"Opera"}
{"kind":"production","id":"gala","name":"Gala"}
{"kind":"performance","id":"carmen-1","production_id":"carmen","venue_id":"hall","starts_at":"2026-01-10T19:00:00Z"}
{"kind":"performance","id":"gala-1","production_id":"gala","venue_id":"hall","starts_at":"2026-01-11T19:00:00Z"}
"#;
    import(&s, text);
    assert_eq!(s.organisations().unwrap(), ["Opera", "Philharmonic"]);
    let dumped = dump(&s);
    assert!(
        dumped.contains(r#""organisation":"Philharmonic""#),
        "trimmed: {dumped}"
    );
    let (_dir2, again) = store();
    import(&again, &dumped);
    assert_eq!(dump(&again), dumped);

    // A performance is its production's organisation's, else its venue's.
    let opera = s.organisation_catalogue("Opera").unwrap();
    assert_eq!(opera.performances.iter().collect::<Vec<_>>(), ["carmen-1"]);
    let phil = s.organisation_catalogue("Philharmonic").unwrap();
    assert_eq!(phil.performances.iter().collect::<Vec<_>>(), ["gala-1"]);
    assert_eq!(phil.venues.iter().collect::<Vec<_>>(), ["hall"]);

    let e = s.known_organisation("Oprea").unwrap_err().to_string();
    assert!(e.contains("\"Opera\", \"Philharmonic\""), "{e}");

    // A comma would split a token's list: the file is refused whole, with the line.
    let (result, rejected) = import_with(
        &s,
        "{\"kind\":\"venue\",\"id\":\"x\",\"name\":\"X\"}\n{\"kind\":\"venue\",\"id\":\"y\",\"name\":\"Y\",\"organisation\":\"A,B\"}\n",
        ImportOptions::default(),
    );
    assert!(
        matches!(result, Err(ImportError::Invalid { count: 1 })),
        "{result:?}"
    );
    assert_eq!(rejected[0].line, 2, "{rejected:?}");
    assert!(
        rejected[0].message().contains("organisation"),
        "{rejected:?}"
    );
    assert!(!dump(&s).contains(r#""id":"x""#), "nothing half-imported");
}
