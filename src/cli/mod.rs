//! The command line: `acctl` alone opens the console; subcommands script it.
//! One file per command group; this one holds the grammar and dispatch.

mod account;
mod api_call;
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

use acctl_api::SecurityEventKind;
use clap::{ArgAction, Args, Parser, Subcommand};

use crate::config::{Config, ConfigSources, Overrides};
use acctl_client::profiles::{self, DEFAULT_PROFILE};

pub use account::{AccountCommand, AccountDeleteArgs};
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

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// GET, POST, PUT, PATCH or DELETE.
    #[arg(value_name = "METHOD", value_parser = api_call::parse_method)]
    pub method: reqwest::Method,
    /// The path on the server, e.g. /v1/me.
    #[arg(value_name = "PATH")]
    pub path: String,
    /// Send this file as the body (JSON), or standard input with `-`.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// An extra request header, `Name: value`; may be given more than once.
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// Print the answer's status line and headers (e.g. its ETag) first.
    #[arg(short = 'i', long)]
    pub include: bool,
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
        #[command(flatten)]
        json: JsonArg,
        /// Show at most this many.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        limit: Option<u32>,
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

#[derive(Debug, Subcommand)]
pub enum PasswordCommand {
    /// Asks for the current password, then the new one twice (without echo).
    Change(PasswordChangeArgs),
}

#[derive(Debug, Args)]
pub struct PasswordChangeArgs {
    /// Also sign out every other device signed in to the account.
    #[arg(long)]
    pub sign_out_others: bool,
    /// Read the current password, then the new one, one per line from
    /// standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum EmailCommand {
    /// Send a code to NEW_EMAIL; the change waits for `acctl email verify CODE`.
    Change {
        /// The address to move the account to.
        #[arg(value_name = "NEW_EMAIL")]
        new_email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Finish an email change with the code sent to the new address.
    Verify {
        /// The 6-digit code from the email.
        #[arg(value_name = "CODE")]
        code: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MfaCommand {
    /// Whether two-factor sign-in is on, and how many recovery codes are left.
    Status {
        #[command(flatten)]
        json: JsonArg,
    },
    /// Turn on two-factor sign-in: shows a QR code and key for your
    /// authenticator app, asks for a code from it, then shows recovery codes.
    Enroll(MfaEnrollArgs),
    /// Turn off two-factor sign-in; asks for the password and a current code.
    Disable {
        /// Read the password, then the code, one per line from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// One-time codes for signing in without the authenticator app.
    #[command(subcommand)]
    RecoveryCodes(RecoveryCodesCommand),
}

#[derive(Debug, Args)]
pub struct MfaEnrollArgs {
    /// Read the password, then the code from the app, one per line from
    /// standard input.
    #[arg(long)]
    pub password_stdin: bool,
    /// Draw the QR code for a light terminal (dark text on a light background).
    #[arg(long)]
    pub invert: bool,
    /// Also write the recovery codes to this new file, readable only by you.
    #[arg(long, value_name = "PATH")]
    pub save_codes: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RecoveryCodesCommand {
    /// Make new recovery codes; the old ones stop working.
    Regenerate {
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Also write the new codes to this new file, readable only by you.
        #[arg(long, value_name = "PATH")]
        save_codes: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct SecurityLogArgs {
    #[command(flatten)]
    pub json: JsonArg,
    /// Show at most this many events, newest first.
    #[arg(long, value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    /// Only events of this kind, e.g. login_failed.
    #[arg(long, value_name = "KIND", value_parser = security_log::parse_kind)]
    pub kind: Option<SecurityEventKind>,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Name, display name, email, phone, bio, and whether there is an avatar.
    Show {
        #[command(flatten)]
        json: JsonArg,
    },
    /// Change your name, display name, phone or bio; prints what changed.
    Set(ProfileSetArgs),
    /// Your picture: set it from a PNG or JPEG file, or remove it.
    #[command(subcommand)]
    Avatar(AvatarCommand),
}

/// At least one flag; an empty value (`--bio ""`) clears all but the name.
#[derive(Debug, Args)]
pub struct ProfileSetArgs {
    /// Your name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The name shown to others instead of your name; "" clears it.
    #[arg(long, value_name = "NAME")]
    pub display_name: Option<String>,
    /// In international form, e.g. "+44 1632 960961"; "" clears it.
    #[arg(long, value_name = "NUMBER")]
    pub phone: Option<String>,
    /// A few words about you, at most 500 characters; "" clears it.
    #[arg(long, value_name = "TEXT")]
    pub bio: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AvatarCommand {
    /// Upload a PNG or JPEG of at most 1 MiB; the server keeps a square of
    /// its centre.
    Set {
        /// The picture file.
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
    /// Remove the picture.
    Remove,
}

#[derive(Debug, Subcommand)]
pub enum PreferencesCommand {
    /// Theme, language and time zone.
    Show {
        #[command(flatten)]
        json: JsonArg,
    },
    /// Change the theme, time zone or language; prints what changed.
    Set(PreferencesSetArgs),
}

/// At least one flag.
#[derive(Debug, Args)]
pub struct PreferencesSetArgs {
    /// system (follow the terminal), default, light, high-contrast or mono.
    // The same id as the global --theme: it takes that flag's place here,
    // so `acctl --theme light preferences set` sets it too.
    #[arg(long, value_name = "THEME")]
    pub theme: Option<String>,
    /// An IANA time zone name, e.g. Europe/London or America/New_York.
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// A language tag, e.g. en, en-GB or pt-BR.
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
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
    }
}

#[cfg(test)]
mod grammar_tests;

#[cfg(test)]
mod tests;
