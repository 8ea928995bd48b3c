//! Changing the password and the email address, and the mail outbox.

use sqlx::{AnyConnection, FromRow};

use super::events::{EventRecord, insert_event};
use super::sessions::SessionRecord;
use super::{Store, StoreError};

/// A new address waiting for its code (stored hashed).
#[derive(Debug, Clone, FromRow)]
pub struct PendingEmail {
    pub user_id: String,
    pub new_email: String,
    pub new_email_norm: String,
    pub code_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub attempts: i64,
}

/// One message of the outbox.
#[derive(Debug, Clone, FromRow)]
pub struct OutboxRecord {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
}

impl OutboxRecord {
    pub fn new(recipient: &str, subject: &str, body: String, created_at: i64) -> Self {
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            recipient: recipient.to_string(),
            subject: subject.to_string(),
            body,
            created_at,
        }
    }
}

impl Store {
    /// Replaces the password hash, logs `event`, and signs out every other
    /// session when `keep_only` is given (logging `revoked_event` for each),
    /// all in one transaction; returns the sessions signed out.
    pub async fn change_password(
        &self,
        user_id: &str,
        password_hash: &str,
        event: &EventRecord,
        keep_only: Option<&str>,
        revoked_event: impl Fn(&SessionRecord) -> EventRecord,
    ) -> Result<Vec<SessionRecord>, sqlx::Error> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(event.at)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        insert_event(&mut tx, event).await?;
        let revoked = match keep_only {
            Some(keep) => {
                super::sessions::revoke_others_in(&mut tx, user_id, keep, event.at).await?
            }
            None => Vec::new(),
        };
        super::sessions::log_each(&mut tx, &revoked, revoked_event).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    /// Stores (replacing any earlier one) a pending change, the mail with
    /// its code, and the event.
    pub async fn start_email_change(
        &self,
        pending: &PendingEmail,
        mail: &OutboxRecord,
        event: &EventRecord,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM email_changes WHERE user_id = $1")
            .bind(&pending.user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO email_changes
               (user_id, new_email, new_email_norm, code_hash, created_at, expires_at, attempts)
             VALUES ($1, $2, $3, $4, $5, $6, 0)",
        )
        .bind(&pending.user_id)
        .bind(&pending.new_email)
        .bind(&pending.new_email_norm)
        .bind(&pending.code_hash)
        .bind(pending.created_at)
        .bind(pending.expires_at)
        .execute(&mut *tx)
        .await?;
        insert_mail(&mut tx, mail).await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await
    }

    pub async fn pending_email(&self, user_id: &str) -> Result<Option<PendingEmail>, sqlx::Error> {
        sqlx::query_as(
            "SELECT user_id, new_email, new_email_norm, code_hash, created_at, expires_at, attempts
             FROM email_changes WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await
    }

    /// Counts a wrong code against the pending change.
    pub async fn email_code_failed(&self, user_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE email_changes SET attempts = attempts + 1 WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Moves the account to the pending address (now verified), ends the
    /// pending change, and stores the notice to the old address and the event.
    pub async fn finish_email_change(
        &self,
        pending: &PendingEmail,
        notice: &OutboxRecord,
        event: &EventRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let updated = sqlx::query(
            "UPDATE users SET email = $1, email_norm = $2, email_verified = $3, updated_at = $4
             WHERE id = $5",
        )
        .bind(&pending.new_email)
        .bind(&pending.new_email_norm)
        .bind(true)
        .bind(event.at)
        .bind(&pending.user_id)
        .execute(&mut *tx)
        .await;
        match updated {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::EmailTaken);
            }
            other => other?,
        };
        sqlx::query("DELETE FROM email_changes WHERE user_id = $1")
            .bind(&pending.user_id)
            .execute(&mut *tx)
            .await?;
        insert_mail(&mut tx, notice).await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Messages to `recipient` (compared as stored), oldest first.
    pub async fn outbox_for(&self, recipient: &str) -> Result<Vec<OutboxRecord>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, recipient, subject, body, created_at FROM outbox
             WHERE recipient = $1 ORDER BY created_at, id",
        )
        .bind(recipient)
        .fetch_all(&self.pool)
        .await
    }
}

pub(super) async fn insert_mail(
    conn: &mut AnyConnection,
    mail: &OutboxRecord,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (id, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&mail.id)
    .bind(&mail.recipient)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(mail.created_at)
    .execute(conn)
    .await?;
    Ok(())
}
