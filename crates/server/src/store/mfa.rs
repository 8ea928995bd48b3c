//! Second factors: the TOTP factor, recovery codes (hashes only) and the
//! pending second step of a sign-in.

use sqlx::{AnyConnection, FromRow};

use crate::secrets::Sealed;

use super::Store;
use super::events::{EventRecord, insert_event};
use super::secrets::StoredSecret;
use super::sessions::{NewSession, insert_new_session};

/// An account's TOTP factor. No `Debug`: it holds the (sealed) secret.
#[derive(Clone, FromRow)]
pub struct TotpFactor {
    #[sqlx(flatten)]
    pub secret: StoredSecret,
    pub confirmed_at: Option<i64>,
}

impl TotpFactor {
    pub fn enabled(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

/// The second factor a sign-in presents, checked but not yet spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    /// A right TOTP code, of this time step.
    TotpStep(i64),
    /// A recovery code, by its hash; right if an unused code has it.
    RecoveryCode { hash: String },
}

/// What finishing a second step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaOutcome {
    SignedIn,
    /// Another request finished (or used up) the challenge first.
    ChallengeUsed,
    /// The code was spent already (or the recovery code is not one).
    FactorRefused,
}

/// A sign-in whose password was right, waiting for the second factor.
#[derive(Debug, Clone, FromRow)]
pub struct MfaChallengeRecord {
    pub token_hash: String,
    pub user_id: String,
    pub device_name: String,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub failures: i64,
    pub used_at: Option<i64>,
}

impl Store {
    pub async fn totp_factor(&self, user_id: &str) -> Result<Option<TotpFactor>, sqlx::Error> {
        sqlx::query_as(
            "SELECT user_id, secret, secret_key_id, confirmed_at FROM totp_factors
             WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await
    }

    /// Stores a pending factor (its secret sealed), replacing an earlier
    /// pending one. Returns false (and changes nothing) when a confirmed
    /// factor exists.
    pub async fn start_totp(
        &self,
        user_id: &str,
        secret: &Sealed,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NULL")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let inserted = sqlx::query(
            "INSERT INTO totp_factors (user_id, secret, secret_key_id, created_at)
             SELECT $1, $2, $3, $4
             WHERE NOT EXISTS (SELECT 1 FROM totp_factors WHERE user_id = $1)",
        )
        .bind(user_id)
        .bind(&secret.text)
        .bind(&secret.key_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(inserted == 1)
    }

    /// Confirms the pending factor with a code of `step` and stores the
    /// first recovery codes. False when the step was used already.
    pub async fn confirm_totp(
        &self,
        user_id: &str,
        step: i64,
        code_hashes: &[String],
        event: &EventRecord,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        if !use_step(&mut tx, user_id, step).await? {
            return Ok(false);
        }
        sqlx::query("UPDATE totp_factors SET confirmed_at = $1 WHERE user_id = $2")
            .bind(event.at)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        replace_codes(&mut tx, user_id, code_hashes, event.at).await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Spends the code of time `step` and removes the factor and the
    /// recovery codes, together. False (and nothing changed) when the step
    /// was used already.
    pub async fn disable_totp(
        &self,
        user_id: &str,
        step: i64,
        event: &EventRecord,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        if !use_step(&mut tx, user_id, step).await? {
            return Ok(false);
        }
        for table in ["totp_factors", "recovery_codes"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// New recovery codes; the old ones stop working.
    pub async fn replace_recovery_codes(
        &self,
        user_id: &str,
        code_hashes: &[String],
        event: &EventRecord,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        replace_codes(&mut tx, user_id, code_hashes, event.at).await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await
    }

    /// Spends the code of time `step` alone (a step-up proof); false when
    /// that step was used already.
    pub async fn spend_totp_step(&self, user_id: &str, step: i64) -> Result<bool, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        use_step(&mut conn, user_id, step).await
    }

    /// Unused recovery codes of the account.
    pub async fn count_recovery_codes(&self, user_id: &str) -> Result<u32, sqlx::Error> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    pub async fn insert_mfa_challenge(
        &self,
        challenge: &MfaChallengeRecord,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO mfa_challenges
               (token_hash, user_id, device_name, user_agent, ip, created_at, expires_at, failures)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
        )
        .bind(&challenge.token_hash)
        .bind(&challenge.user_id)
        .bind(&challenge.device_name)
        .bind(&challenge.user_agent)
        .bind(&challenge.ip)
        .bind(challenge.created_at)
        .bind(challenge.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn mfa_challenge(
        &self,
        token_hash: &str,
    ) -> Result<Option<MfaChallengeRecord>, sqlx::Error> {
        sqlx::query_as(
            "SELECT token_hash, user_id, device_name, user_agent, ip, created_at, expires_at,
                    failures, used_at
             FROM mfa_challenges WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
    }

    /// Counts a wrong code against the challenge and logs `event`.
    pub async fn mfa_challenge_failed(
        &self,
        token_hash: &str,
        event: &EventRecord,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE mfa_challenges SET failures = failures + 1 WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await
    }

    /// Uses up the challenge, spends `factor` and signs in, all at once or
    /// not at all: a code is never spent without the sign-in it was for.
    pub async fn finish_mfa_challenge(
        &self,
        token_hash: &str,
        factor: &SecondFactor,
        session: &NewSession,
        extra_event: Option<&EventRecord>,
    ) -> Result<MfaOutcome, sqlx::Error> {
        let mut tx = self.write().await?;
        let won = sqlx::query(
            "UPDATE mfa_challenges SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
        )
        .bind(session.record.created_at)
        .bind(token_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if won != 1 {
            return Ok(MfaOutcome::ChallengeUsed);
        }
        let user_id = &session.record.user_id;
        let spent = match factor {
            SecondFactor::TotpStep(step) => use_step(&mut tx, user_id, *step).await?,
            SecondFactor::RecoveryCode { hash } => {
                use_code(&mut tx, user_id, hash, session.record.created_at).await?
            }
        };
        if !spent {
            // Dropping the transaction rolls back: the challenge stays open.
            return Ok(MfaOutcome::FactorRefused);
        }
        if let Some(event) = extra_event {
            insert_event(&mut tx, event).await?;
        }
        insert_new_session(&mut tx, session).await?;
        tx.commit().await?;
        Ok(MfaOutcome::SignedIn)
    }
}

/// Marks an unused recovery code used; false when there is no such code.
async fn use_code(
    conn: &mut AnyConnection,
    user_id: &str,
    code_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let used = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(code_hash)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(used == 1)
}

/// Accepts time step `step` for `user_id` if no later or equal step was
/// accepted before: each code works once.
async fn use_step(conn: &mut AnyConnection, user_id: &str, step: i64) -> Result<bool, sqlx::Error> {
    // Conditional, so two requests racing with one code cannot both win.
    let accepted = sqlx::query(
        "UPDATE totp_factors SET last_used_step = $1
         WHERE user_id = $2 AND (last_used_step IS NULL OR last_used_step < $1)",
    )
    .bind(step)
    .bind(user_id)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(accepted == 1)
}

async fn replace_codes(
    conn: &mut AnyConnection,
    user_id: &str,
    code_hashes: &[String],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for hash in code_hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (code_hash, user_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(hash)
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
