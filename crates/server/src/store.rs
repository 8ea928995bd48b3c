//! All SQL of acctd lives under this module, one store for both engines.
//!
//! Queries are portable (numbered `$n` parameters, BIGINT millisecond
//! times, TEXT ids, `ON CONFLICT`, `RETURNING`, no engine functions), so
//! they run through sqlx's `Any` driver unchanged on SQLite and PostgreSQL.
//! What differs lives in [`engine`]: URLs, pool set-up, the migrations
//! directory, and how [`Store::write`] takes the write lock. Flags are read
//! through [`Flag`] because the engines hand booleans back differently.

mod admin_actions;
mod admin_users;
mod audit;
pub mod billing;
mod checkout;
pub mod deletion;
mod email;
mod events;
pub mod exports;
mod inbox;
mod invoices;
mod login_failures;
mod mfa;
mod notices;
pub mod notifications;
pub mod outbox;
pub mod privacy;
mod profile;
mod refresh;
pub mod retention;
pub mod secrets;
mod sessions;
mod sql;
mod subscriptions;
mod users;

mod copy;
mod engine;
mod flag;
mod inline;

use sqlx::{Any, AnyPool, Transaction};

use crate::config::PoolSettings;

pub use admin_actions::{ActionDone, Effects, PasswordResetRecord};
pub use admin_users::{AdminUserRow, SearchCursor, UserSearch, status_of};
pub use audit::{AuditCursor, AuditFilter, AuditRecord};
pub use billing::{BillingActor, SubscriptionRecord};
pub use copy::{CopyReport, copy_data};
pub use email::{OutboxRecord, PendingEmail};
pub use engine::Engine;
pub use events::{EventCursor, EventRecord};
pub use exports::{ExportOwner, ExportRecord, FinishedExport, StaleExport};
pub(crate) use flag::Flag;
pub use inbox::{NotificationCursor, NotificationRecord};
pub use invoices::{InvoiceCursor, InvoiceRecord};
pub use mfa::{MfaChallengeRecord, MfaOutcome, SecondFactor};
pub use profile::{PreferencesChange, PreferencesRecord, ProfileChange, Versioned};
pub use refresh::RefreshOutcome;
pub use secrets::StoredSecret;
pub use sessions::{NewSession, NewTokens, SessionCursor, SessionRecord, TokenSession};
pub use subscriptions::{ChangeOutcome, PlanChange, quote_for};
pub use users::{AccountView, NewUser, UserRecord};

/// The database handle; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    /// SQLite's reads on the calling thread (see [`inline`]).
    inline: Option<inline::InlineReads>,
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
    /// Opens (creating a SQLite file if missing) the database at `url` and
    /// applies the engine's migrations.
    pub async fn connect(url: &str, settings: &PoolSettings) -> anyhow::Result<Self> {
        let store = Self::open(url, settings).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the database without touching its schema.
    pub async fn open(url: &str, settings: &PoolSettings) -> anyhow::Result<Self> {
        let engine = Engine::of_url(url)?;
        let url = engine::shareable(url);
        let pool = engine.open_pool(&url, settings).await?;
        let inline = match engine {
            Engine::Sqlite => inline::InlineReads::for_url(&url),
            Engine::Postgres => None,
        };
        Ok(Self {
            pool,
            engine,
            inline,
        })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Applies the engine's pending migrations. On PostgreSQL the migrator
    /// holds an advisory lock, so instances starting at once take turns.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.engine
            .migrator()
            .run(&self.pool)
            .await
            .map_err(|error| anyhow::Error::from(error).context("cannot apply database migrations"))
    }

    /// Whether the database answers and every migration this build knows
    /// has been applied (`GET /readyz`).
    pub async fn is_ready(&self) -> bool {
        let latest = self.engine.migrator().iter().map(|m| m.version).max();
        let applied: Result<Option<i64>, sqlx::Error> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await;
        matches!(applied, Ok(version) if version == latest)
    }

    /// Waits for open connections to finish and closes them.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A transaction that holds the database's one write lock from its
    /// first statement, so two writers queue instead of interleaving:
    /// `BEGIN IMMEDIATE` on SQLite, a transaction-scoped advisory lock on
    /// PostgreSQL (held by one transaction across all instances).
    async fn write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        self.engine.begin_write(&self.pool).await
    }
}

/// `n` as a SQL `LIMIT`, one more than asked so the caller learns whether
/// another page follows.
fn limit_plus_one(limit: u32) -> i64 {
    i64::from(limit) + 1
}
