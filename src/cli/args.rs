//! The arguments of the subcommands that `cli::Command` names directly.

use std::path::PathBuf;

use acctl_api::SecurityEventKind;
use clap::{Args, Subcommand};

use super::{JsonArg, api_call, security_log};

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
    /// The kind of service at the server (found by asking it when left out):
    /// acctd, allauth (django-allauth) or better-auth.
    #[arg(long, value_name = "KIND")]
    pub service: Option<acctl_client::ServiceKind>,
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
    /// Choose a new password with the one-time code an administrator's
    /// reset mailed you (no sign-in needed; you sign in afterwards).
    Reset(PasswordResetArgs),
}

#[derive(Debug, Args)]
pub struct PasswordResetArgs {
    /// The account's email, where the code was mailed.
    #[arg(long, value_name = "EMAIL")]
    pub email: String,
    /// Read the code, then the new password, one per line from standard
    /// input.
    #[arg(long)]
    pub password_stdin: bool,
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
    /// Send a code (from Better Auth, a link) to NEW_EMAIL; the change waits
    /// for `acctl email verify CODE`.
    Change {
        /// The address to move the account to.
        #[arg(value_name = "NEW_EMAIL")]
        new_email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Finish an email change with the code (or link) sent to the new address.
    Verify {
        /// The 6-digit code from the email, or the whole link where the
        /// service mails one (quote it for the shell).
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
