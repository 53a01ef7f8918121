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
            eprintln!("error: {}", chain_text(&self.error));
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
    use super::chain_text;

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
