//! The `acctd` command line: serve, add users, print the OpenAPI document,
//! migrate, copy data between databases.

use std::io::{BufRead as _, IsTerminal as _};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use acctd::config::PoolSettings;

use anyhow::{Context, bail};
use clap::{Args, CommandFactory as _, Parser, Subcommand};
use secrecy::ExposeSecret as _;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "acctd",
    version,
    about = "The reference account service of acctl"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API over HTTP.
    Serve(ServeArgs),
    /// Manage accounts directly in the database.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Print the OpenAPI document (JSON) and exit.
    Openapi,
    /// Print a completion script, e.g. `acctd completion bash`.
    Completion {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. for `man -l -`.
    Man,
    /// Apply the database migrations and exit (for deploy pipelines).
    Migrate {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(flatten)]
        pool: PoolArgs,
    },
    /// Encrypt every two-factor secret again with the first key of the
    /// secret key file, so the keys below it can be removed. Put the new
    /// key on the first line (keeping the old ones below), restart every
    /// instance with the file, run this, then remove the old lines.
    RotateSecrets {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(flatten)]
        secret_key: SecretKeyArg,
    },
    /// Print a new secret key, a line for a secret key file, e.g.
    /// `(umask 077; acctd new-secret-key > /etc/acctd/secret.key)`.
    NewSecretKey,
    /// Copy every row of one database into another, empty one, e.g. a
    /// SQLite deployment into PostgreSQL; counts and a sample are compared.
    CopyData {
        /// The database to copy, e.g. sqlite:///var/lib/acctd/acctd.db
        #[arg(long, value_name = "URL")]
        from: String,
        /// The empty database to fill, e.g. postgres://acctd@db/acctd
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ACCTD_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    database: DatabaseArg,
    #[command(flatten)]
    secret_key: SecretKeyArg,
    /// Create the demo account (or reset its password) and print how to sign in.
    #[arg(long)]
    seed_demo: bool,
    /// Development mode: mail goes to an outbox readable at /v1/dev/outbox.
    #[arg(long)]
    dev: bool,
    /// Server name shown by /v1/meta.
    #[arg(long, default_value = "acctd")]
    name: String,
    /// Origin of links the server hands out (card checkout pages), e.g.
    /// https://accounts.example.com [default: the request's Host]
    #[arg(long, env = "ACCTD_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// Days between scheduling an account's deletion and removing its data.
    #[arg(long, env = "ACCTD_DELETION_GRACE_DAYS", value_name = "DAYS",
          default_value_t = acctl_api::privacy::DEFAULT_DELETION_GRACE_DAYS)]
    deletion_grace_days: u32,
    #[command(flatten)]
    edge: EdgeArgs,
    #[command(flatten)]
    mail: MailArgs,
    /// Proxies whose Forwarded / X-Forwarded-For headers name the client,
    /// e.g. 127.0.0.1,10.0.0.0/8. Set it behind a proxy, or every client
    /// shares the proxy's address (and its sign-in limit). [default: none]
    #[arg(
        long,
        env = "ACCTD_TRUSTED_PROXIES",
        value_name = "CIDR,...",
        default_value = ""
    )]
    trusted_proxies: acctd::proxy::TrustedProxies,
    #[command(flatten)]
    pool: PoolArgs,
    /// Print the settings this would serve with (no secrets) and exit.
    #[arg(long)]
    print_config: bool,
}

/// Where mail goes out.
#[derive(Args)]
struct MailArgs {
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
    smtp_url: Option<String>,
    /// The address mail is from, e.g. "Example <accounts@example.com>".
    #[arg(long, env = "ACCTD_MAIL_FROM", value_name = "ADDRESS")]
    mail_from: Option<String>,
}

impl MailArgs {
    fn apply(&self, config: acctd::Config) -> anyhow::Result<acctd::Config> {
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
struct EdgeArgs {
    /// Seconds a client has to send a request's head (also closes a
    /// connection that sends nothing).
    #[arg(
        long,
        env = "ACCTD_HEADER_TIMEOUT",
        value_name = "SECS",
        default_value_t = 10
    )]
    header_timeout: u64,
    /// Seconds a kept-alive connection may sit with no request in flight.
    #[arg(
        long,
        env = "ACCTD_IDLE_TIMEOUT",
        value_name = "SECS",
        default_value_t = 5
    )]
    idle_timeout: u64,
    /// Seconds a client has to send a request's whole body.
    #[arg(
        long,
        env = "ACCTD_BODY_TIMEOUT",
        value_name = "SECS",
        default_value_t = 30
    )]
    body_timeout: u64,
    /// Seconds a request may take to answer before a 503.
    #[arg(
        long,
        env = "ACCTD_HANDLER_TIMEOUT",
        value_name = "SECS",
        default_value_t = 30
    )]
    handler_timeout: u64,
    /// Open connections at most (lowered to stay below the file limit); at
    /// the cap the oldest idle connection is closed.
    #[arg(long, env = "ACCTD_MAX_CONNECTIONS", value_name = "N", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
}

impl EdgeArgs {
    fn limits(&self) -> acctd::config::EdgeLimits {
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
struct PoolArgs {
    /// Connections per instance to PostgreSQL.
    #[arg(long, env = "ACCTD_DB_POOL_SIZE", value_name = "N",
          default_value_t = PoolSettings::default().postgres_connections)]
    db_pool_size: u32,
    /// Seconds after which a PostgreSQL statement is cancelled.
    #[arg(long, env = "ACCTD_DB_STATEMENT_TIMEOUT", value_name = "SECONDS",
          default_value_t = PoolSettings::default().statement_timeout.as_secs())]
    db_statement_timeout: u64,
    /// Tries to reach PostgreSQL at start, 1 s, 2 s, ... apart.
    #[arg(long, env = "ACCTD_DB_CONNECT_ATTEMPTS", value_name = "N",
          default_value_t = PoolSettings::default().connect_attempts)]
    db_connect_attempts: u32,
}

impl PoolArgs {
    fn settings(&self) -> PoolSettings {
        PoolSettings {
            postgres_connections: self.db_pool_size.max(1),
            statement_timeout: Duration::from_secs(self.db_statement_timeout),
            connect_attempts: self.db_connect_attempts.max(1),
            ..PoolSettings::default()
        }
    }
}

#[derive(Args)]
struct DatabaseArg {
    /// Database URL: sqlite:///var/lib/acctd/acctd.db, sqlite::memory: or
    /// postgres://USER:PASSWORD@HOST/DATABASE (several instances may share
    /// one PostgreSQL database) [default: acctd.db in the OS data directory]
    #[arg(long, env = "ACCTD_DATABASE", value_name = "URL")]
    database: Option<String>,
}

impl DatabaseArg {
    fn url(&self) -> anyhow::Result<String> {
        match &self.database {
            Some(url) => Ok(url.clone()),
            None => acctd::config::default_database_url(),
        }
    }
}

#[derive(Args)]
struct SecretKeyArg {
    /// The keys that encrypt two-factor secrets in the database: one a line
    /// (`acctd new-secret-key` makes one), the first encrypts, all decrypt.
    /// [default: beside a SQLite database (made if missing), FILE.key;
    /// required on PostgreSQL, the same file for every instance]
    #[arg(long, env = "ACCTD_SECRET_KEY_FILE", value_name = "FILE")]
    secret_key_file: Option<std::path::PathBuf>,
}

impl SecretKeyArg {
    fn apply(&self, config: acctd::Config) -> acctd::Config {
        match &self.secret_key_file {
            Some(path) => config.with_secret_key_file(path),
            None => config,
        }
    }
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Add an account. The password is read from standard input (prompted
    /// twice, without echo, on a terminal).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        database: DatabaseArg,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(&anyhow::Error::from(error)),
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

fn fail(error: &anyhow::Error) -> ExitCode {
    eprintln!("acctd: {error:#}");
    ExitCode::FAILURE
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve(args).await,
        Command::Users {
            command:
                UsersCommand::Add {
                    email,
                    name,
                    database,
                },
        } => add_user(&email, &name, &database).await,
        Command::Openapi => {
            println!("{}", acctd::openapi::json()?);
            Ok(())
        }
        Command::Completion { shell } => {
            let mut cli = Cli::command();
            clap_complete::generate(shell, &mut cli, "acctd", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            Ok(())
        }
        Command::Migrate { database, pool } => {
            init_logging();
            let url = database.url()?;
            acctd::migrate(&url, &pool.settings()).await?;
            println!("Migrations applied to {}", acctd::config::redact_url(&url));
            Ok(())
        }
        Command::RotateSecrets {
            database,
            secret_key,
        } => {
            init_logging();
            let config = acctd::Config::new(acctd::config::default_listen(), database.url()?);
            let report = acctd::rotate_secrets(&secret_key.apply(config)).await?;
            print!("{report}");
            Ok(())
        }
        Command::NewSecretKey => {
            println!("{}", acctd::secrets::new_key_line().expose_secret());
            Ok(())
        }
        Command::CopyData { from, to } => {
            init_logging();
            let report = acctd::copy_data(&from, &to).await?;
            print!("{report}");
            Ok(())
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    init_logging();
    let mut config = acctd::Config::new(args.listen, args.database.url()?)
        .with_server_name(args.name)
        .with_dev(args.dev)
        .with_deletion_grace(acctd::config::days(args.deletion_grace_days))
        .with_trusted_proxies(args.trusted_proxies)
        .with_edge(args.edge.limits());
    config.pool = args.pool.settings();
    let config = args.mail.apply(args.secret_key.apply(config))?;
    let config = match args.public_url {
        Some(url) => config.with_public_url(url),
        None => config,
    };
    if args.print_config {
        print!("{}", acctd::config::within_file_limit(config).printable());
        return Ok(());
    }
    let server = acctd::start(config).await?;
    println!("acctd listening on {}", server.base_url());
    if args.seed_demo {
        let account = server.seed_demo().await?;
        println!("Demo account: {}", account.email);
        println!("Password:     {}", account.password.expose_secret());
    }
    stop_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}

async fn add_user(email: &str, name: &str, database: &DatabaseArg) -> anyhow::Result<()> {
    let password = read_password()?;
    let config = acctd::Config::new(acctd::config::default_listen(), database.url()?);
    let id = acctd::add_user(config, email, name, &password).await?;
    println!("Added {} ({id})", email.trim());
    Ok(())
}

/// Twice without echo on a terminal; otherwise one line from stdin.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").context("cannot read the password")?;
        let second =
            rpassword::prompt_password("Repeat it: ").context("cannot read the password")?;
        if first != second {
            bail!("the two passwords differ; nothing was added");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        bail!(
            "no password on standard input; pipe one line, e.g. `echo \"$PASSWORD\" | acctd users add ...`"
        );
    }
    Ok(password)
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = ctrl_c => {}
            () = term => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// Logs to stderr, filtered by `RUST_LOG` (default `info`).
fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
