//! What the security routes share: the caller's account, the current
//! password asked again before a sensitive change, and the event it logs;
//! and `POST /v1/auth/step-up`, the same proof asked ahead of time for the
//! administrators' writes.

use acctl_api::admin::{StepUp, StepUpRequest};
use acctl_api::{SecretText, SecurityEventKind};
use axum::Json;
use axum::extract::State;
use secrecy::ExposeSecret as _;

use crate::auth::password::verify_password;
use crate::auth::{Authenticated, mfa};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
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

/// Prove it is you again (the password, or a code of the authenticator app
/// when two-factor is on): the administrators' writes need a proof this
/// recent (`--step-up-minutes`, 10 by default), as GitHub's sudo mode does.
#[utoipa::path(post, path = acctl_api::paths::STEP_UP, tag = "auth", operation_id = "step_up", security(("bearer" = [])),
    request_body = StepUpRequest,
    responses(
        (status = 200, description = "This session may make administrators' changes until `valid_until`", body = StepUp),
        (status = 422, description = "`validation_failed`: a wrong `password` or `code`, or neither or both sent", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many wrong passwords or codes; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn step_up(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(request): ApiJson<StepUpRequest>,
) -> ApiResult<Json<StepUp>> {
    let user = current_user(&state, &me).await?;
    match (&request.password, &request.code) {
        (Some(password), None) => {
            confirm_password(&state, &user, &caller, password, "password").await?;
        }
        (None, Some(code)) => confirm_code(&state, &user, &caller, code).await?,
        _ => {
            return Err(field_error(
                "password",
                "Send either your password or a code of your authenticator app.",
            ));
        }
    }
    let now = state.now_ms();
    state.store.mark_stepped_up(&me.session_id, now).await?;
    let window = crate::clock::duration_ms(state.config.step_up_window);
    Ok(Json(StepUp {
        valid_until: crate::clock::from_ms(now.saturating_add(window)),
    }))
}

/// A current TOTP code of the account, spent so it cannot be replayed; a
/// wrong one counts toward the sign-in limit like a wrong password.
async fn confirm_code(
    state: &AppState,
    user: &UserRecord,
    caller: &Caller,
    code: &SecretText,
) -> ApiResult<()> {
    let email = validate::normalize_email(&user.email);
    let ip = caller.ip.as_deref();
    state
        .limiter
        .check(&email, ip, state.now_ms())
        .await?
        .map_err(ApiError::rate_limited)?;
    let factor = state
        .store
        .totp_factor(&user.id)
        .await?
        .filter(|factor| factor.enabled());
    let step = match factor {
        Some(factor) => {
            let secret = state.secrets.open_totp(&factor.secret)?;
            mfa::check_code(secret.expose_secret(), code.expose(), state.now_ms())?
        }
        None => None,
    };
    if let Some(step) = step
        && state.store.spend_totp_step(&user.id, step).await?
    {
        return Ok(());
    }
    state
        .limiter
        .record_failure(&email, ip, state.now_ms())
        .await?;
    Err(field_error(
        "code",
        "This code is not right, or was used already. Type the 6 digits your authenticator \
         app shows now (two-factor sign-in must be on to use one).",
    ))
}
