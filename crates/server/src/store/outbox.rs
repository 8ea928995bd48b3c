//! The outbox as a queue: claiming a due message with a lease, and
//! marking it sent, refused, or due again later.

use sqlx::FromRow;

use super::Store;

/// A message claimed for sending. No `Debug`: its body may hold a code.
#[derive(Clone, FromRow)]
pub struct ClaimedMail {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

impl Store {
    /// Takes the oldest due message, unsent and not leased, leasing it
    /// until `lease_until`. The update re-checks the lease, so of instances
    /// racing for one message one wins.
    pub async fn claim_mail(
        &self,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<ClaimedMail>, sqlx::Error> {
        let due: Option<String> = sqlx::query_scalar(
            "SELECT id FROM outbox
             WHERE sent_at IS NULL AND failed_at IS NULL
               AND COALESCE(next_attempt_at, 0) <= $1 AND COALESCE(lease_until, 0) < $1
             ORDER BY created_at, id LIMIT 1",
        )
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(id) = due else {
            return Ok(None);
        };
        sqlx::query_as(
            "UPDATE outbox SET lease_until = $1, attempts = attempts + 1
             WHERE id = $2 AND sent_at IS NULL AND failed_at IS NULL
               AND COALESCE(lease_until, 0) < $3
             RETURNING id, recipient, subject, body, attempts",
        )
        .bind(lease_until)
        .bind(&id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
    }

    /// The relay took the message: it is done, and its body goes.
    pub async fn mail_sent(&self, id: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE outbox SET sent_at = $1, body = '', lease_until = NULL, last_error = NULL
             WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The attempt failed for now: due again at `next_attempt_at`.
    pub async fn mail_deferred(
        &self,
        id: &str,
        next_attempt_at: i64,
        error: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE outbox SET lease_until = NULL, next_attempt_at = $1, last_error = $2
             WHERE id = $3 AND sent_at IS NULL",
        )
        .bind(next_attempt_at)
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The relay refused the message for good (a bad address): never
    /// tried again, and its body goes.
    pub async fn mail_refused(&self, id: &str, now: i64, error: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE outbox SET failed_at = $1, body = '', lease_until = NULL, last_error = $2
             WHERE id = $3 AND sent_at IS NULL",
        )
        .bind(now)
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OutboxRecord;
    use crate::store::email::insert_mail;

    async fn store_with_mail() -> (Store, String) {
        let settings = crate::config::PoolSettings::default();
        let store = Store::connect(crate::config::MEMORY_DATABASE, &settings)
            .await
            .expect("database");
        let mail = OutboxRecord::new("a@example.com", "Hi", "code 123456".to_string(), 1);
        let mut conn = store.pool.acquire().await.expect("connection");
        insert_mail(&mut conn, &mail).await.expect("queued");
        (store, mail.id)
    }

    async fn body(store: &Store, id: &str) -> String {
        sqlx::query_scalar("SELECT body FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&store.pool)
            .await
            .expect("row")
    }

    #[tokio::test]
    async fn a_message_is_leased_to_one_sender_and_retried_until_sent() {
        let (store, id) = store_with_mail().await;
        let first = store.claim_mail(10, 100).await.expect("claim");
        assert_eq!(first.map(|m| (m.id, m.attempts)), Some((id.clone(), 1)));
        // Leased: another sender finds nothing until the lease runs out.
        assert!(store.claim_mail(50, 150).await.expect("claim").is_none());
        let taken_over = store.claim_mail(101, 200).await.expect("claim");
        assert_eq!(taken_over.map(|m| m.attempts), Some(2));
        // Deferred: not due before its next attempt.
        store
            .mail_deferred(&id, 500, "relay away")
            .await
            .expect("deferred");
        assert!(store.claim_mail(499, 600).await.expect("claim").is_none());
        let due = store.claim_mail(500, 600).await.expect("claim");
        assert_eq!(due.map(|m| m.body), Some("code 123456".to_string()));
        store.mail_sent(&id, 510).await.expect("sent");
        assert!(
            store
                .claim_mail(10_000, 20_000)
                .await
                .expect("claim")
                .is_none()
        );
        assert_eq!(body(&store, &id).await, "", "the code stays after sending");
    }

    #[tokio::test]
    async fn a_refused_message_is_never_tried_again_and_keeps_no_body() {
        let (store, id) = store_with_mail().await;
        assert!(store.claim_mail(10, 100).await.expect("claim").is_some());
        store
            .mail_refused(&id, 20, "550 no such user")
            .await
            .expect("refused");
        assert!(
            store
                .claim_mail(10_000, 20_000)
                .await
                .expect("claim")
                .is_none()
        );
        assert_eq!(body(&store, &id).await, "");
    }
}
