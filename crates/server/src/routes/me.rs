//! `GET /v1/me`: the signed-in account.

use acctl_api::{Account, SignInRecord, paths};
use axum::Json;
use axum::extract::State;

use crate::auth::Authenticated;
use crate::clock::from_ms;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The signed-in account.
#[utoipa::path(get, path = paths::ME, tag = "account", operation_id = "get_me", security(("bearer" = [])),
    responses((status = 200, description = "The account", body = Account)))]
pub async fn me(State(state): State<AppState>, me: Authenticated) -> ApiResult<Json<Account>> {
    let store = &state.store;
    // The session was just found by its token; a missing user means the
    // account was deleted meanwhile.
    let user = store
        .user_by_id(&me.user_id)
        .await?
        .ok_or_else(|| ApiError::internal("session without an account"))?;
    let active_sessions = store.count_active_sessions(&me.user_id).await?;
    let mfa_enabled = store
        .totp_factor(&me.user_id)
        .await?
        .is_some_and(|f| f.enabled());
    // An expired change is as good as none.
    let pending = store
        .pending_email(&me.user_id)
        .await?
        .filter(|p| p.expires_at > state.now_ms());
    let previous = store
        .sign_in_before(&me.user_id, &me.session_id, me.signed_in_at)
        .await?;
    Ok(Json(Account {
        id: user.id,
        email: user.email,
        email_verified: user.email_verified,
        name: user.name,
        display_name: user.display_name,
        created_at: from_ms(user.created_at),
        mfa_enabled,
        active_sessions,
        last_sign_in: previous.map(|event| SignInRecord {
            at: from_ms(event.at),
            ip: event.ip,
            device_name: event.device_name,
        }),
        pending_email: pending.map(|p| p.new_email),
        phone: None,
        bio: None,
        has_avatar: false,
    }))
}
