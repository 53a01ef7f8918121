//! How a command fails: user errors exit 2, runtime failures exit 1, and
//! either is printed to stderr without a panic trace.

use std::process::ExitCode;

/// A failed command: the error and whose fault it was.
pub struct Failure {
    /// The error, with its context chain.
    pub error: anyhow::Error,
    /// True when the input was at fault (exit 2), false for runtime
    /// failures (exit 1).
    pub user: bool,
    /// Already printed (e.g. rendered query errors): only the exit code is left.
    pub reported: bool,
}

impl Failure {
    /// A user error (bad query, flag or input file).
    pub fn user(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            error: error.into(),
            user: true,
            reported: false,
        }
    }

    /// A user error whose explanation is already on stderr/stdout.
    pub fn user_reported() -> Self {
        Failure {
            error: anyhow::anyhow!("reported"),
            user: true,
            reported: true,
        }
    }

    /// Prints the error and gives the exit code.
    pub fn report(self) -> ExitCode {
        if !self.reported {
            eprintln!("error: {:#}", self.error);
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
            reported: false,
        }
    }
}

/// The result of a command.
pub type CmdResult = Result<(), Failure>;
