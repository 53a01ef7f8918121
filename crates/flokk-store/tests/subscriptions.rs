//! `subscription` records (data.md §1.1): stored, replaced by id (also when
//! they move to another customer), removed with their customer or by a
//! `delete`, read back for the engine and the customer profile, and
//! written by `flokk dump` so that a dump imports into an identical store.

use flokk_model::{ParseOptions, Record, RecordKind};
use flokk_store::{ImportOptions, NdjsonReader, Store};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn import(store: &Store, text: &str) {
    let mut rejected = Vec::new();
    let reader = NdjsonReader::new(text.as_bytes(), ParseOptions::default());
    let summary = flokk_store::import_rows(store, reader, ImportOptions::default(), &mut |r| {
        rejected.push(r.clone())
    })
    .unwrap();
    assert!(rejected.is_empty(), "{rejected:?}");
    assert!(summary.imported.contains_key(&RecordKind::Subscription) || text.contains("delete"));
}

fn dump(store: &Store) -> String {
    let mut out = Vec::new();
    flokk_store::dump(store, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn plans_of(store: &Store, id: &str) -> Vec<String> {
    store
        .customer_profile(id)
        .unwrap()
        .map(|p| {
            p.subscriptions
                .into_iter()
                .map(|s| format!("{}:{}", s.id, s.plan))
                .collect()
        })
        .unwrap_or_default()
}

const RECORDS: &str = r#"{"kind":"customer","id":"ann"}
{"kind":"customer","id":"bob"}
{"kind":"subscription","id":"s1","customer_id":"ann","plan":"season","starts":"2025-08-01","ends":"2026-06-30","status":"ACTIVE"}
{"kind":"subscription","id":"s2","customer_id":"ann","plan":"membership","starts":"2024-01-01"}
{"kind":"subscription","id":"s3","customer_id":"bob","plan":"youth","starts":"2023-08-01","ends":"2024-06-30","status":"EXPIRED"}
"#;

#[test]
fn stored_replaced_deleted_and_dumped() {
    let (_dir, s) = store();
    import(&s, RECORDS);
    assert_eq!(plans_of(&s, "ann"), ["s2:membership", "s1:season"]);
    assert_eq!(plans_of(&s, "bob"), ["s3:youth"]);
    // The same id again replaces it, here moving it to bob.
    import(
        &s,
        r#"{"kind":"subscription","id":"s1","customer_id":"bob","plan":"season","starts":"2026-08-01","status":"PAUSED"}"#,
    );
    assert_eq!(plans_of(&s, "ann"), ["s2:membership"]);
    assert_eq!(plans_of(&s, "bob"), ["s3:youth", "s1:season"]);
    let dumped = dump(&s);
    assert!(
        dumped.contains(
            r#"{"kind":"subscription","id":"s1","customer_id":"bob","plan":"season","starts":"2026-08-01","status":"PAUSED"}"#
        ),
        "{dumped}"
    );
    assert!(
        dumped.contains(
            r#"{"kind":"subscription","id":"s3","customer_id":"bob","plan":"youth","starts":"2023-08-01","ends":"2024-06-30","status":"EXPIRED"}"#
        ),
        "{dumped}"
    );
    // A dump imports into an identical store.
    let (_dir2, copy) = store();
    import(&copy, &dumped);
    assert_eq!(dump(&copy), dumped);
    // The engine's scan sees every subscription with its customer's key.
    let mut scanned = Vec::new();
    s.scan(&mut |r| {
        if let Record::Subscription(sub) = &r.record {
            scanned.push((sub.id.clone(), r.customer_key.is_some()));
        }
        Ok(())
    })
    .unwrap();
    scanned.sort();
    assert_eq!(
        scanned,
        [
            ("s1".into(), true),
            ("s2".into(), true),
            ("s3".into(), true)
        ]
    );
    // Deleting one, then a customer with theirs.
    import(&s, r#"{"kind":"delete","entity":"subscription","id":"s3"}"#);
    assert_eq!(plans_of(&s, "bob"), ["s1:season"]);
    import(&s, r#"{"kind":"delete","entity":"customer","id":"bob"}"#);
    assert!(!dump(&s).contains(r#""id":"s1""#));
    assert_eq!(plans_of(&s, "ann"), ["s2:membership"]);
}

#[test]
fn a_bad_subscription_is_refused_with_its_field_and_nothing_is_written() {
    let (_dir, s) = store();
    let text = r#"{"kind":"customer","id":"ann"}
{"kind":"subscription","id":"s1","customer_id":"ann","plan":"season","starts":"2025-08-01","ends":"2025-07-01"}
"#;
    let reader = NdjsonReader::new(text.as_bytes(), ParseOptions::default());
    let mut rejected = Vec::new();
    let result = flokk_store::import_rows(&s, reader, ImportOptions::default(), &mut |r| {
        rejected.push(r.clone())
    });
    assert!(result.is_err());
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!(rejected[0].line, 2);
    assert_eq!(rejected[0].field.as_deref(), Some("ends"));
    assert!(rejected[0].reason.contains("before starts"), "{rejected:?}");
    assert_eq!(dump(&s), "");
}
