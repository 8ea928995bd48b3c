//! What the security routes share: the caller's account, the current
//! password asked again before a sensitive change, and the event it logs.

use acctl_api::{SecretText, SecurityEventKind};

use crate::auth::Authenticated;
use crate::auth::password::verify_password;
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::state::AppState;
use crate::store::{EventRecord, UserRecord};
use crate::validate::{self, Checks, MAX_PASSWORD_CHARS};

/// The caller's account. The session was just found by its token; a
/// missing user means the account was deleted meanwhile.
pub async fn current_user(state: &AppState, me: &Authenticated) -> ApiResult<UserRecord> {
    state
        .store
        .user_by_id(&me.user_id)
        .await?
        .ok_or_else(|| ApiError::internal("session without an account"))
}

/// Checks the account's password, sent as `field`. A wrong one is a field
/// error and counts toward the sign-in limit of the account's email, so a
/// stolen session cannot be used to guess the password faster than a login.
pub async fn confirm_password(
    state: &AppState,
    user: &UserRecord,
    caller: &Caller,
    password: &SecretText,
    field: &str,
) -> ApiResult<()> {
    let email = validate::normalize_email(&user.email);
    let ip = caller.ip.as_deref();
    state
        .limiter
        .check(&email, ip, state.now_ms())
        .await?
        .map_err(ApiError::rate_limited)?;
    let too_long = password.expose().chars().count() > MAX_PASSWORD_CHARS;
    if !too_long && verify_password(password.clone(), Some(user.password_hash.clone())).await {
        return Ok(());
    }
    state
        .limiter
        .record_failure(&email, ip, state.now_ms())
        .await?;
    Err(field_error(field, "This is not your current password."))
}

/// A 422 with one message on one field.
pub fn field_error(field: &str, message: &str) -> ApiError {
    let mut checks = Checks::default();
    checks.add(field, message);
    match checks.finish() {
        Err(errors) => ApiError::validation(errors),
        Ok(()) => ApiError::internal("a field error without a message"),
    }
}

/// An event of the caller's own session, with where the request came from.
pub fn my_event(
    state: &AppState,
    me: &Authenticated,
    caller: &Caller,
    kind: SecurityEventKind,
) -> EventRecord {
    let mut event = EventRecord::new(&me.user_id, kind, state.now_ms());
    event.session_id = Some(me.session_id.clone());
    event.ip = caller.ip.clone().or_else(|| me.ip.clone());
    event.device_name = Some(me.device_name.clone());
    event
}
