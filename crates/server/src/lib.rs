//! acctd: the reference account service of acctl.
//!
//! [`start`] binds, migrates and serves in the background, returning at once;
//! the acctl console embeds it this way for `acctl demo`, and every test
//! starts it this way on 127.0.0.1:0.

mod accounts;
mod auth;
mod avatar;
mod billing;
pub mod clock;
pub mod config;
mod deadlines;
mod demo;
mod error;
mod export;
mod extract;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod layers;
mod limiter;
pub mod mail;
pub mod openapi;
mod openapi_links;
mod openapi_rules;
mod pagination;
mod precondition;
pub mod proxy;
mod quota;
mod response_headers;
mod routes;
pub mod secrets;
mod serve;
mod state;
mod store;
mod validate;

use std::net::SocketAddr;
use std::time::Duration;

use acctl_api::SecretText;
use anyhow::Context;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use clock::Clock;
pub use config::{Config, LoginLimits};
pub use demo::{DEMO_EMAIL, DemoAccount};

use accounts::{AccountForm, create_account};
use state::AppState;
use store::Store;

/// A server running in the background. Dropping it asks the server to stop
/// (without waiting); [`RunningServer::shutdown`] stops it and waits.
pub struct RunningServer {
    addr: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    /// Renewals, purges, export take-overs: aborted on stop.
    background: Vec<JoinHandle<()>>,
    /// The SMTP sender, stopped after the message in flight.
    mail: Option<mail::sender::MailSender>,
}

/// How often due deletions are purged while serving.
const PURGE_EVERY: Duration = Duration::from_secs(60);
/// How often an instance looks for exports a stopped instance left.
const RESUME_EXPORTS_EVERY: Duration = Duration::from_secs(5);

/// Takes over exports whose instance stopped, every [`RESUME_EXPORTS_EVERY`].
fn spawn_export_resumer(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(RESUME_EXPORTS_EVERY);
        loop {
            every.tick().await;
            if let Err(error) = export::resume_stale(&state).await {
                tracing::error!(%error, "could not take over stopped data exports");
            }
        }
    })
}

/// Purges due deletions and sweeps old sign-in failures every
/// [`PURGE_EVERY`] until aborted.
fn spawn_purger(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(PURGE_EVERY);
        loop {
            every.tick().await;
            if let Err(error) = state.store.purge_due(state.now_ms()).await {
                tracing::error!(%error, "could not purge due account deletions");
            }
            if let Err(error) = state.limiter.sweep(state.now_ms()).await {
                tracing::error!(%error, "could not sweep old sign-in failures");
            }
            if let Err(error) = state.store.prune(&state.retention_ages()).await {
                tracing::error!(%error, "could not prune old rows");
            }
        }
    })
}

/// Opens the database (applying migrations), binds `config.listen` and
/// serves until shut down. Returns as soon as the socket is bound.
pub async fn start(config: Config) -> anyhow::Result<RunningServer> {
    config::check_public_url(&config)?;
    let store = Store::connect(&config.database_url, &config.pool).await?;
    let secrets = secrets::keyring_for(&config.secret_keys, &config.database_url, &store).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr().context("no local address")?;
    auth::password::warm_up();
    let config = config::with_public_url_for(config::within_file_limit(config), addr);
    let state = AppState::new(store, config, secrets);
    let app = layers::app(state.clone());
    let mail = match state.config.smtp.clone() {
        // First, so nothing else is running should it fail.
        Some(smtp) => Some(mail::sender::spawn(state.clone(), smtp)?),
        None => {
            if !state.config.dev {
                tracing::warn!("no --smtp-url: mail stays in the outbox, unsent");
            }
            None
        }
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let edge = state.config.edge;
    let task = tokio::spawn(serve::serve(listener, app, edge, async {
        // A dropped sender stops the server just like a sent signal.
        let _ = stopped.await;
    }));
    let background = vec![
        billing::spawn_renewals(state.clone(), state.config.billing_every),
        spawn_purger(state.clone()),
        spawn_export_resumer(state.clone()),
    ];
    tracing::info!(%addr, engine = state.store.engine().name(), "acctd listening");
    Ok(RunningServer {
        addr,
        state,
        stop: Some(stop),
        task: Some(task),
        background,
        mail,
    })
}

/// Applies the migrations of the database at `url` (`acctd migrate`).
pub async fn migrate(url: &str, settings: &config::PoolSettings) -> anyhow::Result<()> {
    let store = Store::connect(url, settings).await?;
    store.close().await;
    Ok(())
}

/// Copies every row of `from` into the empty database `to`
/// (`acctd copy-data`), both brought to the latest schema first.
pub async fn copy_data(from: &str, to: &str) -> anyhow::Result<store::CopyReport> {
    store::copy_data(from, to).await
}

/// Seals every two-factor secret again with the first key of the key
/// file (`acctd rotate-secrets`), so older keys can be retired.
pub async fn rotate_secrets(config: &Config) -> anyhow::Result<secrets::RotationReport> {
    let store = Store::connect(&config.database_url, &config.pool).await?;
    let report = secrets::rotation::rotate(&config.secret_keys, &config.database_url, &store).await;
    store.close().await;
    report
}

/// Adds an account straight to the database of `config`, without serving
/// (`acctd users add`). Checked like a signup; returns the new id.
pub async fn add_user(
    config: Config,
    email: &str,
    name: &str,
    password: &str,
) -> anyhow::Result<String> {
    let store = Store::connect(&config.database_url, &config.pool).await?;
    // Adding an account seals no secret: a key for this run will do.
    let state = AppState::new(store.clone(), config, secrets::Keyring::ephemeral());
    let password = SecretText::new(password);
    let form = AccountForm {
        email,
        name,
        password: &password,
        email_verified: false,
    };
    let created = create_account(&state, form, None).await;
    store.close().await;
    Ok(created?.0)
}

/// Makes the account of `email` an administrator (`admin`) or not
/// (`acctd users grant-admin` / `revoke-admin`), recorded in the audit log
/// with `reason`; false when it already was that. The only way to make
/// one: no HTTP route grants the role.
pub async fn set_admin(
    config: Config,
    email: &str,
    admin: bool,
    reason: &str,
) -> anyhow::Result<bool> {
    let store = Store::connect(&config.database_url, &config.pool).await?;
    let state = AppState::new(store.clone(), config, secrets::Keyring::ephemeral());
    let changed = accounts::set_admin(&state, email, admin, reason).await;
    store.close().await;
    changed
}

impl RunningServer {
    /// [`set_admin`] on this server's database.
    pub async fn set_admin(&self, email: &str, admin: bool, reason: &str) -> anyhow::Result<bool> {
        accounts::set_admin(&self.state, email, admin, reason).await
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (a wildcard listen address is reached via loopback).
    pub fn base_url(&self) -> String {
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr {
                SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        format!("http://{addr}")
    }

    /// The server's clock (the one from its [`Config`]).
    pub fn clock(&self) -> &Clock {
        self.state.clock()
    }

    /// Creates (or resets the password of) the demo account.
    pub async fn seed_demo(&self) -> anyhow::Result<DemoAccount> {
        demo::seed(&self.state).await
    }

    /// Adds an account, checked like a signup; returns its id.
    pub async fn add_user(
        &self,
        email: &str,
        name: &str,
        password: &str,
    ) -> anyhow::Result<String> {
        let password = SecretText::new(password);
        let form = AccountForm {
            email,
            name,
            password: &password,
            email_verified: false,
        };
        Ok(create_account(&self.state, form, None).await?.0)
    }

    /// Issues every invoice due by the server's clock now, as the background
    /// renewals would on their next run; answers how many.
    pub async fn run_billing(&self) -> anyhow::Result<usize> {
        Ok(billing::run_billing(&self.state).await?)
    }

    /// Removes the personal data of every account whose deletion grace
    /// period is over by the server's clock (the server also does this
    /// every minute); how many accounts were removed.
    pub async fn purge_due(&self) -> anyhow::Result<usize> {
        Ok(self.state.store.purge_due(self.state.now_ms()).await?)
    }

    /// Prunes what is expired or over the per-account caps by the server's
    /// clock, as the server does every minute; how many rows went.
    pub async fn prune(&self) -> anyhow::Result<u64> {
        Ok(self.state.store.prune(&self.state.retention_ages()).await?)
    }

    /// Stops accepting requests, lets open ones finish (up to the configured
    /// grace), and closes the database.
    pub async fn shutdown(mut self) {
        for task in &self.background {
            task.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let grace = self.state.config.shutdown_grace;
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(grace, &mut task).await.is_err()
        {
            task.abort();
        }
        if let Some(mail) = self.mail.take() {
            mail.stop(grace).await;
        }
        self.state.store.close().await;
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        for task in &self.background {
            task.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl std::fmt::Debug for RunningServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}
