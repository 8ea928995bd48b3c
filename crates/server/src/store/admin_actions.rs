//! What administrators do to accounts, each in one transaction with its
//! audit entry (and the person's log events and mail): roles, disabling,
//! signing out, two-factor and password resets; and the step-up proof of
//! a session.

use sqlx::{AnyConnection, FromRow};

use super::audit::{AuditRecord, insert_audit};
use super::email::{OutboxRecord, insert_mail};
use super::events::{EventRecord, insert_event};
use super::sessions::{SessionRecord, log_each, revoke_in};
use super::{Flag, Store};

/// Who makes an administrator's request, read with its session.
#[derive(Debug, Clone, FromRow)]
pub struct AdminCaller {
    pub email: String,
    #[sqlx(try_from = "Flag")]
    pub is_admin: bool,
    /// When the session's owner last proved it is them (ms).
    pub stepped_up_at: Option<i64>,
}

/// A password reset's one-time code (hashed), as stored.
#[derive(Debug, Clone, FromRow)]
pub struct PasswordResetRecord {
    pub user_id: String,
    pub code_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub attempts: i64,
}

/// An action's audit entry as stored, and how many sessions it signed out.
#[derive(Debug, Clone)]
pub struct ActionDone {
    pub audit: AuditRecord,
    pub revoked: usize,
}

/// What an action does beside its audit entry, all in its transaction.
pub struct Effects<'a, F: Fn(&SessionRecord) -> EventRecord> {
    /// Sign out every session (`Some(None)`), one (`Some(Some(id))`) or none.
    pub revoke: Option<Option<&'a str>>,
    /// The event logged for each session signed out.
    pub revoked_event: F,
    pub events: Vec<EventRecord>,
    pub mail: Option<OutboxRecord>,
}

impl Store {
    /// The administrator facts of `session_id`'s account.
    pub async fn admin_caller(&self, session_id: &str) -> Result<Option<AdminCaller>, sqlx::Error> {
        sqlx::query_as(
            "SELECT u.email, u.is_admin, s.stepped_up_at
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
        )
        .bind(session_id)
        .fetch_optional(&self.pool)
        .await
    }

    /// Records that the owner of `session_id` proved it is them at `now`.
    pub async fn mark_stepped_up(&self, session_id: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET stepped_up_at = $1 WHERE id = $2")
            .bind(now)
            .bind(session_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Makes the account an administrator or not; false (nothing written)
    /// when it already was that.
    pub async fn set_admin(
        &self,
        user_id: &str,
        admin: bool,
        audit: &AuditRecord,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let changed =
            sqlx::query("UPDATE users SET is_admin = $1 WHERE id = $2 AND is_admin <> $1")
                .bind(admin)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if changed == 1 {
            insert_audit(&mut tx, audit).await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// Disables (`disable`) or enables the account; None (nothing written)
    /// when it already was. Disabling signs every session out with it.
    pub async fn set_disabled<F: Fn(&SessionRecord) -> EventRecord>(
        &self,
        user_id: &str,
        disable: bool,
        audit: AuditRecord,
        effects: Effects<'_, F>,
    ) -> Result<Option<ActionDone>, sqlx::Error> {
        let mut tx = self.write().await?;
        let update = if disable {
            sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
                .bind(audit.at)
        } else {
            sqlx::query(
                "UPDATE users SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL",
            )
        };
        let changed = update
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed != 1 {
            return Ok(None);
        }
        let done = apply(&mut tx, user_id, audit, effects).await?;
        tx.commit().await?;
        Ok(Some(done))
    }

    /// An action whose only change is its effects (signing out, mail), or
    /// a password reset: its code stored and `password_hash` (of a password
    /// nobody knows) put in place of the old one.
    pub async fn admin_action<F: Fn(&SessionRecord) -> EventRecord>(
        &self,
        user_id: &str,
        audit: AuditRecord,
        effects: Effects<'_, F>,
        reset: Option<(&PasswordResetRecord, &str)>,
    ) -> Result<ActionDone, sqlx::Error> {
        let mut tx = self.write().await?;
        if let Some((reset, password_hash)) = reset {
            store_reset(&mut tx, reset, password_hash).await?;
        }
        let done = apply(&mut tx, user_id, audit, effects).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Turns two-factor off and voids the recovery codes; None (nothing
    /// written) when it was not on.
    pub async fn reset_mfa<F: Fn(&SessionRecord) -> EventRecord>(
        &self,
        user_id: &str,
        audit: AuditRecord,
        effects: Effects<'_, F>,
    ) -> Result<Option<ActionDone>, sqlx::Error> {
        let mut tx = self.write().await?;
        let removed = sqlx::query("DELETE FROM totp_factors WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed == 0 {
            return Ok(None);
        }
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let done = apply(&mut tx, user_id, audit, effects).await?;
        tx.commit().await?;
        Ok(Some(done))
    }

    pub async fn password_reset(
        &self,
        user_id: &str,
    ) -> Result<Option<PasswordResetRecord>, sqlx::Error> {
        sqlx::query_as(
            "SELECT user_id, code_hash, created_at, expires_at, attempts
             FROM password_resets WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn password_reset_failed(&self, user_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE password_resets SET attempts = attempts + 1 WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Spends the reset code of `code_hash` and sets the password; false
    /// (nothing written) when another request spent it first.
    pub async fn finish_password_reset(
        &self,
        user_id: &str,
        code_hash: &str,
        password_hash: &str,
        event: &EventRecord,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let spent =
            sqlx::query("DELETE FROM password_resets WHERE user_id = $1 AND code_hash = $2")
                .bind(user_id)
                .bind(code_hash)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if spent != 1 {
            return Ok(false);
        }
        // The code proves the mailbox, so the address counts as verified.
        sqlx::query(
            "UPDATE users SET password_hash = $1, email_verified = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(password_hash)
        .bind(true)
        .bind(event.at)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        revoke_in(&mut tx, user_id, None, event.at).await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Replaces any earlier reset code of the account, and its password hash.
async fn store_reset(
    conn: &mut AnyConnection,
    reset: &PasswordResetRecord,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(reset.created_at)
        .bind(&reset.user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
        .bind(&reset.user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO password_resets (user_id, code_hash, created_at, expires_at, attempts)
         VALUES ($1, $2, $3, $4, 0)",
    )
    .bind(&reset.user_id)
    .bind(&reset.code_hash)
    .bind(reset.created_at)
    .bind(reset.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Signs out, logs, mails, and appends the audit entry (saying how many
/// sessions were signed out), inside the caller's transaction.
async fn apply<F: Fn(&SessionRecord) -> EventRecord>(
    conn: &mut AnyConnection,
    user_id: &str,
    mut audit: AuditRecord,
    effects: Effects<'_, F>,
) -> Result<ActionDone, sqlx::Error> {
    let mut n = 0;
    if let Some(only) = effects.revoke {
        let revoked = revoke_in(&mut *conn, user_id, only, audit.at).await?;
        log_each(&mut *conn, &revoked, &effects.revoked_event).await?;
        n = revoked.len();
        if n > 0 {
            let sessions = if n == 1 { "session" } else { "sessions" };
            let said = format!("{n} {sessions} signed out");
            audit.detail = Some(match audit.detail.take() {
                Some(detail) => format!("{detail}; {said}"),
                None => said,
            });
        }
    }
    for event in &effects.events {
        insert_event(&mut *conn, event).await?;
    }
    if let Some(mail) = &effects.mail {
        insert_mail(&mut *conn, mail).await?;
    }
    insert_audit(conn, &audit).await?;
    Ok(ActionDone { audit, revoked: n })
}
