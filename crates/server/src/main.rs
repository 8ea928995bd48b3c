//! The `acctd` command line: serve, add users, print the OpenAPI document,
//! migrate, copy data between databases.

use std::io::{BufRead as _, IsTerminal as _};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{CommandFactory as _, Parser, Subcommand};
use secrecy::ExposeSecret as _;
use tracing_subscriber::EnvFilter;

mod cli_args;

use cli_args::{DatabaseArg, PoolArgs, SecretKeyArg, ServeArgs};

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

#[derive(Subcommand)]
enum UsersCommand {
    /// Add an account. The password is read from standard input (prompted
    /// twice, without echo, on a terminal).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Make the account an administrator (recorded in the audit log).
        #[arg(long)]
        admin: bool,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Make an account an administrator (recorded in the audit log). The
    /// only way to make one: no HTTP call can.
    GrantAdmin(RoleArgs),
    /// Make an administrator an ordinary account again (recorded).
    RevokeAdmin(RoleArgs),
}

#[derive(clap::Args)]
struct RoleArgs {
    /// The account's email.
    #[arg(value_name = "EMAIL")]
    email: String,
    /// Why, for the audit log (1 to 500 characters).
    #[arg(long, default_value = "Changed with acctd users on the server")]
    reason: String,
    #[command(flatten)]
    database: DatabaseArg,
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
        Command::Users { command } => users(command).await,
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
        .with_step_up_window(std::time::Duration::from_secs(args.step_up_minutes * 60))
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

async fn users(command: UsersCommand) -> anyhow::Result<()> {
    let config = |database: &DatabaseArg| -> anyhow::Result<acctd::Config> {
        Ok(acctd::Config::new(
            acctd::config::default_listen(),
            database.url()?,
        ))
    };
    match command {
        UsersCommand::Add {
            email,
            name,
            admin,
            database,
        } => {
            let password = read_password()?;
            let id = acctd::add_user(config(&database)?, &email, &name, &password).await?;
            println!("Added {} ({id})", email.trim());
            if admin {
                let reason = "Added as an administrator with acctd users add --admin";
                acctd::set_admin(config(&database)?, &email, true, reason).await?;
                println!("{} is an administrator", email.trim());
            }
        }
        UsersCommand::GrantAdmin(role) | UsersCommand::RevokeAdmin(role)
            if role.email.trim().is_empty() =>
        {
            bail!("give the account's email");
        }
        UsersCommand::GrantAdmin(role) => {
            let changed =
                acctd::set_admin(config(&role.database)?, &role.email, true, &role.reason).await?;
            let already = if changed { "is now" } else { "was already" };
            println!("{} {already} an administrator", role.email.trim());
        }
        UsersCommand::RevokeAdmin(role) => {
            let changed =
                acctd::set_admin(config(&role.database)?, &role.email, false, &role.reason).await?;
            let already = if changed { "is no longer" } else { "was not" };
            println!("{} {already} an administrator", role.email.trim());
        }
    }
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
