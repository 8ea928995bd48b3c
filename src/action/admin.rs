//! `client.admin()`: the accounts of the service, for an administrator.
//! The search waits a moment after the last key ([`AdminRequest::Pause`])
//! so typing over a slow link sends one request, not one per key.

use std::time::Duration;

use acctl_api::admin::{AdminUser, AdminUserDetail};
use acctl_api::{Page, PageQuery, SecurityEvent, Session};
use acctl_client::{ApiError, UserQuery};

use super::{Call, Outcome, RequestKey, Worker};

/// How long the search waits after the last key before it asks.
pub const SEARCH_PAUSE: Duration = Duration::from_millis(300);
/// Accounts asked for per page.
const USERS_PAGE: u32 = 50;
/// Sessions and security events shown with an opened account.
const DETAIL_PAGE: u32 = 50;

#[derive(Debug, Clone)]
pub enum AdminRequest {
    /// Nothing is sent: answered after [`SEARCH_PAUSE`]; the search goes
    /// out only if no key came since (`typed` counts the keys).
    Pause {
        typed: u64,
    },
    /// A page of accounts whose email or name starts with `query`.
    Users {
        query: String,
        cursor: Option<String>,
    },
    /// One account, its sessions, its security log (first page).
    User {
        id: String,
    },
    Sessions {
        id: String,
    },
    Events {
        id: String,
    },
}

/// The answers, each for the request of that name.
#[derive(Debug)]
pub enum AdminDone {
    Paused,
    Users(Result<Page<AdminUser>, ApiError>),
    User(Result<AdminUserDetail, ApiError>),
    Sessions(Result<Page<Session>, ApiError>),
    Events(Result<Page<SecurityEvent>, ApiError>),
}

impl Call for AdminRequest {
    fn key(&self) -> RequestKey {
        match self {
            // Each pause its own: the last one decides.
            Self::Pause { typed } => RequestKey::on("admin.pause", typed.to_string()),
            Self::Users { query, cursor } => {
                let cursor = cursor.as_deref().unwrap_or_default();
                RequestKey::on("admin.users", format!("{query}\n{cursor}"))
            }
            Self::User { id } => RequestKey::on("admin.user", id),
            Self::Sessions { id } => RequestKey::on("admin.sessions", id),
            Self::Events { id } => RequestKey::on("admin.events", id),
        }
    }

    fn is_cancellable(&self) -> bool {
        !matches!(self, Self::Pause { .. })
    }

    fn is_retried(&self) -> bool {
        !matches!(self, Self::Pause { .. })
    }

    /// One search at a time: a newer query replaces the one waiting.
    fn waits_its_turn(&self) -> bool {
        matches!(self, Self::Users { .. })
    }
}

impl Outcome for AdminDone {
    fn error(&self) -> Option<&ApiError> {
        match self {
            Self::Paused => None,
            Self::Users(r) => r.error(),
            Self::User(r) => r.error(),
            Self::Sessions(r) => r.error(),
            Self::Events(r) => r.error(),
        }
    }
}

pub(super) async fn run(worker: &Worker, request: &AdminRequest) -> AdminDone {
    let admin = worker.client.admin();
    let first = PageQuery {
        limit: Some(DETAIL_PAGE),
        cursor: None,
    };
    match request {
        AdminRequest::Pause { .. } => {
            tokio::time::sleep(SEARCH_PAUSE).await;
            AdminDone::Paused
        }
        AdminRequest::Users { query, cursor } => {
            let query = UserQuery {
                query: (!query.is_empty()).then(|| query.clone()),
                limit: Some(USERS_PAGE),
                cursor: cursor.clone(),
                ..UserQuery::default()
            };
            AdminDone::Users(admin.users(&query).await)
        }
        AdminRequest::User { id } => AdminDone::User(admin.user(id).await),
        AdminRequest::Sessions { id } => AdminDone::Sessions(admin.sessions(id, &first).await),
        AdminRequest::Events { id } => AdminDone::Events(admin.security_events(id, &first).await),
    }
}
