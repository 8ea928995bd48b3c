//! Failed sign-ins, shared by every instance (see [`crate::limiter`]).

use super::Store;

impl Store {
    /// The times of the newest `limit` failures of `subject` after
    /// `since`, newest first.
    pub async fn recent_failures(
        &self,
        subject: &str,
        since: i64,
        limit: u32,
    ) -> Result<Vec<i64>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT at FROM login_failures WHERE subject = $1 AND at > $2
             ORDER BY at DESC LIMIT $3",
        )
        .bind(subject)
        .bind(since)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
    }

    /// Counts one failure at `at` against each subject.
    pub async fn record_failure(&self, subjects: &[String], at: i64) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for subject in subjects {
            sqlx::query("INSERT INTO login_failures (subject, at) VALUES ($1, $2)")
                .bind(subject)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    pub async fn clear_failures(&self, subject: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM login_failures WHERE subject = $1")
            .bind(subject)
            .execute(&self.pool)
            .await
            .map(drop)
    }

    /// Forgets failures at or before `until` (older than any window).
    pub async fn sweep_failures(&self, until: i64) -> Result<u64, sqlx::Error> {
        sqlx::query("DELETE FROM login_failures WHERE at <= $1")
            .bind(until)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected())
    }
}
