//! Data export jobs and their finished documents.

use acctl_api::notifications::NotificationCategory;
use sqlx::FromRow;

use super::events::{EventRecord, insert_event};
use super::notifications::notify;
use super::sql::Sql;
use super::{Store, limit_plus_one};

/// Stored job states; `expired` is worked out from `expires_at` on reading.
pub const RUNNING: &str = "running";
pub const READY: &str = "ready";
pub const FAILED: &str = "failed";

/// An export job as stored (without its document).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ExportRecord {
    pub id: String,
    pub status: String,
    pub progress_percent: i64,
    pub created_at: i64,
    pub ready_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub size_bytes: Option<i64>,
}

/// A finished document, to store with its job.
pub struct FinishedExport<'a> {
    pub document: &'a str,
    pub ready_at: i64,
    pub expires_at: i64,
    /// The "export ready" notice.
    pub title: &'a str,
    pub body: &'a str,
}

/// Who an export is for: the account and the session that asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOwner {
    pub user_id: String,
    pub session_id: String,
}

/// A running export another instance left behind.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StaleExport {
    pub id: String,
    pub user_id: String,
    pub session_id: Option<String>,
}

const COLUMNS: &str = "id, status, progress_percent, created_at, ready_at, expires_at, size_bytes";

impl Store {
    /// Starts a job and logs `event`, unless one is running already: then
    /// that one, and false.
    pub async fn start_export(
        &self,
        who: &ExportOwner,
        event: &EventRecord,
        lease_until: i64,
    ) -> Result<(ExportRecord, bool), sqlx::Error> {
        let user_id = who.user_id.as_str();
        let mut tx = self.write().await?;
        let running: Option<ExportRecord> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM data_exports WHERE user_id = $1 AND status = $2"
        ))
        .bind(user_id)
        .bind(RUNNING)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(running) = running {
            return Ok((running, false));
        }
        let record = ExportRecord {
            id: uuid::Uuid::new_v4().to_string(),
            status: RUNNING.to_string(),
            progress_percent: 0,
            created_at: event.at,
            ready_at: None,
            expires_at: None,
            size_bytes: None,
        };
        sqlx::query(
            "INSERT INTO data_exports
               (id, user_id, status, progress_percent, created_at, session_id, lease_until)
             VALUES ($1, $2, $3, 0, $4, $5, $6)",
        )
        .bind(&record.id)
        .bind(user_id)
        .bind(RUNNING)
        .bind(record.created_at)
        .bind(&who.session_id)
        .bind(lease_until)
        .execute(&mut *tx)
        .await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok((record, true))
    }

    /// Records progress and renews the job's lease.
    pub async fn set_export_progress(
        &self,
        id: &str,
        percent: u8,
        lease_until: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE data_exports SET progress_percent = $1, lease_until = $2
             WHERE id = $3 AND status = $4",
        )
        .bind(i64::from(percent))
        .bind(lease_until)
        .bind(id)
        .bind(RUNNING)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes over the oldest running export whose lease ran out by `now`
    /// (its instance stopped), leasing it until `lease_until`. The update
    /// re-checks the lease, so of instances racing for it one wins.
    pub async fn claim_stale_export(
        &self,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<StaleExport>, sqlx::Error> {
        let stale: Option<StaleExport> = sqlx::query_as(
            "SELECT id, user_id, session_id FROM data_exports
             WHERE status = $1 AND COALESCE(lease_until, 0) < $2
             ORDER BY created_at LIMIT 1",
        )
        .bind(RUNNING)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(stale) = stale else {
            return Ok(None);
        };
        let won = sqlx::query(
            "UPDATE data_exports SET lease_until = $1
             WHERE id = $2 AND status = $3 AND COALESCE(lease_until, 0) < $4",
        )
        .bind(lease_until)
        .bind(&stale.id)
        .bind(RUNNING)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok((won == 1).then_some(stale))
    }

    /// Stores the document, marks the job ready and notifies, together.
    pub async fn finish_export(
        &self,
        user_id: &str,
        id: &str,
        done: &FinishedExport<'_>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        let size = i64::try_from(done.document.len()).unwrap_or(i64::MAX);
        let updated = sqlx::query(
            "UPDATE data_exports SET status = $1, progress_percent = 100, ready_at = $2,
               expires_at = $3, size_bytes = $4, document = $5
             WHERE id = $6 AND user_id = $7 AND status = $8",
        )
        .bind(READY)
        .bind(done.ready_at)
        .bind(done.expires_at)
        .bind(size)
        .bind(done.document)
        .bind(id)
        .bind(user_id)
        .bind(RUNNING)
        .execute(&mut *tx)
        .await?;
        // No row: the account was purged meanwhile; nobody to tell.
        if updated.rows_affected() == 1 {
            // Only the newest "ready" notice is kept, or every export would
            // carry all the notices of the exports before it.
            sqlx::query("DELETE FROM notifications WHERE user_id = $1 AND title = $2")
                .bind(user_id)
                .bind(done.title)
                .execute(&mut *tx)
                .await?;
            let category = NotificationCategory::Account;
            notify(
                &mut tx,
                user_id,
                category,
                done.title,
                done.body,
                done.ready_at,
            )
            .await?;
        }
        tx.commit().await
    }

    pub async fn fail_export(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE data_exports SET status = $1 WHERE id = $2 AND status = $3")
            .bind(FAILED)
            .bind(id)
            .bind(RUNNING)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// One of `user_id`'s jobs; `None` when it is not theirs.
    pub async fn export(
        &self,
        user_id: &str,
        id: &str,
    ) -> Result<Option<ExportRecord>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM data_exports WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await
    }

    /// The stored document of one of `user_id`'s jobs, if it has one.
    pub async fn export_document(
        &self,
        user_id: &str,
        id: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let document: Option<Option<String>> =
            sqlx::query_scalar("SELECT document FROM data_exports WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(document.flatten())
    }

    /// Jobs newest first after `cursor` (created_at, id), and whether more follow.
    pub async fn list_exports(
        &self,
        user_id: &str,
        limit: u32,
        cursor: Option<&(i64, String)>,
    ) -> Result<(Vec<ExportRecord>, bool), sqlx::Error> {
        let mut query = Sql::new(format!(
            "SELECT {COLUMNS} FROM data_exports WHERE user_id = "
        ));
        query.push_bind(user_id);
        if let Some((at, id)) = cursor {
            query.push_past("created_at, id", "<", *at, id.as_str());
        }
        query
            .push(" ORDER BY created_at DESC, id DESC LIMIT ")
            .push_bind(limit_plus_one(limit));
        let rows: Vec<ExportRecord> = query.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() > limit as usize;
        Ok((rows.into_iter().take(limit as usize).collect(), more))
    }
}

#[cfg(test)]
mod tests {
    use acctl_api::SecurityEventKind;

    use super::*;
    use crate::store::NewUser;

    async fn store_with_user() -> Store {
        let settings = crate::config::PoolSettings::default();
        let store = Store::connect(crate::config::MEMORY_DATABASE, &settings)
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

    fn owner() -> ExportOwner {
        ExportOwner {
            user_id: "u1".to_string(),
            session_id: "s1".to_string(),
        }
    }

    #[tokio::test]
    async fn a_job_whose_lease_ran_out_is_claimed_by_one_taker() {
        let store = store_with_user().await;
        let event = EventRecord::new("u1", SecurityEventKind::DataExportRequested, 10);
        let (job, _) = store
            .start_export(&owner(), &event, 100)
            .await
            .expect("start");
        assert_eq!(
            store.claim_stale_export(50, 150).await.expect("claim"),
            None
        );
        let stale = store.claim_stale_export(101, 200).await.expect("claim");
        assert_eq!(
            stale.map(|s| (s.id, s.session_id)),
            Some((job.id.clone(), Some("s1".into())))
        );
        // Taken: its lease now runs to 200.
        assert_eq!(
            store.claim_stale_export(150, 250).await.expect("claim"),
            None
        );
        store
            .set_export_progress(&job.id, 50, 400)
            .await
            .expect("progress");
        assert_eq!(
            store.claim_stale_export(300, 500).await.expect("claim"),
            None
        );
    }

    #[tokio::test]
    async fn a_second_start_while_one_runs_answers_the_running_one() {
        let store = store_with_user().await;
        let event = || EventRecord::new("u1", SecurityEventKind::DataExportRequested, 10);
        let (first, started) = store
            .start_export(&owner(), &event(), 100)
            .await
            .expect("start");
        assert!(started);
        let (second, started) = store
            .start_export(&owner(), &event(), 100)
            .await
            .expect("start");
        assert_eq!((second.id.as_str(), started), (first.id.as_str(), false));
        store.fail_export(&first.id).await.expect("fail");
        let failed = store.export("u1", &first.id).await.expect("read");
        assert_eq!(failed.map(|e| e.status), Some(FAILED.to_string()));
        let (third, started) = store
            .start_export(&owner(), &event(), 100)
            .await
            .expect("start");
        assert!(started && third.id != first.id);
        assert_eq!(
            store.export("someone else", &third.id).await.expect("read"),
            None
        );
    }
}
