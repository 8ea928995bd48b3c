//! `acctl account delete [--cancel]`: schedule the account's deletion after
//! the server's grace period (password and the word DELETE), or cancel it.

use acctl_client::Feature;
use std::io::{BufRead as _, IsTerminal as _, Write as _};

use acctl_api::ErrorCode;
use acctl_api::privacy::{DELETE_CONFIRMATION, DeletionStatus};
use chrono::{DateTime, Local, Utc};
use clap::{Args, Subcommand};

use super::password::{SecretInput, field_errors};
use super::session::ProfileSession;
use super::{CliError, Exit, Invocation, command_hint};

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Schedule your account's deletion: your data is removed after the
    /// server's grace period, and until then you can still sign in and
    /// cancel. Asks for your password and the word DELETE.
    Delete(AccountDeleteArgs),
}

#[derive(Debug, Args)]
pub struct AccountDeleteArgs {
    /// Cancel a scheduled deletion; the account stays.
    #[arg(long, conflicts_with_all = ["password_stdin", "confirm"])]
    pub cancel: bool,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
    /// The word DELETE, for scripts (asked for at a terminal otherwise).
    #[arg(long, value_name = "WORD")]
    pub confirm: Option<String>,
    /// Also sign out every other device now. Without it they stay signed
    /// in, and cancelling the deletion leaves everything as it was.
    #[arg(long, conflicts_with = "cancel")]
    pub sign_out_others: bool,
}

const DELETION_FIELDS: &[(&str, &str)] = &[("password", "password"), ("confirmation", "--confirm")];

pub(super) async fn run(inv: Invocation, command: AccountCommand) -> Result<(), CliError> {
    match command {
        AccountCommand::Delete(args) if args.cancel => cancel(inv).await,
        AccountCommand::Delete(args) => delete(inv, args).await,
    }
}

/// A word typed with --confirm is checked before anything is sent.
pub(super) fn check_word(word: &str) -> Result<(), CliError> {
    if word == DELETE_CONFIRMATION {
        return Ok(());
    }
    Err(CliError::new(
        Exit::Usage,
        format!(
            "--confirm: type {DELETE_CONFIRMATION} exactly, in capitals, to delete the account; \
             nothing was changed"
        ),
    ))
}

/// The word by flag must be right, and without a terminal it must be
/// there: both told before anything is sent.
fn check_confirmation(args: &AccountDeleteArgs) -> Result<(), CliError> {
    match &args.confirm {
        Some(word) => check_word(word),
        None if !std::io::stdin().is_terminal() => Err(CliError::new(
            Exit::Usage,
            format!(
                "no terminal to confirm the deletion; pass --confirm {DELETE_CONFIRMATION} \
                 (and --password-stdin)"
            ),
        )),
        None => Ok(()),
    }
}

async fn delete(inv: Invocation, args: AccountDeleteArgs) -> Result<(), CliError> {
    check_confirmation(&args)?;
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::AccountDeletion)
        .await?;
    let status = client.privacy().deletion().await?;
    let cancel_hint = command_hint(&inv.profile, "account delete --cancel");
    if let Some(at) = status.scheduled_for {
        return Err(CliError::new(
            Exit::Error,
            format!(
                "your account is already scheduled for deletion on {}; to keep it, run `{cancel_hint}`",
                local_date(at)
            ),
        ));
    }
    let input = SecretInput::new(args.password_stdin, "the password");
    if !input.reads_stdin() {
        eprintln!("{}", warning_text(&status, args.sign_out_others));
    }
    let password = input.read("Password: ", "the password")?;
    let word = match args.confirm {
        Some(word) => word,
        None => ask_word()?,
    };
    let scheduled = client
        .privacy()
        .schedule_deletion(password, &word, args.sign_out_others)
        .await
        .map_err(refused_deletion)?;
    print!(
        "{}",
        scheduled_text(&scheduled, args.sign_out_others, &cancel_hint)
    );
    Ok(())
}

/// At a terminal: the word, typed (with echo: it is not a secret).
fn ask_word() -> Result<String, CliError> {
    eprint!("Type {DELETE_CONFIRMATION} to delete your account: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::new(Exit::Usage, format!("could not read the word: {e}")))?;
    let word = line.trim().to_string();
    check_word(&word).map_err(|_| {
        CliError::new(
            Exit::Usage,
            format!("that was not {DELETE_CONFIRMATION}; nothing was changed"),
        )
    })?;
    Ok(word)
}

/// A wrong password is said on `password`, whichever way the server puts it.
fn refused_deletion(error: acctl_client::ApiError) -> CliError {
    if error.code() == Some(ErrorCode::InvalidCredentials) {
        let mut cli = CliError::new(
            Exit::Error,
            "password: that is not your password. Nothing was changed.",
        );
        cli.request_id = error.request_id().map(str::to_string);
        return cli;
    }
    let mut cli = field_errors(error, DELETION_FIELDS);
    if cli.exit == Exit::Error && !cli.message.contains("Nothing was changed") {
        cli.message.push_str(" Nothing was changed.");
    }
    cli
}

/// What deleting will do, said before the password is asked for.
fn warning_text(status: &DeletionStatus, sign_out_others: bool) -> String {
    match status.grace_days {
        // Better Auth deletes at once.
        0 => "Your account and its data will be deleted at once, and every device signed \
              out; this cannot be undone."
            .to_string(),
        days => format!(
            "Your account and its data will be deleted {days} days from now; until then you \
             can sign in and cancel. {}",
            others_text(sign_out_others)
        ),
    }
}

/// What happens to the other devices, said before and after.
fn others_text(sign_out_others: bool) -> &'static str {
    if sign_out_others {
        "Every other device is signed out now; cancelling will not sign them back in."
    } else {
        "Your other devices stay signed in (--sign-out-others signs them out now)."
    }
}

fn scheduled_text(status: &DeletionStatus, sign_out_others: bool, cancel_hint: &str) -> String {
    if status.grace_days == 0 {
        return "Your account was deleted, and every device signed out of it.\n".to_string();
    }
    let when = status.scheduled_for.map_or_else(
        || "after the grace period".to_string(),
        |at| format!("on {}", local_date(at)),
    );
    let others = if sign_out_others {
        "Your other devices were signed out."
    } else {
        "Your other devices are still signed in."
    };
    format!(
        "Your account will be deleted {when}. Until then you can sign in as usual. {others}\n\
         To keep it, run `{cancel_hint}`.\n"
    )
}

async fn cancel(inv: Invocation) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::AccountDeletion)
        .await?;
    if client.privacy().deletion().await?.scheduled_for.is_none() {
        println!("No deletion is scheduled; nothing to cancel.");
        return Ok(());
    }
    client.privacy().cancel_deletion().await?;
    println!("Deletion canceled; your account stays.");
    Ok(())
}

/// A day and time in the local zone, as the other commands show times.
pub(super) fn local_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use acctl_api::Problem;

    #[test]
    fn only_the_exact_word_confirms() {
        assert!(check_word("DELETE").is_ok());
        for wrong in ["delete", "DELETE ", "yes", ""] {
            let err = check_word(wrong).expect_err("refused");
            assert_eq!(err.exit, Exit::Usage, "{wrong:?}");
            assert!(err.message.starts_with("--confirm: "), "{}", err.message);
        }
    }

    #[test]
    fn a_wrong_password_is_named_as_such() {
        let problem = Problem::new(ErrorCode::ValidationFailed, "see errors")
            .with_field("password", "The password is wrong.");
        let cli = refused_deletion(acctl_client::ApiError::Problem {
            problem: Box::new(problem),
        });
        assert_eq!(cli.exit, Exit::Error);
        assert_eq!(
            cli.message,
            "password: The password is wrong. Nothing was changed."
        );
        let cli = refused_deletion(acctl_client::ApiError::Problem {
            problem: Box::new(Problem::new(ErrorCode::InvalidCredentials, "wrong")),
        });
        assert_eq!(cli.exit, Exit::Error, "not a sign-out: exit 1, not 4");
        assert!(cli.message.starts_with("password: "), "{}", cli.message);
    }

    #[test]
    fn the_scheduled_text_says_when_and_how_to_cancel() {
        let at: DateTime<Utc> = "2026-12-16T10:00:00Z".parse().expect("time");
        let status = DeletionStatus {
            scheduled_for: Some(at),
            requested_at: Some(at),
            grace_days: 14,
        };
        let text = scheduled_text(&status, false, "acctl account delete --cancel");
        assert!(text.contains(&local_date(at)), "{text}");
        assert!(text.contains("`acctl account delete --cancel`"), "{text}");
        assert!(text.contains("still signed in"), "{text}");
        let text = scheduled_text(&status, true, "acctl account delete --cancel");
        assert!(text.contains("were signed out"), "{text}");
    }

    #[test]
    fn a_service_without_a_grace_period_is_said_to_delete_at_once() {
        let now = Utc::now();
        let status = DeletionStatus {
            scheduled_for: Some(now),
            requested_at: Some(now),
            grace_days: 0,
        };
        let text = scheduled_text(&status, false, "acctl account delete --cancel");
        assert_eq!(
            text,
            "Your account was deleted, and every device signed out of it.\n"
        );
        let warning = warning_text(&status, false);
        assert!(warning.contains("at once") && warning.contains("cannot be undone"));
        assert!(!warning.contains("cancel"), "{warning}");
    }
}
