//! `client.sessions()`: the devices signed in to the account.

use acctl_api::{RevokedSessions, Session};
use acctl_client::ApiError;

use super::{Call, Outcome, RequestKey, Worker};

#[derive(Debug, Clone)]
pub enum SessionsRequest {
    List,
    Revoke { id: String },
    RevokeOthers,
}

/// The answers, each for the request of that name.
#[derive(Debug)]
pub enum SessionsDone {
    List(Result<Vec<Session>, ApiError>),
    Revoke(Result<(), ApiError>),
    RevokeOthers(Result<RevokedSessions, ApiError>),
}

impl Call for SessionsRequest {
    fn key(&self) -> RequestKey {
        match self {
            Self::List => RequestKey::of("sessions.list"),
            // Each session on its own: revoking two sends two requests.
            Self::Revoke { id } => RequestKey::on("sessions.revoke", id),
            Self::RevokeOthers => RequestKey::of("sessions.revoke_others"),
        }
    }

    fn is_cancellable(&self) -> bool {
        matches!(self, Self::List)
    }

    fn is_retried(&self) -> bool {
        matches!(self, Self::List)
    }
}

impl Outcome for SessionsDone {
    fn error(&self) -> Option<&ApiError> {
        match self {
            Self::List(r) => r.error(),
            Self::Revoke(r) => r.error(),
            Self::RevokeOthers(r) => r.error(),
        }
    }
}

pub(super) async fn run(worker: &Worker, request: &SessionsRequest) -> SessionsDone {
    let sessions = worker.client.sessions();
    match request {
        SessionsRequest::List => SessionsDone::List(sessions.list_all().await),
        SessionsRequest::Revoke { id } => SessionsDone::Revoke(sessions.revoke(id).await),
        SessionsRequest::RevokeOthers => SessionsDone::RevokeOthers(sessions.revoke_others().await),
    }
}
