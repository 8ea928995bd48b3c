//! `/v1/auth/*`: signing up, in, refreshing and out.

use acctl_api::{
    ErrorCode, LoginRequest, LoginResponse, RefreshRequest, SecurityEventKind, SignupRequest,
    TokenPair, paths,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::accounts::{AccountForm, SignInFrom, create_account, start_session};
use crate::auth::Authenticated;
use crate::auth::password::verify_password;
use crate::auth::tokens::{self, IssuedPair};
use crate::clock::duration_ms;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::routes::login_mfa;
use crate::state::AppState;
use crate::store::{EventRecord, RefreshOutcome, SessionRecord, UserRecord};
use crate::validate::{self, Checks, MAX_PASSWORD_CHARS};

/// Longest email a login looks up; anything longer cannot be an account.
const MAX_LOGIN_EMAIL_CHARS: usize = 320;

/// Create an account and sign it in.
#[utoipa::path(post, path = paths::SIGNUP, tag = "auth", request_body = SignupRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = LoginResponse),
        (status = 409, description = "`email_taken`", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, with `errors` per field", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn signup(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<SignupRequest>,
) -> ApiResult<(StatusCode, Json<LoginResponse>)> {
    let from = sign_in_from(&caller, request.device_name.as_deref())?;
    let form = AccountForm {
        email: &request.email,
        name: &request.name,
        password: &request.password,
        email_verified: false,
    };
    let (_, pair) = create_account(&state, form, Some(&from)).await?;
    let pair = pair.ok_or_else(|| ApiError::internal("signup stored no session"))?;
    Ok((StatusCode::CREATED, Json(LoginResponse::Ok(pair))))
}

/// Sign in with email and password.
#[utoipa::path(post, path = paths::LOGIN, tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in, or `mfa_required` with an `mfa_token` for /v1/auth/login/mfa", body = LoginResponse),
        (status = 401, description = "`invalid_credentials`: the same answer for a wrong password and an unknown email", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`account_disabled`: the password was right but an administrator disabled the account", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn login(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let from = sign_in_from(&caller, request.device_name.as_deref())?;
    check_login_sizes(&request)?;
    let email = validate::normalize_email(&request.email);
    let ip = caller.ip.as_deref();
    state
        .limiter
        .check(&email, ip, state.now_ms())
        .await?
        .map_err(ApiError::rate_limited)?;
    let user = state.store.user_by_email(&email).await?;
    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    let verified = verify_password(request.password, stored_hash).await;
    match user {
        Some(user) if verified => finish_login(&state, &user, &email, &from).await.map(Json),
        user => {
            state
                .limiter
                .record_failure(&email, ip, state.now_ms())
                .await?;
            if let Some(user) = user {
                record_failed_login(&state, &user, &from).await?;
            }
            Err(ApiError::new(
                ErrorCode::InvalidCredentials,
                "The email or the password is wrong. Check both and try again.",
            ))
        }
    }
}

/// The password was right: an account with TOTP on still needs its second
/// factor (`LoginResponse::MfaRequired`); any other is signed in.
async fn finish_login(
    state: &AppState,
    user: &UserRecord,
    email: &str,
    from: &SignInFrom,
) -> ApiResult<LoginResponse> {
    if user.disabled_at.is_some() {
        return Err(crate::accounts::account_disabled());
    }
    let totp_on = state
        .store
        .totp_factor(&user.id)
        .await?
        .is_some_and(|f| f.enabled());
    if totp_on {
        // The email's failures stay counted until the second factor is
        // right too, or the password alone would reset the code limit.
        return login_mfa::challenge(state, user, from).await;
    }
    state.limiter.reset_email(email).await?;
    let pair = start_session(state, &user.id, from).await?;
    Ok(LoginResponse::Ok(pair))
}

async fn record_failed_login(
    state: &AppState,
    user: &UserRecord,
    from: &SignInFrom,
) -> ApiResult<()> {
    let mut event = EventRecord::new(&user.id, SecurityEventKind::LoginFailed, state.now_ms());
    event.ip.clone_from(&from.ip);
    event.device_name = Some(from.device_name.clone());
    event.detail = Some("Wrong password".to_string());
    state.store.record_event(&event).await?;
    Ok(())
}

/// Huge values cannot match an account; refuse them before hashing.
fn check_login_sizes(request: &LoginRequest) -> ApiResult<()> {
    let mut checks = Checks::default();
    if let Some(message) = validate::text_problem(&request.email, MAX_LOGIN_EMAIL_CHARS, false) {
        checks.add("email", message);
    }
    if request.password.expose().chars().count() > MAX_PASSWORD_CHARS {
        checks.add(
            "password",
            format!("Use at most {MAX_PASSWORD_CHARS} characters."),
        );
    }
    checks.finish().map_err(ApiError::validation)
}

fn sign_in_from(caller: &Caller, device_name: Option<&str>) -> ApiResult<SignInFrom> {
    let device_name = validate::device_name(device_name, caller.user_agent.as_deref())
        .map_err(ApiError::validation)?;
    Ok(SignInFrom {
        device_name,
        user_agent: caller.user_agent.clone(),
        ip: caller.ip.clone(),
    })
}

/// Trade a refresh token for a new pair; the old one stops working.
#[utoipa::path(post, path = paths::REFRESH, tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenPair),
        (status = 401, description = "`invalid_refresh_token`; a reused token also ends its session", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`account_disabled`: an administrator disabled the account", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn refresh(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<RefreshRequest>,
) -> ApiResult<Json<TokenPair>> {
    let now = state.now_ms();
    let issued = IssuedPair::new(now, state.config.access_token_ttl);
    let not_before = now.saturating_sub(duration_ms(state.config.refresh_token_ttl));
    let reuse_event = |session: &SessionRecord| {
        let mut event =
            EventRecord::new(&session.user_id, SecurityEventKind::RefreshTokenReused, now);
        event.session_id = Some(session.id.clone());
        event.ip.clone_from(&caller.ip);
        event.device_name = Some(session.device_name.clone());
        event.detail = Some(format!(
            "A used refresh token was presented again; the session on {} was signed out.",
            session.device_name
        ));
        event
    };
    let outcome = state
        .store
        .rotate_refresh_token(
            &tokens::hash(request.refresh_token.expose()),
            &issued.stored,
            not_before,
            reuse_event,
        )
        .await?;
    let detail = match outcome {
        RefreshOutcome::Rotated { session_id } => return Ok(Json(issued.into_wire(&session_id))),
        RefreshOutcome::Unknown => "This refresh token is not valid. Sign in again.",
        RefreshOutcome::Expired => "This refresh token has expired. Sign in again.",
        RefreshOutcome::SessionEnded => "This session was signed out. Sign in again.",
        RefreshOutcome::AccountDisabled => return Err(crate::accounts::account_disabled()),
        RefreshOutcome::Reused => {
            "This refresh token was already used, so its session was signed out to be safe. Sign in again."
        }
    };
    Err(ApiError::new(ErrorCode::InvalidRefreshToken, detail))
}

/// Sign out: ends the current session on the server.
#[utoipa::path(post, path = paths::LOGOUT, tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Signed out")))]
pub async fn logout(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
) -> ApiResult<StatusCode> {
    let now = state.now_ms();
    let logout_event = |_: &SessionRecord| {
        let mut event = EventRecord::new(&me.user_id, SecurityEventKind::Logout, now);
        event.session_id = Some(me.session_id.clone());
        event.ip = caller.ip.clone().or_else(|| me.ip.clone());
        event.device_name = Some(me.device_name.clone());
        event
    };
    // Already signed out (a race with another revocation): nothing to log.
    state
        .store
        .revoke_session(&me.user_id, &me.session_id, now, logout_event)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
