//! The second step of a sign-in: a password that was right for an account
//! with TOTP on gets an `mfa_token`; a code (or a recovery code) trades it
//! for tokens at `POST /v1/auth/login/mfa`.

use secrecy::ExposeSecret as _;
use std::time::Duration;

use acctl_api::{
    ErrorCode, LoginMfaRequest, LoginResponse, MfaChallenge, SecurityEventKind, paths,
};
use axum::Json;
use axum::extract::State;

use crate::accounts::{SignInFrom, new_session};
use crate::auth::{mfa, tokens};
use crate::clock::duration_ms;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::routes::reauth::field_error;
use crate::state::AppState;
use crate::store::{EventRecord, MfaChallengeRecord, MfaOutcome, SecondFactor, UserRecord};
use crate::validate;

/// How long an `mfa_token` works.
const CHALLENGE_TTL: Duration = Duration::from_secs(5 * 60);
/// Wrong codes one `mfa_token` tolerates.
const MAX_CHALLENGE_FAILURES: i64 = 5;
const MFA_TOKEN_PREFIX: &str = "mfa_";

/// The password step succeeded for an account with TOTP on: no session yet,
/// only a short-lived token remembering the device of this step.
pub async fn challenge(
    state: &AppState,
    user: &UserRecord,
    from: &SignInFrom,
) -> ApiResult<LoginResponse> {
    let token = tokens::generate(MFA_TOKEN_PREFIX);
    let now = state.now_ms();
    let record = MfaChallengeRecord {
        token_hash: tokens::hash(token.expose()),
        user_id: user.id.clone(),
        device_name: from.device_name.clone(),
        user_agent: from.user_agent.clone(),
        ip: from.ip.clone(),
        created_at: now,
        expires_at: now.saturating_add(duration_ms(CHALLENGE_TTL)),
        failures: 0,
        used_at: None,
    };
    state.store.insert_mfa_challenge(&record).await?;
    Ok(LoginResponse::MfaRequired(MfaChallenge {
        mfa_token: token,
        expires_in: CHALLENGE_TTL.as_secs(),
        methods: vec!["totp".to_string(), "recovery_code".to_string()],
    }))
}

/// Finish a sign-in with a TOTP code or a recovery code.
#[utoipa::path(post, path = paths::LOGIN_MFA, tag = "auth", request_body = LoginMfaRequest,
    responses(
        (status = 200, description = "Signed in: `status` is `ok`, with the token pair", body = LoginResponse),
        (status = 401, description = "`invalid_credentials`: the `mfa_token` is unknown, used or expired", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`account_disabled`: an administrator disabled the account", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: a wrong `code` or `recovery_code`", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many wrong codes; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn login_mfa(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<LoginMfaRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let token_hash = tokens::hash(request.mfa_token.expose());
    let (challenge, user) = open_challenge(&state, &token_hash).await?;
    let email = validate::normalize_email(&user.email);
    check_limits(&state, &challenge, &email, &caller).await?;
    let factor = match check_factor(&state, &user, &request).await? {
        Ok(factor) => factor,
        Err(field) => return Err(wrong_code(&state, &challenge, &email, &caller, field).await?),
    };
    // Disabled after the password step: the second one signs nobody in.
    if user.disabled_at.is_some() {
        return Err(crate::accounts::account_disabled());
    }
    let from = SignInFrom {
        device_name: challenge.device_name.clone(),
        user_agent: challenge.user_agent.clone(),
        ip: challenge.ip.clone(),
    };
    let (session, issued) = new_session(&state, &user.id, &from);
    let now = state.now_ms();
    let (field, extra) = match factor {
        SecondFactor::TotpStep(_) => ("code", None),
        SecondFactor::RecoveryCode { .. } => (
            "recovery_code",
            Some(challenge_event(
                &challenge,
                SecurityEventKind::RecoveryCodeUsed,
                now,
            )),
        ),
    };
    match state
        .store
        .finish_mfa_challenge(&token_hash, &factor, &session, extra.as_ref())
        .await?
    {
        MfaOutcome::SignedIn => {}
        MfaOutcome::ChallengeUsed => return Err(stale_token()),
        MfaOutcome::FactorRefused => {
            return Err(wrong_code(&state, &challenge, &email, &caller, field).await?);
        }
    }
    state.limiter.reset_email(&email).await?;
    // Tagged like a login's answer, so one client path reads both steps.
    Ok(Json(LoginResponse::Ok(
        issued.into_wire(&session.record.id),
    )))
}

/// The challenge of `token_hash` if it is still open, and its account.
async fn open_challenge(
    state: &AppState,
    token_hash: &str,
) -> ApiResult<(MfaChallengeRecord, UserRecord)> {
    let now = state.now_ms();
    let challenge = state
        .store
        .mfa_challenge(token_hash)
        .await?
        .filter(|c| c.used_at.is_none() && c.expires_at > now)
        .ok_or_else(stale_token)?;
    let user = state
        .store
        .user_by_id(&challenge.user_id)
        .await?
        .ok_or_else(stale_token)?;
    Ok((challenge, user))
}

/// 429 when the account's email (or the address) failed too often, or this
/// challenge has had its share of wrong codes.
async fn check_limits(
    state: &AppState,
    challenge: &MfaChallengeRecord,
    email: &str,
    caller: &Caller,
) -> ApiResult<()> {
    let now = state.now_ms();
    state
        .limiter
        .check(email, caller.ip.as_deref(), now)
        .await?
        .map_err(ApiError::rate_limited)?;
    if challenge.failures >= MAX_CHALLENGE_FAILURES {
        // The token is spent; waiting out its lifetime is the honest answer.
        let wait_ms = u64::try_from(challenge.expires_at - now).unwrap_or(1);
        return Err(ApiError::rate_limited(wait_ms.div_ceil(1000).max(1)));
    }
    Ok(())
}

/// `Ok(Ok(factor))` when the factor may be right (whether it is still
/// unspent is for the store to decide, as it spends it); `Ok(Err(field))`
/// naming the field that is wrong.
async fn check_factor(
    state: &AppState,
    user: &UserRecord,
    request: &LoginMfaRequest,
) -> ApiResult<Result<SecondFactor, &'static str>> {
    match (&request.code, &request.recovery_code) {
        (Some(code), None) => {
            let Some(factor) = state
                .store
                .totp_factor(&user.id)
                .await?
                .filter(|f| f.enabled())
            else {
                return Ok(Err("code"));
            };
            let secret = state.secrets.open_totp(&factor.secret)?;
            let step = mfa::check_code(secret.expose_secret(), code.expose(), state.now_ms())?;
            Ok(step.map(SecondFactor::TotpStep).ok_or("code"))
        }
        (None, Some(code)) => Ok(mfa::typed_recovery_code_hash(&user.id, code.expose())
            .map(|hash| SecondFactor::RecoveryCode { hash })
            .ok_or("recovery_code")),
        _ => Err(field_error(
            "code",
            "Send either `code` (from the authenticator app) or `recovery_code`.",
        )),
    }
}

/// Counts a wrong code toward both limits and logs `mfa_failed`.
async fn wrong_code(
    state: &AppState,
    challenge: &MfaChallengeRecord,
    email: &str,
    caller: &Caller,
    field: &str,
) -> ApiResult<ApiError> {
    let now = state.now_ms();
    state
        .limiter
        .record_failure(email, caller.ip.as_deref(), now)
        .await?;
    let mut event = challenge_event(challenge, SecurityEventKind::MfaFailed, now);
    event.ip = caller.ip.clone().or(event.ip);
    event.detail = Some(match field {
        "code" => "Wrong authenticator code".to_string(),
        _ => "Wrong recovery code".to_string(),
    });
    state
        .store
        .mfa_challenge_failed(&challenge.token_hash, &event)
        .await?;
    let message = match field {
        "code" => "This code is not right, or was used already. Type the one your app shows now.",
        _ => "This recovery code is not right, or was used already.",
    };
    Ok(field_error(field, message))
}

fn challenge_event(
    challenge: &MfaChallengeRecord,
    kind: SecurityEventKind,
    now: i64,
) -> EventRecord {
    let mut event = EventRecord::new(&challenge.user_id, kind, now);
    event.ip.clone_from(&challenge.ip);
    event.device_name = Some(challenge.device_name.clone());
    event
}

fn stale_token() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidCredentials,
        "This sign-in step has expired or was finished already. Sign in again.",
    )
}
