//! TOTP secrets as sealed at rest: which keys the database needs, and
//! sealing again the ones not under the current key (rotation, and clear
//! secrets from before sealing).

use sqlx::FromRow;

use super::Store;
use super::sql::Sql;
use crate::secrets::Sealed;

/// Rows sealed again per round.
const BATCH: i64 = 500;

/// A TOTP secret as stored: sealed under `secret_key_id`, or clear (from
/// before secrets were sealed) when that is NULL. No `Debug`.
#[derive(Clone, FromRow)]
pub struct StoredSecret {
    pub user_id: String,
    pub secret: String,
    pub secret_key_id: Option<String>,
}

impl StoredSecret {
    /// The sealed value; `None` for a clear one.
    pub fn sealed(&self) -> Option<Sealed> {
        self.secret_key_id.as_ref().map(|key_id| Sealed {
            key_id: key_id.clone(),
            text: self.secret.clone(),
        })
    }
}

impl Store {
    /// The ids of every key a stored secret is sealed under.
    pub async fn secret_key_ids(&self) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT DISTINCT secret_key_id FROM totp_factors
             WHERE secret_key_id IS NOT NULL ORDER BY secret_key_id",
        )
        .fetch_all(&self.pool)
        .await
    }

    /// Up to a batch of secrets that are clear, or (unless `clear_only`)
    /// sealed under another key than `current`.
    pub async fn secrets_to_seal(
        &self,
        current: &str,
        clear_only: bool,
    ) -> Result<Vec<StoredSecret>, sqlx::Error> {
        let mut query = Sql::new(
            "SELECT user_id, secret, secret_key_id FROM totp_factors WHERE (secret_key_id IS NULL",
        );
        if !clear_only {
            query.push(" OR secret_key_id <> ").push_bind(current);
        }
        query.push(") ORDER BY user_id LIMIT ").push_bind(BATCH);
        query.build_query_as().fetch_all(&self.pool).await
    }

    /// Replaces `old` by `new` unless the row changed meanwhile (a new
    /// enrolment, another instance sealing it): whether it was replaced.
    pub async fn reseal_secret(
        &self,
        old: &StoredSecret,
        new: &Sealed,
    ) -> Result<bool, sqlx::Error> {
        let replaced = sqlx::query(
            "UPDATE totp_factors SET secret = $1, secret_key_id = $2
             WHERE user_id = $3 AND secret = $4",
        )
        .bind(&new.text)
        .bind(&new.key_id)
        .bind(&old.user_id)
        .bind(&old.secret)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(replaced == 1)
    }
}
