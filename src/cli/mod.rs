//! The command line: `acctl` alone opens the console; subcommands script it.
//! One file per command group; this one holds the grammar and dispatch.

mod console;
mod exit;
mod login;
mod logout;
mod session;
mod sessions;
mod status;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::auth::profiles::{self, DEFAULT_PROFILE};
use crate::config::{Config, ConfigSources, Overrides};

pub use console::build_context;
pub use exit::{CliError, Exit};

#[derive(Debug, Parser)]
#[command(
    name = "acctl",
    version,
    about = "A keyboard-first terminal console for your account"
)]
pub struct Cli {
    /// The profile (one server + account) to use; see `acctl status`.
    #[arg(long, global = true, env = "ACCTL_PROFILE", value_name = "NAME",
          default_value = DEFAULT_PROFILE, value_parser = parse_profile)]
    pub profile: String,
    /// The account server, e.g. https://accounts.example.com.
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,
    /// Colour theme: default, light, high-contrast, mono, or a file's name.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Print the settings in effect (defaults, file, environment, flags) as TOML.
    #[arg(long)]
    pub print_default_config: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in and keep the tokens in the OS keyring.
    Login(LoginArgs),
    /// Show whether you are signed in (exit 0), need to sign in (4), or the
    /// server cannot be reached (3).
    Status {
        /// Print JSON: profile, server, signed_in, account, token_store, error.
        #[arg(long)]
        json: bool,
    },
    /// List or sign out the devices signed in to your account.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// Sign out: end this session on the server and forget its tokens here.
    Logout,
    /// Open the console against a built-in demo server (nothing is saved).
    Demo,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Your account's email address (asked for when missing).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// List signed-in devices; yours is marked with `*`.
    List {
        /// Print the sessions as a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Sign out one device by session id, or every other device with --others.
    Revoke(RevokeArgs),
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct RevokeArgs {
    /// The session id, as `acctl sessions list` shows it.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Sign out every session except this one.
    #[arg(long)]
    pub others: bool,
}

fn parse_profile(name: &str) -> Result<String, String> {
    profiles::validate_name(name)
        .map(|()| name.to_string())
        .map_err(|e| e.to_string())
}

/// What every command gets: settings, where profiles live, which profile.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub config: Config,
    /// `None` when the OS names no home and ACCTL_CONFIG_DIR is unset.
    pub config_dir: Option<PathBuf>,
    pub profile: String,
    /// `--server` as given: it decides, where the profile's server would not.
    pub server_flag: Option<String>,
}

impl Cli {
    /// Settings from every layer, with this command line's flags on top.
    pub fn load_config(&self) -> Result<Config, CliError> {
        let overrides = Overrides {
            server: self.server.clone(),
            theme: self.theme.clone(),
        };
        Ok(Config::load(&ConfigSources::from_process(overrides))?)
    }

    /// True when the full-screen console (not a subcommand) will run.
    pub fn opens_console(&self) -> bool {
        matches!(self.command, None | Some(Command::Demo))
    }

    /// How the person signs in to this profile, for error hints.
    pub fn login_hint(&self) -> String {
        login_hint(&self.profile)
    }
}

fn login_hint(profile: &str) -> String {
    if profile == DEFAULT_PROFILE {
        "acctl login".to_string()
    } else {
        format!("acctl --profile {profile} login")
    }
}

/// Runs the command line's command (or the console).
pub async fn run(cli: Cli, config: Config) -> Result<(), CliError> {
    let invocation = Invocation {
        config,
        config_dir: crate::config::config_dir(),
        profile: cli.profile.clone(),
        server_flag: cli.server.clone(),
    };
    match cli.command {
        None => console::run(invocation).await,
        Some(Command::Demo) => Ok(crate::demo::run(invocation.config).await?),
        Some(Command::Login(args)) => login::run(invocation, args).await,
        Some(Command::Status { json }) => status::run(invocation, json).await,
        Some(Command::Sessions(SessionsCommand::List { json })) => {
            sessions::list(invocation, json).await
        }
        Some(Command::Sessions(SessionsCommand::Revoke(args))) => {
            sessions::revoke(invocation, args).await
        }
        Some(Command::Logout) => logout::run(invocation).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("acctl").chain(args.iter().copied()))
    }

    #[test]
    fn the_grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_go_before_or_after_the_subcommand() {
        let cli = parse(&[
            "login",
            "--server",
            "http://x",
            "--email",
            "a@b.c",
            "--password-stdin",
        ])
        .expect("parses");
        assert_eq!(cli.server.as_deref(), Some("http://x"));
        assert!(matches!(
            cli.command,
            Some(Command::Login(LoginArgs {
                password_stdin: true,
                ..
            }))
        ));
        let cli = parse(&["--profile", "work", "status", "--json"]).expect("parses");
        assert_eq!(cli.profile, "work");
        assert_eq!(cli.login_hint(), "acctl --profile work login");
    }

    #[test]
    fn revoke_takes_an_id_or_others_but_not_both() {
        assert!(parse(&["sessions", "revoke", "s1"]).is_ok());
        assert!(parse(&["sessions", "revoke", "--others"]).is_ok());
        let both = parse(&["sessions", "revoke", "s1", "--others"]).expect_err("both");
        assert_eq!(both.exit_code(), 2);
        assert!(parse(&["sessions", "revoke"]).is_err());
    }

    #[test]
    fn a_bad_profile_name_is_a_usage_error_that_says_why() {
        let err = parse(&["--profile", "my profile", "status"]).expect_err("refused");
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("1 to 32 letters"), "{err}");
    }
}
