//! Creating accounts and starting sessions, shared by the HTTP routes, the
//! `acctd users add` command and the demo seed.

use acctl_api::admin::AuditAction;
use acctl_api::{ErrorCode, SecretText, TokenPair};

use crate::auth::password::hash_password;
use crate::auth::tokens::IssuedPair;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::{AuditRecord, NewSession, NewUser, SessionRecord, StoreError};
use crate::validate;

/// Where a sign-in comes from, as its session records it.
#[derive(Debug, Clone)]
pub struct SignInFrom {
    pub device_name: String,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// The fields of a new account, before they are checked.
pub struct AccountForm<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password: &'a SecretText,
    pub email_verified: bool,
}

/// Checks the form, hashes the password and stores the account; signs it
/// in too when `sign_in` is given. Returns the user id and the tokens.
pub async fn create_account(
    state: &AppState,
    form: AccountForm<'_>,
    sign_in: Option<&SignInFrom>,
) -> ApiResult<(String, Option<TokenPair>)> {
    let checked = validate::new_account(form.email, form.password.expose(), form.name)
        .map_err(ApiError::validation)?;
    let password_hash = hash_password(form.password.clone()).await?;
    let now = state.now_ms();
    let user = NewUser {
        id: uuid::Uuid::new_v4().to_string(),
        email_norm: validate::normalize_email(&checked.email),
        email: checked.email,
        email_verified: form.email_verified,
        name: checked.name,
        password_hash,
        created_at: now,
    };
    let session = sign_in.map(|from| new_session(state, &user.id, from));
    let stored = state
        .store
        .create_user(&user, session.as_ref().map(|(s, _)| s))
        .await;
    match stored {
        Ok(()) => {}
        Err(StoreError::EmailTaken) => return Err(email_taken()),
        Err(StoreError::Database(e)) => return Err(e.into()),
    }
    let pair = session.map(|(s, issued)| issued.into_wire(&s.record.id));
    Ok((user.id, pair))
}

/// Grants or revokes the administrator role of the account of `email`,
/// with its audit entry (no actor: the server's own command line).
pub async fn set_admin(
    state: &AppState,
    email: &str,
    admin: bool,
    reason: &str,
) -> anyhow::Result<bool> {
    let Some(user) = state
        .store
        .user_by_email(&validate::normalize_email(email))
        .await?
    else {
        anyhow::bail!("no account has the email {}", email.trim());
    };
    let reason = crate::routes::admin::checked_reason(reason)
        .map_err(|error| anyhow::anyhow!("the reason: {error}"))?;
    let action = if admin {
        AuditAction::GrantAdmin
    } else {
        AuditAction::RevokeAdmin
    };
    let audit = AuditRecord {
        id: uuid::Uuid::new_v4().to_string(),
        at: state.now_ms(),
        actor_id: None,
        actor_email: None,
        action: action.as_str().to_string(),
        target_id: user.id.clone(),
        target_email: user.email.clone(),
        reason,
        request_id: None,
        detail: Some("acctd users, on the server".to_string()),
    };
    Ok(state.store.set_admin(&user.id, admin, &audit).await?)
}

/// The answer to anything a disabled account tries: signing in,
/// refreshing, or a token it still holds.
pub fn account_disabled() -> ApiError {
    ApiError::new(
        ErrorCode::AccountDisabled,
        "An administrator disabled this account. Contact them to have it enabled again.",
    )
}

fn email_taken() -> ApiError {
    ApiError::new(
        ErrorCode::EmailTaken,
        "An account with this email already exists. Sign in instead, or use another email.",
    )
}

/// Signs `user_id` in: a new session with its first token pair.
pub async fn start_session(
    state: &AppState,
    user_id: &str,
    from: &SignInFrom,
) -> ApiResult<TokenPair> {
    let (session, issued) = new_session(state, user_id, from);
    state.store.sign_in(&session).await?;
    Ok(issued.into_wire(&session.record.id))
}

/// A session and its first tokens, not stored yet: the caller stores them
/// together with whatever else the sign-in changes.
pub fn new_session(state: &AppState, user_id: &str, from: &SignInFrom) -> (NewSession, IssuedPair) {
    let now = state.now_ms();
    let issued = IssuedPair::new(now, state.config.access_token_ttl);
    let record = SessionRecord {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_string(),
        device_name: from.device_name.clone(),
        user_agent: from.user_agent.clone(),
        ip: from.ip.clone(),
        created_at: now,
        last_active_at: now,
        revoked_at: None,
    };
    let session = NewSession {
        record,
        tokens: issued.stored.clone(),
    };
    (session, issued)
}
