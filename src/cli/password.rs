//! `acctl password change`, and what the security commands share: reading
//! secrets (without echo, or one per line with `--password-stdin`) and
//! showing the server's field errors as "new password: ...".

use std::io::BufRead as _;

use acctl_api::admin::PasswordResetRequest;
use acctl_api::password_policy;
use acctl_api::{ChangePasswordRequest, SecretText};
use secrecy::zeroize::Zeroizing;

use super::session::ProfileSession;
use super::{CliError, Exit, Invocation, PasswordChangeArgs, PasswordResetArgs};
use acctl_client::ApiError;

/// Tries a person gets at a terminal for a new password or a code before
/// the command gives up; from standard input there is one.
pub(super) const TERMINAL_TRIES: u32 = 3;

/// Where a command's secrets come from.
pub(super) struct SecretInput {
    from_stdin: bool,
    /// What standard input holds, one per line, for the error when it ends
    /// early, e.g. "the current password, then the new one".
    stdin_lines: &'static str,
}

impl SecretInput {
    pub fn new(from_stdin: bool, stdin_lines: &'static str) -> Self {
        Self {
            from_stdin,
            stdin_lines,
        }
    }

    pub fn reads_stdin(&self) -> bool {
        self.from_stdin
    }

    /// How many tries a wrong new password or code gets.
    pub fn tries(&self) -> u32 {
        if self.from_stdin { 1 } else { TERMINAL_TRIES }
    }

    /// The next secret: asked at the terminal with `prompt` and no echo, or
    /// the next line of standard input. `what` names it in errors.
    pub fn read(&self, prompt: &str, what: &str) -> Result<SecretText, CliError> {
        let typed = if self.from_stdin {
            self.next_line(what)?
        } else {
            rpassword::prompt_password(prompt)
                .map(Zeroizing::new)
                .map_err(|_| {
                    CliError::new(
                        Exit::Usage,
                        format!("no terminal to ask for {what}; pass --password-stdin"),
                    )
                })?
        };
        if typed.is_empty() {
            return Err(CliError::new(Exit::Usage, format!("{what} is empty")));
        }
        Ok(SecretText::new(typed.as_str()))
    }

    fn next_line(&self, what: &str) -> Result<Zeroizing<String>, CliError> {
        let mut line = Zeroizing::new(String::new());
        let read = std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            CliError::new(
                Exit::Usage,
                format!("could not read {what} from standard input: {e}"),
            )
        })?;
        if read == 0 {
            return Err(CliError::new(
                Exit::Usage,
                format!(
                    "standard input ended before {what}; with --password-stdin give {}, one per line",
                    self.stdin_lines
                ),
            ));
        }
        Ok(Zeroizing::new(
            line.trim_end_matches(['\n', '\r']).to_string(),
        ))
    }
}

/// A refused request, with the server's field errors spelled out as
/// "new password: ..." using `labels` (wire name, words for people).
pub(super) fn field_errors(error: ApiError, labels: &[(&str, &str)]) -> CliError {
    let message = error.field_errors().map(|fields| {
        fields
            .iter()
            .map(|(field, messages)| {
                let label = labels
                    .iter()
                    .find(|(name, _)| name == field)
                    .map_or_else(|| field.replace('_', " "), |(_, label)| label.to_string());
                let mut part = format!("{label}: {}", messages.join(" "));
                if !part.ends_with(['.', '!', '?']) {
                    part.push('.');
                }
                part
            })
            .collect::<Vec<_>>()
            .join(" ")
    });
    let mut cli = CliError::from(error);
    if let Some(message) = message {
        cli.message = message;
    }
    cli
}

/// `acctl password reset`: the mailed code and a new password, sent to
/// the server of `--server`, the profile or the config.
pub(super) async fn reset(inv: Invocation, args: PasswordResetArgs) -> Result<(), CliError> {
    let server = super::login::server_for(&inv)?;
    let client = acctl_client::Client::new(&server, inv.config.client_options())?;
    let input = SecretInput::new(
        args.password_stdin,
        "the code from the mail, then the new password",
    );
    let code = input.read("Code from the mail: ", "the code")?;
    let new_password = new_password(&input, args.email.trim())?;
    let request = PasswordResetRequest {
        email: args.email.trim().to_string(),
        code,
        new_password,
    };
    client
        .auth()
        .reset_password(&request)
        .await
        .map_err(|e| field_errors(e, PASSWORD_FIELDS))?;
    println!(
        "Your new password is set. Sign in with `{}`.",
        super::command_hint(&inv.profile, &format!("login --email {}", request.email))
    );
    Ok(())
}

const PASSWORD_FIELDS: &[(&str, &str)] = &[
    ("code", "code"),
    ("current_password", "current password"),
    ("new_password", "new password"),
];

pub(super) async fn change(inv: Invocation, args: PasswordChangeArgs) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv).await?.client(&inv).await?;
    // Before asking for anything: proves the sign-in, and the policy
    // refuses a password that is the account's email.
    let account = client.me().get().await?;
    let input = SecretInput::new(
        args.password_stdin,
        "the current password, then the new one",
    );
    let current_password = input.read("Current password: ", "the current password")?;
    let new_password = new_password(&input, &account.email)?;
    let request = ChangePasswordRequest {
        current_password,
        new_password,
        sign_out_other_sessions: args.sign_out_others,
    };
    client
        .security()
        .change_password(&request)
        .await
        .map_err(|e| field_errors(e, PASSWORD_FIELDS))?;
    if args.sign_out_others {
        println!("Password changed. Every other device was signed out; this one stays signed in.");
    } else {
        println!(
            "Password changed. Other devices stay signed in; sign them out with `{}`.",
            super::command_hint(&inv.profile, "sessions revoke --others")
        );
    }
    Ok(())
}

/// The new password, checked against the policy here first so a weak one
/// is refused without a round trip; at a terminal it is typed twice.
pub(super) fn new_password(input: &SecretInput, email: &str) -> Result<SecretText, CliError> {
    let mut tries_left = input.tries();
    loop {
        tries_left -= 1;
        let password = input.read("New password: ", "the new password")?;
        let problem = match policy_problem(password.expose(), email) {
            None if input.reads_stdin() => return Ok(password),
            None => {
                let again = input.read("New password again: ", "the new password again")?;
                if again.expose() == password.expose() {
                    return Ok(password);
                }
                "new password: the two entries differ.".to_string()
            }
            Some(problem) => problem,
        };
        if tries_left == 0 {
            let mut error = CliError::new(Exit::Error, problem);
            error.message.push_str(" The password was not changed.");
            return Err(error);
        }
        eprintln!("{problem} Try again.");
    }
}

/// What the shared policy says against `password`, as one line.
fn policy_problem(password: &str, email: &str) -> Option<String> {
    let assessment = password_policy::assess(password, email);
    (!assessment.accepted()).then(|| format!("new password: {}", assessment.problems.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use acctl_api::{ErrorCode, Problem};

    #[test]
    fn field_errors_are_named_for_people() {
        let mut problem = Problem::new(ErrorCode::ValidationFailed, "see errors");
        problem.request_id = Some("req-7".into());
        problem.errors.insert(
            "new_password".into(),
            vec!["Use at least 10 characters.".into()],
        );
        problem
            .errors
            .insert("some_field".into(), vec!["Bad.".into(), "Worse.".into()]);
        let error = ApiError::Problem {
            problem: Box::new(problem),
        };
        let cli = field_errors(error, PASSWORD_FIELDS);
        assert_eq!(
            cli.message,
            "new password: Use at least 10 characters. some field: Bad. Worse."
        );
        assert_eq!(cli.exit, Exit::Error);
        assert_eq!(cli.request_id.as_deref(), Some("req-7"));
    }

    #[test]
    fn other_errors_keep_their_message_and_exit() {
        let error = ApiError::Unreachable {
            server: "s".into(),
            reason: "refused".into(),
        };
        let cli = field_errors(error, PASSWORD_FIELDS);
        assert_eq!(cli.exit, Exit::Unreachable);
        assert!(cli.message.contains("cannot reach s"), "{}", cli.message);
    }

    #[test]
    fn the_policy_is_checked_here_with_the_email() {
        let problem = policy_problem("password1", "a@b.co").expect("refused");
        assert!(problem.starts_with("new password: "), "{problem}");
        assert!(policy_problem("a@b.co.a@b.co", "a@b.co.a@b.co").is_some());
        assert_eq!(policy_problem("cedar-otter-lumen-4821", "a@b.co"), None);
    }
}
