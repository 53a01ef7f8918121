//! What the query commands share: checking a query against the store's
//! properties (errors rendered with the span underlined), and loading the
//! engine from the store.

use crate::failure::Failure;
use flokk_engine::{Engine, Hint, SnapshotError};
use flokk_lang::{CheckOptions, Errors, PropertyTypes, TypedQuery, check};
use flokk_store::Store;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;
use std::io::IsTerminal as _;

/// Checks `query`; on errors the failure is an `invalid_query` error
/// (rendered with the text underlined on stderr, or the JSON error with
/// `--json`).
pub fn checked(
    query: &str,
    strict: bool,
    properties: &PropertyTypes,
) -> Result<TypedQuery, Failure> {
    let options = CheckOptions { strict, properties };
    check(query, &options).map_err(|errors| query_failure(query, &errors, &[]))
}

/// `typed` without the holders of tickets to `--shown-for
/// production:ID|performance:ID` (see [`flokk_lang::ShownFor`]); the
/// production or performance must exist (`unknown_production`,
/// `unknown_performance`), else leaving out nobody would pass for an answer.
pub fn with_shown_for(
    store: &Store,
    typed: TypedQuery,
    shown_for: Option<&str>,
) -> Result<TypedQuery, Failure> {
    let Some(text) = shown_for else {
        return Ok(typed);
    };
    let shown_for = flokk_lang::ShownFor::parse(text)
        .map_err(|e| Failure::user(e).with_code("invalid_shown_for"))?;
    if let Err(e) = store.ensure_catalogue_id(shown_for.kind(), shown_for.id()) {
        return Err(match e {
            flokk_store::StoreError::NotFound(_) => {
                Failure::coded(unknown_code(shown_for.kind()), true, e)
            }
            other => other.into(),
        });
    }
    Ok(shown_for.exclude_from(typed))
}

/// The error code of an unknown catalogue id of `kind`.
pub fn unknown_code(kind: &str) -> &'static str {
    match kind {
        "production" => "unknown_production",
        "performance" => "unknown_performance",
        _ => "unknown_venue",
    }
}

/// A query's errors as the failure of a command: `invalid_query` with the
/// positioned errors under `errors` and the hints under `hints` in JSON (the
/// one error object on stderr); in human form the errors are rendered on
/// stderr now, the text underlined, then the hints.
pub fn query_failure(query: &str, errors: &Errors, hints: &[Hint]) -> Failure {
    let message = errors
        .iter()
        .map(|e| e.message.clone())
        .collect::<Vec<_>>()
        .join("; ");
    let failure = Failure::user(anyhow::anyhow!("the query is not valid: {message}"))
        .with_code("invalid_query")
        .with_detail("errors", serde_json::json!(errors))
        .with_detail("hints", serde_json::json!(hints));
    if crate::failure::json_mode() {
        failure
    } else {
        eprint!("{}", render(query, errors));
        print_hints(hints);
        failure.already_reported()
    }
}

/// The hint for a query that does not check and is the name of a saved
/// segment: how to use the segment instead.
pub fn segment_name_hints(store: &Store, query: &str) -> Result<Vec<Hint>, Failure> {
    Ok(flokk_segments::name_hint::segment_name_hint(store, query)?
        .into_iter()
        .collect())
}

/// Checks `query` like [`checked`]; when it does not check and is the name
/// of a saved segment, the errors come with a hint that says how to use it.
pub fn checked_or_segment_hint(
    store: &Store,
    query: &str,
    strict: bool,
    properties: &PropertyTypes,
) -> Result<TypedQuery, Failure> {
    let options = CheckOptions { strict, properties };
    match check(query, &options) {
        Ok(typed) => Ok(typed),
        Err(errors) => {
            let hints = segment_name_hints(store, query)?;
            Err(query_failure(query, &errors, &hints))
        }
    }
}

/// Prints hints on stderr, one a line, with where they point.
pub fn print_hints(hints: &[Hint]) {
    for h in hints {
        eprintln!(
            "hint ({}) at line {}, column {}: {}",
            h.code, h.line, h.column, h.message
        );
    }
}

/// The snapshot file in the data directory.
const SNAPSHOT_FILE: &str = "engine.snapshot";

/// The engine for the store's current state: from the snapshot, caught up
/// with the store's writes since it was saved; else built from every
/// record. The snapshot is rewritten whenever it was not current, so the
/// next command starts fast.
pub fn load_engine(store: &Store) -> Result<Engine, Failure> {
    let path = store.dir().join(SNAPSHOT_FILE);
    let sequence = store.sequence()?;
    let loaded = Engine::load_snapshot_upto(&path, sequence);
    let mut engine = match loaded {
        Ok(engine) if engine.sequence == sequence => engine,
        Ok(mut engine) => {
            let caught_up = catch_up(store, &mut engine)?;
            let engine = if caught_up {
                engine
            } else {
                build_engine(store)?
            };
            save_snapshot(&engine, &path);
            engine
        }
        Err(reason) => {
            if !matches!(reason, SnapshotError::Missing | SnapshotError::Stale { .. }) {
                crate::failure::note(format_args!("note: rebuilding the engine: {reason}"));
            }
            let engine = build_engine(store)?;
            save_snapshot(&engine, &path);
            engine
        }
    };
    engine.prediction_settings = prediction_settings(store)?;
    engine.currency_decimals = Some(currency_decimals(store)?);
    engine.home_venue = home_venue(store)?;
    engine.saved_models = saved_models(store)?;
    flokk_server::freed_memory::release();
    Ok(engine)
}

/// The home venue (setting `venue`), the origin of
/// `customer_within_distance` without one; `None` when not set.
pub fn home_venue(store: &Store) -> Result<Option<String>, Failure> {
    let venue = store.settings().get("venue")?;
    Ok((!venue.is_empty()).then_some(venue))
}

/// Catches `engine` up with the store; false when a rebuild is the better
/// (or the only safe) way: too many changes, or the result does not hold
/// the store's customers (the snapshot was of another store).
pub fn catch_up(store: &Store, engine: &mut Engine) -> Result<bool, Failure> {
    if flokk_segments::catch_up::catch_up_engine(store, engine)?.is_none() {
        return Ok(false);
    }
    let live = engine.customers.all().len();
    if live != store.customer_count()? {
        crate::failure::note("note: rebuilding the engine: the snapshot does not match the store");
        return Ok(false);
    }
    Ok(true)
}

/// A snapshot is a cache: failing to write one costs only speed.
fn save_snapshot(engine: &Engine, path: &std::path::Path) {
    if let Err(e) = engine.save_snapshot(path) {
        crate::failure::note(format_args!(
            "note: could not save the engine snapshot: {e}"
        ));
    }
}

/// The store's saved predictive models (a body this build cannot read is
/// ignored with a note: the models are fitted again and saved over it).
pub fn saved_models(
    store: &Store,
) -> Result<Option<flokk_engine::saved_models::SavedModels>, Failure> {
    let Some(m) = store.model(flokk_engine::saved_models::PREDICTIVE_MODELS)? else {
        return Ok(None);
    };
    match serde_json::from_str(&m.body) {
        Ok(models) => Ok(Some(models)),
        Err(e) => {
            crate::failure::note(format_args!(
                "note: the saved predictive models cannot be read ({e}); fitting again"
            ));
            Ok(None)
        }
    }
}

/// Saves models the engine had to fit itself (there were none saved), so
/// the next command scores with them instead of fitting again.
pub fn persist_fitted(
    store: &Store,
    engine: &Engine,
    as_of: jiff::Timestamp,
) -> Result<(), Failure> {
    if engine.saved_models.is_none()
        && let Some(models) = engine.fitted_models()
    {
        save_models(store, Some(&models), as_of, engine.sequence)?;
    }
    Ok(())
}

/// Saves the models (or drops the saved ones when there are none).
pub fn save_models(
    store: &Store,
    saved: Option<&flokk_engine::saved_models::SavedModels>,
    as_of: jiff::Timestamp,
    sequence: u64,
) -> Result<(), Failure> {
    flokk_server::live::save_models(store, saved, as_of, sequence)?;
    Ok(())
}

/// The store's live segments, checked, for `customer_segments` (the
/// engine answers it by evaluating the named segment's query).
pub fn saved_segments(
    store: &Store,
    engine: &Engine,
) -> Result<flokk_segments::SegmentGraph, Failure> {
    Ok(flokk_segments::SegmentGraph::build(
        store.segments(flokk_store::SegmentFilter::Live)?,
        flokk_segments::graph::static_lists(store)?,
        &engine.property_types(),
    ))
}

/// Builds the engine from every record in the store.
fn build_engine(store: &Store) -> Result<Engine, Failure> {
    Ok(flokk_segments::catch_up::build_engine(store)?)
}

/// Decimal places of the store currency (setting `currency`).
pub fn currency_decimals(store: &Store) -> Result<u32, Failure> {
    Ok(flokk_model::currency_decimals(
        &store.settings().get("currency")?,
    ))
}

/// The predictive settings of the store (`clv_discount_monthly`,
/// `churn_risk_medium`, `churn_risk_high`).
pub fn prediction_settings(store: &Store) -> Result<flokk_predict::PredictionSettings, Failure> {
    let settings = store.settings();
    let number = |key: &str| -> Result<f64, Failure> {
        let v = settings.get(key)?;
        v.parse::<f64>()
            .map_err(|_| Failure::from(anyhow::anyhow!("setting {key} = {v:?} is not a number")))
    };
    Ok(flokk_predict::PredictionSettings {
        clv_discount_monthly: number("clv_discount_monthly")?,
        churn_risk: flokk_predict::ChurnRiskThresholds {
            medium_from: number("churn_risk_medium")?,
            high_from: number("churn_risk_high")?,
        },
        rfm_grid: flokk_predict::rfm::RfmGrid::parse(&settings.get("rfm_grid")?)
            .map_err(|e| Failure::from(anyhow::anyhow!("setting rfm_grid: {e}")))?,
        ..Default::default()
    })
}

/// The errors as miette reports: the query with each span underlined.
pub fn render(query: &str, errors: &Errors) -> String {
    let theme = if std::io::stderr().is_terminal() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme);
    let mut out = String::new();
    for error in errors {
        // A blank at the end gives a missing value at the end a place for its caret.
        let diagnostic = QueryDiagnostic {
            query: format!("{query} "),
            error,
        };
        if handler.render_report(&mut out, &diagnostic).is_err() {
            // Rendering into a String cannot fail; keep the plain line regardless.
            out.push_str(&format!("error: {error}\n"));
        }
        out.push('\n');
    }
    out
}

/// One query error as a miette diagnostic.
#[derive(Debug)]
struct QueryDiagnostic<'a> {
    query: String,
    error: &'a flokk_lang::Error,
}

impl fmt::Display for QueryDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (line {}, column {})",
            self.error.message, self.error.line, self.error.column
        )
    }
}

impl std::error::Error for QueryDiagnostic<'_> {}

impl Diagnostic for QueryDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.error.code))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.query)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.error.span;
        // An empty span (something missing) gets one column, so the caret shows where.
        let len = (span.end - span.start).max(1);
        let label = LabeledSpan::new(Some("here".to_owned()), span.start, len);
        Some(Box::new(std::iter::once(label)))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let mut help = Vec::new();
        if let Some(s) = &self.error.suggestion {
            help.push(format!("did you mean {s}?"));
        }
        if !self.error.expected.is_empty() {
            help.push(format!("expected: {}", self.error.expected.join(", ")));
        }
        (!help.is_empty()).then(|| Box::new(help.join("\n")) as Box<dyn fmt::Display>)
    }
}
