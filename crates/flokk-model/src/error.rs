use thiserror::Error;

/// Why one record (one NDJSON line) could not be read.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum RecordError {
    /// The line is not JSON at all.
    #[error("not valid JSON: {0}")]
    Json(String),
    /// The object has no `kind`, or an unknown one.
    #[error("{0}")]
    Kind(String),
    /// A field is missing, has the wrong type, or is not known.
    #[error("{0}")]
    Field(String),
    /// The fields parse but break a rule of the format.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field at fault (dotted path).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl RecordError {
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        RecordError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The field the error is about, when one is known.
    pub fn field(&self) -> Option<String> {
        match self {
            RecordError::Invalid { field, .. } => Some(field.clone()),
            RecordError::Field(msg) => {
                let start = msg.find('`')? + 1;
                let len = msg[start..].find('`')?;
                Some(msg[start..start + len].to_owned())
            }
            _ => None,
        }
    }
}
