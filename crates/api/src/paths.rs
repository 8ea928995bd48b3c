//! Request paths, shared so client and server cannot drift apart.

pub const HEALTHZ: &str = "/healthz";
pub const META: &str = "/v1/meta";
pub const OPENAPI: &str = "/v1/openapi.json";

pub const SIGNUP: &str = "/v1/auth/signup";
pub const LOGIN: &str = "/v1/auth/login";
pub const LOGIN_MFA: &str = "/v1/auth/login/mfa";
pub const REFRESH: &str = "/v1/auth/refresh";
pub const LOGOUT: &str = "/v1/auth/logout";
/// `POST`: the password (or a TOTP code) again, for the administrators'
/// writes that need a recent proof.
pub const STEP_UP: &str = "/v1/auth/step-up";
/// `POST`: a new password with the code an administrator's reset mailed.
pub const PASSWORD_RESET: &str = "/v1/auth/password-reset";

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
/// `GET` the matrix; `PUT` some of its cells.
pub const NOTIFICATION_SETTINGS: &str = "/v1/me/notification-settings";
/// `GET ?unread=true&limit=&cursor=`, newest first.
pub const NOTIFICATIONS: &str = "/v1/me/notifications";
pub const NOTIFICATIONS_UNREAD_COUNT: &str = "/v1/me/notifications/unread-count";
/// `POST`: every notification read; answers the [`crate::notifications::UnreadCount`] left.
pub const NOTIFICATIONS_READ_ALL: &str = "/v1/me/notifications/read-all";
/// `POST`: one notification read; answers it.
pub const NOTIFICATION_READ_PATTERN: &str = "/v1/me/notifications/{id}/read";

/// `GET`, `PATCH`.
pub const PRIVACY: &str = "/v1/me/privacy";
/// `POST` starts a job (202); `GET` lists them, newest first.
pub const EXPORTS: &str = "/v1/me/exports";
pub const EXPORT_PATTERN: &str = "/v1/me/exports/{id}";
pub const EXPORT_DOWNLOAD_PATTERN: &str = "/v1/me/exports/{id}/download";
/// `GET` status, `POST` schedule (202), `DELETE` cancel.
pub const DELETION: &str = "/v1/me/deletion";

pub const BILLING_PLANS: &str = "/v1/billing/plans";
/// `GET`; `PUT` a [`crate::billing::SubscriptionChange`].
pub const SUBSCRIPTION: &str = "/v1/me/subscription";
pub const SUBSCRIPTION_PREVIEW: &str = "/v1/me/subscription/preview";
/// `POST`: cancel at the end of the period.
pub const SUBSCRIPTION_CANCEL: &str = "/v1/me/subscription/cancel";
/// `POST`: undo a cancel before the period ends.
pub const SUBSCRIPTION_RESUME: &str = "/v1/me/subscription/resume";
/// `GET ?limit=&cursor=`, newest first.
pub const INVOICES: &str = "/v1/me/invoices";
pub const INVOICE_PATTERN: &str = "/v1/me/invoices/{id}";
/// `application/pdf`.
pub const INVOICE_DOCUMENT_PATTERN: &str = "/v1/me/invoices/{id}/document";
pub const PAYMENT_METHOD: &str = "/v1/me/payment-method";
/// `POST`: a [`crate::billing::PaymentMethodHandoff`] to finish in a browser.
pub const PAYMENT_METHOD_UPDATE: &str = "/v1/me/payment-method/update";
/// The local provider's browser page for a hand-off (development servers
/// complete it with a test card).
pub const CHECKOUT_PATTERN: &str = "/billing/checkout/{token}";

/// `GET ?query=&status=&mfa=&limit=&cursor=`: accounts by email or name prefix.
pub const ADMIN_USERS: &str = "/v1/admin/users";
pub const ADMIN_USER_PATTERN: &str = "/v1/admin/users/{id}";
/// `GET` the signed-in sessions; `DELETE` (with a reason) signs them all out.
pub const ADMIN_USER_SESSIONS_PATTERN: &str = "/v1/admin/users/{id}/sessions";
/// `DELETE` (with a reason) signs one out.
pub const ADMIN_USER_SESSION_PATTERN: &str = "/v1/admin/users/{id}/sessions/{session_id}";
pub const ADMIN_USER_EVENTS_PATTERN: &str = "/v1/admin/users/{id}/security-events";
pub const ADMIN_USER_DISABLE_PATTERN: &str = "/v1/admin/users/{id}/disable";
pub const ADMIN_USER_ENABLE_PATTERN: &str = "/v1/admin/users/{id}/enable";
pub const ADMIN_USER_MFA_RESET_PATTERN: &str = "/v1/admin/users/{id}/mfa/reset";
pub const ADMIN_USER_PASSWORD_RESET_PATTERN: &str = "/v1/admin/users/{id}/password-reset";
/// `GET ?actor=&target=&action=&limit=&cursor=`, newest first.
pub const ADMIN_AUDIT: &str = "/v1/admin/audit";

/// Development servers only: mail that would have been sent (`?to=`).
pub const DEV_OUTBOX: &str = "/v1/dev/outbox";

/// Path of one session. Ids are percent-encoded, so no id can walk elsewhere.
pub fn session(id: &str) -> String {
    format!("{SESSIONS}/{}", encode_segment(id))
}

pub fn notification_read(id: &str) -> String {
    format!("{NOTIFICATIONS}/{}/read", encode_segment(id))
}

pub fn export(id: &str) -> String {
    format!("{EXPORTS}/{}", encode_segment(id))
}

pub fn export_download(id: &str) -> String {
    format!("{}/download", export(id))
}

pub fn invoice(id: &str) -> String {
    format!("{INVOICES}/{}", encode_segment(id))
}

pub fn invoice_document(id: &str) -> String {
    format!("{}/document", invoice(id))
}

/// Path of one account for administrators.
pub fn admin_user(id: &str) -> String {
    format!("{ADMIN_USERS}/{}", encode_segment(id))
}

/// `/v1/admin/users/{id}/<rest>`, e.g. `admin_user_path(id, "disable")`.
pub fn admin_user_path(id: &str, rest: &str) -> String {
    format!("{}/{rest}", admin_user(id))
}

/// Path of one of an account's sessions for administrators.
pub fn admin_user_session(id: &str, session_id: &str) -> String {
    format!("{}/sessions/{}", admin_user(id), encode_segment(session_id))
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
