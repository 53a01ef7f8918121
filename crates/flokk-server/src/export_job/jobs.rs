//! The registry of background export jobs (`api::exports` starts and
//! serves them): the last [`KEPT_JOBS`], each with its progress and, when
//! done, its file and summary or its failure. Held by the server state.

use crate::error_body::error;
use axum::http::StatusCode;
use axum::response::Response;
use flokk_export::{ExportFormat, ExportSummary};
use serde_json::json;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Why an export request or job failed: the status, code and message of its
/// JSON error.
#[derive(Debug, Clone)]
pub(crate) struct ExportFailure {
    pub(crate) status: StatusCode,
    pub(crate) code: String,
    pub(crate) message: String,
}

impl ExportFailure {
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ExportFailure {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    pub(crate) fn internal(e: impl std::fmt::Display) -> Self {
        ExportFailure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
    }

    /// The JSON error response.
    pub(crate) fn response(&self) -> Response {
        error(self.status, &self.code, self.message.clone())
    }
}

/// How many export jobs are kept, finished or not.
pub const KEPT_JOBS: usize = 16;

/// The export jobs of a server, newest last.
#[derive(Debug, Default)]
pub struct ExportJobs {
    jobs: Mutex<VecDeque<Arc<ExportJob>>>,
}

impl ExportJobs {
    pub(crate) fn add(&self, job: Arc<ExportJob>) {
        let mut jobs = self.jobs.lock().expect("export jobs lock");
        jobs.push_back(job);
        while jobs.len() > KEPT_JOBS {
            jobs.pop_front();
        }
    }

    pub(crate) fn get(&self, id: &str) -> Option<Arc<ExportJob>> {
        let jobs = self.jobs.lock().expect("export jobs lock");
        jobs.iter().find(|j| j.id == id).cloned()
    }
}

/// One export job.
#[derive(Debug)]
pub(crate) struct ExportJob {
    pub(crate) id: String,
    pub(crate) format: ExportFormat,
    /// The file name's stem (the segment's name, or `export`).
    pub(crate) base: String,
    /// Members to write, once the query is evaluated.
    pub(crate) total: AtomicU64,
    /// Members written so far.
    pub(crate) written: AtomicU64,
    pub(crate) outcome: Mutex<Option<Result<Finished, ExportFailure>>>,
}

/// A job's file and what it holds.
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) file: tempfile::NamedTempFile,
    pub(crate) summary: ExportSummary,
}

impl ExportJob {
    pub(crate) fn status(&self) -> serde_json::Value {
        let outcome = self.outcome.lock().expect("export job lock");
        let mut status = json!({
            "id": self.id,
            "format": self.format.name(),
            "total": self.total.load(Ordering::Relaxed),
            "written": self.written.load(Ordering::Relaxed),
        });
        match &*outcome {
            None => status["state"] = json!("running"),
            Some(Ok(done)) => {
                status["state"] = json!("done");
                status["written"] = status["total"].clone();
                status["summary"] = json!(done.summary);
                status["download"] = json!(format!("/api/exports/{}/file", self.id));
            }
            Some(Err(failure)) => {
                status["state"] = json!("failed");
                status["error"] = json!({ "code": failure.code, "message": failure.message });
            }
        }
        status
    }
}
