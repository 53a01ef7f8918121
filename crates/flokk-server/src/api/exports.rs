//! Background export jobs: `POST /api/exports` starts one, `GET
//! /api/exports/{id}` says how far it got and, when done, what was exported
//! and who was left out and why; `GET /api/exports/{id}/file` downloads it.
//!
//! Decision: a large export is a job rather than one long request. The
//! summary of who was left out is known only at the end, and the ways of
//! sending it after a streamed body (HTTP trailers) are not readable in
//! browsers; a request held open for the whole export also meets proxies'
//! timeouts. A job writes the file to a temporary file (memory does not
//! grow with its size), reports progress while it runs, keeps the summary
//! in its status, and the download carries the summary headers as `GET
//! /api/export` does. `GET /api/export` stays for small exports and
//! scripts: it answers once the file is complete.
//!
//! Jobs live in memory: the last [`KEPT_JOBS`] are kept (their files
//! deleted as they are dropped) and a restart forgets them. Ids are random,
//! so one client cannot guess another's export.

use super::export_run::{ExportParams, ExportRequest};
use crate::error_body::{ErrorBody, error};
use crate::export_job::jobs::{ExportFailure, ExportJob, Finished, KEPT_JOBS};
use crate::state::ServerState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

fn no_job(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "there is no export job {id:?} (jobs are kept until {KEPT_JOBS} newer ones start, and not across restarts)"
        ),
    )
}

/// `POST /api/exports`: starts exporting a segment's or a query's customers
/// in the background.
#[utoipa::path(post, path = "/api/exports", operation_id = "startExport", tag = "data", params(ExportParams),
    responses(
        (status = 202, description = "`{id, state: \"running\", format, total, written}`; follow `GET /api/exports/{id}`", body = Object),
        (status = 400, description = "Bad format (`unknown_format`, `missing_query`)", body = ErrorBody),
        (status = 404, description = "No such segment", body = ErrorBody)))]
pub async fn start(
    State(state): State<Arc<ServerState>>,
    Query(p): Query<ExportParams>,
) -> Response {
    let request = match ExportRequest::new(&state, &p) {
        Ok(r) => r,
        Err(e) => return e.response(),
    };
    let job = Arc::new(ExportJob {
        id: flokk_store::random_secret("exp_"),
        format: request.format,
        base: request.base.clone(),
        total: AtomicU64::new(0),
        written: AtomicU64::new(0),
        outcome: Mutex::new(None),
    });
    state.exports.add(job.clone());
    let status = job.status();
    let task_state = state.clone();
    tokio::task::spawn_blocking(move || {
        let outcome = run(&task_state, &request, &job);
        *job.outcome.lock().expect("export job lock") = Some(outcome);
    });
    (StatusCode::ACCEPTED, axum::Json(status)).into_response()
}

fn run(
    state: &ServerState,
    request: &ExportRequest,
    job: &ExportJob,
) -> Result<Finished, ExportFailure> {
    let mut file = tempfile::NamedTempFile::new().map_err(ExportFailure::internal)?;
    let summary = request.run(
        state,
        file.as_file_mut(),
        &mut |total| job.total.store(total, Ordering::Relaxed),
        &mut |written| job.written.store(written, Ordering::Relaxed),
    )?;
    Ok(Finished { file, summary })
}

/// `GET /api/exports/{id}`: how far an export job got; when done, the
/// summary (`exported`, `left_out` by reason, `blanked`) and the download.
#[utoipa::path(get, path = "/api/exports/{id}", operation_id = "getExport", tag = "data",
    params(("id" = String, Path, description = "The job's id")),
    responses(
        (status = 200, description = "`{id, state: running|done|failed, format, total, written, summary?, download?, error?: {code, message}}`", body = Object),
        (status = 404, description = "No such job", body = ErrorBody)))]
pub async fn status(State(state): State<Arc<ServerState>>, Path(id): Path<String>) -> Response {
    match state.exports.get(&id) {
        Some(job) => axum::Json(job.status()).into_response(),
        None => no_job(&id),
    }
}

/// `GET /api/exports/{id}/file`: a finished job's file, with the summary
/// headers of `GET /api/export`.
#[utoipa::path(get, path = "/api/exports/{id}/file", operation_id = "downloadExport", tag = "data",
    params(("id" = String, Path, description = "The job's id")),
    responses(
        (status = 200, description = "The file, with `x-flokk-exported: N` and `x-flokk-left-out: reason=N, ...`", content_type = "application/octet-stream", body = String),
        (status = 404, description = "No such job", body = ErrorBody),
        (status = 409, description = "Still running (`not_ready`)", body = ErrorBody),
        (status = 400, description = "The job failed: its error", body = ErrorBody)))]
pub async fn download(State(state): State<Arc<ServerState>>, Path(id): Path<String>) -> Response {
    let Some(job) = state.exports.get(&id) else {
        return no_job(&id);
    };
    let outcome = job.outcome.lock().expect("export job lock");
    match &*outcome {
        None => error(
            StatusCode::CONFLICT,
            "not_ready",
            format!(
                "the export is still running ({} of {} written)",
                job.written.load(Ordering::Relaxed),
                job.total.load(Ordering::Relaxed)
            ),
        ),
        Some(Err(failure)) => failure.response(),
        Some(Ok(done)) => match done.file.reopen() {
            Ok(file) => super::transfer::file_response(file, job.format, &job.base, &done.summary),
            Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
        },
    }
}
