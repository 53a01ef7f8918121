//! Files in and out: `POST /api/import` (an upload, streamed to disk and
//! imported as `flokk import` does) and `GET /api/export` (a download, in
//! the formats of `flokk export`).
//!
//! Both work on their own connection to the store, on a blocking thread,
//! so requests keep being served meanwhile. Decisions:
//! - an upload is spooled to a temporary file before importing, so a
//!   dropped connection imports nothing, and is capped at
//!   `ServerOptions::import_limit` bytes (`payload_too_large`);
//! - an export is written to a temporary file and then streamed: the
//!   response can say in headers how many customers were exported and who
//!   was left out and why (`x-flokk-exported`, `x-flokk-left-out`), and a
//!   failure is a JSON error instead of a truncated download.

// Handlers return the error response itself from their blocking parts.
#![allow(clippy::result_large_err)]

use super::export_run::{ExportParams, ExportRequest};
use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use flokk_export::ExportFormat;
use flokk_model::ParseOptions;
use flokk_store::shopify::{ShopifyFormat, ShopifyReader, ShopifyRows};
use flokk_store::{ImportError, ImportOptions, NdjsonReader, RejectedRow, Store};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Seek, Write};
use std::sync::Arc;
use utoipa::IntoParams;

/// How many rejected rows an import response lists.
const LISTED_REJECTS: usize = 100;

/// `?format=ndjson&skip_invalid=true&lenient=false`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `ndjson`, `shopify-customers` or `shopify-orders` (default: told by
    /// the content).
    format: Option<String>,
    /// Import the valid rows and report the rest (default: all or nothing).
    #[serde(default)]
    skip_invalid: bool,
    /// Accept unknown fields in NDJSON.
    #[serde(default)]
    lenient: bool,
}

fn internal(e: impl std::fmt::Display) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
}

/// `POST /api/import`: the request body is a file as `flokk import` takes.
#[utoipa::path(post, path = "/api/import", operation_id = "importFile", tag = "data", params(ImportParams),
    request_body(content = String, description = "NDJSON or a Shopify customers/orders CSV export", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "`{imported: {kind: N}, rejected: N, rejects: [{line, field, reason}], segments: {entered, exited}}`", body = Object),
        (status = 400, description = "Not a format flokk reads (`unknown_format`, `bad_header`)", body = ErrorBody),
        (status = 413, description = "Larger than the import limit (`payload_too_large`)", body = ErrorBody),
        (status = 422, description = "Invalid rows, nothing imported (`invalid_rows`, with `rejects`)", body = ErrorBody)))]
pub async fn import(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<ImportParams>,
    body: Body,
) -> Response {
    // None: told by the content; Some(None): NDJSON; Some(Some(f)): a
    // Shopify CSV, `f` forced or (None) recognised by its header.
    let forced: Option<Option<Option<ShopifyFormat>>> = match p.format.as_deref() {
        None => None,
        Some("ndjson") => Some(None),
        Some("shopify-customers") => Some(Some(None)),
        Some("shopify-orders") => Some(Some(Some(ShopifyFormat::Orders))),
        Some(other) => {
            return error(
                StatusCode::BAD_REQUEST,
                "unknown_format",
                format!(
                    "unknown format {other:?}: use ndjson, shopify-customers or shopify-orders"
                ),
            );
        }
    };
    let mut spool = match tempfile::tempfile() {
        Ok(f) => f,
        Err(e) => return internal(e),
    };
    let limit = state.options.import_limit;
    let mut stream = body.into_data_stream();
    let mut size = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk: Bytes = match chunk {
            Ok(c) => c,
            Err(e) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "bad_body",
                    format!("reading the upload: {e}"),
                );
            }
        };
        size += chunk.len() as u64;
        if size > limit {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "an import may be at most {limit} bytes; use `flokk import` for larger files"
                ),
            );
        }
        if let Err(e) = spool.write_all(&chunk) {
            return internal(e);
        }
    }
    let dir = state.live.store(|s| s.dir().to_owned());
    let task = tokio::task::spawn_blocking(move || -> Result<serde_json::Value, Response> {
        spool.rewind().map_err(internal)?;
        let store = Store::open(&dir).map_err(internal)?;
        let before = store.sequence().map_err(internal)?;
        let mut input = BufReader::with_capacity(1 << 20, spool);
        let customers_only = p.format.as_deref() == Some("shopify-customers");
        let shopify = match forced {
            Some(f) => f,
            None => {
                let head = input.fill_buf().map_err(internal)?;
                let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
                match head.iter().find(|b| !b.is_ascii_whitespace()) {
                    Some(b'{') | None => None,
                    Some(_) => Some(None),
                }
            }
        };
        let mut rejects: Vec<serde_json::Value> = Vec::new();
        let mut on_reject = |row: &RejectedRow| {
            if rejects.len() < LISTED_REJECTS {
                rejects.push(json!({ "line": row.line, "field": row.field, "reason": row.reason }));
            }
        };
        let options = ImportOptions {
            skip_invalid: p.skip_invalid,
            ..ImportOptions::default()
        };
        let result = match shopify {
            None => {
                let reader = NdjsonReader::new(input, ParseOptions { lenient: p.lenient });
                flokk_store::import_rows(&store, reader, options, &mut on_reject)
            }
            Some(format) => {
                let reader = ShopifyReader::new(input, format)
                    .map_err(|e| error(StatusCode::BAD_REQUEST, "bad_header", e.to_string()))?;
                if customers_only && reader.format() == ShopifyFormat::Orders {
                    return Err(error(
                        StatusCode::BAD_REQUEST,
                        "bad_header",
                        "this is a Shopify orders export, not a customers file (use format=shopify-orders, or leave format out)",
                    ));
                }
                flokk_store::import_rows(&store, ShopifyRows(reader), options, &mut on_reject)
            }
        };
        match result {
            Ok(summary) => {
                let imported: BTreeMap<&str, u64> = summary
                    .imported
                    .iter()
                    .map(|(k, v)| (k.as_str(), *v))
                    .collect();
                Ok(json!({
                    "imported": imported,
                    "rejected": summary.rejected,
                    "rejects": rejects,
                    "changes": [before, store.sequence().map_err(internal)?],
                }))
            }
            Err(ImportError::Invalid { count }) => {
                let mut body = json!({ "error": {
                    "code": "invalid_rows",
                    "message": format!("{count} invalid row(s); nothing was imported (fix them, or import with ?skip_invalid=true)"),
                    "rejects": rejects,
                }});
                body["error"]["count"] = json!(count);
                Err((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
            }
            Err(ImportError::Read(e)) => {
                Err(error(StatusCode::BAD_REQUEST, "bad_body", e.to_string()))
            }
            Err(ImportError::Store(e)) => Err(internal(e)),
        }
    });
    let mut answer = match task.await {
        Ok(Ok(v)) => v,
        Ok(Err(r)) => return r,
        Err(e) => return internal(e),
    };
    // Membership follows before answering, so what the merchant sees next
    // includes the import.
    // The summary is what the feed recorded for this import's changes:
    // the scheduler may have synced them before this sync.
    let range = answer
        .as_object_mut()
        .and_then(|a| a.remove("changes"))
        .and_then(|r| serde_json::from_value::<(u64, u64)>(r).ok());
    let live = state.clone();
    let synced = tokio::task::spawn_blocking(move || match range {
        Some((before, after)) => live.live.sync_moves(before, after),
        None => live.live.sync().map(|_| (0, 0)),
    })
    .await;
    match synced {
        Ok(Ok((entered, exited))) => {
            answer["segments"] = json!({ "entered": entered, "exited": exited });
            Json(answer).into_response()
        }
        Ok(Err(e)) => internal(e),
        Err(e) => internal(e),
    }
}

fn content_type(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/csv; charset=utf-8",
    }
}

/// A file name made of the segment's name: letters, digits and dashes.
fn file_name(base: &str, format: ExportFormat) -> String {
    let mut name: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name = name
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if name.is_empty() || !name.is_ascii() {
        name = "customers".into();
    }
    format!("{name}-{}.{}", format.name(), format.extension())
}

/// `GET /api/export`: a segment's or a query's customers as a file.
#[utoipa::path(get, path = "/api/export", operation_id = "exportCustomers", tag = "data", params(ExportParams),
    responses(
        (status = 200, description = "The file (`text/csv` or xlsx), with `x-flokk-exported: N` and `x-flokk-left-out: reason=N, ...`", content_type = "application/octet-stream", body = String),
        (status = 400, description = "Bad format, column or query (`unknown_format`, `unknown_column`, `invalid_query`, `missing_query`)", body = ErrorBody),
        (status = 404, description = "No such segment", body = ErrorBody)))]
pub async fn export(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<ExportParams>,
) -> Response {
    let request = match ExportRequest::new(&state, &p) {
        Ok(r) => r,
        Err(e) => return e.response(),
    };
    let format = request.format;
    let base = request.base.clone();
    let task_state = state.clone();
    let task = tokio::task::spawn_blocking(
        move || -> Result<(std::fs::File, flokk_export::ExportSummary), Response> {
            let mut file = tempfile::tempfile().map_err(internal)?;
            let summary = request
                .run(&task_state, &mut file, &mut |_| {}, &mut |_| {})
                .map_err(|e| e.response())?;
            file.rewind().map_err(internal)?;
            Ok((file, summary))
        },
    );
    let (file, summary) = match task.await {
        Ok(Ok(x)) => x,
        Ok(Err(r)) => return r,
        Err(e) => return internal(e),
    };
    file_response(file, format, &base, &summary)
}

/// The export file `file` (read from its start) as a download named after
/// `base`, with the summary in headers.
pub(crate) fn file_response(
    file: std::fs::File,
    format: ExportFormat,
    base: &str,
    summary: &flokk_export::ExportSummary,
) -> Response {
    let left_out = summary
        .left_out
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ");
    // The file is read on a blocking thread and handed over in chunks.
    let (send, receive) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut file = file;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if send
                        .blocking_send(Ok(Bytes::copy_from_slice(&buf[..n])))
                        .is_err()
                    {
                        break; // the client went away
                    }
                }
                Err(e) => {
                    let _ = send.blocking_send(Err(e));
                    break;
                }
            }
        }
    });
    let stream =
        futures_util::stream::unfold(
            receive,
            |mut r| async move { r.recv().await.map(|c| (c, r)) },
        );
    let disposition = format!("attachment; filename=\"{}\"", file_name(base, format));
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        content_type(format).parse().expect("a header value"),
    );
    if let Ok(v) = disposition.parse() {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert("x-flokk-exported", summary.exported.into());
    if let Ok(v) = left_out.parse() {
        headers.insert("x-flokk-left-out", v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            file_name("VIP buyers: Oslo", ExportFormat::Csv),
            "vip-buyers-oslo-csv.csv"
        );
        assert_eq!(
            file_name("Kunder på Ås", ExportFormat::Xlsx),
            "customers-xlsx.xlsx"
        );
        assert_eq!(file_name("", ExportFormat::Google), "customers-google.csv");
    }
}
