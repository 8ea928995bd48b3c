//! What differs between the two engines: how a URL is recognised, how the
//! pool is opened, which migrations apply, and how a write transaction
//! takes the database's write lock. Every query is shared.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor as _, Transaction};

use crate::config::{PoolSettings, redact_url};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The advisory lock every PostgreSQL write transaction holds: the
/// equivalent of SQLite's single writer, shared by every instance.
const WRITE_LOCK: i64 = 0x6163_6374_6400; // "acctd"

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine a database URL names.
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            bail!(
                "unsupported database URL {}: use sqlite://PATH, sqlite::memory: or \
                 postgres://USER:PASSWORD@HOST/DATABASE",
                redact_url(url)
            )
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }

    pub(super) fn migrator(self) -> &'static Migrator {
        match self {
            Self::Sqlite => &SQLITE_MIGRATIONS,
            Self::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    pub(super) async fn open_pool(
        self,
        url: &str,
        settings: &PoolSettings,
    ) -> anyhow::Result<AnyPool> {
        sqlx::any::install_default_drivers();
        let opened = match self {
            Self::Sqlite => open_sqlite(url, settings).await,
            Self::Postgres => open_postgres(url, settings).await,
        };
        opened.with_context(|| format!("cannot open the database {}", redact_url(url)))
    }

    pub(super) async fn begin_write(
        self,
        pool: &AnyPool,
    ) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self {
            Self::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
            Self::Postgres => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)")
                    .bind(WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }
}

async fn open_sqlite(url: &str, settings: &PoolSettings) -> Result<AnyPool, sqlx::Error> {
    if is_memory(url) {
        // An in-memory database lives as long as its connections, and each
        // connection of a pool could see its own: keep exactly one, forever.
        return AnyPoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect(url)
            .await;
    }
    // sqlx's SQLite defaults already turn foreign keys on and wait 5 s on a
    // busy database; the journal is set per connection. A connection to a
    // local file does not die behind our back, and pinging it before each
    // query doubled the hand-offs to its worker thread, where a request's
    // time went (see BENCHMARKS.md).
    AnyPoolOptions::new()
        .max_connections(settings.sqlite_connections)
        .test_before_acquire(false)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                Ok(())
            })
        })
        .connect(&create_if_missing(url))
        .await
}

async fn open_postgres(url: &str, settings: &PoolSettings) -> Result<AnyPool, sqlx::Error> {
    let timeout_ms = settings.statement_timeout.as_millis();
    let options = || {
        AnyPoolOptions::new()
            .max_connections(settings.postgres_connections)
            .acquire_timeout(settings.acquire_timeout)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    conn.execute(format!("SET statement_timeout = {timeout_ms}").as_str())
                        .await?;
                    Ok(())
                })
            })
    };
    let mut attempt = 1;
    loop {
        match options().connect(url).await {
            Ok(pool) => return Ok(pool),
            Err(error) if attempt < settings.connect_attempts => {
                tracing::warn!(%error, attempt, url = %redact_url(url), "database not reachable yet; retrying");
                tokio::time::sleep(Duration::from_secs(u64::from(attempt))).await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// `url`, except that a private memory database (`sqlite::memory:`) gets a
/// name of its own in shared-cache mode: still this store's alone, but the
/// reads on the calling thread ([`super::inline`]) can open it too.
pub(super) fn shareable(url: &str) -> String {
    static MEMORY_DATABASES: AtomicU64 = AtomicU64::new(0);
    if url == crate::config::MEMORY_DATABASE {
        let n = MEMORY_DATABASES.fetch_add(1, Ordering::Relaxed);
        format!("sqlite:file:acctd-memory-{n}?mode=memory&cache=shared")
    } else {
        url.to_string()
    }
}

fn is_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// `url` with `mode=rwc`, so a missing SQLite file is created.
fn create_if_missing(url: &str) -> String {
    if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_engine() {
        assert_eq!(Engine::of_url("sqlite::memory:").ok(), Some(Engine::Sqlite));
        assert_eq!(
            Engine::of_url("sqlite:///var/a.db").ok(),
            Some(Engine::Sqlite)
        );
        assert_eq!(
            Engine::of_url("postgres://a@h/d").ok(),
            Some(Engine::Postgres)
        );
        assert_eq!(
            Engine::of_url("postgresql://a@h/d").ok(),
            Some(Engine::Postgres)
        );
        let error = Engine::of_url("mysql://u:hunter2@h/d").expect_err("refused");
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }

    /// A SQLite deployment from before the flags became INTEGER keeps its
    /// values through the migration.
    #[tokio::test]
    async fn sqlite_flags_survive_the_move_to_integer() {
        let url = crate::config::MEMORY_DATABASE;
        let settings = PoolSettings::default();
        let pool = Engine::Sqlite
            .open_pool(url, &settings)
            .await
            .expect("pool");
        let before = Migrator {
            migrations: SQLITE_MIGRATIONS
                .iter()
                .filter(|m| m.version < 20250601000000)
                .cloned()
                .collect(),
            ..Migrator::DEFAULT
        };
        before.run(&pool).await.expect("old schema");
        sqlx::query(
            "INSERT INTO users (id, email, email_norm, email_verified, name, password_hash,
               created_at, updated_at) VALUES ('u1', 'a@b.co', 'a@b.co', TRUE, 'A', 'h', 1, 1)",
        )
        .execute(&pool)
        .await
        .expect("old row");
        let store = super::super::Store {
            pool,
            engine: Engine::Sqlite,
            inline: None,
        };
        store.migrate().await.expect("new schema");
        let user = store.user_by_id("u1").await.expect("read").expect("kept");
        assert!(user.email_verified);
        assert!(store.is_ready().await);
    }

    #[test]
    fn sqlite_files_are_created_if_missing() {
        assert_eq!(create_if_missing("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(
            create_if_missing("sqlite://a.db?x=1"),
            "sqlite://a.db?x=1&mode=rwc"
        );
        assert_eq!(
            create_if_missing("sqlite://a.db?mode=ro"),
            "sqlite://a.db?mode=ro"
        );
    }
}
