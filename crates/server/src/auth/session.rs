//! `Authorization: Bearer <access token>` → the caller's session. The token
//! is checked against its session on every request, so revoking a session
//! ends its access at once.

use acctl_api::ErrorCode;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use crate::auth::tokens;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{AccountView, TokenSession};

/// `last_active_at` is written at most this often per session.
const TOUCH_EVERY_MS: i64 = 60_000;
/// Longer values cannot be our tokens; refuse them before hashing.
const MAX_TOKEN_LEN: usize = 256;

/// The signed-in caller.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub session_id: String,
    pub user_id: String,
    /// Device name and address of the caller's session.
    pub device_name: String,
    pub ip: Option<String>,
    /// When the caller's session signed in (ms).
    pub signed_in_at: i64,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers).ok_or_else(unauthenticated)?;
        let session = state
            .store
            .session_for_access_token(&tokens::hash(token))
            .await?
            .ok_or_else(unauthenticated)?;
        Self::admit(state, session).await
    }
}

/// The signed-in caller's account, read with the bearer check: `GET
/// /v1/me`'s query and the check in one read (one round trip to PostgreSQL
/// instead of two), and the same refusals as [`Authenticated`].
pub struct CallerAccount(pub AccountView);

impl FromRequestParts<AppState> for CallerAccount {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers).ok_or_else(unauthenticated)?;
        let (session, view) = state
            .store
            .account_for_access_token(&tokens::hash(token), state.now_ms())
            .await?
            .ok_or_else(unauthenticated)?;
        Authenticated::admit(state, session).await?;
        Ok(Self(view))
    }
}

impl Authenticated {
    /// The caller of `session` if it may act now: not disabled, revoked or
    /// expired. Notes its activity at most once a minute.
    async fn admit(state: &AppState, session: TokenSession) -> Result<Self, ApiError> {
        let now = state.now_ms();
        if session.disabled_at.is_some() {
            return Err(crate::accounts::account_disabled());
        }
        if session.revoked_at.is_some() {
            return Err(ApiError::new(
                ErrorCode::SessionRevoked,
                "This session was signed out. Sign in again.",
            ));
        }
        if session.expires_at <= now {
            return Err(ApiError::new(
                ErrorCode::TokenExpired,
                "The access token has expired. Get a new one from /v1/auth/refresh.",
            ));
        }
        if now - session.last_active_at >= TOUCH_EVERY_MS {
            state.store.touch_session(&session.session_id, now).await?;
        }
        Ok(Self {
            session_id: session.session_id,
            user_id: session.user_id,
            device_name: session.device_name,
            ip: session.ip,
            signed_in_at: session.created_at,
        })
    }
}

fn unauthenticated() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthenticated,
        "Sign in and send the access token as `Authorization: Bearer <token>`.",
    )
}

/// The token of a `Bearer` authorization header (scheme case-insensitive).
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= MAX_TOKEN_LEN)
        .then_some(token)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn only_bearer_headers_carry_tokens() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer_token(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer acc_x"),
        );
        assert_eq!(bearer_token(&headers), Some("acc_x"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic YTpi"),
        );
        assert_eq!(bearer_token(&headers), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer_token(&headers), None);
    }
}
