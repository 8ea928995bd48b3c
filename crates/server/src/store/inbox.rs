//! The in-app inbox: listing notifications and marking them read. Rows
//! are written only by `notifications::notify`.

use sqlx::FromRow;

use super::sql::Sql;
use super::{Store, limit_plus_one};

/// One notification as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct NotificationRecord {
    pub id: String,
    pub category: String,
    pub title: String,
    pub body: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// Position after the last notification of a page: newest first, ties by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationCursor {
    pub created_at: i64,
    pub id: String,
}

const COLUMNS: &str = "id, category, title, body, created_at, read_at";

impl Store {
    /// Up to `limit` notifications after `cursor` (only unread ones when
    /// `unread_only`), newest first, and whether more follow.
    pub async fn list_notifications(
        &self,
        user_id: &str,
        unread_only: bool,
        limit: u32,
        cursor: Option<&NotificationCursor>,
    ) -> Result<(Vec<NotificationRecord>, bool), sqlx::Error> {
        let mut query = Sql::new(format!(
            "SELECT {COLUMNS} FROM notifications WHERE user_id = "
        ));
        query.push_bind(user_id);
        if unread_only {
            query.push(" AND read_at IS NULL");
        }
        if let Some(cursor) = cursor {
            query.push_past("created_at, id", "<", cursor.created_at, cursor.id.as_str());
        }
        query
            .push(" ORDER BY created_at DESC, id DESC LIMIT ")
            .push_bind(limit_plus_one(limit));
        let rows: Vec<NotificationRecord> = query.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() > limit as usize;
        Ok((rows.into_iter().take(limit as usize).collect(), more))
    }

    /// Marks one of `user_id`'s notifications read (keeping the first time
    /// it was); `None` when it is not theirs or does not exist.
    pub async fn mark_notification_read(
        &self,
        user_id: &str,
        id: &str,
        now: i64,
    ) -> Result<Option<NotificationRecord>, sqlx::Error> {
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE notifications SET read_at = $1
             WHERE id = $2 AND user_id = $3 AND read_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let record = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Marks every unread notification read; how many were.
    pub async fn mark_all_notifications_read(
        &self,
        user_id: &str,
        now: i64,
    ) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    pub async fn unread_notifications(&self, user_id: &str) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await
    }
}
