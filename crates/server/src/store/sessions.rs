//! Sessions and their tokens (stored only as hashes).

use acctl_api::SecurityEventKind;
use sqlx::{AnyConnection, FromRow};

use super::events::{EventRecord, insert_event};
use super::sql::Sql;
use super::{Store, limit_plus_one};

/// A signed-in device as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SessionRecord {
    pub id: String,
    pub user_id: String,
    pub device_name: String,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: i64,
    pub last_active_at: i64,
    pub revoked_at: Option<i64>,
}

/// Hashes of a freshly issued token pair.
#[derive(Clone)]
pub struct NewTokens {
    pub access_hash: String,
    pub access_expires_at: i64,
    pub refresh_hash: String,
    pub issued_at: i64,
}

/// A sign-in: the session row, its first tokens, and the `login_succeeded` event.
pub struct NewSession {
    pub record: SessionRecord,
    pub tokens: NewTokens,
}

/// The session behind the access token whose hash is `$1`.
pub(super) const TOKEN_SESSION_SQL: &str =
    "SELECT s.id AS session_id, s.user_id, s.device_name, s.ip, s.created_at,
            s.last_active_at, s.revoked_at, a.expires_at, u.disabled_at
     FROM access_tokens a JOIN sessions s ON s.id = a.session_id
       JOIN users u ON u.id = s.user_id
     WHERE a.token_hash = $1";

/// The session behind an access token.
#[derive(Debug, Clone, FromRow)]
pub struct TokenSession {
    pub session_id: String,
    pub user_id: String,
    pub device_name: String,
    pub ip: Option<String>,
    pub created_at: i64,
    pub last_active_at: i64,
    pub revoked_at: Option<i64>,
    pub expires_at: i64,
    /// Set while the account is disabled.
    pub disabled_at: Option<i64>,
}

/// Position after the last session of a page: most recently active first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionCursor {
    pub last_active_at: i64,
    pub id: String,
}

const SESSION_COLUMNS: &str =
    "id, user_id, device_name, user_agent, ip, created_at, last_active_at, revoked_at";

async fn insert_session_row(
    conn: &mut AnyConnection,
    s: &SessionRecord,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&s.id)
    .bind(&s.user_id)
    .bind(&s.device_name)
    .bind(&s.user_agent)
    .bind(&s.ip)
    .bind(s.created_at)
    .bind(s.last_active_at)
    .bind(s.revoked_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn insert_tokens(
    conn: &mut AnyConnection,
    session_id: &str,
    tokens: &NewTokens,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO access_tokens (token_hash, session_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&tokens.access_hash)
    .bind(session_id)
    .bind(tokens.issued_at)
    .bind(tokens.access_expires_at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, session_id, created_at, used_at) VALUES ($1, $2, $3, NULL)",
    )
    .bind(&tokens.refresh_hash)
    .bind(session_id)
    .bind(tokens.issued_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Session row, tokens and `login_succeeded`, inside the caller's transaction.
pub(super) async fn insert_new_session(
    conn: &mut AnyConnection,
    session: &NewSession,
) -> Result<(), sqlx::Error> {
    let record = &session.record;
    insert_session_row(conn, record).await?;
    insert_tokens(conn, &record.id, &session.tokens).await?;
    let mut event = EventRecord::new(
        &record.user_id,
        SecurityEventKind::LoginSucceeded,
        record.created_at,
    );
    event.session_id = Some(record.id.clone());
    event.ip.clone_from(&record.ip);
    event.device_name = Some(record.device_name.clone());
    insert_event(conn, &event).await
}

impl Store {
    /// Stores a new signed-in session with its first token pair.
    pub async fn sign_in(&self, session: &NewSession) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        insert_new_session(&mut tx, session).await?;
        tx.commit().await
    }

    /// Stores a session row without tokens or events (demo history).
    pub async fn insert_session(&self, record: &SessionRecord) -> Result<(), sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        insert_session_row(&mut conn, record).await
    }

    /// The session an access token belongs to, revoked or not.
    pub async fn session_for_access_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<TokenSession>, sqlx::Error> {
        if let Some(read) = self
            .inline
            .as_ref()
            .and_then(|i| i.token_session(token_hash))
        {
            return Ok(read);
        }
        sqlx::query_as(TOKEN_SESSION_SQL)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await
    }

    /// The session `id`, revoked or not.
    pub async fn session_by_id(&self, id: &str) -> Result<Option<SessionRecord>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn touch_session(&self, session_id: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE sessions SET last_active_at = $1 WHERE id = $2 AND last_active_at < $1",
        )
        .bind(now)
        .bind(session_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Signed-in sessions of a user, most recently active first, and
    /// whether more follow.
    pub async fn list_sessions(
        &self,
        user_id: &str,
        limit: u32,
        cursor: Option<&SessionCursor>,
    ) -> Result<(Vec<SessionRecord>, bool), sqlx::Error> {
        let mut query = Sql::new(format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE revoked_at IS NULL AND user_id = "
        ));
        query.push_bind(user_id);
        if let Some(c) = cursor {
            query.push_past("last_active_at, id", "<", c.last_active_at, c.id.as_str());
        }
        query.push(" ORDER BY last_active_at DESC, id DESC LIMIT ");
        query.push_bind(limit_plus_one(limit));
        let rows: Vec<SessionRecord> = query.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() > limit as usize;
        Ok((rows.into_iter().take(limit as usize).collect(), more))
    }

    /// Revokes one of `user_id`'s sessions and logs `event_for` it, both
    /// or neither; `None` when it is not theirs, does not exist or was
    /// already revoked.
    pub async fn revoke_session(
        &self,
        user_id: &str,
        session_id: &str,
        now: i64,
        event_for: impl Fn(&SessionRecord) -> EventRecord,
    ) -> Result<Option<SessionRecord>, sqlx::Error> {
        let mut tx = self.write().await?;
        let revoked = revoke_where(&mut tx, user_id, Some(session_id), None, now).await?;
        log_each(&mut tx, &revoked, event_for).await?;
        tx.commit().await?;
        Ok(revoked.into_iter().next())
    }

    /// Revokes every signed-in session of `user_id` except `keep`, logging
    /// `event_for` each in the same transaction.
    pub async fn revoke_other_sessions(
        &self,
        user_id: &str,
        keep: &str,
        now: i64,
        event_for: impl Fn(&SessionRecord) -> EventRecord,
    ) -> Result<Vec<SessionRecord>, sqlx::Error> {
        let mut tx = self.write().await?;
        let revoked = revoke_where(&mut tx, user_id, None, Some(keep), now).await?;
        log_each(&mut tx, &revoked, event_for).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    /// Writes several events in one transaction.
    pub async fn record_events(&self, events: &[EventRecord]) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        for event in events {
            insert_event(&mut tx, event).await?;
        }
        tx.commit().await
    }
}

/// One event per revoked session, inside the caller's transaction: a
/// revocation is never stored without its log line, nor the other way round.
pub(super) async fn log_each(
    conn: &mut AnyConnection,
    revoked: &[SessionRecord],
    event_for: impl Fn(&SessionRecord) -> EventRecord,
) -> Result<(), sqlx::Error> {
    for session in revoked {
        insert_event(&mut *conn, &event_for(session)).await?;
    }
    Ok(())
}

/// Every active session of the user but `keep`, inside the caller's transaction.
pub(super) async fn revoke_others_in(
    conn: &mut AnyConnection,
    user_id: &str,
    keep: &str,
    now: i64,
) -> Result<Vec<SessionRecord>, sqlx::Error> {
    revoke_where(conn, user_id, None, Some(keep), now).await
}

/// Every active session of the user, or only `only`, inside the caller's
/// transaction; returns them as they were before.
pub(super) async fn revoke_in(
    conn: &mut AnyConnection,
    user_id: &str,
    only: Option<&str>,
    now: i64,
) -> Result<Vec<SessionRecord>, sqlx::Error> {
    revoke_where(conn, user_id, only, None, now).await
}

/// Revokes the user's active sessions that are `only` (if given) and not
/// `except` (if given); returns them as they were before.
async fn revoke_where(
    conn: &mut AnyConnection,
    user_id: &str,
    only: Option<&str>,
    except: Option<&str>,
    now: i64,
) -> Result<Vec<SessionRecord>, sqlx::Error> {
    let filter = |query: &mut Sql<'_>| {
        query
            .push(" WHERE revoked_at IS NULL AND user_id = ")
            .push_bind(user_id.to_string());
        if let Some(id) = only {
            query.push(" AND id = ").push_bind(id.to_string());
        }
        if let Some(id) = except {
            query.push(" AND id <> ").push_bind(id.to_string());
        }
    };
    let mut select = Sql::new(format!("SELECT {SESSION_COLUMNS} FROM sessions"));
    filter(&mut select);
    let sessions: Vec<SessionRecord> = select.build_query_as().fetch_all(&mut *conn).await?;
    let mut update = Sql::new("UPDATE sessions SET revoked_at = ");
    update.push_bind(now);
    filter(&mut update);
    update.build().execute(conn).await?;
    Ok(sessions)
}
