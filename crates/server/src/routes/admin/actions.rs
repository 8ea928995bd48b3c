//! The administrators' writes: disable, enable, sign out, reset two-factor,
//! reset the password. Each needs a reason and a recent step-up proof,
//! refuses the caller's own account, and is stored with its audit entry.

use std::time::Duration;

use acctl_api::admin::{AdminActionDone, AuditAction, ReasonRequest};
use acctl_api::{ErrorCode, SecurityEventKind, paths};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};

use super::{Admin, check_write, target};
use crate::auth::mfa;
use crate::auth::password::hash_password;
use crate::auth::tokens;
use crate::clock::duration_ms;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;
use crate::store::{
    ActionDone, Effects, EventRecord, OutboxRecord, PasswordResetRecord, SessionRecord, UserRecord,
};
use crate::validate;

/// How long a mailed reset code works.
pub const RESET_CODE_TTL: Duration = Duration::from_secs(60 * 60);

/// The person's log line for each of their sessions an administrator ended.
fn signed_out_by_admin(why: &'static str, now: i64) -> impl Fn(&SessionRecord) -> EventRecord {
    move |session| {
        let mut event = EventRecord::new(&session.user_id, SecurityEventKind::SessionRevoked, now);
        event.session_id = Some(session.id.clone());
        event.device_name = Some(session.device_name.clone());
        event.detail = Some(format!(
            "Signed out {} by an administrator: {why}",
            session.device_name
        ));
        event
    }
}

fn to_wire(done: ActionDone) -> Json<AdminActionDone> {
    Json(AdminActionDone {
        audit_id: done.audit.id,
        sessions_revoked: u32::try_from(done.revoked).unwrap_or(u32::MAX),
    })
}

fn mail_to(state: &AppState, user: &UserRecord, subject: &str, body: String) -> OutboxRecord {
    let body = format!("{body}\n\n{} accounts", state.config.server_name);
    OutboxRecord::new(
        &validate::normalize_email(&user.email),
        subject,
        body,
        state.now_ms(),
    )
}

fn no_change(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::Conflict, detail)
}

const CONFLICT: &str = "`conflict`: the account is already in that state; nothing was recorded";
const OWN: &str = "`admin_required`, `step_up_required` (prove it is you at /v1/auth/step-up, \
     then retry) or `own_account`";

/// Disable an account: it cannot sign in, refresh or use a token, and every
/// session ends now; the person is told by mail.
#[utoipa::path(post, path = paths::ADMIN_USER_DISABLE_PATTERN, tag = "admin", operation_id = "admin_disable_user", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Disabled; its sessions were signed out", body = AdminActionDone),
        (status = 403, description = OWN, body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no account has this id", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 409, description = CONFLICT, body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` is empty, too long or has control characters", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn disable(
    State(state): State<AppState>,
    admin: Admin,
    id: Result<Path<String>, PathRejection>,
    ApiJson(request): ApiJson<ReasonRequest>,
) -> ApiResult<Json<AdminActionDone>> {
    set_disabled(&state, &admin, id, &request, true).await
}

/// Enable a disabled account again; the person is told by mail.
#[utoipa::path(post, path = paths::ADMIN_USER_ENABLE_PATTERN, tag = "admin", operation_id = "admin_enable_user", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Enabled", body = AdminActionDone),
        (status = 403, description = OWN, body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no account has this id", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 409, description = CONFLICT, body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` is empty, too long or has control characters", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn enable(
    State(state): State<AppState>,
    admin: Admin,
    id: Result<Path<String>, PathRejection>,
    ApiJson(request): ApiJson<ReasonRequest>,
) -> ApiResult<Json<AdminActionDone>> {
    set_disabled(&state, &admin, id, &request, false).await
}

async fn set_disabled(
    state: &AppState,
    admin: &Admin,
    id: Result<Path<String>, PathRejection>,
    request: &ReasonRequest,
    disable: bool,
) -> ApiResult<Json<AdminActionDone>> {
    let user = target(state, id).await?;
    let (action, subject, body) = if disable {
        (
            AuditAction::DisableAccount,
            "Your account was disabled",
            "An administrator disabled your account: you cannot sign in, and every device \
             signed in to it was signed out. Contact the administrators if you think this is \
             a mistake.",
        )
    } else {
        (
            AuditAction::EnableAccount,
            "Your account was enabled again",
            "An administrator enabled your account again: you can sign in as before.",
        )
    };
    let audit = check_write(state, admin, &user, &request.reason, action)?;
    let now = audit.at;
    let effects = Effects {
        revoke: disable.then_some(None),
        revoked_event: signed_out_by_admin("the account was disabled", now),
        events: Vec::new(),
        mail: Some(mail_to(state, &user, subject, body.to_string())),
    };
    let done = state
        .store
        .set_disabled(&user.id, disable, audit, effects)
        .await?
        .ok_or_else(|| {
            no_change(if disable {
                "The account is disabled already."
            } else {
                "The account is not disabled."
            })
        })?;
    Ok(to_wire(done))
}

/// Sign out every session of the account.
#[utoipa::path(delete, path = paths::ADMIN_USER_SESSIONS_PATTERN, tag = "admin", operation_id = "admin_revoke_user_sessions", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Signed out; `sessions_revoked` says how many", body = AdminActionDone),
        (status = 403, description = OWN, body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no account has this id", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` is empty, too long or has control characters", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_sessions(
    State(state): State<AppState>,
    admin: Admin,
    id: Result<Path<String>, PathRejection>,
    ApiJson(request): ApiJson<ReasonRequest>,
) -> ApiResult<Json<AdminActionDone>> {
    let user = target(&state, id).await?;
    let audit = check_write(
        &state,
        &admin,
        &user,
        &request.reason,
        AuditAction::RevokeSessions,
    )?;
    let effects = Effects {
        revoke: Some(None),
        revoked_event: signed_out_by_admin("every session was ended", audit.at),
        events: Vec::new(),
        mail: None,
    };
    let done = state
        .store
        .admin_action(&user.id, audit, effects, None)
        .await?;
    Ok(to_wire(done))
}

/// Sign out one session of the account.
#[utoipa::path(delete, path = paths::ADMIN_USER_SESSION_PATTERN, tag = "admin", operation_id = "admin_revoke_user_session", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Account id"),
        ("session_id" = String, Path, description = "Session id"),
    ),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Signed out", body = AdminActionDone),
        (status = 403, description = OWN, body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such account, or no such signed-in session of it", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` is empty, too long or has control characters", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_session(
    State(state): State<AppState>,
    admin: Admin,
    ids: Result<Path<(String, String)>, PathRejection>,
    ApiJson(request): ApiJson<ReasonRequest>,
) -> ApiResult<Json<AdminActionDone>> {
    let Ok(Path((id, session_id))) = ids else {
        return Err(super::no_such_account());
    };
    let user = target(&state, Ok(Path(id))).await?;
    let audit = check_write(
        &state,
        &admin,
        &user,
        &request.reason,
        AuditAction::RevokeSession,
    )?;
    let signed_in = match session_id.contains('\0') {
        true => None,
        false => state.store.session_by_id(&session_id).await?,
    };
    if !signed_in.is_some_and(|s| s.user_id == user.id && s.revoked_at.is_none()) {
        return Err(ApiError::not_found(
            "This account has no signed-in session with this id.",
        ));
    }
    let effects = Effects {
        revoke: Some(Some(session_id.as_str())),
        revoked_event: signed_out_by_admin("that session was ended", audit.at),
        events: Vec::new(),
        mail: None,
    };
    let done = state
        .store
        .admin_action(&user.id, audit, effects, None)
        .await?;
    Ok(to_wire(done))
}

/// Turn two-factor sign-in off and void the recovery codes, for a person
/// who lost their authenticator; logged and notified to them.
#[utoipa::path(post, path = paths::ADMIN_USER_MFA_RESET_PATTERN, tag = "admin", operation_id = "admin_reset_user_mfa", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Two-factor sign-in is off", body = AdminActionDone),
        (status = 403, description = OWN, body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no account has this id", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: two-factor sign-in is not on; nothing was recorded", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` is empty, too long or has control characters", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn mfa_reset(
    State(state): State<AppState>,
    admin: Admin,
    id: Result<Path<String>, PathRejection>,
    ApiJson(request): ApiJson<ReasonRequest>,
) -> ApiResult<Json<AdminActionDone>> {
    let user = target(&state, id).await?;
    let audit = check_write(
        &state,
        &admin,
        &user,
        &request.reason,
        AuditAction::MfaReset,
    )?;
    let mut event = EventRecord::new(&user.id, SecurityEventKind::MfaDisabled, audit.at);
    event.detail = Some("Turned off by an administrator".to_string());
    let effects = Effects {
        revoke: None,
        revoked_event: signed_out_by_admin("", audit.at),
        events: vec![event],
        mail: None,
    };
    let done = state
        .store
        .reset_mfa(&user.id, audit, effects)
        .await?
        .ok_or_else(|| no_change("Two-factor sign-in is not on for this account."))?;
    Ok(to_wire(done))
}

/// End every session and mail the person a one-time code to choose a new
/// password with (`POST /v1/auth/password-reset`); the old password stops
/// working. The administrator never sees or sets a password.
#[utoipa::path(post, path = paths::ADMIN_USER_PASSWORD_RESET_PATTERN, tag = "admin", operation_id = "admin_reset_user_password", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Signed out everywhere; a code was mailed", body = AdminActionDone),
        (status = 403, description = OWN, body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no account has this id", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` is empty, too long or has control characters", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn password_reset(
    State(state): State<AppState>,
    admin: Admin,
    id: Result<Path<String>, PathRejection>,
    ApiJson(request): ApiJson<ReasonRequest>,
) -> ApiResult<Json<AdminActionDone>> {
    let user = target(&state, id).await?;
    let audit = check_write(
        &state,
        &admin,
        &user,
        &request.reason,
        AuditAction::PasswordReset,
    )?;
    let code = mfa::new_email_code();
    let reset = PasswordResetRecord {
        user_id: user.id.clone(),
        code_hash: reset_code_hash(&user.id, &code),
        created_at: audit.at,
        expires_at: audit.at.saturating_add(duration_ms(RESET_CODE_TTL)),
        attempts: 0,
    };
    // A password nobody knows replaces the old one, so it stops working
    // and a sign-in with it costs what any wrong password does.
    let unknown = hash_password(tokens::generate("reset_")).await?;
    let body = format!(
        "An administrator reset the password of your account and signed out every device.\n\n\
         Your one-time code: {code}\n\nIt works for 60 minutes. Choose a new password with it \
         where you sign in, e.g. `acctl password reset --email {}` (the API: POST {} with \
         your email, the code and the new password). Your old password no longer works.",
        user.email,
        paths::PASSWORD_RESET
    );
    let effects = Effects {
        revoke: Some(None),
        revoked_event: signed_out_by_admin("the password was reset", audit.at),
        events: Vec::new(),
        mail: Some(mail_to(&state, &user, "Choose a new password", body)),
    };
    let done = state
        .store
        .admin_action(&user.id, audit, effects, Some((&reset, unknown.as_str())))
        .await?;
    Ok(to_wire(done))
}

/// The stored form of a reset code, salted with the account id.
pub fn reset_code_hash(user_id: &str, code: &str) -> String {
    tokens::hash(&format!("password-reset:{user_id}:{}", code.trim()))
}
