//! SQLite reads on the calling thread, for the queries on every signed-in
//! request's path: the bearer check and `GET /v1/me`'s account view.
//!
//! sqlx runs each SQLite connection on a thread of its own, so every query
//! is a hand-off to that thread and back, and that scheduling, not SQL, was
//! where a signed-in request's time went (BENCHMARKS.md). A read by index
//! of a local file takes microseconds, less than the hand-off, so these
//! two read on the async worker itself. Nothing is cached: each read sees
//! the latest commit, so a revoked session or a disabled account is
//! refused at once, as through the pool.
//!
//! The connections never wait for a lock. A busy or locked database, any
//! other error, or no free connection sends the read to the pool, whose
//! answer (or error) is the one the caller would have had anyway.

use std::path::PathBuf;
use std::str::FromStr as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension as _, Row};
use sqlx::sqlite::SqliteConnectOptions;

use super::sessions::{TOKEN_SESSION_SQL, TokenSession};
use super::users::{
    AccountFacts, AccountView, UserRecord, account_for_token_sql, account_view_sql,
};

/// Connections of the calling threads; cheap to clone.
#[derive(Clone)]
pub(super) struct InlineReads {
    inner: Arc<Inner>,
}

struct Inner {
    filename: PathBuf,
    flags: OpenFlags,
    /// One per async worker, opened on first use; a read takes whichever
    /// is free.
    connections: Vec<Mutex<Option<Connection>>>,
}

impl InlineReads {
    /// Reads of the SQLite database at `url`, or `None` where another
    /// connection could not see the pool's data (a private memory database).
    pub(super) fn for_url(url: &str) -> Option<Self> {
        let options = SqliteConnectOptions::from_str(url).ok()?;
        let filename = options.get_filename().to_path_buf();
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let flags = if url.contains("mode=memory") {
            // Only a named shared-cache memory database is one database
            // for every connection of the process.
            if !url.contains("cache=shared") {
                return None;
            }
            flags | OpenFlags::SQLITE_OPEN_MEMORY | OpenFlags::SQLITE_OPEN_SHARED_CACHE
        } else {
            flags | OpenFlags::SQLITE_OPEN_PRIVATE_CACHE
        };
        let workers = std::thread::available_parallelism().map_or(1, usize::from);
        let inner = Inner {
            filename,
            flags,
            connections: (0..workers).map(|_| Mutex::new(None)).collect(),
        };
        if flags.contains(OpenFlags::SQLITE_OPEN_MEMORY)
            && let Some(first) = inner.connections.first()
            && let Ok(mut slot) = first.lock()
        {
            // A memory database lives while a connection to it is open:
            // this one keeps it as long as the store, even when the pool
            // drops its one connection (a task cancelled mid-query at
            // shutdown did, and the database came back empty).
            *slot = inner.open().map_err(|error| declined(&error)).ok();
        }
        Some(Self {
            inner: Arc::new(inner),
        })
    }

    /// The session an access token belongs to; `None` when the read must
    /// go through the pool.
    pub(super) fn token_session(&self, token_hash: &str) -> Option<Option<TokenSession>> {
        self.read(|conn| {
            conn.prepare_cached(TOKEN_SESSION_SQL)?
                .query_row(rusqlite::named_params! {"$1": token_hash}, |row| {
                    token_session_at(row, 0)
                })
                .optional()
        })
    }

    /// [`super::Store::account_view`], on this thread; `None` when the
    /// read must go through the pool.
    pub(super) fn account_view(
        &self,
        user_id: &str,
        session_id: &str,
        session_created_at: i64,
        now: i64,
        login_kind: &str,
    ) -> Option<Option<AccountView>> {
        self.read(|conn| {
            conn.prepare_cached(account_view_sql())?
                .query_row(
                    rusqlite::named_params! {
                        "$1": user_id,
                        "$2": now,
                        "$3": login_kind,
                        "$4": session_created_at,
                        "$5": session_id,
                    },
                    account_view,
                )
                .optional()
        })
    }

    /// [`super::Store::account_for_access_token`], on this thread; `None`
    /// when the read must go through the pool.
    pub(super) fn account_for_token(
        &self,
        token_hash: &str,
        now: i64,
        login_kind: &str,
    ) -> Option<Option<(TokenSession, AccountView)>> {
        self.read(|conn| {
            conn.prepare_cached(account_for_token_sql())?
                .query_row(
                    rusqlite::named_params! {"$1": token_hash, "$2": now, "$3": login_kind},
                    |row| {
                        Ok((
                            token_session_at(row, ACCOUNT_VIEW_COLUMNS)?,
                            account_view(row)?,
                        ))
                    },
                )
                .optional()
        })
    }

    fn read<T>(&self, query: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Option<T> {
        let inner = &self.inner;
        let mut slot = inner.connections.iter().find_map(|c| c.try_lock().ok())?;
        if slot.is_none() {
            *slot = Some(inner.open().map_err(|error| declined(&error)).ok()?);
        }
        let conn = slot.as_ref()?;
        query(conn).map_err(|error| declined(&error)).ok()
    }
}

impl Inner {
    fn open(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(&self.filename, self.flags)?;
        // Never wait on the async worker: a lock sends the read to the pool.
        conn.busy_timeout(Duration::ZERO)?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(conn)
    }
}

/// Logs why a read goes to the pool: at debug for a lock, which is
/// expected under writes, and as a warning for anything else.
fn declined(error: &rusqlite::Error) {
    let locked = matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    );
    if locked {
        tracing::debug!(%error, "the database is locked; reading through the pool");
    } else {
        tracing::warn!(%error, "a read on the calling thread failed; reading through the pool");
    }
}

/// By position, from column `first` on, in the order of
/// [`TOKEN_SESSION_SQL`]'s columns (which `account_for_token_sql` follows
/// after the account view's).
fn token_session_at(row: &Row<'_>, first: usize) -> rusqlite::Result<TokenSession> {
    Ok(TokenSession {
        session_id: row.get(first)?,
        user_id: row.get(first + 1)?,
        device_name: row.get(first + 2)?,
        ip: row.get(first + 3)?,
        created_at: row.get(first + 4)?,
        last_active_at: row.get(first + 5)?,
        revoked_at: row.get(first + 6)?,
        expires_at: row.get(first + 7)?,
        disabled_at: row.get(first + 8)?,
    })
}

/// The columns of [`account_view`].
const ACCOUNT_VIEW_COLUMNS: usize = 20;

/// By position, in the order of [`account_view_sql`]'s columns (the
/// account's, its facts, the previous sign-in): looking twenty columns up by
/// name was a visible share of the read. The tests compare every field with
/// what the pool reads.
fn account_view(row: &Row<'_>) -> rusqlite::Result<AccountView> {
    let flag = |i: usize| Ok::<_, rusqlite::Error>(row.get::<_, i64>(i)? != 0);
    Ok(AccountView {
        user: UserRecord {
            id: row.get(0)?,
            email: row.get(1)?,
            email_verified: flag(2)?,
            name: row.get(3)?,
            display_name: row.get(4)?,
            phone: row.get(5)?,
            bio: row.get(6)?,
            profile_version: row.get(7)?,
            password_hash: row.get(8)?,
            created_at: row.get(9)?,
            is_admin: flag(10)?,
            disabled_at: row.get(11)?,
        },
        facts: AccountFacts {
            active_sessions: row.get(12)?,
            mfa_enabled: flag(13)?,
            pending_email: row.get(14)?,
            has_avatar: flag(15)?,
            deletion_scheduled_for: row.get(16)?,
        },
        previous_at: row.get(17)?,
        previous_ip: row.get(18)?,
        previous_device_name: row.get(19)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{MEMORY_DATABASE, PoolSettings};
    use crate::store::Store;

    /// One account with every fact of the view set to a value of its own,
    /// two sessions, and a sign-in before the second.
    const ROWS: &[&str] = &[
        "INSERT INTO users (id, email, email_norm, email_verified, name, display_name, phone,
           bio, profile_version, password_hash, created_at, updated_at, is_admin, disabled_at)
         VALUES ('u1', 'Ann@x.example', 'ann@x.example', 1, 'Ann', 'A.', '+44', 'bio', 7,
           'hash', 11, 12, 1, NULL)",
        "INSERT INTO sessions (id, user_id, device_name, user_agent, ip, created_at,
           last_active_at, revoked_at)
         VALUES ('s1', 'u1', 'laptop', 'ua', '10.0.0.1', 100, 150, NULL),
                ('s2', 'u1', 'phone', NULL, NULL, 200, 250, NULL)",
        "INSERT INTO access_tokens (token_hash, session_id, created_at, expires_at)
         VALUES ('t2', 's2', 200, 900)",
        "INSERT INTO security_events (id, user_id, session_id, kind, at, ip, device_name)
         VALUES ('e1', 'u1', 's1', 'login_succeeded', 100, '10.0.0.1', 'laptop'),
                ('e2', 'u1', 's2', 'login_succeeded', 200, NULL, 'phone')",
        "INSERT INTO totp_factors (user_id, secret, created_at, confirmed_at)
         VALUES ('u1', 'S', 1, 2)",
        "INSERT INTO email_changes (user_id, new_email, new_email_norm, code_hash, created_at,
           expires_at, attempts) VALUES ('u1', 'new@x.example', 'new@x.example', 'c', 1, 5000, 0)",
        "INSERT INTO avatars (user_id, png, updated_at) VALUES ('u1', x'00', 1)",
        "INSERT INTO deletions (user_id, requested_at, scheduled_for) VALUES ('u1', 1, 9999)",
    ];

    async fn seeded(url: &str) -> (Store, InlineReads) {
        let store = Store::connect(url, &PoolSettings::default())
            .await
            .expect("store");
        for row in ROWS {
            sqlx::query(row).execute(&store.pool).await.expect("row");
        }
        let inline = store
            .inline
            .clone()
            .expect("SQLite reads on the calling thread");
        (store, inline)
    }

    /// What the pool reads, with the reads on this thread switched off.
    fn through_pool(store: &Store) -> Store {
        Store {
            inline: None,
            ..store.clone()
        }
    }

    fn session_text(session: Option<TokenSession>) -> String {
        format!("{session:?}")
    }

    fn view_text(view: Option<AccountView>) -> String {
        let Some(v) = view else {
            return "none".into();
        };
        let u = &v.user;
        let f = &v.facts;
        format!(
            "{:?}",
            (
                (&u.id, &u.email, u.email_verified, &u.name, &u.display_name),
                (&u.phone, &u.bio, u.profile_version, &u.password_hash),
                (u.created_at, u.is_admin, u.disabled_at),
                (f.active_sessions, f.mfa_enabled, &f.pending_email),
                (f.has_avatar, f.deletion_scheduled_for),
                (v.previous_at, &v.previous_ip, &v.previous_device_name),
            )
        )
    }

    async fn reads_what_the_pool_reads(url: &str) {
        let (store, inline) = seeded(url).await;
        let pool = through_pool(&store);
        let session = inline.token_session("t2").expect("read on this thread");
        assert_eq!(
            session_text(session.clone()),
            session_text(pool.session_for_access_token("t2").await.expect("pool"))
        );
        let session = session.expect("the token's session");
        assert_eq!(
            (session.session_id.as_str(), session.expires_at),
            ("s2", 900)
        );
        assert!(inline.token_session("nope").expect("read").is_none());

        let view = inline
            .account_view("u1", "s2", 200, 1000, "login_succeeded")
            .expect("read on this thread");
        let text = view_text(view);
        assert_eq!(
            text,
            view_text(
                pool.account_view("u1", "s2", 200, 1000)
                    .await
                    .expect("pool")
            )
        );
        assert!(text.contains("\"new@x.example\""), "{text}");
        assert!(
            text.contains("Some(100), Some(\"10.0.0.1\"), Some(\"laptop\")"),
            "{text}"
        );
        assert!(text.contains("(2, true, Some("), "{text}");

        // GET /v1/me's one read: the token's session and the same view.
        let both = inline
            .account_for_token("t2", 1000, "login_succeeded")
            .expect("read on this thread");
        let pooled = pool
            .account_for_access_token("t2", 1000)
            .await
            .expect("pool");
        let pair_text = |pair: Option<(TokenSession, AccountView)>| match pair {
            Some((session, view)) => (session_text(Some(session)), view_text(Some(view))),
            None => ("none".into(), "none".into()),
        };
        let separately = (
            session_text(inline.token_session("t2").expect("read")),
            view_text(
                inline
                    .account_view("u1", "s2", 200, 1000, "login_succeeded")
                    .expect("read"),
            ),
        );
        assert_eq!(pair_text(pooled), separately);
        assert_eq!(pair_text(both), separately);
        assert!(
            inline
                .account_for_token("nope", 1000, "login_succeeded")
                .expect("read")
                .is_none()
        );

        // A revocation through the pool is seen by the next read: nothing
        // is kept between reads.
        sqlx::query("UPDATE sessions SET revoked_at = 300 WHERE id = 's2'")
            .execute(&store.pool)
            .await
            .expect("revoke");
        let revoked = inline.token_session("t2").expect("read").expect("row");
        assert_eq!(revoked.revoked_at, Some(300));
        let (revoked, _) = inline
            .account_for_token("t2", 1000, "login_succeeded")
            .expect("read")
            .expect("row");
        assert_eq!(revoked.revoked_at, Some(300));
    }

    #[tokio::test]
    async fn a_file_reads_what_the_pool_reads() {
        let dir = tempfile::tempdir().expect("temp dir");
        reads_what_the_pool_reads(&format!("sqlite://{}", dir.path().join("a.db").display())).await;
    }

    #[tokio::test]
    async fn a_memory_database_reads_what_the_pool_reads() {
        reads_what_the_pool_reads(MEMORY_DATABASE).await;
    }

    /// In memory, tables lock: a read that meets a write in progress goes
    /// to the pool (`None`) instead of waiting on the async worker.
    #[tokio::test]
    async fn a_locked_table_sends_the_read_to_the_pool() {
        let (store, inline) = seeded(MEMORY_DATABASE).await;
        let mut tx = store.write().await.expect("write");
        sqlx::query("UPDATE sessions SET revoked_at = 300 WHERE id = 's2'")
            .execute(&mut *tx)
            .await
            .expect("revoke");
        assert!(inline.token_session("t2").is_none());
        tx.commit().await.expect("commit");
        let read = inline.token_session("t2").expect("read").expect("row");
        assert_eq!(read.revoked_at, Some(300));
    }
}
