//! RFC 9457 problem details, the body of every error response.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::FieldErrors;

/// Media type of a problem document.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
/// Header that carries the request id on every response.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// An error body: `type`, `title`, `status`, `detail`, plus a stable `code`,
/// per-field messages and the request id to quote in a bug report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type", default = "about_blank")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    #[serde(default)]
    pub detail: Option<String>,
    /// Stable, snake_case, e.g. `validation_failed`. Clients branch on this, never on text.
    pub code: String,
    #[serde(default, skip_serializing_if = "FieldErrors::is_empty")]
    #[schema(inline)]
    pub errors: FieldErrors,
    #[serde(default)]
    pub request_id: Option<String>,
}

fn about_blank() -> String {
    "about:blank".to_string()
}

impl Problem {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            type_uri: format!("https://acctl.dev/problems/{}", code.as_str()),
            title: code.title().to_string(),
            status: code.status(),
            detail: Some(detail.into()),
            code: code.as_str().to_string(),
            errors: FieldErrors::new(),
            request_id: None,
        }
    }

    /// Adds a message for one field of the request.
    pub fn with_field(mut self, field: &str, message: impl Into<String>) -> Self {
        self.errors
            .entry(field.to_string())
            .or_default()
            .push(message.into());
        self
    }

    /// The code as a known [`ErrorCode`], if this client knows it.
    pub fn error_code(&self) -> Option<ErrorCode> {
        ErrorCode::parse(&self.code)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.detail {
            Some(detail) if !detail.is_empty() => write!(f, "{detail}"),
            _ => write!(f, "{}", self.title),
        }
    }
}

macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:literal, $title:literal;)*) => {
        /// Stable error codes. New codes may appear; clients treat unknown
        /// ones by their HTTP status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($variant),* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code),* }
            }
            pub fn status(self) -> u16 {
                match self { $(Self::$variant => $status),* }
            }
            pub fn title(self) -> &'static str {
                match self { $(Self::$variant => $title),* }
            }
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

error_codes! {
    ValidationFailed = "validation_failed", 422, "The request has invalid fields";
    MalformedRequest = "malformed_request", 400, "The request could not be read";
    InvalidCredentials = "invalid_credentials", 401, "Email or password is wrong";
    Unauthenticated = "unauthenticated", 401, "Sign-in required";
    TokenExpired = "token_expired", 401, "The access token has expired";
    SessionRevoked = "session_revoked", 401, "This session was signed out";
    InvalidRefreshToken = "invalid_refresh_token", 401, "The refresh token is not valid";
    MfaRequired = "mfa_required", 401, "A second factor is required";
    Forbidden = "forbidden", 403, "Not allowed";
    AdminRequired = "admin_required", 403, "Administrators only";
    StepUpRequired = "step_up_required", 403, "Confirm it is you first";
    OwnAccount = "own_account", 403, "Not on your own account";
    AccountDisabled = "account_disabled", 403, "This account is disabled";
    NotFound = "not_found", 404, "Not found";
    MethodNotAllowed = "method_not_allowed", 405, "Method not allowed";
    CurrentSession = "current_session", 409, "This is the session in use";
    Conflict = "conflict", 409, "That conflicts with the current state";
    EmailTaken = "email_taken", 409, "That email is already registered";
    PreconditionFailed = "precondition_failed", 412, "Changed meanwhile";
    PreconditionRequired = "precondition_required", 428, "Send If-Match with the version you edited";
    RequestTimeout = "request_timeout", 408, "The request took too long to arrive";
    PayloadTooLarge = "payload_too_large", 413, "The request is too large";
    UnsupportedMediaType = "unsupported_media_type", 415, "The body's media type is not accepted";
    SettingLocked = "setting_locked", 422, "That setting cannot be changed";
    PriceChanged = "price_changed", 409, "The price changed since the preview";
    ExportNotReady = "export_not_ready", 409, "The export is not ready yet";
    ExportExpired = "export_expired", 410, "The export has expired";
    DeletionScheduled = "deletion_scheduled", 409, "The account is already scheduled for deletion";
    RateLimited = "rate_limited", 429, "Too many attempts";
    Internal = "internal", 500, "Something went wrong on the server";
    TooSlow = "too_slow", 503, "The server took too long to answer";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_snake_case() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
            assert!(
                code.as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_')
            );
        }
    }

    #[test]
    fn problem_carries_field_errors() {
        let p = Problem::new(ErrorCode::ValidationFailed, "Check the form")
            .with_field("email", "Enter an email address like name@example.com");
        let json = serde_json::to_value(&p).expect("serialises");
        assert_eq!(json["status"], 422);
        assert_eq!(json["code"], "validation_failed");
        assert_eq!(
            json["errors"]["email"][0],
            "Enter an email address like name@example.com"
        );
    }
}
