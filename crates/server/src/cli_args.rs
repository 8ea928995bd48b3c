//! The options `acctd serve` and the other commands share: how to serve,
//! mail, the edge's limits, the pool, the database and the secret keys,
//! each turned into the library's settings.

use std::net::SocketAddr;
use std::time::Duration;

use acctd::config::PoolSettings;
use clap::Args;

#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ACCTD_LISTEN", default_value = "127.0.0.1:8080")]
    pub(crate) listen: SocketAddr,
    #[command(flatten)]
    pub(crate) database: DatabaseArg,
    #[command(flatten)]
    pub(crate) secret_key: SecretKeyArg,
    /// Create the demo account (or reset its password) and print how to sign in.
    #[arg(long)]
    pub(crate) seed_demo: bool,
    /// Development mode: mail goes to an outbox readable at /v1/dev/outbox.
    #[arg(long)]
    pub(crate) dev: bool,
    /// Server name shown by /v1/meta.
    #[arg(long, default_value = "acctd")]
    pub(crate) name: String,
    /// Origin of links the server hands out (card checkout pages), e.g.
    /// https://accounts.example.com [default: the request's Host]
    #[arg(long, env = "ACCTD_PUBLIC_URL", value_name = "URL")]
    pub(crate) public_url: Option<String>,
    /// Days between scheduling an account's deletion and removing its data.
    #[arg(long, env = "ACCTD_DELETION_GRACE_DAYS", value_name = "DAYS",
          default_value_t = acctl_api::privacy::DEFAULT_DELETION_GRACE_DAYS)]
    pub(crate) deletion_grace_days: u32,
    /// Minutes an administrator's proof (password or code, asked again)
    /// lets their session make changes through /v1/admin/.
    #[arg(long, env = "ACCTD_STEP_UP_MINUTES", value_name = "MINUTES", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=1440))]
    pub(crate) step_up_minutes: u64,
    #[command(flatten)]
    pub(crate) edge: EdgeArgs,
    #[command(flatten)]
    pub(crate) mail: MailArgs,
    /// Proxies whose Forwarded / X-Forwarded-For headers name the client,
    /// e.g. 127.0.0.1,10.0.0.0/8. Set it behind a proxy, or every client
    /// shares the proxy's address (and its sign-in limit). [default: none]
    #[arg(
        long,
        env = "ACCTD_TRUSTED_PROXIES",
        value_name = "CIDR,...",
        default_value = ""
    )]
    pub(crate) trusted_proxies: acctd::proxy::TrustedProxies,
    #[command(flatten)]
    pub(crate) pool: PoolArgs,
    /// Print the settings this would serve with (no secrets) and exit.
    #[arg(long)]
    pub(crate) print_config: bool,
}

/// Where mail goes out.
#[derive(Args)]
pub(crate) struct MailArgs {
    /// The SMTP relay mail is sent through: smtps://USER:PASSWORD@HOST:465
    /// (TLS), smtp://USER:PASSWORD@HOST:587?tls=required (STARTTLS), or
    /// smtp://HOST:25 for a relay on loopback. Prefer the variable: a
    /// command line is visible to other users. [default: none: mail stays
    /// in the outbox]
    #[arg(
        long,
        env = "ACCTD_SMTP_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub(crate) smtp_url: Option<String>,
    /// The address mail is from, e.g. "Example <accounts@example.com>".
    #[arg(long, env = "ACCTD_MAIL_FROM", value_name = "ADDRESS")]
    pub(crate) mail_from: Option<String>,
}

impl MailArgs {
    pub(crate) fn apply(&self, config: acctd::Config) -> anyhow::Result<acctd::Config> {
        use acctd::mail::{MailSettingsError, SmtpSettings};
        match (&self.smtp_url, &self.mail_from) {
            (None, _) => Ok(config),
            (Some(_), None) => Err(MailSettingsError::NoFrom.into()),
            (Some(url), Some(from)) => Ok(config.with_smtp(SmtpSettings::new(url, from)?)),
        }
    }
}

/// Connection timeouts (whole seconds) and the connection cap.
#[derive(Args)]
pub(crate) struct EdgeArgs {
    /// Seconds a client has to send a request's head (also closes a
    /// connection that sends nothing).
    #[arg(
        long,
        env = "ACCTD_HEADER_TIMEOUT",
        value_name = "SECS",
        default_value_t = 10
    )]
    pub(crate) header_timeout: u64,
    /// Seconds a kept-alive connection may sit with no request in flight.
    #[arg(
        long,
        env = "ACCTD_IDLE_TIMEOUT",
        value_name = "SECS",
        default_value_t = 5
    )]
    pub(crate) idle_timeout: u64,
    /// Seconds a client has to send a request's whole body.
    #[arg(
        long,
        env = "ACCTD_BODY_TIMEOUT",
        value_name = "SECS",
        default_value_t = 30
    )]
    pub(crate) body_timeout: u64,
    /// Seconds a request may take to answer before a 503.
    #[arg(
        long,
        env = "ACCTD_HANDLER_TIMEOUT",
        value_name = "SECS",
        default_value_t = 30
    )]
    pub(crate) handler_timeout: u64,
    /// Open connections at most (lowered to stay below the file limit); at
    /// the cap the oldest idle connection is closed.
    #[arg(long, env = "ACCTD_MAX_CONNECTIONS", value_name = "N", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_connections: u32,
}

impl EdgeArgs {
    pub(crate) fn limits(&self) -> acctd::config::EdgeLimits {
        let secs = |n: u64| std::time::Duration::from_secs(n.max(1));
        acctd::config::EdgeLimits {
            header_timeout: secs(self.header_timeout),
            idle_timeout: secs(self.idle_timeout),
            body_timeout: secs(self.body_timeout),
            handler_timeout: secs(self.handler_timeout),
            max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
        }
    }
}

#[derive(Args)]
pub(crate) struct PoolArgs {
    /// Connections per instance to PostgreSQL.
    #[arg(long, env = "ACCTD_DB_POOL_SIZE", value_name = "N",
          default_value_t = PoolSettings::default().postgres_connections)]
    pub(crate) db_pool_size: u32,
    /// Seconds after which a PostgreSQL statement is cancelled.
    #[arg(long, env = "ACCTD_DB_STATEMENT_TIMEOUT", value_name = "SECONDS",
          default_value_t = PoolSettings::default().statement_timeout.as_secs())]
    pub(crate) db_statement_timeout: u64,
    /// Tries to reach PostgreSQL at start, 1 s, 2 s, ... apart.
    #[arg(long, env = "ACCTD_DB_CONNECT_ATTEMPTS", value_name = "N",
          default_value_t = PoolSettings::default().connect_attempts)]
    pub(crate) db_connect_attempts: u32,
}

impl PoolArgs {
    pub(crate) fn settings(&self) -> PoolSettings {
        PoolSettings {
            postgres_connections: self.db_pool_size.max(1),
            statement_timeout: Duration::from_secs(self.db_statement_timeout),
            connect_attempts: self.db_connect_attempts.max(1),
            ..PoolSettings::default()
        }
    }
}

#[derive(Args)]
pub(crate) struct DatabaseArg {
    /// Database URL: sqlite:///var/lib/acctd/acctd.db, sqlite::memory: or
    /// postgres://USER:PASSWORD@HOST/DATABASE (several instances may share
    /// one PostgreSQL database) [default: acctd.db in the OS data directory]
    #[arg(long, env = "ACCTD_DATABASE", value_name = "URL")]
    pub(crate) database: Option<String>,
}

impl DatabaseArg {
    pub(crate) fn url(&self) -> anyhow::Result<String> {
        match &self.database {
            Some(url) => Ok(url.clone()),
            None => acctd::config::default_database_url(),
        }
    }
}

#[derive(Args)]
pub(crate) struct SecretKeyArg {
    /// The keys that encrypt two-factor secrets in the database: one a line
    /// (`acctd new-secret-key` makes one), the first encrypts, all decrypt.
    /// [default: beside a SQLite database (made if missing), FILE.key;
    /// required on PostgreSQL, the same file for every instance]
    #[arg(long, env = "ACCTD_SECRET_KEY_FILE", value_name = "FILE")]
    pub(crate) secret_key_file: Option<std::path::PathBuf>,
}

impl SecretKeyArg {
    pub(crate) fn apply(&self, config: acctd::Config) -> acctd::Config {
        match &self.secret_key_file {
            Some(path) => config.with_secret_key_file(path),
            None => config,
        }
    }
}
