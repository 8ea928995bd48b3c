//! Refresh-token rotation with reuse detection.

use sqlx::{Any, FromRow, Transaction};

use super::Store;
use super::events::{EventRecord, insert_event};
use super::sessions::{NewTokens, SessionRecord, insert_tokens};

/// What trading a refresh token did.
#[derive(Debug)]
pub enum RefreshOutcome {
    /// New tokens are stored for this session.
    Rotated { session_id: String },
    /// No such token.
    Unknown,
    /// The token is older than the refresh lifetime.
    Expired,
    /// The session was already signed out.
    SessionEnded,
    /// The account is disabled: nothing is issued.
    AccountDisabled,
    /// The token had been used before: the session is now revoked, and
    /// the reuse logged.
    Reused,
}

#[derive(FromRow)]
struct RefreshRow {
    session_id: String,
    created_at: i64,
    used_at: Option<i64>,
    revoked_at: Option<i64>,
    disabled_at: Option<i64>,
}

impl Store {
    /// Trades the refresh token with hash `old_hash` for `tokens`. Tokens
    /// issued before `not_before` have expired. A reused token ends its
    /// session, logging `reuse_event` in the same transaction.
    pub async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        tokens: &NewTokens,
        not_before: i64,
        reuse_event: impl FnOnce(&SessionRecord) -> EventRecord,
    ) -> Result<RefreshOutcome, sqlx::Error> {
        let now = tokens.issued_at;
        let mut tx = self.write().await?;
        let Some(row) = refresh_row(&mut tx, old_hash).await? else {
            return Ok(RefreshOutcome::Unknown);
        };
        if row.disabled_at.is_some() {
            return Ok(RefreshOutcome::AccountDisabled);
        }
        if row.revoked_at.is_some() {
            return Ok(RefreshOutcome::SessionEnded);
        }
        if row.used_at.is_some() {
            return revoke_for_reuse(tx, &row.session_id, now, reuse_event).await;
        }
        if row.created_at < not_before {
            return Ok(RefreshOutcome::Expired);
        }
        // Conditional, so that even without the write lock (PostgreSQL)
        // only one of two racing requests wins the token.
        let won = sqlx::query(
            "UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
        )
        .bind(now)
        .bind(old_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if won != 1 {
            return revoke_for_reuse(tx, &row.session_id, now, reuse_event).await;
        }
        store_rotation(&mut tx, &row.session_id, tokens).await?;
        tx.commit().await?;
        Ok(RefreshOutcome::Rotated {
            session_id: row.session_id,
        })
    }
}

async fn refresh_row(
    tx: &mut Transaction<'static, Any>,
    token_hash: &str,
) -> Result<Option<RefreshRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.session_id, r.created_at, r.used_at, s.revoked_at, u.disabled_at
         FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
           JOIN users u ON u.id = s.user_id
         WHERE r.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await
}

async fn store_rotation(
    tx: &mut Transaction<'static, Any>,
    session_id: &str,
    tokens: &NewTokens,
) -> Result<(), sqlx::Error> {
    insert_tokens(tx, session_id, tokens).await?;
    sqlx::query("UPDATE sessions SET last_active_at = $1 WHERE id = $2")
        .bind(tokens.issued_at)
        .bind(session_id)
        .execute(&mut **tx)
        .await?;
    // Expired access tokens of this session are of no further use.
    sqlx::query("DELETE FROM access_tokens WHERE session_id = $1 AND expires_at <= $2")
        .bind(session_id)
        .bind(tokens.issued_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A used token came back: whoever holds it may have stolen it, so the
/// whole session ends. (A short grace for the token replaced just before,
/// for two processes refreshing at once, would be decided here.)
async fn revoke_for_reuse(
    mut tx: Transaction<'static, Any>,
    session_id: &str,
    now: i64,
    reuse_event: impl FnOnce(&SessionRecord) -> EventRecord,
) -> Result<RefreshOutcome, sqlx::Error> {
    sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(session_id)
        .execute(&mut *tx)
        .await?;
    let session: Option<SessionRecord> = sqlx::query_as(
        "SELECT id, user_id, device_name, user_agent, ip, created_at, last_active_at, revoked_at
         FROM sessions WHERE id = $1",
    )
    .bind(session_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(session) = session else {
        return Ok(RefreshOutcome::Unknown);
    };
    insert_event(&mut tx, &reuse_event(&session)).await?;
    tx.commit().await?;
    Ok(RefreshOutcome::Reused)
}
