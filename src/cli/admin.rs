//! `acctl admin`: find accounts of the service and act on them, as one of
//! its administrators. Each change takes `--reason` (kept in the audit
//! log); when the server asks for a fresh proof (`step_up_required`) the
//! password is asked on the terminal, or read from `--password-stdin`, and
//! the change sent again.

mod show;

use acctl_api::ErrorCode;
use acctl_api::admin::{AccountStatus, AdminUser, AuditAction, REASON_MAX_CHARS, StepUpRequest};
use acctl_client::{AdminWrite, ApiError, AuditQuery, Client, UserQuery};
use clap::{Args, Subcommand};

use super::choice::NotOneOf;
use super::json::JsonArg;
use super::password::SecretInput;
use super::security_log::newest;
use super::session::ProfileSession;
use super::{CliError, Exit, Invocation};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Accounts: find them, see one, and act on it.
    #[command(subcommand)]
    Users(AdminUsersCommand),
    /// Every administrator's action, newest first.
    Audit(AuditArgs),
}

#[derive(Debug, Subcommand)]
pub enum AdminUsersCommand {
    /// Accounts whose email or name starts with --query (any case), emails first.
    List(UserListArgs),
    /// One account: status, two-factor, sessions, plan, last sign-in.
    Show {
        /// The account's email or id.
        #[arg(value_name = "EMAIL|ID")]
        account: String,
        #[command(flatten)]
        json: JsonArg,
    },
    /// Disable the account: it cannot sign in, and every session ends now.
    Disable(WriteArgs),
    /// Enable a disabled account again.
    Enable(WriteArgs),
    /// The account's signed-in sessions.
    Sessions {
        /// The account's email or id.
        #[arg(value_name = "EMAIL|ID")]
        account: String,
        #[command(flatten)]
        json: JsonArg,
    },
    /// Sign out every session of the account.
    RevokeSessions(WriteArgs),
    /// Turn two-factor sign-in off and void the recovery codes (a lost phone).
    MfaReset(WriteArgs),
    /// Sign out everywhere and mail a one-time code to choose a new password.
    PasswordReset(WriteArgs),
}

#[derive(Debug, Args)]
pub struct UserListArgs {
    /// The start of an email or a name, any case.
    #[arg(long, value_name = "Q")]
    pub query: Option<String>,
    /// active, disabled or deletion_scheduled.
    #[arg(long, value_name = "S", value_parser = parse_status)]
    pub status: Option<AccountStatus>,
    #[command(flatten)]
    pub json: JsonArg,
    /// Show at most this many accounts.
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct WriteArgs {
    /// The account's email or id.
    #[arg(value_name = "EMAIL|ID")]
    pub account: String,
    /// Why, for the audit log: 1 to 500 characters.
    #[arg(long, value_name = "TEXT", value_parser = parse_reason)]
    pub reason: String,
    /// Read the password (asked again if the server wants a fresh proof)
    /// from standard input instead of the terminal.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub json: JsonArg,
    /// Only actions by this administrator (email or id).
    #[arg(long, value_name = "EMAIL|ID")]
    pub actor: Option<String>,
    /// Only actions on this account (email or id).
    #[arg(long, value_name = "EMAIL|ID")]
    pub target: Option<String>,
    /// Only this action, e.g. disable_account.
    #[arg(long, value_name = "ACTION", value_parser = parse_action)]
    pub action: Option<AuditAction>,
    /// Show at most this many entries.
    #[arg(long, value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
}

fn parse_status(name: &str) -> Result<AccountStatus, NotOneOf> {
    let wanted = name.trim().to_lowercase().replace('-', "_");
    AccountStatus::ALL
        .into_iter()
        .find(|status| status.as_str() == wanted)
        .ok_or_else(|| {
            NotOneOf::new(
                "unknown status; ",
                AccountStatus::ALL.map(AccountStatus::as_str),
            )
        })
}

fn parse_action(name: &str) -> Result<AuditAction, NotOneOf> {
    AuditAction::parse(&name.trim().to_lowercase().replace('-', "_")).ok_or_else(|| {
        NotOneOf::new(
            "unknown action; ",
            AuditAction::ALL.map(AuditAction::as_str),
        )
    })
}

/// The server's rules for a reason, checked before anything is sent.
fn parse_reason(text: &str) -> Result<String, ReasonProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ReasonProblem(
            "say why, e.g. --reason \"asked by phone, ID checked\"",
        ));
    }
    if text.chars().count() > REASON_MAX_CHARS {
        return Err(ReasonProblem("use at most 500 characters"));
    }
    if text.chars().any(char::is_control) {
        return Err(ReasonProblem(
            "leave out control characters such as tabs and line breaks",
        ));
    }
    Ok(text.to_string())
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
struct ReasonProblem(&'static str);

pub(super) async fn run(inv: Invocation, command: AdminCommand) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv).await?.client(&inv).await?;
    match command {
        AdminCommand::Users(command) => users(&client, command).await,
        AdminCommand::Audit(args) => audit(&client, args).await,
    }
}

async fn users(client: &Client, command: AdminUsersCommand) -> Result<(), CliError> {
    let admin = client.admin();
    match command {
        AdminUsersCommand::List(args) => {
            let (users, more) = newest(args.limit, |page| {
                let query = UserQuery {
                    query: args.query.clone(),
                    status: args.status,
                    limit: page.limit,
                    cursor: page.cursor,
                    mfa: None,
                };
                let admin = client.admin();
                async move { admin.users(&query).await }
            })
            .await?;
            if args.json.wanted() {
                return args.json.print(&users);
            }
            print!("{}", show::users(&users, more));
        }
        AdminUsersCommand::Show { account, json } => {
            let user = admin.user(&resolve(client, &account).await?.id).await?;
            if json.wanted() {
                return json.print(&user);
            }
            print!("{}", show::detail(&user));
        }
        AdminUsersCommand::Sessions { account, json } => {
            let id = resolve(client, &account).await?.id;
            let (admin, id) = (&admin, &id);
            let (sessions, _) = newest(u32::MAX, move |page| async move {
                admin.sessions(id, &page).await
            })
            .await?;
            if json.wanted() {
                return json.print(&sessions);
            }
            print!("{}", show::sessions(&sessions));
        }
        AdminUsersCommand::Disable(args) => write(client, AdminWrite::Disable, args).await?,
        AdminUsersCommand::Enable(args) => write(client, AdminWrite::Enable, args).await?,
        AdminUsersCommand::RevokeSessions(args) => {
            write(client, AdminWrite::RevokeSessions, args).await?;
        }
        AdminUsersCommand::MfaReset(args) => write(client, AdminWrite::MfaReset, args).await?,
        AdminUsersCommand::PasswordReset(args) => {
            write(client, AdminWrite::PasswordReset, args).await?;
        }
    }
    Ok(())
}

/// The account an argument names: an email (looked up) or an id.
async fn resolve(client: &Client, account: &str) -> Result<AdminUser, CliError> {
    let account = account.trim();
    let found = if account.contains('@') {
        client.admin().user_by_email(account).await?
    } else {
        match client.admin().user(account).await {
            Ok(user) => Some(AdminUser {
                id: user.id,
                email: user.email,
                name: user.name,
                status: user.status,
                mfa_enabled: user.mfa_enabled,
                admin: user.admin,
                last_sign_in_at: user.last_sign_in.map(|s| s.at),
                created_at: user.created_at,
            }),
            Err(e) if e.code() == Some(ErrorCode::NotFound) => None,
            Err(e) => return Err(e.into()),
        }
    };
    found.ok_or_else(|| {
        CliError::new(
            Exit::Error,
            format!(
                "no account is {account}; find it with `acctl admin users list --query {}`",
                account.split('@').next().unwrap_or(account)
            ),
        )
    })
}

/// Sends `write`; asked for a fresh proof, asks the password once and
/// sends it again.
async fn write(client: &Client, write: AdminWrite, args: WriteArgs) -> Result<(), CliError> {
    let user = resolve(client, &args.account).await?;
    let admin = client.admin();
    let done = match admin.write(write, &user.id, &args.reason).await {
        Err(e) if e.code() == Some(ErrorCode::StepUpRequired) => {
            let input = SecretInput::new(args.password_stdin, "your password");
            let password = input.read("Your password, to confirm it is you: ", "your password")?;
            let proof = StepUpRequest {
                password: Some(password),
                code: None,
            };
            admin.step_up(&proof).await.map_err(wrong_password)?;
            admin.write(write, &user.id, &args.reason).await
        }
        other => other,
    }
    .map_err(|e| refused(e, &user.email))?;
    println!("{}", show::done(write, &user.email, &done));
    Ok(())
}

async fn audit(client: &Client, args: AuditArgs) -> Result<(), CliError> {
    let actor = match &args.actor {
        Some(account) => Some(resolve_any(client, account).await?),
        None => None,
    };
    let target = match &args.target {
        Some(account) => Some(resolve_any(client, account).await?),
        None => None,
    };
    let admin = client.admin();
    let (entries, more) = newest(args.limit, |page| {
        let query = AuditQuery {
            actor: actor.clone(),
            target: target.clone(),
            action: args.action,
            limit: page.limit,
            cursor: page.cursor,
        };
        let admin = &admin;
        async move { admin.audit(&query).await }
    })
    .await?;
    if args.json.wanted() {
        return args.json.print(&entries);
    }
    print!("{}", show::audit(&entries, more));
    Ok(())
}

/// An email is looked up; anything else is taken as an id, so entries
/// about accounts since deleted can still be found.
async fn resolve_any(client: &Client, account: &str) -> Result<String, CliError> {
    if account.contains('@') {
        return Ok(resolve(client, account).await?.id);
    }
    Ok(account.trim().to_string())
}

fn wrong_password(error: ApiError) -> CliError {
    if error.code() == Some(ErrorCode::ValidationFailed) {
        return CliError::new(
            Exit::Error,
            "that is not your password (or code); nothing was changed",
        );
    }
    error.into()
}

/// The server's refusals that running again will not change.
fn refused(error: ApiError, email: &str) -> CliError {
    let message = match error.code() {
        Some(ErrorCode::OwnAccount) => {
            format!("{email} is your own account; another administrator has to do this")
        }
        Some(ErrorCode::Conflict) => format!("{email}: {error}; nothing was changed"),
        Some(ErrorCode::ValidationFailed) => format!("the reason: {error}"),
        _ => return error.into(),
    };
    CliError::new(Exit::Refused, message)
}
