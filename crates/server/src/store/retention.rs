//! Bounds on what a signed-in client can make the database keep by
//! repeating a write: old rows are pruned by the background purger, and
//! [`Store::times_since`] lets a route refuse a write over its quota.

use super::Store;
use super::events::kind_name;
use super::sql::Sql;
use acctl_api::SecurityEventKind;

/// Rows kept per account at most; older ones are pruned.
pub const KEEP_NOTIFICATIONS: i64 = 500;
pub const KEEP_EVENTS: i64 = 1_000;
/// Sessions signed in at once per account; the least recently used beyond
/// this are signed out.
pub const KEEP_SESSIONS: i64 = 100;
/// Refresh tokens kept per session, the unused one among them.
pub const KEEP_REFRESH_TOKENS: i64 = 20;

/// What a quota counts.
#[derive(Debug, Clone, Copy)]
pub enum Counted<'a> {
    /// Security events of these kinds.
    Events(&'a [SecurityEventKind]),
    /// Data exports started.
    Exports,
    /// Card checkout links handed out.
    Checkouts,
}

/// How long after their end ended things are kept (revoked sessions,
/// spent tokens), in ms: long enough to show "signed out" for a while.
pub struct Ages {
    pub now: i64,
    /// Refresh tokens older than this can no longer be used.
    pub refresh_ttl_ms: i64,
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

impl Store {
    /// When `user_id` did the `counted` thing since `since`, oldest first.
    pub async fn times_since(
        &self,
        user_id: &str,
        counted: Counted<'_>,
        since: i64,
    ) -> Result<Vec<i64>, sqlx::Error> {
        let mut query = Sql::new("");
        match counted {
            Counted::Events(kinds) => {
                query.push("SELECT at FROM security_events WHERE kind IN (");
                for (n, kind) in kinds.iter().enumerate() {
                    if n > 0 {
                        query.push(", ");
                    }
                    query.push_bind(kind_name(*kind));
                }
                query.push(") AND at >= ").push_bind(since);
                query.push(" AND user_id = ").push_bind(user_id);
                query.push(" ORDER BY at");
            }
            Counted::Exports => {
                query.push("SELECT created_at FROM data_exports WHERE created_at >= ");
                query
                    .push_bind(since)
                    .push(" AND user_id = ")
                    .push_bind(user_id);
                query.push(" ORDER BY created_at");
            }
            Counted::Checkouts => {
                query.push("SELECT created_at FROM checkout_tokens WHERE created_at >= ");
                query
                    .push_bind(since)
                    .push(" AND user_id = ")
                    .push_bind(user_id);
                query.push(" ORDER BY created_at");
            }
        }
        query.build_query_scalar().fetch_all(&self.pool).await
    }

    /// Removes what is past its use and what is over the per-account caps;
    /// how many rows went.
    pub async fn prune(&self, ages: &Ages) -> Result<u64, sqlx::Error> {
        let now = ages.now;
        let statements: [(&str, i64); 9] = [
            // Expired exports, their documents with them.
            (
                "DELETE FROM data_exports WHERE expires_at IS NOT NULL AND expires_at <= $1",
                now,
            ),
            // Exports that never finished (the server stopped meanwhile).
            (
                "DELETE FROM data_exports WHERE status <> 'ready' AND created_at <= $1",
                now - DAY_MS,
            ),
            ("DELETE FROM checkout_tokens WHERE expires_at <= $1", now),
            ("DELETE FROM access_tokens WHERE expires_at <= $1", now),
            (
                "DELETE FROM refresh_tokens WHERE created_at <= $1",
                now - ages.refresh_ttl_ms,
            ),
            (
                "DELETE FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at <= $1",
                now - 30 * DAY_MS,
            ),
            ("DELETE FROM mfa_challenges WHERE expires_at <= $1", now),
            ("DELETE FROM email_changes WHERE expires_at <= $1", now),
            // Mail older than a month was sent or will never be.
            (
                "DELETE FROM outbox WHERE created_at <= $1",
                now - 30 * DAY_MS,
            ),
        ];
        let mut removed = 0;
        for (sql, bound) in statements {
            removed += sqlx::query(sql)
                .bind(bound)
                .execute(&self.pool)
                .await?
                .rows_affected();
        }
        removed += self.prune_over_caps(now).await?;
        Ok(removed)
    }

    async fn prune_over_caps(&self, now: i64) -> Result<u64, sqlx::Error> {
        let notifications = "DELETE FROM notifications WHERE id IN (SELECT id FROM (
               SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC) AS n
               FROM notifications) AS ranked WHERE n > $1)";
        let events = "DELETE FROM security_events WHERE id IN (SELECT id FROM (
               SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY at DESC, id DESC) AS n
               FROM security_events) AS ranked WHERE n > $1)";
        let sessions = "UPDATE sessions SET revoked_at = $2 WHERE id IN (SELECT id FROM (
               SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY last_active_at DESC, id DESC) AS n
               FROM sessions WHERE revoked_at IS NULL) AS ranked WHERE n > $1)";
        // Spent refresh tokens are kept to catch a reuse; the latest few
        // of a session are enough for that.
        let spent = "DELETE FROM refresh_tokens WHERE token_hash IN (SELECT token_hash FROM (
               SELECT token_hash, ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY created_at DESC) AS n
               FROM refresh_tokens) AS ranked WHERE n > $1)";
        let mut removed = 0;
        for (sql, keep) in [
            (notifications, KEEP_NOTIFICATIONS),
            (events, KEEP_EVENTS),
            (spent, KEEP_REFRESH_TOKENS),
        ] {
            removed += sqlx::query(sql)
                .bind(keep)
                .execute(&self.pool)
                .await?
                .rows_affected();
        }
        let signed_out = sqlx::query(sessions).bind(KEEP_SESSIONS).bind(now);
        removed += signed_out.execute(&self.pool).await?.rows_affected();
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use acctl_api::notifications::NotificationCategory;

    use super::*;
    use crate::store::{EventRecord, NewUser, SessionRecord};

    async fn store_with_user() -> Store {
        let store = Store::connect(crate::config::MEMORY_DATABASE, &Default::default())
            .await
            .expect("database");
        let user = NewUser {
            id: "u1".to_string(),
            email: "a@example.com".to_string(),
            email_norm: "a@example.com".to_string(),
            email_verified: true,
            name: "A".to_string(),
            password_hash: "not a real hash".to_string(),
            created_at: 1,
        };
        store.create_user(&user, None).await.expect("user");
        store
    }

    async fn count(store: &Store, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&store.pool)
            .await
            .expect("count")
    }

    #[tokio::test]
    async fn repeated_sign_ins_notices_and_events_are_capped() {
        let store = store_with_user().await;
        let extra = 5;
        for n in 0..KEEP_SESSIONS + extra {
            let session = SessionRecord {
                id: format!("s{n:04}"),
                user_id: "u1".to_string(),
                device_name: "laptop".to_string(),
                user_agent: None,
                ip: None,
                created_at: n,
                last_active_at: n,
                revoked_at: None,
            };
            store.insert_session(&session).await.expect("session");
        }
        for n in 0..KEEP_NOTIFICATIONS + extra {
            let category = NotificationCategory::Account;
            store
                .notify("u1", category, "t", "b", n)
                .await
                .expect("notice");
        }
        for n in 0..KEEP_EVENTS + extra {
            let event = EventRecord::new("u1", SecurityEventKind::ProfileUpdated, n);
            store.record_event(&event).await.expect("event");
        }
        let ages = Ages {
            now: 1_000_000,
            refresh_ttl_ms: DAY_MS,
        };
        store.prune(&ages).await.expect("pruned");
        let active = "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL";
        assert_eq!(count(&store, active).await, KEEP_SESSIONS);
        let oldest = "SELECT MIN(id) FROM sessions WHERE revoked_at IS NULL";
        let oldest: String = sqlx::query_scalar(oldest)
            .fetch_one(&store.pool)
            .await
            .expect("oldest");
        assert_eq!(oldest, format!("s{extra:04}"), "the least recent went");
        let notices = "SELECT COUNT(*) FROM notifications";
        assert_eq!(count(&store, notices).await, KEEP_NOTIFICATIONS);
        let events = "SELECT COUNT(*) FROM security_events";
        assert_eq!(count(&store, events).await, KEEP_EVENTS);
    }
}
