//! The bulk export path: one pass over the store's customers in id order,
//! merged with the member set, and only the computed fields the columns
//! read, taken from the engine. Writes the same bytes as the per-customer
//! path in `export_job` (`tests/export_reading.rs` compares them); it is
//! chosen when the members are a large enough part of the store that
//! reading every customer beats looking each member up.

use super::{ExportJobError, fields, profile_of};
use flokk_engine::{Engine, Evaluator};
use flokk_export::{Columns, ExportCustomer, ExportFormat, Exporter};
use flokk_model::Customer;
use flokk_store::{Coordinates, CustomerParts, ScanStep, Store};
use jiff::tz::TimeZone;
use serde_json::{Map, Value, json};
use std::cmp::Ordering;

/// Which computed fields the columns read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldsNeeded {
    /// None: ad audiences and columns of record fields only.
    Nothing,
    /// `amount_spent` and `number_of_orders` at most (Shopify's columns).
    Totals,
    /// Anything else: the whole customer document, as `customer show`.
    Document,
}

impl FieldsNeeded {
    /// What `columns` in `format` read.
    pub(crate) fn of(format: ExportFormat, columns: &Columns) -> Self {
        if matches!(format, ExportFormat::Meta { .. } | ExportFormat::Google) {
            return FieldsNeeded::Nothing;
        }
        let mut needed = FieldsNeeded::Nothing;
        for name in columns.field_names() {
            match name {
                "amount_spent" | "number_of_orders" => needed = FieldsNeeded::Totals,
                _ => return FieldsNeeded::Document,
            }
        }
        needed
    }
}

/// How an export reads the store's customer records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportReading {
    /// In bulk when the members are at least an eighth of the store (a
    /// scanned row costs several times less than a lookup), else member by
    /// member.
    Auto,
    /// One lookup per member.
    PerCustomer,
    /// One pass over every customer, merged with the members.
    Bulk,
}

impl ExportReading {
    /// Whether to read `members` of a store of `customers` in bulk.
    pub(crate) fn in_bulk(self, members: u64, customers: usize) -> bool {
        match self {
            ExportReading::Auto => members.saturating_mul(8) >= customers as u64,
            ExportReading::PerCustomer => false,
            ExportReading::Bulk => true,
        }
    }
}

/// Calls `each` with every one of `members` (sorted by id) the store has,
/// in id order, reading the store in one pass; `progress` is told how many
/// members have been passed every thousand.
pub(crate) fn each_member_in_bulk(
    store: &Store,
    parts: CustomerParts,
    members: &[(&str, u32)],
    progress: &mut dyn FnMut(u64),
    mut each: impl FnMut(Customer, Coordinates, u32) -> Result<(), ExportJobError>,
) -> Result<(), ExportJobError> {
    let mut next = 0usize;
    let mut passed = |upto: usize, next: &mut usize| {
        let before = *next / 1000;
        *next = upto;
        if upto / 1000 > before {
            progress(upto as u64);
        }
    };
    store.customers_by_id(
        parts,
        |customer: Customer, coordinates| -> Result<ScanStep, ExportJobError> {
            // Members the store no longer has (deleted since the engine last
            // caught up) are passed over, as in the per-customer path.
            let mut at = next;
            while at < members.len() && members[at].0 < customer.id.as_str() {
                at += 1;
            }
            passed(at, &mut next);
            let Some(&(id, c)) = members.get(next) else {
                return Ok(ScanStep::Stop);
            };
            if id.cmp(customer.id.as_str()) != Ordering::Equal {
                return Ok(ScanStep::Continue);
            }
            each(customer, coordinates, c)?;
            passed(next + 1, &mut next);
            Ok(ScanStep::Continue)
        },
    )
}

/// Writes `members` (sorted by id) through `exporter`, reading the store in
/// one pass; `progress` is told how many members have been passed every
/// thousand.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_members_in_bulk<W: std::io::Write>(
    store: &Store,
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    members: &[(&str, u32)],
    needed: FieldsNeeded,
    tz: &TimeZone,
    with_segments: bool,
    exporter: &mut Exporter<W>,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ExportJobError> {
    let nothing = Value::Object(Map::new());
    // One document reused for every row: its keys are allocated once.
    let mut totals = json!({ "amount_spent": 0, "number_of_orders": 0 });
    // Spreadsheet columns of the record and ad audiences read the
    // record's own fields, its tags and its default address only.
    let parts = match needed {
        FieldsNeeded::Nothing | FieldsNeeded::Totals if !with_segments => CustomerParts {
            tags: true,
            grants: false,
            addresses: true,
            properties: false,
        },
        _ => CustomerParts::WHOLE,
    };
    each_member_in_bulk(store, parts, members, progress, |customer, _, c| {
        let fields = match needed {
            FieldsNeeded::Nothing if !with_segments => &nothing,
            FieldsNeeded::Totals if !with_segments => {
                let f = evaluator.facts(c);
                totals["amount_spent"] = json!(f.amount_spent);
                totals["number_of_orders"] = json!(f.number_of_orders);
                &totals
            }
            _ => {
                let profile = profile_of(customer);
                let document = fields(store, engine, evaluator, &profile, c, tz, with_segments)?;
                exporter.push(&ExportCustomer {
                    customer: &profile.customer,
                    fields: &document,
                })?;
                return Ok(());
            }
        };
        exporter.push(&ExportCustomer {
            customer: &customer,
            fields,
        })?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shopify_columns_need_the_totals_only() {
        let csv = ExportFormat::Csv;
        assert_eq!(
            FieldsNeeded::of(csv, &Columns::shopify()),
            FieldsNeeded::Totals
        );
        let names = ["amount_spent", "rfm_group"];
        let chosen = |wanted: &[&str]| Columns::chosen(wanted, names).unwrap();
        assert_eq!(
            FieldsNeeded::of(csv, &chosen(&["email"])),
            FieldsNeeded::Nothing
        );
        assert_eq!(
            FieldsNeeded::of(csv, &chosen(&["email", "rfm_group"])),
            FieldsNeeded::Document
        );
        assert_eq!(
            FieldsNeeded::of(ExportFormat::Google, &Columns::shopify()),
            FieldsNeeded::Nothing
        );
    }

    #[test]
    fn large_member_sets_are_read_in_bulk() {
        let auto = ExportReading::Auto;
        assert!(auto.in_bulk(1_000, 1_000));
        assert!(auto.in_bulk(125, 1_000));
        assert!(!auto.in_bulk(124, 1_000));
        assert!(auto.in_bulk(0, 0));
        assert!(!ExportReading::PerCustomer.in_bulk(1_000, 1_000));
        assert!(ExportReading::Bulk.in_bulk(1, 1_000));
    }
}
