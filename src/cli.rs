//! The command line: `acctl` alone opens the console; subcommands script it.
//! One file per command group; this one holds the grammar and dispatch.

mod account;
mod admin;
mod api_call;
mod args;
mod billing;
mod choice;
mod console;
mod download;
mod email;
mod exit;
mod export;
pub mod help;
mod invoices;
mod json;
mod login;
mod logout;
mod mfa;
mod notifications;
mod password;
mod plan_change;
mod preferences;
mod privacy;
mod profile;
mod security_log;
mod session;
mod sessions;
pub mod shell;
mod status;
mod status_all;
mod table;

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand};

use crate::config::{Config, ConfigSources, Overrides};
use acctl_client::profiles::{self, DEFAULT_PROFILE};

pub use account::{AccountCommand, AccountDeleteArgs};
pub use admin::{AdminCommand, AdminUsersCommand, AuditArgs, UserListArgs, WriteArgs};
pub use args::*;
pub use billing::{BillingChangeArgs, BillingCommand};
pub use console::build_context;
pub use exit::{CliError, Exit};
pub use export::ExportArgs;
pub use invoices::{InvoiceDownloadArgs, InvoicesCommand};
pub use json::JsonArg;
pub use notifications::{
    NotificationListArgs, NotificationReadArgs, NotificationSetArgs, NotificationsCommand, Switch,
};
pub use privacy::{PrivacyCommand, PrivacySetArgs};

#[derive(Debug, Parser)]
#[command(
    name = "acctl",
    version,
    about = "A keyboard-first terminal console for your account",
    long_about = "A keyboard-first terminal console for your account.\n\n\
                  `acctl` alone opens the console (it needs a terminal); the \
                  subcommands script the same things."
)]
pub struct Cli {
    /// The profile (one server + account) to use [default: the one `acctl
    /// switch` chose, else "default"]; see `acctl status --all`.
    #[arg(long, global = true, env = "ACCTL_PROFILE", value_name = "NAME",
          value_parser = parse_profile, help_heading = help::GLOBAL_HEADING)]
    pub profile: Option<String>,
    /// The account server, e.g. https://accounts.example.com [default: the
    /// profile's, else ACCTL_SERVER, else `server` in the config file].
    #[arg(long, global = true, value_name = "URL", help_heading = help::GLOBAL_HEADING)]
    pub server: Option<String>,
    /// Colour theme of the console: default, light, high-contrast, mono, or
    /// a file's name [env: ACCTL_THEME].
    #[arg(long, global = true, value_name = "NAME", help_heading = help::GLOBAL_HEADING)]
    pub theme: Option<String>,
    /// Print only results and errors: no progress or notices on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose",
          help_heading = help::GLOBAL_HEADING)]
    pub quiet: bool,
    /// More detail in the log, also shown on stderr: -v debug, -vv trace
    /// [env: ACCTL_LOG sets the filter itself].
    #[arg(short, long, global = true, action = ArgAction::Count,
          help_heading = help::GLOBAL_HEADING)]
    pub verbose: u8,
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
    /// server cannot be reached (3); with --all, every profile.
    Status {
        /// Every profile: server, service, account, signed in or why not,
        /// where its tokens are, and which is the default (exit 0).
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        json: JsonArg,
    },
    /// Make a profile the default, kept in profiles.toml (--profile and
    /// ACCTL_PROFILE still win).
    Switch {
        /// The profile, as `acctl status --all` lists it.
        #[arg(value_name = "NAME", value_parser = parse_profile)]
        name: String,
    },
    /// List or sign out the devices signed in to your account.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// Sign out: end this session on the server and forget its tokens here.
    Logout,
    /// Change your password.
    #[command(subcommand)]
    Password(PasswordCommand),
    /// Move your account to a new email address.
    #[command(subcommand)]
    Email(EmailCommand),
    /// Two-factor sign-in with an authenticator app, and its recovery codes.
    #[command(subcommand)]
    Mfa(MfaCommand),
    /// The security log: sign-ins, password, email and two-factor changes,
    /// newest first.
    SecurityLog(SecurityLogArgs),
    /// Your name, display name, phone, bio and avatar on the account.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Theme, language and time zone, kept with the account so every
    /// terminal you sign in on follows them.
    #[command(subcommand)]
    Preferences(PreferencesCommand),
    /// Which notifications reach you where (email, push, SMS, in-app), and
    /// the in-app inbox.
    #[command(subcommand)]
    Notifications(NotificationsCommand),
    /// Who sees your profile, and which optional uses of your data are on.
    #[command(subcommand)]
    Privacy(PrivacyCommand),
    /// Save a copy of everything the server holds about you as one JSON
    /// file; progress is shown on stderr and the path printed at the end.
    Export(ExportArgs),
    /// Delete your account (after a grace period), or cancel that.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Your plan: show it, see the plans, change, cancel or resume it.
    #[command(subcommand)]
    Billing(BillingCommand),
    /// Your invoices, and their PDFs.
    #[command(subcommand)]
    Invoices(InvoicesCommand),
    /// For administrators of the service: find accounts, disable them,
    /// end their sessions, reset two-factor or the password; the audit log.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Open the console against a built-in demo server (nothing is saved).
    Demo,
    /// Send an authenticated request to the signed-in service and print the
    /// answer's body (pretty JSON on a terminal); exit 1 on an error status.
    Api(ApiArgs),
    /// Print a completion script for bash, zsh or fish.
    Completion {
        /// bash, zsh, fish, elvish or powershell.
        #[arg(value_name = "SHELL")]
        shell: shell::Shell,
    },
    /// Print the manual page (roff), e.g. for `man -l -`.
    Man,
}

fn parse_profile(name: &str) -> Result<String, profiles::ProfileError> {
    profiles::validate_name(name).map(|()| name.to_string())
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
    /// `--quiet`: results and errors only.
    pub quiet: bool,
}

impl Cli {
    /// Parses the command line through [`help::command`] (examples, hidden
    /// options); a usage error exits with 2, --help with 0.
    pub fn parse_args() -> Self {
        use clap::FromArgMatches as _;
        let matches = help::command().get_matches();
        Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }

    /// [`Cli::parse_args`] on `args` (without the program name), for tests.
    #[cfg(test)]
    pub(crate) fn try_parse_args(args: &[&str]) -> Result<Self, clap::Error> {
        use clap::FromArgMatches as _;
        let argv = std::iter::once("acctl").chain(args.iter().copied());
        Self::from_arg_matches(&help::command().try_get_matches_from(argv)?)
    }

    /// Settings from every layer, with this command line's flags on top.
    pub fn load_config(&self) -> Result<Config, CliError> {
        let overrides = Overrides {
            server: self.server.clone(),
            theme: self.theme.clone(),
        };
        Ok(Config::load(&ConfigSources::from_process(overrides))?)
    }

    /// The profile in use: --profile (or ACCTL_PROFILE), else the one
    /// `acctl switch` chose, else [`DEFAULT_PROFILE`].
    pub fn resolve_profile(&self, config_dir: Option<&std::path::Path>) -> String {
        if let Some(name) = &self.profile {
            return name.clone();
        }
        config_dir
            .and_then(|dir| profiles::default_name(dir).ok().flatten())
            .unwrap_or_else(|| DEFAULT_PROFILE.to_string())
    }

    /// True when the full-screen console (not a subcommand) will run.
    pub fn opens_console(&self) -> bool {
        matches!(self.command, None | Some(Command::Demo))
    }
}

fn login_hint(profile: &str) -> String {
    command_hint(profile, "login")
}

/// `acctl ARGS` as the person would type it for this profile.
fn command_hint(profile: &str, args: &str) -> String {
    if profile == DEFAULT_PROFILE {
        format!("acctl {args}")
    } else {
        format!("acctl --profile {profile} {args}")
    }
}

/// How the person signs in to `profile`, for error hints.
pub fn login_hint_for(profile: &str) -> String {
    login_hint(profile)
}

/// Runs the command line's command (or the console).
pub async fn run(cli: Cli, config: Config, profile: String) -> Result<(), CliError> {
    let invocation = Invocation {
        config,
        config_dir: crate::config::config_dir(),
        profile,
        server_flag: cli.server.clone(),
        quiet: cli.quiet,
    };
    let Some(command) = cli.command else {
        return console::run(invocation).await;
    };
    dispatch(invocation, command).await
}

/// Runs one subcommand.
async fn dispatch(invocation: Invocation, command: Command) -> Result<(), CliError> {
    match command {
        Command::Demo => console::demo(invocation).await,
        Command::Login(args) => login::run(invocation, args).await,
        Command::Status { all: true, json } => status_all::run(invocation, &json).await,
        Command::Status { all: false, json } => status::run(invocation, &json).await,
        Command::Switch { name } => status_all::switch(invocation, &name),
        Command::Api(args) => api_call::run(invocation, args).await,
        Command::Completion { shell } => {
            shell::write_stdout(&shell::completion(help::command(), shell))
        }
        Command::Man => {
            let page = shell::man_page(help::command())
                .map_err(|e| CliError::new(Exit::Error, format!("could not render: {e}")))?;
            shell::write_stdout(&page)
        }
        Command::Sessions(SessionsCommand::List { json, limit }) => {
            sessions::list(invocation, &json, limit).await
        }
        Command::Sessions(SessionsCommand::Revoke(args)) => {
            sessions::revoke(invocation, args).await
        }
        Command::Logout => logout::run(invocation).await,
        Command::Password(PasswordCommand::Change(args)) => {
            password::change(invocation, args).await
        }
        Command::Password(PasswordCommand::Reset(args)) => password::reset(invocation, args).await,
        Command::Email(EmailCommand::Change {
            new_email,
            password_stdin,
        }) => email::change(invocation, &new_email, password_stdin).await,
        Command::Email(EmailCommand::Verify { code }) => email::verify(invocation, &code).await,
        Command::Mfa(MfaCommand::Status { json }) => mfa::status(invocation, &json).await,
        Command::Mfa(MfaCommand::Enroll(args)) => mfa::enroll(invocation, args).await,
        Command::Mfa(MfaCommand::Disable { password_stdin }) => {
            mfa::disable(invocation, password_stdin).await
        }
        Command::Mfa(MfaCommand::RecoveryCodes(RecoveryCodesCommand::Regenerate {
            password_stdin,
            save_codes,
        })) => mfa::regenerate(invocation, password_stdin, save_codes).await,
        Command::SecurityLog(args) => security_log::run(invocation, args).await,
        Command::Profile(command) => match command {
            ProfileCommand::Show { json } => profile::show(invocation, &json).await,
            ProfileCommand::Set(args) => profile::set(invocation, args).await,
            ProfileCommand::Avatar(AvatarCommand::Set { path }) => {
                profile::set_avatar(invocation, &path).await
            }
            ProfileCommand::Avatar(AvatarCommand::Remove) => {
                profile::remove_avatar(invocation).await
            }
        },
        Command::Preferences(command) => match command {
            PreferencesCommand::Show { json } => preferences::show(invocation, &json).await,
            PreferencesCommand::Set(args) => preferences::set(invocation, args).await,
        },
        Command::Notifications(command) => notifications::run(invocation, command).await,
        Command::Privacy(command) => privacy::run(invocation, command).await,
        Command::Export(args) => export::run(invocation, args).await,
        Command::Account(command) => account::run(invocation, command).await,
        Command::Billing(command) => billing::run(invocation, command).await,
        Command::Invoices(command) => invoices::run(invocation, command).await,
        Command::Admin(command) => admin::run(invocation, command).await,
    }
}

#[cfg(test)]
mod grammar_tests;

#[cfg(test)]
mod tests;
