//! `POST /v1/auth/password-reset`: a new password, with the one-time code
//! that an administrator's reset mailed to the account's address.

use acctl_api::admin::PasswordResetRequest;
use acctl_api::{SecurityEventKind, paths};
use axum::extract::State;
use axum::http::StatusCode;

use crate::auth::password::hash_password;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::routes::admin::actions::reset_code_hash;
use crate::routes::reauth::field_error;
use crate::state::AppState;
use crate::store::EventRecord;
use crate::validate::{self, Checks, MAX_PASSWORD_CHARS};

/// Wrong codes a reset tolerates before an administrator must start another.
const MAX_ATTEMPTS: i64 = 5;
/// Longest email looked up; anything longer cannot be an account.
const MAX_EMAIL_CHARS: usize = 320;

/// Choose a new password with a reset code. The same answer for an unknown
/// email, no reset under way, an expired code and a wrong one.
#[utoipa::path(post, path = paths::PASSWORD_RESET, tag = "auth", request_body = PasswordResetRequest,
    responses(
        (status = 204, description = "The new password is set; sign in with it"),
        (status = 422, description = "`validation_failed`: a wrong or expired `code`, or a `new_password` the policy refuses", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many wrong codes; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn reset(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<PasswordResetRequest>,
) -> ApiResult<StatusCode> {
    let mut checks = Checks::default();
    if let Some(message) = validate::text_problem(&request.email, MAX_EMAIL_CHARS, true) {
        checks.add("email", message);
    }
    let new_password = request.new_password.expose();
    if new_password.chars().count() <= MAX_PASSWORD_CHARS {
        for message in validate::password_problems(new_password, request.email.trim()) {
            checks.add("new_password", message);
        }
    } else {
        checks.add(
            "new_password",
            format!("Use at most {MAX_PASSWORD_CHARS} characters."),
        );
    }
    checks.finish().map_err(ApiError::validation)?;
    let email = validate::normalize_email(&request.email);
    let ip = caller.ip.as_deref();
    let now = state.now_ms();
    state
        .limiter
        .check(&email, ip, now)
        .await?
        .map_err(ApiError::rate_limited)?;
    let user = state.store.user_by_email(&email).await?;
    let pending = match &user {
        Some(user) => state.store.password_reset(&user.id).await?,
        None => None,
    };
    let right = match (&user, &pending) {
        (Some(user), Some(reset)) => {
            let hash = reset_code_hash(&user.id, request.code.expose());
            (reset.expires_at > now && reset.attempts < MAX_ATTEMPTS && reset.code_hash == hash)
                .then_some((user, hash))
        }
        _ => None,
    };
    let Some((user, code_hash)) = right else {
        state.limiter.record_failure(&email, ip, now).await?;
        if let Some(reset) = &pending {
            state.store.password_reset_failed(&reset.user_id).await?;
        }
        return Err(wrong_code());
    };
    let password_hash = hash_password(request.new_password).await?;
    let mut event = EventRecord::new(&user.id, SecurityEventKind::PasswordChanged, now);
    event.ip = caller.ip.clone();
    event.device_name = caller
        .user_agent
        .as_deref()
        .map(validate::device_from_user_agent);
    event.detail = Some("Set with the code of a reset an administrator started".to_string());
    if !state
        .store
        .finish_password_reset(&user.id, &code_hash, &password_hash, &event)
        .await?
    {
        return Err(wrong_code());
    }
    state.limiter.reset_email(&email).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn wrong_code() -> ApiError {
    field_error(
        "code",
        "This code is wrong or has expired. Check the latest mail, or ask an administrator \
         to reset the password again.",
    )
}
