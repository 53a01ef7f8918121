//! How a command fails: user errors exit 2, runtime failures exit 1, and
//! either is printed to stderr without a panic trace.
//!
//! One place, one shape. cli.md says that `--json` output is one JSON
//! document on stdout and that errors go to stderr; so with `--json` a
//! failing command prints nothing on stdout and exactly one JSON object on
//! stderr, the shape of the HTTP API's errors:
//! `{"error": {"code": "...", "message": "...", ...}}` (an invalid query
//! adds `errors`, the positioned errors of `check`; a failed import adds
//! `rejects`). Notes that are not the error (`note: rebuilding the engine`,
//! rejected rows) are left out of stderr with `--json`, so a script can
//! read stderr as one document. The exception is `check`, whose verdict on
//! a query is its result: `{"valid": false, ...}` on stdout, exit 2, as
//! cli.md's table shows it. Every failure goes through [`Failure::report`].

use serde_json::{Map, Value, json};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether `--json` was given: errors are then JSON, and notes are not
/// printed.
static JSON: AtomicBool = AtomicBool::new(false);

/// Sets whether errors are printed as JSON (`--json`), once, in `main`.
pub fn set_json(json: bool) {
    JSON.store(json, Ordering::Relaxed);
}

/// Whether `--json` was given.
pub fn json_mode() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// Prints a note (what flokk did on the way, not the result) on stderr,
/// unless `--json` asked for stderr to hold only an error document.
pub fn note(text: impl std::fmt::Display) {
    if !json_mode() {
        eprintln!("{text}");
    }
}

/// What of a failure is already printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    /// Nothing: [`Failure::report`] prints it.
    No,
    /// The human form (a rendered query) is on stderr; with `--json` the
    /// JSON error is still printed.
    Human,
    /// All of it (`check`'s verdict): only the exit code is left.
    All,
}

/// A failed command: the error and whose fault it was.
pub struct Failure {
    /// The error, with its context chain.
    pub error: anyhow::Error,
    /// True when the input was at fault (exit 2), false for runtime
    /// failures (exit 1).
    pub user: bool,
    /// The stable code given where the failure was made; otherwise one is
    /// found in the error chain (see [`Failure::code`]).
    pub code: Option<&'static str>,
    /// Whether human output shows the code after the message.
    pub code_in_text: bool,
    /// More members of the JSON error (`errors`, `rejects`).
    pub details: Map<String, Value>,
    /// What is already printed.
    pub reported: Reported,
}

impl Failure {
    /// A user error (bad query, flag or input file).
    pub fn user(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            error: error.into(),
            user: true,
            code: None,
            code_in_text: false,
            details: Map::new(),
            reported: Reported::No,
        }
    }

    /// A failure with a stable code of its own (shown after the message in
    /// human output: `... (unknown_segment)`).
    pub fn coded(code: &'static str, user: bool, error: impl Into<anyhow::Error>) -> Self {
        Failure {
            error: error.into(),
            user,
            code: Some(code),
            code_in_text: true,
            details: Map::new(),
            reported: Reported::No,
        }
    }

    /// Gives the failure a stable code shown only in the JSON error.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self.code_in_text = false;
        self
    }

    /// Adds a member to the JSON error.
    pub fn with_detail(mut self, key: &str, value: Value) -> Self {
        self.details.insert(key.to_owned(), value);
        self
    }

    /// Marks the human form as already printed.
    pub fn already_reported(mut self) -> Self {
        self.reported = Reported::Human;
        self
    }

    /// Marks the failure as wholly printed (`check`'s verdict, its result).
    pub fn wholly_reported(mut self) -> Self {
        self.reported = Reported::All;
        self
    }

    /// The stable code: the one given, else the first error in the chain
    /// that has one, else `invalid_input` (exit 2) or `runtime_failure`
    /// (exit 1).
    pub fn code(&self) -> &'static str {
        if let Some(code) = self.code {
            return code;
        }
        for cause in self.error.chain() {
            if let Some(e) = cause.downcast_ref::<flokk_store::StoreError>() {
                return e.code();
            }
            if let Some(e) = cause.downcast_ref::<flokk_segments::SegmentsError>() {
                return e.code();
            }
            if let Some(e) = cause.downcast_ref::<flokk_engine::EvalError>() {
                return e.code();
            }
            if cause.downcast_ref::<std::io::Error>().is_some() {
                return "io";
            }
        }
        if self.user {
            "invalid_input"
        } else {
            "runtime_failure"
        }
    }

    /// The JSON form: `{"error": {"code", "message", ...details}}`.
    pub fn to_json(&self) -> Value {
        let mut error = Map::new();
        error.insert("code".into(), json!(self.code()));
        error.insert("message".into(), json!(chain_text(&self.error)));
        for (k, v) in &self.details {
            error.insert(k.clone(), v.clone());
        }
        json!({ "error": error })
    }

    /// Prints the error (JSON on stderr with `--json`) and gives the exit
    /// code.
    pub fn report(self) -> ExitCode {
        if self.reported == Reported::All {
            // Nothing more to say.
        } else if json_mode() {
            eprintln!("{}", self.to_json());
        } else if self.reported == Reported::No {
            match self.code.filter(|_| self.code_in_text) {
                Some(code) => eprintln!("error: {} ({code})", chain_text(&self.error)),
                None => eprintln!("error: {}", chain_text(&self.error)),
            }
        }
        ExitCode::from(if self.user { 2 } else { 1 })
    }
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        let error = e.into();
        let user = error.chain().any(|c| {
            c.downcast_ref::<flokk_store::StoreError>()
                .is_some_and(|s| s.is_user_error())
                || c.downcast_ref::<flokk_segments::SegmentsError>()
                    .is_some_and(|s| s.is_user_error())
        });
        Failure {
            error,
            user,
            code: None,
            code_in_text: false,
            details: Map::new(),
            reported: Reported::No,
        }
    }
}

/// The error and its causes, each once: an error that shows its source in
/// its own message (`#[error("{0}")]` over an `io::Error`) would otherwise
/// print the same words twice ("No such file or directory (os error 2): No
/// such file or directory (os error 2)").
pub fn chain_text(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let part = cause.to_string();
        if part.is_empty() || text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// The result of a command.
pub type CmdResult = Result<(), Failure>;

#[cfg(test)]
mod tests {
    use super::{Failure, chain_text};
    use serde_json::json;

    #[test]
    fn the_json_error_has_the_code_from_where_it_was_made_or_the_chain() {
        let given = Failure::user(anyhow::anyhow!("no customer with id \"x\""))
            .with_code("not_found")
            .with_detail("id", json!("x"));
        assert_eq!(
            given.to_json(),
            json!({"error": {"code": "not_found", "message": "no customer with id \"x\"", "id": "x"}})
        );
        let store = Failure::from(
            anyhow::Error::new(flokk_store::StoreError::InvalidSetting(
                "unknown setting".into(),
            ))
            .context("cannot set it"),
        );
        assert!(store.user);
        assert_eq!(store.code(), "invalid_setting");
        let io = Failure::from(
            anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::NotFound))
                .context("cannot read a.csv"),
        );
        assert_eq!((io.code(), io.user), ("io", false));
        assert_eq!(
            Failure::user(anyhow::anyhow!("bad")).code(),
            "invalid_input"
        );
        assert_eq!(
            Failure::from(anyhow::anyhow!("odd")).code(),
            "runtime_failure"
        );
    }

    /// An error that prints its source in its own message, as
    /// `#[error("{0}")]` does.
    #[derive(Debug)]
    struct Wrapped(std::io::Error);

    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.0.fmt(f)
        }
    }

    impl std::error::Error for Wrapped {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let text = io.to_string();
        let error = anyhow::Error::new(Wrapped(io)).context("cannot read orders.csv");
        assert_eq!(
            chain_text(&error),
            format!("cannot read orders.csv: {text}")
        );
    }

    #[test]
    fn distinct_causes_are_all_shown() {
        let error = anyhow::anyhow!("disk full").context("cannot write the snapshot");
        assert_eq!(chain_text(&error), "cannot write the snapshot: disk full");
    }
}
