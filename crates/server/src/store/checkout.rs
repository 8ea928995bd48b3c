//! Browser hand-offs for changing the card: single-use tokens, stored hashed.

use acctl_api::billing::PaymentMethod;

use super::Store;
use super::billing::{BillingActor, save_card};

impl Store {
    pub async fn create_checkout(
        &self,
        user_id: &str,
        token_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO checkout_tokens (token_hash, user_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Whether the token can still be used at `now`.
    pub async fn checkout_is_open(&self, token_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM checkout_tokens
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Uses up the token and puts `card` on file for its account, at once.
    /// None (and nothing stored) when the token is unknown, used or expired.
    pub async fn complete_checkout(
        &self,
        token_hash: &str,
        card: &PaymentMethod,
        now: i64,
        actor: &BillingActor,
    ) -> Result<Option<String>, sqlx::Error> {
        let mut tx = self.write().await?;
        let user: Option<(String,)> = sqlx::query_as(
            "UPDATE checkout_tokens SET used_at = $2
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
             RETURNING user_id",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((user_id,)) = user else {
            return Ok(None);
        };
        save_card(&mut tx, &user_id, card, now, actor).await?;
        tx.commit().await?;
        Ok(Some(user_id))
    }
}
