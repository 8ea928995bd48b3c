//! Better Auth's wire format: its answers as serde types, and the few
//! values hidden in strings (the TOTP key in the otpauth URI, the token in
//! a mailed link).

use acctl_api::{Account, SecretText, Session};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::backend::device_name;

/// `user` in the answers of get-session, sign-in and verify.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct User {
    pub id: String,
    pub email: String,
    #[serde(default)]
    pub email_verified: bool,
    #[serde(default)]
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Absent without the twoFactor plugin.
    #[serde(default)]
    pub two_factor_enabled: Option<bool>,
}

/// A row of `GET /list-sessions`. `token` is that session's bearer token:
/// it never leaves this module's memory (no Debug, no log, no store).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SessionRow {
    pub id: String,
    pub token: SecretText,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub ip_address: Option<String>,
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// `GET /get-session` (`null` when the token is dead).
#[derive(Deserialize)]
pub(super) struct SessionAnswer {
    pub session: CurrentSession,
    pub user: User,
}

#[derive(Deserialize)]
pub(super) struct CurrentSession {
    pub id: String,
}

/// `POST /sign-in/email`: a session, or the second factor to ask for.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SignInAnswer {
    #[serde(default)]
    pub two_factor_redirect: bool,
    #[serde(default)]
    pub two_factor_methods: Vec<String>,
}

/// `POST /two-factor/enable`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EnableAnswer {
    #[serde(rename = "totpURI")]
    pub totp_uri: SecretText,
    pub backup_codes: Vec<SecretText>,
}

/// `POST /two-factor/generate-backup-codes`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct BackupCodesAnswer {
    pub backup_codes: Vec<SecretText>,
}

/// An error body: `{message, code}`, either may be missing.
#[derive(Default, Deserialize)]
pub(super) struct ErrorBody {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
}

impl User {
    pub fn into_account(self, active_sessions: u32) -> Account {
        Account {
            id: self.id,
            email: self.email,
            email_verified: self.email_verified,
            name: self.name,
            display_name: None,
            created_at: Some(self.created_at),
            mfa_enabled: self.two_factor_enabled.unwrap_or(false),
            active_sessions,
            last_sign_in: None,
            pending_email: None,
            phone: None,
            bio: None,
            has_avatar: false,
            deletion_scheduled_for: None,
            admin: false,
        }
    }
}

impl SessionRow {
    /// The contract's session; `current` when its token is the one in use.
    pub fn to_session(&self, current_token: &str) -> Session {
        let user_agent = self.user_agent.clone().filter(|ua| !ua.is_empty());
        Session {
            id: self.id.clone(),
            // Better Auth keeps no device names: acctl puts its own in the
            // user agent; another program's agent stands in.
            device_name: user_agent
                .as_deref()
                .map_or_else(|| "Unknown device".into(), device_name),
            user_agent,
            ip: self.ip_address.clone().filter(|ip| !ip.is_empty()),
            location: None,
            created_at: self.created_at,
            last_active_at: self.updated_at,
            current: same_token(self.token.expose(), current_token),
        }
    }
}

/// True when two tokens name one session: `set-auth-token` carries the
/// token with its signature (`TOKEN.SIGNATURE`), list-sessions without.
pub(super) fn same_token(a: &str, b: &str) -> bool {
    let bare = |t: &str| t.split('.').next().unwrap_or_default().to_string();
    !a.is_empty() && bare(a) == bare(b)
}

/// The base32 key in an `otpauth://totp/...?secret=KEY` URI.
pub(super) fn totp_secret(uri: &str) -> Option<String> {
    let url = reqwest::Url::parse(uri).ok()?;
    if url.scheme() != "otpauth" {
        return None;
    }
    url.query_pairs()
        .find(|(name, _)| name == "secret")
        .map(|(_, key)| key.into_owned())
        .filter(|key| !key.is_empty())
}

/// The token of a mailed verification link as pasted, or the token itself.
/// Only the token is taken: the link's host is never visited.
pub(super) fn link_token(pasted: &str) -> Option<String> {
    let pasted = pasted.trim();
    if pasted.is_empty() {
        return None;
    }
    if !pasted.contains("://") {
        return (!pasted.contains(['?', '&', '/', ' '])).then(|| pasted.to_string());
    }
    let url = reqwest::Url::parse(pasted).ok()?;
    url.query_pairs()
        .find(|(name, _)| name == "token")
        .map(|(_, token)| token.into_owned())
        .filter(|token| !token.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_comes_out_of_the_totp_uri() {
        let uri = "otpauth://totp/Better%20Auth:ada%40example.com?secret=IRHXO3CJ&issuer=Better+Auth&digits=6&period=30";
        assert_eq!(totp_secret(uri).as_deref(), Some("IRHXO3CJ"));
        assert_eq!(totp_secret("otpauth://totp/x?issuer=y"), None);
        assert_eq!(totp_secret("https://example.com/?secret=ABC"), None);
        assert_eq!(totp_secret("not a uri"), None);
    }

    #[test]
    fn the_token_comes_out_of_a_pasted_link_or_alone() {
        let link = " http://127.0.0.1:1/api/auth/verify-email?token=eyJ.abc.def&callbackURL=%2F\n";
        assert_eq!(link_token(link).as_deref(), Some("eyJ.abc.def"));
        assert_eq!(link_token("eyJ.abc.def").as_deref(), Some("eyJ.abc.def"));
        assert_eq!(link_token("http://h/verify-email?callbackURL=%2F"), None);
        assert_eq!(link_token("a b"), None);
        assert_eq!(link_token(""), None);
    }

    #[test]
    fn signed_and_bare_tokens_name_one_session() {
        assert!(same_token("abc.SIGNATURE=", "abc"));
        assert!(same_token("abc", "abc.SIG"));
        assert!(!same_token("abc.SIG", "abd"));
        assert!(!same_token("", ""));
    }
}
