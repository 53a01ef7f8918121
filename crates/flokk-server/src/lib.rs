//! The HTTP API and embedded web UI (axum). Filled in by the API issue.
