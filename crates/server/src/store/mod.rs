//! All SQL of acctd lives under this module. Queries stay portable (numbered
//! `$n` parameters, BIGINT millisecond times, TEXT ids, no engine-specific
//! functions) so PostgreSQL can follow through the same code; the only
//! SQLite-specific parts are the connection options and `BEGIN IMMEDIATE`
//! in [`Store::write`].

pub mod billing;
mod checkout;
pub mod deletion;
mod email;
mod events;
pub mod exports;
mod inbox;
mod invoices;
mod mfa;
mod notices;
pub mod notifications;
pub mod privacy;
mod profile;
mod refresh;
pub mod retention;
mod sessions;
mod subscriptions;
mod users;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::config::redact_url;

pub use billing::{BillingActor, SubscriptionRecord};
pub use email::{OutboxRecord, PendingEmail};
pub use events::{EventCursor, EventRecord};
pub use exports::{ExportRecord, FinishedExport};
pub use inbox::{NotificationCursor, NotificationRecord};
pub use invoices::{InvoiceCursor, InvoiceRecord};
pub use mfa::{MfaChallengeRecord, MfaOutcome, SecondFactor};
pub use profile::{PreferencesChange, PreferencesRecord, ProfileChange, Versioned};
pub use refresh::RefreshOutcome;
pub use sessions::{NewSession, NewTokens, SessionCursor, SessionRecord};
pub use subscriptions::{ChangeOutcome, PlanChange, quote_for};
pub use users::{NewUser, UserRecord};

/// The database handle; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

/// Errors a caller can act on; anything else is a plain `sqlx::Error`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("that email is already registered")]
    EmailTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl Store {
    /// Opens (creating if missing) the database and applies migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("not a SQLite database URL: {}", redact_url(url)))?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = open_pool(url, options)
            .await
            .with_context(|| format!("cannot open the database {}", redact_url(url)))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("cannot apply database migrations")?;
        Ok(Self { pool })
    }

    /// Waits for open connections to finish and closes them.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A transaction that takes the write lock at once, so two writers
    /// queue on `busy_timeout` instead of failing half-way.
    async fn write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }
}

async fn open_pool(url: &str, options: SqliteConnectOptions) -> Result<SqlitePool, sqlx::Error> {
    if is_memory(url) {
        // An in-memory database lives as long as its connections, and each
        // connection of a pool could see its own: keep exactly one, forever.
        return SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await;
    }
    let options = options
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal);
    SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
}

fn is_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// `n` as a SQL `LIMIT`, one more than asked so the caller learns whether
/// another page follows.
fn limit_plus_one(limit: u32) -> i64 {
    i64::from(limit) + 1
}
