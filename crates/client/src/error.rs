//! What can go wrong talking to the server, in words that say what to do.

use acctl_api::{ErrorCode, FieldErrors, Problem};

use crate::tokens::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(
        "'{url}' is not a server address: {reason}. Use a URL like https://accounts.example.com"
    )]
    InvalidServerUrl { url: String, reason: String },

    #[error("cannot reach {server}: {reason}. Is the server running and the address right?")]
    Unreachable { server: String, reason: String },

    #[error(
        "the server at {server} did not answer in time; try again, or raise network.request_timeout_secs"
    )]
    Timeout { server: String },

    /// The server answered with a problem document.
    #[error("{problem}")]
    Problem { problem: Box<Problem> },

    /// The server answered, but not with what the API promises (an HTML error
    /// page from a proxy, truncated JSON, ...).
    #[error("the server sent an unexpected answer (HTTP {status}{}): {reason}", request_suffix(.request_id))]
    Unexpected {
        status: u16,
        request_id: Option<String>,
        reason: String,
    },

    #[error("not signed in; run `acctl login` first")]
    NotSignedIn,

    /// Refreshing failed: the session ended (revoked elsewhere, or expired).
    #[error("your session has ended ({reason}); sign in again")]
    SessionEnded { reason: String },

    #[error(transparent)]
    TokenStore(#[from] StoreError),

    /// The service does not offer this at all; nothing was sent.
    #[error("{} at {server} offers no {}", .service.name(), .feature.describe())]
    Unsupported {
        service: crate::ServiceKind,
        server: String,
        feature: crate::Feature,
    },

    /// No kind of service acctl knows answered at the address.
    #[error(
        "no account service acctl knows answers at {server} (tried {}); check the address, or name the kind with --service acctd|allauth|better-auth",
        .tried.join(", ")
    )]
    NoService { server: String, tried: Vec<String> },

    /// A download could not be written where it was asked to go.
    #[error("cannot write {path}: {reason}. Choose another path")]
    File { path: String, reason: String },
}

fn request_suffix(request_id: &Option<String>) -> String {
    request_id
        .as_ref()
        .map(|id| format!(", request id {id}"))
        .unwrap_or_default()
}

impl ApiError {
    /// The problem document, when the server sent one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Problem { problem } => Some(problem),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<ErrorCode> {
        self.problem().and_then(Problem::error_code)
    }

    /// Messages for individual form fields, keyed by field name.
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        self.problem()
            .map(|p| &p.errors)
            .filter(|errors| !errors.is_empty())
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Problem { problem } => problem.request_id.as_deref(),
            Self::Unexpected { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// True when the person has to sign in (again) before anything else works.
    pub fn needs_login(&self) -> bool {
        matches!(self, Self::NotSignedIn | Self::SessionEnded { .. })
    }

    /// True when nothing reached the server or nothing came back: worth a retry.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } | Self::Timeout { .. } => true,
            Self::Problem { problem } => problem.status >= 500 || problem.status == 429,
            Self::Unexpected { status, .. } => *status >= 500,
            _ => false,
        }
    }
}
