//! `/v1/me/mfa*`: TOTP enrolment, confirmation and removal, and recovery codes.

use acctl_api::{
    CodeRequest, DisableTotpRequest, ErrorCode, MfaStatus, PasswordConfirmation, RecoveryCodes,
    SecretText, SecurityEventKind, TotpEnrollment, paths,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use secrecy::ExposeSecret as _;

use crate::auth::Authenticated;
use crate::auth::mfa;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::routes::reauth::{confirm_password, current_user, field_error, my_event};
use crate::state::AppState;
use crate::validate;

/// Whether TOTP is on, half-way, and how many recovery codes are left.
#[utoipa::path(get, path = paths::MFA, tag = "security", operation_id = "get_mfa", security(("bearer" = [])),
    responses((status = 200, description = "The second factors", body = MfaStatus)))]
pub async fn status(
    State(state): State<AppState>,
    me: Authenticated,
) -> ApiResult<Json<MfaStatus>> {
    let factor = state.store.totp_factor(&me.user_id).await?;
    let recovery_codes_remaining = state.store.count_recovery_codes(&me.user_id).await?;
    Ok(Json(MfaStatus {
        totp_enabled: factor.as_ref().is_some_and(|f| f.enabled()),
        totp_pending: factor.as_ref().is_some_and(|f| !f.enabled()),
        recovery_codes_remaining,
    }))
}

/// Start TOTP enrolment: a new secret, pending until a code confirms it.
#[utoipa::path(post, path = paths::MFA_TOTP, tag = "security", operation_id = "enroll_totp", security(("bearer" = [])),
    request_body = PasswordConfirmation,
    responses(
        (status = 200, description = "The secret, shown this once", body = TotpEnrollment),
        (status = 409, description = "`conflict`: TOTP is already on; turn it off first", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: wrong `password`", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many wrong passwords; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn enroll(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(request): ApiJson<PasswordConfirmation>,
) -> ApiResult<Json<TotpEnrollment>> {
    let user = current_user(&state, &me).await?;
    confirm_password(&state, &user, &caller, &request.password, "password").await?;
    let secret = mfa::new_secret();
    let uri = mfa::otpauth_uri(&secret, &state.config.server_name, &user.email)?;
    if !state
        .store
        .start_totp(
            &me.user_id,
            &state.secrets.seal_totp(&me.user_id, &secret),
            state.now_ms(),
        )
        .await?
    {
        return Err(already_on());
    }
    Ok(Json(TotpEnrollment {
        secret_base32: SecretText::new(secret),
        otpauth_uri: SecretText::new(uri),
    }))
}

fn already_on() -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        "Two-factor sign-in is already on. Turn it off first to enrol a new authenticator.",
    )
}

/// Confirm enrolment with a code from the app; answers the recovery codes.
#[utoipa::path(post, path = paths::MFA_TOTP_CONFIRM, tag = "security", operation_id = "confirm_totp", security(("bearer" = [])),
    request_body = CodeRequest,
    responses(
        (status = 200, description = "TOTP is on; recovery codes, shown this once", body = RecoveryCodes),
        (status = 404, description = "`not_found`: no enrolment under way", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: TOTP is already on", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: wrong or already used `code`", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: at most 10 two-factor changes a day; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn confirm(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(request): ApiJson<CodeRequest>,
) -> ApiResult<Json<RecoveryCodes>> {
    crate::quota::check(&state, &me.user_id, &crate::quota::TWO_FACTOR_CHANGES).await?;
    let factor = state.store.totp_factor(&me.user_id).await?.ok_or_else(|| {
        ApiError::not_found("No enrolment under way. Start one with POST /v1/me/mfa/totp.")
    })?;
    if factor.enabled() {
        return Err(already_on());
    }
    let secret = state.secrets.open_totp(&factor.secret)?;
    let step = mfa::check_code(
        secret.expose_secret(),
        request.code.expose(),
        state.now_ms(),
    )?
    .ok_or_else(wrong_code)?;
    let (codes, hashes) = recovery_set(&me.user_id);
    let event = my_event(&state, &me, &caller, SecurityEventKind::MfaEnabled);
    if !state
        .store
        .confirm_totp(&me.user_id, step, &hashes, &event)
        .await?
    {
        return Err(used_code());
    }
    Ok(Json(codes))
}

/// Turn TOTP off; needs the password and a current code.
#[utoipa::path(delete, path = paths::MFA_TOTP, tag = "security", operation_id = "disable_totp", security(("bearer" = [])),
    request_body = DisableTotpRequest,
    responses(
        (status = 204, description = "TOTP is off; recovery codes are void"),
        (status = 404, description = "`not_found`: TOTP is not on", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: wrong `password` or `code`", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many wrong passwords; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn disable(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(request): ApiJson<DisableTotpRequest>,
) -> ApiResult<StatusCode> {
    crate::quota::check(&state, &me.user_id, &crate::quota::TWO_FACTOR_CHANGES).await?;
    let user = current_user(&state, &me).await?;
    confirm_password(&state, &user, &caller, &request.password, "password").await?;
    let factor = state
        .store
        .totp_factor(&me.user_id)
        .await?
        .filter(|f| f.enabled())
        .ok_or_else(|| ApiError::not_found("Two-factor sign-in is not on."))?;
    let secret = state.secrets.open_totp(&factor.secret)?;
    let Some(step) = mfa::check_code(
        secret.expose_secret(),
        request.code.expose(),
        state.now_ms(),
    )?
    else {
        // Counted like a wrong password, so the code cannot be guessed
        // by someone who has the password and a session.
        let email = validate::normalize_email(&user.email);
        let ip = caller.ip.as_deref();
        state
            .limiter
            .record_failure(&email, ip, state.now_ms())
            .await?;
        return Err(wrong_code());
    };
    let event = my_event(&state, &me, &caller, SecurityEventKind::MfaDisabled);
    if !state.store.disable_totp(&me.user_id, step, &event).await? {
        return Err(used_code());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// New recovery codes; the old ones stop working.
#[utoipa::path(post, path = paths::MFA_RECOVERY_CODES, tag = "security", operation_id = "regenerate_recovery_codes", security(("bearer" = [])),
    request_body = PasswordConfirmation,
    responses(
        (status = 200, description = "The new codes, shown this once", body = RecoveryCodes),
        (status = 404, description = "`not_found`: TOTP is not on", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: wrong `password`", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many wrong passwords; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn regenerate(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(request): ApiJson<PasswordConfirmation>,
) -> ApiResult<Json<RecoveryCodes>> {
    crate::quota::check(&state, &me.user_id, &crate::quota::TWO_FACTOR_CHANGES).await?;
    let user = current_user(&state, &me).await?;
    confirm_password(&state, &user, &caller, &request.password, "password").await?;
    let enabled = state
        .store
        .totp_factor(&me.user_id)
        .await?
        .is_some_and(|f| f.enabled());
    if !enabled {
        return Err(ApiError::not_found(
            "Two-factor sign-in is not on, so there are no recovery codes to replace.",
        ));
    }
    let (codes, hashes) = recovery_set(&me.user_id);
    let event = my_event(
        &state,
        &me,
        &caller,
        SecurityEventKind::RecoveryCodesRegenerated,
    );
    state
        .store
        .replace_recovery_codes(&me.user_id, &hashes, &event)
        .await?;
    Ok(Json(codes))
}

/// New codes for the person, and their hashes for the store.
fn recovery_set(user_id: &str) -> (RecoveryCodes, Vec<String>) {
    let codes = mfa::new_recovery_codes();
    let hashes = codes
        .iter()
        .map(|code| mfa::recovery_code_hash(user_id, code))
        .collect();
    let recovery_codes = codes.into_iter().map(SecretText::new).collect();
    (RecoveryCodes { recovery_codes }, hashes)
}

fn wrong_code() -> ApiError {
    field_error(
        "code",
        "This code is not right. Type the 6 digits your authenticator app shows now.",
    )
}

fn used_code() -> ApiError {
    field_error(
        "code",
        "This code was used already. Wait for the next one your app shows.",
    )
}
