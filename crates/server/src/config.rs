//! How one acctd instance runs: where it listens, where it stores data, and
//! the limits it enforces.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::Context;

use acctl_api::privacy::DEFAULT_DELETION_GRACE_DAYS;

use crate::clock::Clock;
use crate::mail::SmtpSettings;
use crate::proxy::TrustedProxies;
use crate::secrets::KeySource;

mod limits;
mod printable;

pub use limits::{EdgeLimits, LoginLimits, PoolSettings};

/// Database URL of a private in-memory database (gone when the server stops).
pub const MEMORY_DATABASE: &str = "sqlite::memory:";

#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// `sqlite:///path/acctd.db`, `sqlite://relative.db`, `sqlite::memory:`
    /// or `postgres://user:password@host/database`.
    pub database_url: String,
    pub pool: PoolSettings,
    /// Shown by `GET /v1/meta`.
    pub server_name: String,
    /// Development mode: exposes the mail outbox (`GET /v1/dev/outbox`) for
    /// demos and tests.
    pub dev: bool,
    pub access_token_ttl: Duration,
    /// A refresh token not used for this long stops working.
    pub refresh_token_ttl: Duration,
    pub clock: Clock,
    pub login_limits: LoginLimits,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// Time given to open requests when shutting down.
    pub shutdown_grace: Duration,
    /// `https://accounts.example.com`: the origin of links the server hands
    /// out (checkout pages). Unset, the request's `Host` is used.
    pub public_url: Option<String>,
    /// How often renewals run in the background.
    pub billing_every: Duration,
    /// Between scheduling an account's deletion and removing its data.
    pub deletion_grace: Duration,
    /// How long a step-up proof (`POST /v1/auth/step-up`) lets an
    /// administrator's session make changes.
    pub step_up_window: Duration,
    /// Connection timeouts and the cap on open connections.
    pub edge: EdgeLimits,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` name the client.
    pub trusted_proxies: TrustedProxies,
    /// Where the keys sealing two-factor secrets come from.
    pub secret_keys: KeySource,
    /// The SMTP relay the outbox is sent through; without one, mail stays
    /// in the outbox (readable at `/v1/dev/outbox` in development).
    pub smtp: Option<SmtpSettings>,
}

impl Config {
    /// Defaults everywhere except where to listen and what to store in.
    pub fn new(listen: SocketAddr, database_url: impl Into<String>) -> Self {
        Self {
            listen,
            database_url: database_url.into(),
            pool: PoolSettings::default(),
            server_name: "acctd".to_string(),
            dev: false,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 60 * 60),
            clock: Clock::system(),
            login_limits: LoginLimits::default(),
            max_body_bytes: 64 * 1024,
            shutdown_grace: Duration::from_secs(5),
            public_url: None,
            billing_every: Duration::from_secs(60),
            deletion_grace: days(DEFAULT_DELETION_GRACE_DAYS),
            step_up_window: Duration::from_secs(10 * 60),
            edge: EdgeLimits::default(),
            trusted_proxies: TrustedProxies::default(),
            secret_keys: KeySource::Automatic,
            smtp: None,
        }
    }

    /// Any free port on 127.0.0.1 and a private in-memory database.
    pub fn for_tests() -> Self {
        Self::new(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), MEMORY_DATABASE)
    }

    pub fn with_database(mut self, url: impl Into<String>) -> Self {
        self.database_url = url.into();
        self
    }

    /// A SQLite file at `path`, created if missing.
    pub fn with_database_file(self, path: &std::path::Path) -> Self {
        self.with_database(format!("sqlite://{}", path.display()))
    }

    pub fn with_listen(mut self, listen: SocketAddr) -> Self {
        self.listen = listen;
        self
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn with_server_name(mut self, name: impl Into<String>) -> Self {
        self.server_name = name.into();
        self
    }

    pub fn with_step_up_window(mut self, window: Duration) -> Self {
        self.step_up_window = window;
        self
    }

    pub fn with_dev(mut self, dev: bool) -> Self {
        self.dev = dev;
        self
    }

    /// How often the background renewals run (at least once a second).
    pub fn with_billing_every(mut self, every: Duration) -> Self {
        self.billing_every = every;
        self
    }

    /// The origin of links handed out, without a trailing slash.
    pub fn with_public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = Some(url.into().trim_end_matches('/').to_string());
        self
    }

    pub fn with_edge(mut self, edge: EdgeLimits) -> Self {
        self.edge = edge;
        self
    }

    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// Sends the outbox's mail through this relay.
    pub fn with_smtp(mut self, smtp: SmtpSettings) -> Self {
        self.smtp = Some(smtp);
        self
    }

    /// Seals two-factor secrets with the keys of this file (which must exist).
    pub fn with_secret_key_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.secret_keys = KeySource::File(path.into());
        self
    }

    pub fn with_deletion_grace(mut self, grace: Duration) -> Self {
        self.deletion_grace = grace;
        self
    }

    /// The deletion grace period in whole days, as `GET /v1/me/deletion` tells it.
    pub fn deletion_grace_days(&self) -> u32 {
        u32::try_from(self.deletion_grace.as_secs() / SECONDS_PER_DAY).unwrap_or(u32::MAX)
    }
}

/// Refuses a non-loopback address without a public URL: the origin of
/// the card checkout links would otherwise be guessed from the request's
/// `Host`, which the client chooses.
pub fn check_public_url(config: &Config) -> anyhow::Result<()> {
    if config.public_url.is_none() && !config.listen.ip().is_loopback() {
        anyhow::bail!(
            "acctd would listen on {}, which is not a loopback address, with no public URL \
             for the card checkout links it hands out: pass --public-url \
             https://accounts.example.com (the address people reach this server at)",
            config.listen
        );
    }
    Ok(())
}

/// `config` with the origin of the links it hands out: the configured
/// public URL, or else the loopback address it is bound to.
pub fn with_public_url_for(config: Config, bound: SocketAddr) -> Config {
    if config.public_url.is_some() {
        return config;
    }
    config.with_public_url(format!("http://{bound}"))
}

/// File descriptors kept free for the database, logs and the listener.
const RESERVED_FILES: u64 = 64;

/// `config` with its connection cap lowered below the process's file
/// limit, so accepting never fails for want of descriptors.
pub fn within_file_limit(mut config: Config) -> Config {
    let Some(files) = file_limit() else {
        return config;
    };
    let room = usize::try_from(files.saturating_sub(RESERVED_FILES).max(1)).unwrap_or(usize::MAX);
    if config.edge.max_connections > room {
        tracing::warn!(
            configured = config.edge.max_connections,
            file_limit = files,
            using = room,
            "fewer connections than configured: the file limit is lower"
        );
        config.edge.max_connections = room;
    }
    config
}

/// The soft limit on open files, where the platform has one.
#[cfg(unix)]
fn file_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

#[cfg(not(unix))]
fn file_limit() -> Option<u64> {
    None
}

const SECONDS_PER_DAY: u64 = 24 * 60 * 60;

/// `n` days.
pub fn days(n: u32) -> Duration {
    Duration::from_secs(u64::from(n) * SECONDS_PER_DAY)
}

/// Default address of `acctd serve`.
pub fn default_listen() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 8080))
}

/// `acctd.db` in the OS data directory, which is created if missing.
pub fn default_database_url() -> anyhow::Result<String> {
    let dirs = directories::ProjectDirs::from("dev", "acctl", "acctd")
        .context("no home directory to keep the database in; pass --database")?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    Ok(format!("sqlite://{}", dir.join("acctd.db").display()))
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url))
            .field("pool", &self.pool)
            .field("server_name", &self.server_name)
            .field("dev", &self.dev)
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .field("clock", &self.clock)
            .field("login_limits", &self.login_limits)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("public_url", &self.public_url)
            .field("billing_every", &self.billing_every)
            .field("deletion_grace", &self.deletion_grace)
            .field("edge", &self.edge)
            .field("trusted_proxies", &self.trusted_proxies.to_string())
            .field("secret_keys", &self.secret_keys)
            .field("smtp", &self.smtp)
            .finish_non_exhaustive()
    }
}

/// Hides a password in `scheme://user:password@host` URLs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:[redacted]@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_passwords_are_not_shown() {
        assert_eq!(
            redact_url("postgres://acct:s3cret@db/acct"),
            "postgres://acct:[redacted]@db/acct"
        );
        assert_eq!(redact_url(MEMORY_DATABASE), MEMORY_DATABASE);
        let config = Config::for_tests().with_database("postgres://a:hunter2@h/d");
        assert!(!format!("{config:?}").contains("hunter2"));
        let printed = config.printable();
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("database_engine = postgres"), "{printed}");
        assert!(printed.contains("db_pool_size = 10"), "{printed}");
    }

    #[test]
    fn the_relay_password_and_secret_keys_are_not_shown() {
        let smtp = SmtpSettings::new(
            "smtps://mailer:hunter2@mail.example.com:465",
            "Accounts <accounts@example.com>",
        )
        .expect("settings");
        let config = Config::for_tests()
            .with_smtp(smtp)
            .with_secret_key_file("/etc/acctd/secret.key");
        let printed = config.printable();
        assert!(printed.contains("smtp_url = smtps://mailer:[redacted]@mail.example.com:465"));
        assert!(printed.contains("mail_from = Accounts <accounts@example.com>"));
        assert!(printed.contains("secret_key_file = /etc/acctd/secret.key"));
        let debug = format!("{config:?}");
        assert!(
            !printed.contains("hunter2") && !debug.contains("hunter2"),
            "{debug}"
        );
    }
}
