//! Better Auth's errors (`{message, code}`, either may be missing) as
//! acctl's problem documents, and the answers that show a feature missing.

use acctl_api::{ErrorCode, Problem};

use super::wire::ErrorBody;
use crate::Feature;

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

#[cfg(test)]
mod tests {
    use super::*;

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
