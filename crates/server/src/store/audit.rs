//! The administrators' audit log: appended in the transaction of the
//! action it records, read a page at a time, never changed or removed.

use sqlx::{AnyConnection, FromRow};

use super::sql::Sql;
use super::{Store, limit_plus_one};

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AuditRecord {
    pub id: String,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target_id: String,
    pub target_email: String,
    pub reason: String,
    pub request_id: Option<String>,
    pub detail: Option<String>,
}

/// Which entries to list; every one when all are None.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<String>,
    pub target_id: Option<String>,
    pub action: Option<String>,
}

/// Position after the last entry of a page: newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCursor {
    pub at: i64,
    pub id: String,
}

const AUDIT_COLUMNS: &str = "id, at, actor_id, actor_email, action, target_id, target_email, \
     reason, request_id, detail";

/// Appends `entry`, inside the caller's transaction.
pub(super) async fn insert_audit(
    conn: &mut AnyConnection,
    entry: &AuditRecord,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO admin_audit ({AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(&entry.id)
    .bind(entry.at)
    .bind(&entry.actor_id)
    .bind(&entry.actor_email)
    .bind(&entry.action)
    .bind(&entry.target_id)
    .bind(&entry.target_email)
    .bind(&entry.reason)
    .bind(&entry.request_id)
    .bind(&entry.detail)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// A page of entries matching `filter`, newest first, and whether
    /// more follow; keyset on `(at, id)` under whichever filter's index.
    pub async fn audit_page(
        &self,
        filter: &AuditFilter,
        limit: u32,
        cursor: Option<&AuditCursor>,
    ) -> Result<(Vec<AuditRecord>, bool), sqlx::Error> {
        let mut query = Sql::new(format!(
            "SELECT {AUDIT_COLUMNS} FROM admin_audit WHERE 1 = 1"
        ));
        for (column, value) in [
            ("actor_id", &filter.actor_id),
            ("target_id", &filter.target_id),
            ("action", &filter.action),
        ] {
            if let Some(value) = value {
                query
                    .push(format!(" AND {column} = "))
                    .push_bind(value.clone());
            }
        }
        if let Some(c) = cursor {
            query.push_past("at, id", "<", c.at, c.id.clone());
        }
        query.push(" ORDER BY at DESC, id DESC LIMIT ");
        query.push_bind(limit_plus_one(limit));
        let rows: Vec<AuditRecord> = query.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() > limit as usize;
        Ok((rows.into_iter().take(limit as usize).collect(), more))
    }
}
