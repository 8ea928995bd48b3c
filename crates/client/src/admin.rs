//! `/v1/admin/`: what an administrator of the service can see and do.
//! Every write takes a reason; one answered `step_up_required` is sent
//! again by the caller after [`Admin::step_up`].

use acctl_api::admin::{
    AccountStatus, AdminActionDone, AdminUser, AdminUserDetail, AuditAction, AuditEntry,
    ReasonRequest, StepUp, StepUpRequest,
};
use acctl_api::{Page, PageQuery, SecurityEvent, Session, paths};
use reqwest::Method;
use serde::Serialize;

use super::answer::with_query;
use super::{ApiError, Client, Feature};

/// `GET /v1/admin/users`: what to look for.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UserQuery {
    /// The start of an email or a name, any case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AccountStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// `GET /v1/admin/audit`: which entries.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditQuery {
    /// An administrator's account id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The account acted on, by id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<AuditAction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// What an administrator does to an account (each with a reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminWrite {
    Disable,
    Enable,
    RevokeSessions,
    MfaReset,
    PasswordReset,
}

impl AdminWrite {
    /// What it will do to `email`, who has `sessions` signed in, for a
    /// confirmation: "Disable ana@example.com: their 3 sessions end now;
    /// they are told by mail."
    pub fn will_do(self, email: &str, sessions: u32) -> String {
        let theirs = match sessions {
            0 => "they have no session to end".to_string(),
            1 => "their 1 session ends now".to_string(),
            n => format!("their {n} sessions end now"),
        };
        match self {
            Self::Disable => {
                format!("Disable {email}: {theirs}; they are told by mail.")
            }
            Self::Enable => {
                format!("Enable {email} again: they can sign in; they are told by mail.")
            }
            Self::RevokeSessions => format!("Sign out every session of {email}: {theirs}."),
            Self::MfaReset => format!(
                "Turn two-factor sign-in off for {email} and void their recovery codes; \
                 they are told."
            ),
            Self::PasswordReset => format!(
                "Reset the password of {email}: {theirs}, and a one-time code is mailed \
                 to them to choose a new one."
            ),
        }
    }

    /// What it did to `email`, having ended `ended` sessions.
    pub fn done(self, email: &str, ended: u32) -> String {
        let sessions = if ended == 1 { "session" } else { "sessions" };
        match self {
            Self::Disable => {
                format!("Disabled {email}: {ended} {sessions} ended; they are told by mail.")
            }
            Self::Enable => format!("Enabled {email} again; they are told by mail."),
            Self::RevokeSessions => format!("Signed out {ended} {sessions} of {email}."),
            Self::MfaReset => format!(
                "Two-factor sign-in is off for {email} and their recovery codes are void; \
                 they are told."
            ),
            Self::PasswordReset => format!(
                "Reset the password of {email}: {ended} {sessions} ended, and a one-time code \
                 was mailed to them."
            ),
        }
    }

    fn route(self, id: &str) -> (Method, String) {
        let at = |rest| paths::admin_user_path(id, rest);
        match self {
            Self::Disable => (Method::POST, at("disable")),
            Self::Enable => (Method::POST, at("enable")),
            Self::RevokeSessions => (Method::DELETE, at("sessions")),
            Self::MfaReset => (Method::POST, at("mfa/reset")),
            Self::PasswordReset => (Method::POST, at("password-reset")),
        }
    }
}

pub struct Admin<'a> {
    client: &'a Client,
}

impl<'a> Admin<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Refuses before sending anything on a service with no administration
    /// (django-allauth, Better Auth); on acctd the server says who may.
    async fn offered(&self) -> Result<(), ApiError> {
        self.client.require(Feature::Administration).await
    }

    /// A page of accounts.
    pub async fn users(&self, query: &UserQuery) -> Result<Page<AdminUser>, ApiError> {
        self.offered().await?;
        self.client
            .get_authed(&with_query(paths::ADMIN_USERS, query))
            .await
    }

    pub async fn user(&self, id: &str) -> Result<AdminUserDetail, ApiError> {
        self.offered().await?;
        self.client.get_authed(&paths::admin_user(id)).await
    }

    /// The account whose email is exactly `email` (any case), if any.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<AdminUser>, ApiError> {
        self.offered().await?;
        let wanted = email.trim().to_lowercase();
        let query = UserQuery {
            query: Some(wanted.clone()),
            limit: Some(2),
            ..UserQuery::default()
        };
        let page = self.users(&query).await?;
        Ok(page
            .items
            .into_iter()
            .find(|user| user.email.to_lowercase() == wanted))
    }

    pub async fn sessions(&self, id: &str, query: &PageQuery) -> Result<Page<Session>, ApiError> {
        self.offered().await?;
        let path = with_query(&paths::admin_user_path(id, "sessions"), query);
        self.client.get_authed(&path).await
    }

    pub async fn security_events(
        &self,
        id: &str,
        query: &PageQuery,
    ) -> Result<Page<SecurityEvent>, ApiError> {
        self.offered().await?;
        let path = with_query(&paths::admin_user_path(id, "security-events"), query);
        self.client.get_authed(&path).await
    }

    /// Does `write` to the account `id`, recorded with `reason`.
    pub async fn write(
        &self,
        write: AdminWrite,
        id: &str,
        reason: &str,
    ) -> Result<AdminActionDone, ApiError> {
        self.offered().await?;
        let (method, path) = write.route(id);
        let body = ReasonRequest {
            reason: reason.to_string(),
        };
        self.client.json(method, &path, Some(&body)).await
    }

    /// Signs one session of the account `id` out.
    pub async fn revoke_session(
        &self,
        id: &str,
        session_id: &str,
        reason: &str,
    ) -> Result<AdminActionDone, ApiError> {
        self.offered().await?;
        let body = ReasonRequest {
            reason: reason.to_string(),
        };
        let path = paths::admin_user_session(id, session_id);
        self.client.json(Method::DELETE, &path, Some(&body)).await
    }

    pub async fn audit(&self, query: &AuditQuery) -> Result<Page<AuditEntry>, ApiError> {
        self.offered().await?;
        self.client
            .get_authed(&with_query(paths::ADMIN_AUDIT, query))
            .await
    }

    /// Proves it is the account's owner again, for the writes.
    pub async fn step_up(&self, proof: &StepUpRequest) -> Result<StepUp, ApiError> {
        self.offered().await?;
        self.client
            .json(Method::POST, paths::STEP_UP, Some(proof))
            .await
    }
}
