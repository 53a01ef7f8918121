//! The bulk export path (one pass over the store in id order) writes the
//! same bytes as the per-customer path, on a demo store with customers
//! whose ids do not sort in the order they were created.

use flokk_demo::{DemoConfig, generate};
use flokk_engine::Evaluator;
use flokk_export::ExportFormat;
use flokk_model::{Customer, Record};
use flokk_server::export_job::{ExportReading, columns, write_export_reading};
use flokk_store::{ImportOptions, Store, import_rows};

fn demo_store(dir: &std::path::Path) -> Store {
    let store = Store::open(dir).unwrap();
    let mut records = Vec::new();
    generate(
        &DemoConfig::new(1_500, 7, jiff::civil::date(2026, 11, 24)),
        &mut |r| records.push(r),
    );
    // Created last, sorted first, in the middle and last by id.
    for (id, tag) in [("0-early", "vip"), ("1000500x", "late"), ("zz", "last")] {
        let mut c = Customer::stub(id);
        c.tags = vec![tag.to_owned(), "b".to_owned()];
        c.email = Some(format!("{id}@example.com"));
        records.push(Record::Customer(c));
    }
    let rows = records
        .into_iter()
        .enumerate()
        .map(|(i, r)| Ok(Ok((i as u64 + 1, r))));
    import_rows(&store, rows, ImportOptions::default(), &mut |row| {
        panic!("rejected {}", row.message())
    })
    .unwrap();
    store
}

#[test]
fn bulk_and_per_customer_reading_write_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let store = demo_store(tmp.path());
    let engine = flokk_segments::catch_up::build_engine(&store).unwrap();
    let tz = jiff::tz::TimeZone::get("Europe/Oslo").unwrap();
    let now = "2026-11-24T12:00:00Z".parse().unwrap();
    let evaluator = Evaluator::new(&engine, now, tz.clone());
    let properties = engine.property_types();
    let options = flokk_lang::CheckOptions {
        strict: false,
        properties: &properties,
    };
    let chosen: Vec<String> = [
        "id",
        "email",
        "customer_tags",
        "last_order_date",
        "amount_spent",
        "rfm_group",
        "customer_countries",
        "segments",
    ]
    .map(str::to_owned)
    .to_vec();
    let mut compared = 0;
    for query in ["number_of_orders >= 0", "number_of_orders >= 2"] {
        let typed = flokk_lang::check(query, &options).unwrap();
        let members = evaluator.members(&typed).unwrap();
        assert!(members.len() > 100, "{query}: {}", members.len());
        for format in ["csv", "csv-excel", "meta", "google", "xlsx"] {
            let format: ExportFormat = format.parse().unwrap();
            let column_sets: &[&[String]] = match format {
                ExportFormat::Meta { .. } | ExportFormat::Google => &[&[]],
                _ => &[&[], &chosen, &chosen[..2]],
            };
            for chosen in column_sets {
                let write = |reading: ExportReading| {
                    let mut out = Vec::new();
                    let summary = write_export_reading(
                        reading,
                        &store,
                        &engine,
                        &evaluator,
                        &members,
                        format,
                        columns(&engine, chosen).unwrap(),
                        &tz,
                        &mut out,
                        &mut |_| {},
                    )
                    .unwrap();
                    (out, summary)
                };
                let (bulk, bulk_summary) = write(ExportReading::Bulk);
                let (each, each_summary) = write(ExportReading::PerCustomer);
                assert_eq!(bulk_summary, each_summary, "{query} {format:?} {chosen:?}");
                assert_eq!(
                    bulk_summary.exported + bulk_summary.left_out.values().sum::<u64>(),
                    members.len(),
                );
                if format == ExportFormat::Xlsx {
                    // Workbooks carry the time they were made: compare sizes.
                    assert!(
                        bulk.len().abs_diff(each.len()) < 64,
                        "{format:?} {chosen:?}"
                    );
                    continue;
                }
                assert!(
                    bulk == each,
                    "{query} {format:?} {chosen:?}:\n{}",
                    first_difference(&bulk, &each)
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 2 * (3 * 2 + 2));
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let line = a
        .lines()
        .zip(b.lines())
        .find(|(x, y)| x != y)
        .map(|(x, y)| format!("bulk: {x}\neach: {y}"));
    line.unwrap_or_else(|| format!("lengths {} and {}", a.len(), b.len()))
}
