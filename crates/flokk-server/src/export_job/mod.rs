//! Exporting a set of customers: each member's record from the store and
//! computed fields from the engine, written by `flokk-export`. Shared by
//! `flokk export` and `GET /api/export`, so both write the same bytes.
//!
//! The fields a column can name are those of the customer document
//! (`flokk customer show`), with custom properties flattened to
//! `metafields.<key>` and `segments` (the saved segments the customer is a
//! member of, from live membership). Members are written in id order.

mod bulk;
pub(crate) mod jobs;
pub mod member_list;

use crate::views::customer::{MONEY_FIELDS, add_predictions, customer_view};
pub use bulk::ExportReading;
use bulk::{FieldsNeeded, write_members_in_bulk};
use flokk_engine::{CustomerSet, Engine, Evaluator};
use flokk_export::{Columns, ExportCustomer, ExportError, ExportFormat, ExportSummary, Exporter};
use flokk_model::Customer;
use flokk_store::{CustomerProfile, Store, StoreError};
use jiff::tz::TimeZone;
use serde_json::Value;
use std::io::Write;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportJobError {
    /// The format, a column or the output (`ExportError::is_user_error`).
    #[error(transparent)]
    Export(#[from] ExportError),
    /// Reading the store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Evaluating the saved segments a member list names.
    #[error(transparent)]
    Eval(#[from] flokk_engine::EvalError),
}

impl ExportJobError {
    /// A mistake in the request rather than a failure here.
    pub fn is_user_error(&self) -> bool {
        matches!(self, ExportJobError::Export(e) if e.is_user_error())
    }
}

/// Keys of the customer document that are not per-customer values.
const NOT_COLUMNS: &[&str] = &["addresses", "properties", "records"];

/// The names a column may take in this engine's store.
pub fn column_names(engine: &Engine) -> Vec<String> {
    let profile = profile_of(Customer::stub("x"));
    let mut names: Vec<String> = customer_view(&profile, &Default::default(), &TimeZone::UTC, 2)
        .as_object()
        .expect("an object")
        .keys()
        .filter(|k| !NOT_COLUMNS.contains(&k.as_str()))
        .cloned()
        .collect();
    names.extend(
        engine
            .property_types()
            .keys()
            .map(|k| format!("metafields.{k}")),
    );
    names
}

/// The columns for `format`: Shopify's unless `chosen` names some.
pub fn columns(engine: &Engine, chosen: &[String]) -> Result<Columns, ExportError> {
    if chosen.is_empty() {
        return Ok(Columns::shopify());
    }
    let names = column_names(engine);
    let wanted: Vec<&str> = chosen.iter().map(String::as_str).collect();
    Columns::chosen(&wanted, names.iter().map(String::as_str))
}

pub(crate) fn profile_of(customer: Customer) -> CustomerProfile {
    CustomerProfile {
        customer,
        coordinates: Vec::new(),
        orders: Vec::new(),
        checkouts: Vec::new(),
        email_events: Vec::new(),
        storefront_events: Vec::new(),
        custom_events: Vec::new(),
        subscriptions: Vec::new(),
        performances: Default::default(),
    }
}

/// The fields document of member `c`.
pub(crate) fn fields(
    store: &Store,
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    profile: &CustomerProfile,
    c: u32,
    tz: &TimeZone,
    with_segments: bool,
) -> Result<Value, StoreError> {
    let mut view = customer_view(
        profile,
        &evaluator.facts(c),
        tz,
        evaluator.currency_decimals(),
    );
    add_predictions(&mut view, engine, evaluator, c);
    let object = view.as_object_mut().expect("an object");
    let properties = object.remove("properties");
    for key in NOT_COLUMNS {
        object.remove(*key);
    }
    if let Some(Value::Object(props)) = properties {
        object.extend(props);
    }
    if with_segments {
        object.insert(
            "segments".into(),
            serde_json::json!(store.segments_of(&profile.customer.id)?),
        );
    }
    Ok(Value::Object(std::mem::take(object)))
}

/// Writes `members` to `out` in `format`; `progress` is told how many have
/// been written every thousand customers.
#[allow(clippy::too_many_arguments)]
pub fn write_export<W: Write>(
    store: &Store,
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    members: &CustomerSet,
    format: ExportFormat,
    columns: Columns,
    tz: &TimeZone,
    out: W,
    progress: &mut dyn FnMut(u64),
) -> Result<ExportSummary, ExportJobError> {
    write_export_reading(
        ExportReading::Auto,
        store,
        engine,
        evaluator,
        members,
        format,
        columns,
        tz,
        out,
        progress,
    )
}

/// [`write_export`], reading the store as `reading` says: both ways write
/// the same bytes.
#[allow(clippy::too_many_arguments)]
pub fn write_export_reading<W: Write>(
    reading: ExportReading,
    store: &Store,
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    members: &CustomerSet,
    format: ExportFormat,
    columns: Columns,
    tz: &TimeZone,
    out: W,
    progress: &mut dyn FnMut(u64),
) -> Result<ExportSummary, ExportJobError> {
    let with_segments = columns.headers().any(|h| h == "segments");
    // Amounts print with the store currency's decimals (`19.90`), as in
    // member lists and `customer show`.
    let columns = columns.with_money(&MONEY_FIELDS, evaluator.currency_decimals());
    let mut ids: Vec<(&str, u32)> = members
        .iter()
        .map(|c| (engine.customers.ids[c as usize].as_ref(), c))
        .collect();
    ids.sort_unstable();
    let needed = FieldsNeeded::of(format, &columns);
    let mut exporter = Exporter::new(format, columns, out)?;
    if reading.in_bulk(members.len(), engine.customers.ids.len()) {
        write_members_in_bulk(
            store,
            engine,
            evaluator,
            &ids,
            needed,
            tz,
            with_segments,
            &mut exporter,
            progress,
        )?;
        return Ok(exporter.finish()?);
    }
    for (n, (id, c)) in ids.into_iter().enumerate() {
        // A customer deleted since the engine last caught up is skipped.
        let Some(customer) = store.customer(id)? else {
            continue;
        };
        let profile = profile_of(customer);
        let fields = fields(store, engine, evaluator, &profile, c, tz, with_segments)?;
        exporter.push(&ExportCustomer {
            customer: &profile.customer,
            fields: &fields,
        })?;
        if (n + 1) % 1000 == 0 {
            progress(n as u64 + 1);
        }
    }
    Ok(exporter.finish()?)
}
