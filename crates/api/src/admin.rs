//! The administrators' API under `/v1/admin/`: finding accounts, their
//! state, what can be done to them (each write with a reason and a recent
//! proof, see [`StepUpRequest`]) and the audit log of all of it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{SecretText, SignInRecord};

/// Longest reason accepted, in characters.
pub const REASON_MAX_CHARS: usize = 500;

/// What an account can do now, as an administrator sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    /// Cannot sign in, refresh or use any token until enabled again.
    Disabled,
    /// The person asked for deletion; it happens at the end of the grace period.
    DeletionScheduled,
}

impl AccountStatus {
    pub const ALL: [AccountStatus; 3] = [Self::Active, Self::Disabled, Self::DeletionScheduled];

    /// The API name, e.g. `deletion_scheduled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
            Self::DeletionScheduled => "deletion_scheduled",
        }
    }
}

/// One account in `GET /v1/admin/users`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AdminUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub status: AccountStatus,
    pub mfa_enabled: bool,
    pub admin: bool,
    /// The newest successful sign-in, if any.
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// `GET /v1/admin/users/{id}`: everything an administrator may see of an
/// account; never a password, a secret or a recovery code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AdminUserDetail {
    pub id: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub status: AccountStatus,
    /// When the account was disabled, while it is.
    pub disabled_at: Option<DateTime<Utc>>,
    pub admin: bool,
    pub mfa_enabled: bool,
    /// Unused recovery codes (their count only).
    pub recovery_codes_remaining: u32,
    /// Sessions signed in now.
    pub active_sessions: u32,
    pub last_sign_in: Option<SignInRecord>,
    /// The plan id, e.g. `free` or `pro`.
    pub plan: String,
    pub deletion_scheduled_for: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// The body of every administrator's write: why, for the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    /// 1 to 500 characters, no control characters; kept in the audit log.
    #[schema(min_length = 1, max_length = 500, pattern = "\\S")]
    pub reason: String,
}

/// What an administrator's write did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AdminActionDone {
    /// The id of its entry in the audit log.
    pub audit_id: String,
    /// Sessions of the account that were signed out by it.
    pub sessions_revoked: u32,
}

/// `POST /v1/auth/step-up`: the proof an administrator's writes need,
/// good for a few minutes (10 by default). Exactly one of the two: the
/// password, or a code of the authenticator app when two-factor is on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepUpRequest {
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<SecretText>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub code: Option<SecretText>,
}

/// Until when this session's proof is good.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StepUp {
    pub valid_until: DateTime<Utc>,
}

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    GrantAdmin,
    RevokeAdmin,
    DisableAccount,
    EnableAccount,
    /// One session signed out.
    RevokeSession,
    /// Every session signed out.
    RevokeSessions,
    MfaReset,
    PasswordReset,
    /// An action this client does not know yet.
    #[serde(other)]
    Other,
}

impl AuditAction {
    pub const ALL: [AuditAction; 8] = [
        Self::GrantAdmin,
        Self::RevokeAdmin,
        Self::DisableAccount,
        Self::EnableAccount,
        Self::RevokeSession,
        Self::RevokeSessions,
        Self::MfaReset,
        Self::PasswordReset,
    ];

    /// The API name, e.g. `disable_account`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GrantAdmin => "grant_admin",
            Self::RevokeAdmin => "revoke_admin",
            Self::DisableAccount => "disable_account",
            Self::EnableAccount => "enable_account",
            Self::RevokeSession => "revoke_session",
            Self::RevokeSessions => "revoke_sessions",
            Self::MfaReset => "mfa_reset",
            Self::PasswordReset => "password_reset",
            Self::Other => "other",
        }
    }

    /// The action of an API name; `None` for a name that is not one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == name)
    }
}

/// One entry of `GET /v1/admin/audit`. Entries are never changed or removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: String,
    pub at: DateTime<Utc>,
    /// The administrator; absent for `acctd users` on the server's own command line.
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: AuditAction,
    pub target_id: String,
    /// The account's email when the action was taken.
    pub target_email: String,
    pub reason: String,
    /// The `X-Request-Id` of the request that did it.
    pub request_id: Option<String>,
    /// What else it did, e.g. "3 sessions signed out".
    pub detail: Option<String>,
}

/// `POST /v1/auth/password-reset`: a new password, with the one-time code
/// an administrator's reset mailed to the account's address.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(max_length = 320)]
    pub email: String,
    #[schema(value_type = String)]
    pub code: SecretText,
    /// At least 10 characters, and not easily guessed.
    #[schema(value_type = String, format = Password, min_length = 10, max_length = 1024)]
    pub new_password: SecretText,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_parse() {
        for action in AuditAction::ALL {
            let json = serde_json::to_value(action).expect("serialises");
            assert_eq!(json, serde_json::json!(action.as_str()));
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        for status in AccountStatus::ALL {
            let json = serde_json::to_value(status).expect("serialises");
            assert_eq!(json, serde_json::json!(status.as_str()));
        }
        assert_eq!(AuditAction::parse("drop_tables"), None);
        let unknown: AuditAction = serde_json::from_str("\"rename\"").expect("reads");
        assert_eq!(unknown, AuditAction::Other);
    }
}
