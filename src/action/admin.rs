//! `client.admin()`: the accounts of the service, for an administrator.
//! The search waits a moment after the last key ([`AdminRequest::Pause`])
//! so typing over a slow link sends one request, not one per key.

use std::time::Duration;

use acctl_api::admin::{
    AdminActionDone, AdminUser, AdminUserDetail, AuditAction, AuditEntry, StepUp, StepUpRequest,
};
use acctl_api::password_policy::MIN_PASSWORD_CHARS;
use acctl_api::{ErrorCode, Problem};
use acctl_api::{Page, PageQuery, SecretText, SecurityEvent, Session};
use acctl_client::{Admin, AdminWrite, ApiError, AuditQuery, UserQuery};

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
    /// A change to the account `id`, recorded with `reason`.
    Write {
        write: AdminWrite,
        id: String,
        reason: String,
    },
    /// A page of the audit log, newest first.
    Audit {
        filter: AuditFilter,
        cursor: Option<String>,
    },
    /// The administrator proves it is them again (`step_up_required`):
    /// `proof` is their password, or a code of their authenticator app.
    StepUp {
        proof: SecretText,
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
    Written(Result<AdminActionDone, ApiError>),
    Audit(Result<Page<AuditEntry>, ApiError>),
    SteppedUp(Result<StepUp, ApiError>),
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
            Self::Write { id, .. } => RequestKey::on("admin.write", id),
            Self::StepUp { .. } => RequestKey::of("admin.step_up"),
            Self::Audit { filter, cursor } => {
                let action = filter.action.map(AuditAction::as_str).unwrap_or_default();
                let cursor = cursor.as_deref().unwrap_or_default();
                let on = [filter.actor.as_str(), &filter.target, action, cursor].join("\n");
                RequestKey::on("admin.audit", on)
            }
        }
    }

    /// The reads; a change may have been made once sent.
    fn is_cancellable(&self) -> bool {
        self.is_read()
    }

    fn is_retried(&self) -> bool {
        self.is_read()
    }

    /// One search at a time: a newer query replaces the one waiting.
    fn waits_its_turn(&self) -> bool {
        matches!(self, Self::Users { .. } | Self::Audit { .. })
    }
}

impl AdminRequest {
    fn is_read(&self) -> bool {
        matches!(
            self,
            Self::Users { .. }
                | Self::User { .. }
                | Self::Sessions { .. }
                | Self::Events { .. }
                | Self::Audit { .. }
        )
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
            Self::Written(r) => r.error(),
            Self::Audit(r) => r.error(),
            Self::SteppedUp(r) => r.error(),
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
        AdminRequest::Write { write, id, reason } => {
            AdminDone::Written(admin.write(*write, id, reason).await)
        }
        AdminRequest::Audit { filter, cursor } => {
            AdminDone::Audit(audit(&admin, filter, cursor.clone()).await)
        }
        AdminRequest::StepUp { proof } => {
            AdminDone::SteppedUp(admin.step_up(&step_up_request(proof)).await)
        }
    }
}

/// Which entries of the audit log: the actor and the target as typed (an
/// email or an id; empty for any), and the action.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub actor: String,
    pub target: String,
    pub action: Option<AuditAction>,
}

async fn audit(
    admin: &Admin<'_>,
    filter: &AuditFilter,
    cursor: Option<String>,
) -> Result<Page<AuditEntry>, ApiError> {
    let query = AuditQuery {
        actor: account_id(admin, "actor", &filter.actor).await?,
        target: account_id(admin, "target", &filter.target).await?,
        action: filter.action,
        limit: Some(USERS_PAGE),
        cursor,
    };
    admin.audit(&query).await
}

/// The id of the account `text` names (an email is looked up), for the
/// filter `field`; an unknown email is an error on that field.
async fn account_id(
    admin: &Admin<'_>,
    field: &str,
    text: &str,
) -> Result<Option<String>, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if !text.contains('@') {
        return Ok(Some(text.to_string()));
    }
    match admin.user_by_email(text).await? {
        Some(user) => Ok(Some(user.id)),
        None => {
            let problem = Problem::new(ErrorCode::ValidationFailed, "No such account").with_field(
                field,
                format!("No account is {text}; type an email or an id."),
            );
            Err(ApiError::Problem {
                problem: Box::new(problem),
            })
        }
    }
}

/// A password is at least [`MIN_PASSWORD_CHARS`] long; a shorter run of
/// digits is a code of the authenticator app.
fn step_up_request(proof: &SecretText) -> StepUpRequest {
    let text = proof.expose();
    let is_code = text.len() < MIN_PASSWORD_CHARS && text.chars().all(|c| c.is_ascii_digit());
    let proof = Some(proof.clone());
    match is_code {
        true => StepUpRequest {
            password: None,
            code: proof,
        },
        false => StepUpRequest {
            password: proof,
            code: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_are_a_code_and_anything_else_a_password() {
        let code = step_up_request(&"123456".into());
        assert!(code.code.is_some() && code.password.is_none());
        for password in ["correct-horse-battery-9", "12345678901", "12345a"] {
            let p = step_up_request(&password.into());
            assert!(p.password.is_some() && p.code.is_none(), "{password}");
        }
    }
}
