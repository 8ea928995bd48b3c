//! Request paths, shared so client and server cannot drift apart.

pub const HEALTHZ: &str = "/healthz";
pub const META: &str = "/v1/meta";
pub const OPENAPI: &str = "/v1/openapi.json";

pub const SIGNUP: &str = "/v1/auth/signup";
pub const LOGIN: &str = "/v1/auth/login";
pub const LOGIN_MFA: &str = "/v1/auth/login/mfa";
pub const REFRESH: &str = "/v1/auth/refresh";
pub const LOGOUT: &str = "/v1/auth/logout";

pub const ME: &str = "/v1/me";
/// `GET` (image/png), `PUT` (image/png or image/jpeg body), `DELETE`.
pub const AVATAR: &str = "/v1/me/avatar";
pub const PREFERENCES: &str = "/v1/me/preferences";
/// `GET` lists; `DELETE ?others=true` signs out every other session.
pub const SESSIONS: &str = "/v1/me/sessions";
/// Route pattern of one session, as axum spells it.
pub const SESSION_PATTERN: &str = "/v1/me/sessions/{id}";
pub const SECURITY_EVENTS: &str = "/v1/me/security-events";

pub const PASSWORD: &str = "/v1/me/password";
pub const EMAIL: &str = "/v1/me/email";
pub const EMAIL_VERIFY: &str = "/v1/me/email/verify";
pub const MFA: &str = "/v1/me/mfa";
/// `POST` starts enrolment; `DELETE` turns TOTP off.
pub const MFA_TOTP: &str = "/v1/me/mfa/totp";
pub const MFA_TOTP_CONFIRM: &str = "/v1/me/mfa/totp/confirm";
pub const MFA_RECOVERY_CODES: &str = "/v1/me/mfa/recovery-codes";
/// Development servers only: mail that would have been sent (`?to=`).
pub const DEV_OUTBOX: &str = "/v1/dev/outbox";

/// Path of one session. Ids are percent-encoded, so no id can walk elsewhere.
pub fn session(id: &str) -> String {
    format!("{SESSIONS}/{}", encode_segment(id))
}

/// Percent-encode everything but unreserved characters (RFC 3986).
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    // "." and ".." are unreserved but still mean something in a path.
    match out.as_str() {
        "." => "%2E".to_string(),
        ".." => "%2E%2E".to_string(),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_cannot_traverse() {
        assert_eq!(session("../me"), "/v1/me/sessions/..%2Fme");
        assert_eq!(session(".."), "/v1/me/sessions/%2E%2E");
        assert_eq!(session("a b"), "/v1/me/sessions/a%20b");
    }
}
