//! Errors of the segment lifecycle and live membership.

use flokk_engine::EvalError;
use flokk_store::StoreError;
use thiserror::Error;

/// Why a segment operation failed. [`SegmentsError::is_user_error`] splits
/// what the caller can fix from internal failures.
#[derive(Debug, Error)]
pub enum SegmentsError {
    /// The query does not check (positioned errors, as `flokk check` gives).
    #[error("the query of segment '{segment}' is not valid")]
    Query {
        /// The segment.
        segment: String,
        /// The query text.
        query: String,
        /// What is wrong, where.
        errors: flokk_lang::Errors,
    },
    /// Other segments name this one, so it cannot be deleted.
    #[error("segment '{segment}' is used by {}: change or delete {} first", list(.used_by), if .used_by.len() == 1 { "it" } else { "them" })]
    InUse {
        /// The segment.
        segment: String,
        /// The segments naming it.
        used_by: Vec<String>,
    },
    /// The operation does not fit the segment's state (restoring a live
    /// segment, purging one that is not deleted, publishing without a draft).
    #[error("{0}")]
    State(String),
    /// The engine does not reflect the store's latest writes; the caller
    /// catches it up and tries again.
    #[error("the engine reflects store change {engine}, the store is at {store}")]
    EngineBehind {
        /// The engine's sequence.
        engine: u64,
        /// The store's.
        store: u64,
    },
    /// A change asked for as of an instant earlier than the last
    /// membership sync: stored membership and the feed only move forward.
    #[error(
        "segments cannot be changed as of {now}: membership was last brought up to date as of \
         {last_sync} and only moves forward (run without --now/FLOKK_NOW, or with a later instant)"
    )]
    NowBeforeLastSync {
        /// This command's now.
        now: jiff::Timestamp,
        /// The instant of the last membership sync.
        last_sync: jiff::Timestamp,
    },
    /// Evaluating a query failed.
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl SegmentsError {
    /// Whether the caller's request was at fault.
    pub fn is_user_error(&self) -> bool {
        match self {
            SegmentsError::Query { .. }
            | SegmentsError::InUse { .. }
            | SegmentsError::State(_)
            | SegmentsError::NowBeforeLastSync { .. } => true,
            SegmentsError::EngineBehind { .. } => false,
            SegmentsError::Eval(e) => !matches!(e, EvalError::Internal(_)),
            SegmentsError::Store(e) => e.is_user_error(),
        }
    }

    /// A stable code for the API and the CLI.
    pub fn code(&self) -> &'static str {
        match self {
            SegmentsError::Query { .. } => "invalid_query",
            SegmentsError::InUse { .. } => "segment_in_use",
            SegmentsError::State(_) => "invalid_state",
            SegmentsError::EngineBehind { .. } => "engine_behind",
            SegmentsError::NowBeforeLastSync { .. } => "now_before_last_sync",
            SegmentsError::Eval(e) => e.code(),
            SegmentsError::Store(e) => e.code(),
        }
    }
}
