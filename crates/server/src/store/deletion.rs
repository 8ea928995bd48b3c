//! Scheduled account deletions, and the purge that removes an account's
//! personal data once its grace period is over.

use sqlx::{AnyConnection, FromRow};

use super::Store;
use super::events::{EventRecord, insert_event};
use super::sessions::{SessionRecord, log_each, revoke_others_in};

/// A scheduled deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct DeletionRecord {
    pub requested_at: i64,
    pub scheduled_for: i64,
}

/// What the purge removes, in order: everything keyed to the account, then
/// the account. Token rows go with their sessions; the outbox is keyed by
/// address. Invoices stay for the books, anonymised, before any of this.
const PURGE_STEPS: &[&str] = &[
    "DELETE FROM access_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)",
    "DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)",
    "DELETE FROM sessions WHERE user_id = $1",
    "DELETE FROM mfa_challenges WHERE user_id = $1",
    "DELETE FROM totp_factors WHERE user_id = $1",
    "DELETE FROM recovery_codes WHERE user_id = $1",
    "DELETE FROM email_changes WHERE user_id = $1",
    "DELETE FROM avatars WHERE user_id = $1",
    "DELETE FROM preferences WHERE user_id = $1",
    "DELETE FROM notification_settings WHERE user_id = $1",
    "DELETE FROM notifications WHERE user_id = $1",
    "DELETE FROM privacy_settings WHERE user_id = $1",
    "DELETE FROM data_exports WHERE user_id = $1",
    "DELETE FROM security_events WHERE user_id = $1",
    "DELETE FROM outbox WHERE recipient = (SELECT email_norm FROM users WHERE id = $1)",
    "DELETE FROM deletions WHERE user_id = $1",
    "DELETE FROM users WHERE id = $1",
];

/// Removes `user_id` and everything keyed to it, inside the caller's transaction.
async fn purge_user(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    super::billing::anonymise_billing(conn, user_id).await?;
    for step in PURGE_STEPS {
        sqlx::query(step).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}

impl Store {
    pub async fn deletion(&self, user_id: &str) -> Result<Option<DeletionRecord>, sqlx::Error> {
        sqlx::query_as("SELECT requested_at, scheduled_for FROM deletions WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Schedules the deletion and logs `event`; with `sign_out_all_but`,
    /// also ends every session but that one (logging `revoked_event` for
    /// each), all together. False, and
    /// nothing changed, when one is scheduled already.
    pub async fn schedule_deletion(
        &self,
        user_id: &str,
        sign_out_all_but: Option<&str>,
        scheduled_for: i64,
        event: &EventRecord,
        revoked_event: impl Fn(&SessionRecord) -> EventRecord,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO deletions (user_id, requested_at, scheduled_for) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(event.at)
        .bind(scheduled_for)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Ok(false);
        }
        if let Some(keep) = sign_out_all_but {
            let revoked = revoke_others_in(&mut tx, user_id, keep, event.at).await?;
            log_each(&mut tx, &revoked, revoked_event).await?;
        }
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Cancels a scheduled deletion and logs `event`; false when none was.
    pub async fn cancel_deletion(
        &self,
        user_id: &str,
        event: &EventRecord,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let removed = sqlx::query("DELETE FROM deletions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if removed.rows_affected() == 0 {
            return Ok(false);
        }
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Purges every account whose deletion is due at `now`, each in its own
    /// transaction; how many were purged.
    pub async fn purge_due(&self, now: i64) -> Result<usize, sqlx::Error> {
        let due: Vec<String> =
            sqlx::query_scalar("SELECT user_id FROM deletions WHERE scheduled_for <= $1")
                .bind(now)
                .fetch_all(&self.pool)
                .await?;
        let mut purged = 0;
        for user_id in &due {
            let mut tx = self.write().await?;
            // Canceled meanwhile? Then it is no longer due.
            let still_due: Option<i64> = sqlx::query_scalar(
                "SELECT scheduled_for FROM deletions WHERE user_id = $1 AND scheduled_for <= $2",
            )
            .bind(user_id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if still_due.is_some() {
                purge_user(&mut tx, user_id).await?;
                purged += 1;
            }
            tx.commit().await?;
        }
        Ok(purged)
    }
}
