//! One export request of the API, checked and run: shared by the download
//! (`GET /api/export`) and the background export job (`POST /api/exports`).

use crate::export_job::jobs::ExportFailure;
use crate::state::ServerState;
use axum::http::StatusCode;
use flokk_export::{ExportFormat, ExportSummary};
use flokk_store::Store;
use serde::Deserialize;
use std::io::Write;
use utoipa::IntoParams;

/// `?segment=NAME|ID` or `?query=...`, `&format=csv-excel&columns=a,b&raw=false`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// The segment's name or id.
    segment: Option<String>,
    /// A query instead of a segment.
    query: Option<String>,
    /// `csv-excel`, `csv`, `xlsx`, `meta` or `google`.
    format: String,
    /// Comma-separated fields instead of Shopify's columns.
    columns: Option<String>,
    /// With `meta`: normalised values, not hashed.
    #[serde(default)]
    raw: bool,
    /// `production:ID` or `performance:ID`: leave out the customers holding
    /// tickets to it (an unknown id is `unknown_production` /
    /// `unknown_performance`, 422).
    shown_for: Option<String>,
}

/// A request whose format is known and whose segment exists.
#[derive(Debug, Clone)]
pub(crate) struct ExportRequest {
    pub(crate) format: ExportFormat,
    query: String,
    /// The segment's name, or `customers`: the file's name.
    pub(crate) base: String,
    chosen: Vec<String>,
    shown_for: Option<flokk_lang::ShownFor>,
}

impl ExportRequest {
    /// The request `p` asks for, looking its segment up.
    pub(crate) fn new(state: &ServerState, p: &ExportParams) -> Result<Self, ExportFailure> {
        let mut format: ExportFormat =
            p.format.parse().map_err(|e: flokk_export::ExportError| {
                ExportFailure::new(StatusCode::BAD_REQUEST, "unknown_format", e.to_string())
            })?;
        match (&mut format, p.raw) {
            (ExportFormat::Meta { raw }, true) => *raw = true,
            (_, true) => {
                return Err(ExportFailure::new(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    "raw applies to the meta format only",
                ));
            }
            _ => {}
        }
        let (query, base) = match (&p.segment, &p.query) {
            (Some(name), None) => match state.live.store(|s| s.segment(name)) {
                Ok(Some(s)) if s.deleted_at.is_none() => {
                    // Exporting a segment is using it ("last activity").
                    let _ = state
                        .live
                        .store(|st| st.touch_segment_used(s.id, state.live.now()));
                    (s.query, s.name)
                }
                Ok(_) => {
                    return Err(ExportFailure::new(
                        StatusCode::NOT_FOUND,
                        "not_found",
                        format!("there is no segment {name:?}"),
                    ));
                }
                Err(e) => return Err(ExportFailure::internal(e)),
            },
            (None, Some(q)) if !q.trim().is_empty() => (q.clone(), "customers".to_owned()),
            _ => {
                return Err(ExportFailure::new(
                    StatusCode::BAD_REQUEST,
                    "missing_query",
                    "give ?segment=NAME or ?query=...",
                ));
            }
        };
        let shown_for = super::queries::shown_for(state, p.shown_for.as_deref())
            .map_err(|r| ExportFailure::new(r.0, r.1, r.2))?;
        let chosen = p
            .columns
            .as_deref()
            .map(|c| {
                c.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Ok(ExportRequest {
            format,
            query,
            base,
            chosen,
            shown_for,
        })
    }

    /// Runs the export into `out` on a connection of its own (call it on a
    /// blocking thread). `started` is told how many members there are once
    /// the query is evaluated, `progress` how many are written every
    /// thousand. A bad query or column fails before anything is written.
    pub(crate) fn run(
        &self,
        state: &ServerState,
        out: &mut dyn Write,
        started: &mut dyn FnMut(u64),
        progress: &mut dyn FnMut(u64),
    ) -> Result<ExportSummary, ExportFailure> {
        let live = &state.live;
        let dir = live.store(|s| s.dir().to_owned());
        let store = Store::open(&dir).map_err(ExportFailure::internal)?;
        let tz = live.time_zone().clone();
        live.evaluate(|engine, evaluator, _| {
            let properties = engine.property_types();
            let options = flokk_lang::CheckOptions {
                strict: false,
                properties: &properties,
            };
            let typed = flokk_lang::check(&self.query, &options).map_err(|errors| {
                let first = errors.0.first().map(|e| e.to_string()).unwrap_or_default();
                ExportFailure::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    format!("the query does not check: {first}"),
                )
            })?;
            let typed = super::queries::excluding(typed, self.shown_for.as_ref());
            let members = evaluator.members(&typed).map_err(|e| {
                let status = match e {
                    flokk_engine::EvalError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                ExportFailure::new(status, e.code(), e.to_string())
            })?;
            let columns = crate::export_job::columns(engine, &self.chosen).map_err(|e| {
                ExportFailure::new(StatusCode::BAD_REQUEST, "unknown_column", e.to_string())
            })?;
            started(members.len());
            let mut out = std::io::BufWriter::with_capacity(256 * 1024, out);
            let summary = crate::export_job::write_export(
                &store,
                engine,
                evaluator,
                &members,
                self.format,
                columns,
                &tz,
                &mut out,
                progress,
            )
            .map_err(|e| {
                if e.is_user_error() {
                    ExportFailure::new(StatusCode::BAD_REQUEST, "bad_request", e.to_string())
                } else {
                    ExportFailure::internal(e)
                }
            })?;
            out.flush().map_err(ExportFailure::internal)?;
            Ok(summary)
        })
    }
}
