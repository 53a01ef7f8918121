//! Layer 1: the crate's errors, each with a stable code.

use thiserror::Error;

/// What can go wrong composing or sending a campaign.
#[derive(Debug, Error)]
pub enum CampaignError {
    /// A template does not parse or names an unknown field.
    #[error("{what} line {line}, column {column}: {message}")]
    Template {
        /// Which template (`body`, `subject`).
        what: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A setting or flag the campaign needs is missing or wrong.
    #[error("{0}")]
    Config(String),
    /// The audience's segment does not exist.
    #[error("there is no segment named '{0}'")]
    UnknownSegment(String),
    /// An address is not an email address.
    #[error("{0:?} is not an email address")]
    Address(String),
    /// The campaign's state does not allow it (sent, cancelled, another
    /// sender at work, not sending).
    #[error("{message}")]
    State {
        /// The stable code (`already_sent`, `cancelled`, `already_sending`,
        /// `not_sending`, `already_started`).
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The SMTP relay did not answer, again and again.
    #[error("{0}")]
    RelayUnavailable(String),
    /// Building the message failed.
    #[error("cannot build the message: {0}")]
    Message(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] flokk_store::StoreError),
}

impl CampaignError {
    /// A stable code for the CLI's and the API's JSON errors.
    pub fn code(&self) -> &'static str {
        match self {
            CampaignError::Template { .. } => "invalid_template",
            CampaignError::Config(_) => "campaign_config",
            CampaignError::UnknownSegment(_) => "unknown_segment",
            CampaignError::Address(_) => "invalid_address",
            CampaignError::Message(_) => "message",
            CampaignError::RelayUnavailable(_) => "smtp_unavailable",
            CampaignError::State { code, .. } => code,
            CampaignError::Store(e) => e.code(),
        }
    }

    /// Whether the caller's input was at fault.
    pub fn is_user_error(&self) -> bool {
        match self {
            CampaignError::Store(e) => e.is_user_error(),
            CampaignError::Message(_) | CampaignError::RelayUnavailable(_) => false,
            _ => true,
        }
    }
}
