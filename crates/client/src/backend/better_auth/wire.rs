//! Better Auth's wire format: its answers as serde types, its errors as
//! problem documents, and the few values hidden in strings (the TOTP key in
//! the otpauth URI, the token in a mailed link).

use acctl_api::{Account, ErrorCode, Problem, SecretText, Session};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::AUTH_TOKEN_HEADER;
use crate::Feature;
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

/// A Better Auth code that means the feature is switched off there
/// (`CHANGE_EMAIL_DISABLED`; not `TOTP_NOT_ENABLED`, which is the person's).
pub(super) fn means_disabled(code: &str) -> bool {
    code.ends_with("_DISABLED")
}

/// Which field of acctl's forms a Better Auth error code is about, for the
/// operation that got it (`password` is the field the password went in).
fn field_of(code: &str, password_field: &str) -> Option<&'static str> {
    Some(match code {
        "INVALID_PASSWORD" => match password_field {
            "current_password" => "current_password",
            _ => "password",
        },
        "PASSWORD_TOO_SHORT" | "PASSWORD_TOO_LONG" => "new_password",
        "INVALID_CODE"
        | "INVALID_BACKUP_CODE"
        | "INVALID_TOKEN"
        | "TOKEN_EXPIRED"
        | "OTP_HAS_EXPIRED" => "code",
        "INVALID_EMAIL" | "USER_ALREADY_EXISTS" | "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" => {
            "email"
        }
        _ => return None,
    })
}

/// Our code for theirs, when one means the same.
fn our_code(code: &str, status: u16) -> ErrorCode {
    match code {
        "INVALID_EMAIL_OR_PASSWORD" => ErrorCode::InvalidCredentials,
        "UNAUTHORIZED" | "SESSION_EXPIRED" => ErrorCode::Unauthenticated,
        "USER_ALREADY_EXISTS" | "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" => ErrorCode::EmailTaken,
        "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE" | "ACCOUNT_TEMPORARILY_LOCKED" => {
            ErrorCode::RateLimited
        }
        _ if field_of(code, "password").is_some() => ErrorCode::ValidationFailed,
        _ => match status {
            401 => ErrorCode::Unauthenticated,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            429 => ErrorCode::RateLimited,
            s if s >= 500 => ErrorCode::Internal,
            _ => ErrorCode::MalformedRequest,
        },
    }
}

/// What to do about an error whose message alone does not say.
fn hint(code: &str) -> Option<&'static str> {
    Some(match code {
        "INVALID_ORIGIN" | "MISSING_OR_NULL_ORIGIN" => {
            "The service's baseURL (or trustedOrigins) must be the address acctl signs in to."
        }
        "INVALID_TWO_FACTOR_COOKIE" => "The sign-in waited too long for its code; sign in again.",
        _ => return None,
    })
}

/// Their error as our problem document: their message as the detail, the
/// field it concerns (if any), our code where one means the same.
pub(super) fn problem(status: u16, body: ErrorBody, password_field: &str) -> Problem {
    let code = body.code.unwrap_or_default();
    let ours = our_code(&code, status);
    let mut message = body
        .message
        .filter(|m| !m.trim().is_empty())
        .map(|m| sentence(&m))
        .unwrap_or_else(|| ours.title().to_string());
    if let Some(hint) = hint(&code) {
        message = format!("{message} {hint}");
    }
    let mut problem = Problem::new(ours, message.clone());
    problem.status = status;
    match field_of(&code, password_field) {
        Some(field) => problem.with_field(field, message),
        None => problem,
    }
}

/// "Invalid password" reads as a sentence: "Invalid password."
fn sentence(message: &str) -> String {
    let message = message.trim();
    match message.ends_with(['.', '!', '?']) {
        true => message.to_string(),
        false => format!("{message}."),
    }
}

/// The feature an operation belongs to, for "offers no ..." when the
/// service answers 404 or `*_DISABLED`.
pub(super) fn missing_feature(
    status: u16,
    code: Option<&str>,
    feature: Feature,
) -> Option<Feature> {
    match (status, code) {
        (404, None | Some("")) => Some(feature),
        (_, Some(code)) if means_disabled(code) => Some(feature),
        _ => None,
    }
}

/// Stands in for a token in what `acctl api` shows.
const REDACTED: &str = "[not shown]";

/// `acctl api`'s answer without a session token in it: the headers that
/// carry ours (set-auth-token, cookies), and every `token` in a JSON body
/// (list-sessions has every session's, sign-in ours).
pub(crate) fn redact(raw: &mut crate::RawResponse) {
    for (name, value) in &mut raw.headers {
        if name.eq_ignore_ascii_case(AUTH_TOKEN_HEADER) || name.eq_ignore_ascii_case("set-cookie") {
            *value = REDACTED.to_string();
        }
    }
    let Ok(mut body) = serde_json::from_slice::<serde_json::Value>(&raw.body) else {
        return;
    };
    redact_json(&mut body);
    if let Ok(bytes) = serde_json::to_vec(&body) {
        raw.body = bytes;
    }
}

fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                if name == "token" && field.is_string() {
                    *field = serde_json::Value::String(REDACTED.to_string());
                } else {
                    redact_json(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_token_is_shown_by_acctl_api() {
        let mut raw = crate::RawResponse {
            status: 200,
            content_type: Some("application/json".into()),
            headers: vec![
                ("set-auth-token".into(), "abc.sig".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: br#"[{"id":"s1","token":"secret1"},{"id":"s2","token":"secret2","n":{"token":"x"}}]"#.to_vec(),
        };
        redact(&mut raw);
        let body = String::from_utf8(raw.body).expect("utf-8");
        assert!(
            !body.contains("secret") && !body.contains("\"x\""),
            "{body}"
        );
        assert!(body.contains("\"id\":\"s2\""), "{body}");
        assert_eq!(raw.headers[0].1, REDACTED);
        assert_eq!(raw.headers[1].1, "application/json");
        let mut text = crate::RawResponse {
            body: b"not json".to_vec(),
            ..raw
        };
        redact(&mut text);
        assert_eq!(text.body, b"not json");
    }

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

    #[test]
    fn errors_read_as_sentences_on_their_field() {
        let body = |code: &str, message: &str| ErrorBody {
            message: Some(message.into()),
            code: Some(code.into()),
        };
        let wrong = problem(
            400,
            body("INVALID_PASSWORD", "Invalid password"),
            "current_password",
        );
        assert_eq!(wrong.to_string(), "Invalid password.");
        assert_eq!(wrong.status, 400);
        assert_eq!(wrong.errors["current_password"], ["Invalid password."]);
        let code = problem(401, body("INVALID_CODE", "Invalid code"), "password");
        assert_eq!(code.error_code(), Some(ErrorCode::ValidationFailed));
        assert!(code.errors.contains_key("code"));
        let login = problem(
            401,
            body("INVALID_EMAIL_OR_PASSWORD", "Invalid email or password"),
            "password",
        );
        assert_eq!(login.error_code(), Some(ErrorCode::InvalidCredentials));
        let bare = problem(500, ErrorBody::default(), "password");
        assert_eq!(bare.to_string(), ErrorCode::Internal.title());
        let origin = problem(403, body("INVALID_ORIGIN", "Invalid origin"), "password");
        assert!(
            origin
                .to_string()
                .starts_with("Invalid origin. The service's baseURL")
        );
    }

    #[test]
    fn not_found_and_disabled_mean_the_feature_is_missing() {
        assert_eq!(missing_feature(404, None, Feature::Mfa), Some(Feature::Mfa));
        assert_eq!(
            missing_feature(400, Some("CHANGE_EMAIL_DISABLED"), Feature::EmailChange),
            Some(Feature::EmailChange)
        );
        assert_eq!(
            missing_feature(400, Some("INVALID_PASSWORD"), Feature::Mfa),
            None
        );
        assert_eq!(
            missing_feature(400, Some("TOTP_NOT_ENABLED"), Feature::Mfa),
            None
        );
        let signup = Some("EMAIL_PASSWORD_SIGN_UP_DISABLED");
        assert_eq!(
            missing_feature(400, signup, Feature::Signup),
            Some(Feature::Signup)
        );
        assert_eq!(
            missing_feature(404, Some("USER_NOT_FOUND"), Feature::Mfa),
            None
        );
    }
}
