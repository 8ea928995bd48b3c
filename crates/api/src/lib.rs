//! acctl-api: the wire contract between the acctl console and an account
//! service. Both the client and acctd use these types, so a change here is a
//! change to the API. No UI or HTTP-library types belong in this crate.

pub mod billing;
pub mod error;
pub mod notifications;
pub mod password_policy;
pub mod paths;
pub mod privacy;
pub mod profile;
pub mod secret;
pub mod security;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use error::{ErrorCode, Problem};
pub use secret::SecretText;
pub use security::*;

/// `POST /v1/auth/signup`
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// At least 10 characters, and not easily guessed.
    #[schema(value_type = String, format = Password, min_length = 10, max_length = 1024)]
    pub password: SecretText,
    /// Not blank; at most 100 characters.
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: String,
    #[serde(default)]
    pub device_name: Option<String>,
}

/// `POST /v1/auth/login`
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretText,
    /// A name the person recognises in their session list, e.g. "acctl on laptop".
    #[serde(default)]
    pub device_name: Option<String>,
}

/// `POST /v1/auth/login/mfa`: the second step when login answered `mfa_required`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginMfaRequest {
    #[schema(value_type = String)]
    pub mfa_token: SecretText,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub code: Option<SecretText>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub recovery_code: Option<SecretText>,
}

/// The answer to a login: either tokens, or a request for a second factor.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LoginResponse {
    Ok(TokenPair),
    MfaRequired(MfaChallenge),
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MfaChallenge {
    #[schema(value_type = String)]
    pub mfa_token: SecretText,
    /// Seconds until `mfa_token` stops working.
    pub expires_in: u64,
    /// Factors the account accepts, e.g. `["totp", "recovery_code"]`.
    pub methods: Vec<String>,
}

/// Opaque bearer tokens for one session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenPair {
    #[schema(value_type = String)]
    pub access_token: SecretText,
    #[schema(value_type = String)]
    pub refresh_token: SecretText,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub session_id: String,
}

/// `POST /v1/auth/refresh`: trade a refresh token for a new pair (rotation).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[schema(value_type = String)]
    pub refresh_token: SecretText,
}

/// `GET /v1/me`: the signed-in account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
    pub display_name: Option<String>,
    /// When the account was made; null from a service that does not say
    /// (django-allauth keeps no such date for its API).
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    pub mfa_enabled: bool,
    /// Sessions currently signed in, this one included.
    pub active_sessions: u32,
    /// The sign-in before the one in use now, if there was one.
    pub last_sign_in: Option<SignInRecord>,
    /// A new address waiting for its verification code, if a change is under way.
    #[serde(default)]
    pub pending_email: Option<String>,
    /// E.164, e.g. `+441632960961`.
    #[serde(default)]
    pub phone: Option<String>,
    /// At most 500 characters.
    #[serde(default)]
    pub bio: Option<String>,
    /// `GET /v1/me/avatar` has a picture.
    #[serde(default)]
    pub has_avatar: bool,
    /// When the account's data will be removed, if deletion is scheduled
    /// (`DELETE /v1/me/deletion` cancels).
    #[serde(default)]
    pub deletion_scheduled_for: Option<DateTime<Utc>>,
}

/// Longest bio accepted, in characters.
pub const BIO_MAX_CHARS: usize = 500;
/// Longest name and display name accepted, in characters.
pub const NAME_MAX_CHARS: usize = 100;
/// Largest avatar upload accepted (PNG or JPEG), in bytes.
pub const AVATAR_MAX_BYTES: usize = 1024 * 1024;
/// Side of the square PNG the server stores for any avatar, in pixels.
pub const AVATAR_SIDE: u32 = 256;

/// `PATCH /v1/me` with `If-Match: <the ETag of the version edited>`. Only
/// the fields present change; an empty string clears an optional field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
}

impl ProfilePatch {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The console's themes, and `system` (follow the terminal): what
/// [`Preferences::theme`] may be. The console ships exactly these.
pub const THEMES: &[&str] = &["system", "default", "light", "high-contrast", "mono"];

/// `GET /v1/me/preferences` (with an `ETag`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Preferences {
    /// One of `system`, `default`, `light`, `high-contrast`, `mono`.
    pub theme: String,
    /// A BCP 47 language tag, e.g. `en-GB`.
    pub language: String,
    /// An IANA time zone name, e.g. `Europe/London`.
    pub timezone: String,
}

/// `PATCH /v1/me/preferences` with `If-Match`; only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SignInRecord {
    pub at: DateTime<Utc>,
    pub ip: Option<String>,
    pub device_name: Option<String>,
}

/// One signed-in device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Session {
    pub id: String,
    pub device_name: String,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    /// A coarse place ("Berlin, DE"), when the server knows one.
    pub location: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_active_at: DateTime<Utc>,
    /// True for the session that made this request.
    pub current: bool,
}

/// `DELETE /v1/me/sessions?others=true`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RevokedSessions {
    pub revoked: u32,
}

/// A message in the outbox of a development server (`GET /v1/dev/outbox`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OutboxMessage {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A page of a cursor-paginated list: `?limit=&cursor=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Query of a paginated list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PageQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// Largest `limit` a list accepts; bigger values are clamped.
pub const MAX_PAGE_LIMIT: u32 = 200;
/// `limit` when none is given.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;

/// `GET /v1/meta`: who the server is and what it supports, so the console
/// can hide what a server lacks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Meta {
    pub name: String,
    pub version: String,
    /// Feature names, e.g. `sessions`, `mfa`, `billing`.
    pub features: Vec<String>,
}

/// Names a server lists in [`Meta::features`].
pub mod features {
    pub const SESSIONS: &str = "sessions";
    pub const SECURITY_EVENTS: &str = "security_events";
    pub const MFA: &str = "mfa";
    pub const PROFILE: &str = "profile";
    pub const NOTIFICATIONS: &str = "notifications";
    pub const PRIVACY: &str = "privacy";
    pub const BILLING: &str = "billing";
}

/// `GET /healthz`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
}

/// Field name → messages, as in [`Problem::errors`].
pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_response_is_tagged_by_status() {
        let json =
            r#"{"status":"mfa_required","mfa_token":"t","expires_in":300,"methods":["totp"]}"#;
        let parsed: LoginResponse = serde_json::from_str(json).expect("parses");
        assert!(matches!(parsed, LoginResponse::MfaRequired(c) if c.expires_in == 300));
    }

    #[test]
    fn unknown_event_kinds_do_not_break_old_clients() {
        let kind: SecurityEventKind =
            serde_json::from_str("\"password_changed_on_mars\"").expect("parses");
        assert_eq!(kind, SecurityEventKind::Other);
    }

    #[test]
    fn requests_refuse_unknown_fields() {
        let json = r#"{"email":"a@b.c","password":"x","admin":true}"#;
        assert!(serde_json::from_str::<LoginRequest>(json).is_err());
    }

    #[test]
    fn accounts_from_older_servers_have_no_pending_email() {
        let json = r#"{"id":"u","email":"a@b.c","email_verified":true,"name":"A",
            "display_name":null,"created_at":"2030-01-01T00:00:00Z","mfa_enabled":false,
            "active_sessions":1,"last_sign_in":null}"#;
        let account: Account = serde_json::from_str(json).expect("parses");
        assert_eq!(account.pending_email, None);
    }

    #[test]
    fn security_requests_refuse_unknown_fields_and_hide_secrets() {
        let json = r#"{"current_password":"a","new_password":"b","admin":true}"#;
        assert!(serde_json::from_str::<ChangePasswordRequest>(json).is_err());
        let json = r#"{"current_password":"hunter2","new_password":"b"}"#;
        let parsed: ChangePasswordRequest = serde_json::from_str(json).expect("parses");
        assert!(!parsed.sign_out_other_sessions);
        assert!(!format!("{parsed:?}").contains("hunter2"));
        let kind: SecurityEventKind = serde_json::from_str("\"mfa_failed\"").expect("parses");
        assert_eq!(kind.describe(), "Wrong two-factor code");
    }
}
