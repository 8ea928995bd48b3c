//! `acctl login`: sign in, keep the tokens in the store, remember the
//! profile's server and email. Asks (without echo for secrets) for what the
//! flags leave out.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use acctl_api::{LoginMfaRequest, MfaChallenge, SecretText};
use secrecy::zeroize::Zeroizing;

use super::session::{load_profile, open_store};
use super::{CliError, Exit, Invocation, LoginArgs};
use acctl_client::profiles::{self, Profile};
use acctl_client::tokens::StoreKind;
use acctl_client::{Client, LoginOutcome, TokenPersistence};

pub(super) async fn run(inv: Invocation, args: LoginArgs) -> Result<(), CliError> {
    let config_dir = inv.config_dir.clone().ok_or_else(|| {
        CliError::new(
            Exit::Usage,
            "no config directory is known to keep the profile in; set ACCTL_CONFIG_DIR",
        )
    })?;
    let known = load_profile(&inv)?;
    let server = pick_server(&inv, known.as_ref())?;
    let email = match args.email {
        Some(email) => email,
        None if args.password_stdin => {
            return Err(CliError::new(Exit::Usage, "--password-stdin needs --email"));
        }
        None => prompt_line("Email", known.as_ref().and_then(|p| p.email.as_deref()))?,
    };
    let password = read_password(args.password_stdin)?;

    let opened = open_store(&inv).await;
    let persistence = TokenPersistence::new(opened.store.clone(), &inv.profile);
    let client = Client::with_persistence(&server, inv.config.client_options(), persistence)?;
    sign_in(&client, &email, password).await?;
    save_profile(&config_dir, &inv.profile, &client, &email)?;

    let kind = opened.store.kind();
    println!(
        "Signed in to {} as {email} (tokens in: {kind})",
        client.base_url()
    );
    if kind == StoreKind::Memory {
        eprintln!("{}", memory_warning(opened.notice.as_deref()));
    }
    Ok(())
}

/// `--server`, else the profile's server, else `server` from the settings,
/// else ask.
fn pick_server(inv: &Invocation, known: Option<&Profile>) -> Result<String, CliError> {
    inv.server_flag
        .clone()
        .or_else(|| known.map(|p| p.server.clone()))
        .or_else(|| inv.config.server.clone())
        .map_or_else(|| prompt_line("Server URL", None), Ok)
}

async fn sign_in(client: &Client, email: &str, password: SecretText) -> Result<(), CliError> {
    let outcome = client
        .auth()
        .login(email, password)
        .await
        .map_err(CliError::from)?;
    let challenge = match outcome {
        LoginOutcome::SignedIn(_) => return Ok(()),
        LoginOutcome::MfaRequired(challenge) => challenge,
    };
    let request = second_factor(challenge)?;
    match client
        .auth()
        .login_mfa(request)
        .await
        .map_err(CliError::from)?
    {
        LoginOutcome::SignedIn(_) => Ok(()),
        LoginOutcome::MfaRequired(_) => Err(CliError::new(
            Exit::AuthNeeded,
            "the server asked for a second factor again; run `acctl login` to start over",
        )),
    }
}

/// Asks for the code from the authenticator app (or a recovery code).
fn second_factor(challenge: MfaChallenge) -> Result<LoginMfaRequest, CliError> {
    let typed = rpassword::prompt_password("Authentication code (or a recovery code): ")
        .map(Zeroizing::new)
        .map_err(|_| {
            CliError::new(
                Exit::AuthNeeded,
                "this account needs a second factor; run `acctl login` in a terminal to enter it",
            )
        })?;
    Ok(mfa_request(challenge.mfa_token, typed.trim()))
}

/// Six to eight digits are an authenticator code; anything else is taken
/// as a recovery code.
fn mfa_request(mfa_token: SecretText, typed: &str) -> LoginMfaRequest {
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let is_code = (6..=8).contains(&compact.len()) && compact.chars().all(|c| c.is_ascii_digit());
    LoginMfaRequest {
        mfa_token,
        code: is_code.then(|| SecretText::new(compact.clone())),
        recovery_code: (!is_code).then(|| SecretText::new(typed)),
    }
}

fn save_profile(
    dir: &std::path::Path,
    name: &str,
    client: &Client,
    email: &str,
) -> Result<(), CliError> {
    let profile = Profile {
        server: client.base_url().to_string(),
        email: Some(email.to_string()),
    };
    profiles::save(dir, name, &profile).map_err(|e| {
        CliError::new(
            Exit::Error,
            format!("signed in, but the profile could not be saved: {e}"),
        )
    })
}

fn memory_warning(notice: Option<&str>) -> String {
    let why = notice.unwrap_or("keyring.backend is set to memory.");
    format!(
        "warning: the tokens are in memory only, so this sign-in lasts only for this \
         command; the next `acctl` command will ask you to sign in again.\n{why}"
    )
}

/// One line from the terminal, e.g. the email; `default` when left empty.
fn prompt_line(label: &str, default: Option<&str>) -> Result<String, CliError> {
    let flag = label.to_lowercase().replace(' ', "-").replace("-url", "");
    if !std::io::stdin().is_terminal() {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "no terminal to ask for the {}; pass --{flag}",
                label.to_lowercase()
            ),
        ));
    }
    match default {
        Some(default) => eprint!("{label} [{default}]: "),
        None => eprint!("{label}: "),
    }
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::new(Exit::Error, format!("could not read the {label}: {e}")))?;
    match (line.trim(), default) {
        ("", Some(default)) => Ok(default.to_string()),
        ("", None) => Err(CliError::new(
            Exit::Usage,
            format!("no {} given", label.to_lowercase()),
        )),
        (value, _) => Ok(value.to_string()),
    }
}

/// The password from stdin's first line, or asked for without echo.
fn read_password(from_stdin: bool) -> Result<SecretText, CliError> {
    let password = if from_stdin {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            CliError::new(
                Exit::Usage,
                format!("could not read the password from standard input: {e}"),
            )
        })?;
        Zeroizing::new(line.trim_end_matches(['\n', '\r']).to_string())
    } else {
        rpassword::prompt_password("Password: ")
            .map(Zeroizing::new)
            .map_err(|_| {
                CliError::new(
                    Exit::Usage,
                    "no terminal to ask for the password; pass --password-stdin",
                )
            })?
    };
    if password.is_empty() {
        return Err(CliError::new(Exit::Usage, "the password is empty"));
    }
    Ok(SecretText::new(password.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_a_code_and_anything_else_a_recovery_code() {
        let request = mfa_request(SecretText::new("t"), "123 456");
        assert_eq!(
            request.code.as_ref().map(SecretText::expose),
            Some("123456")
        );
        assert!(request.recovery_code.is_none());

        let request = mfa_request(SecretText::new("t"), "abcd-efgh-ijkl");
        assert!(request.code.is_none());
        assert_eq!(
            request.recovery_code.as_ref().map(SecretText::expose),
            Some("abcd-efgh-ijkl")
        );
    }

    #[test]
    fn memory_only_sign_ins_explain_themselves() {
        let text = memory_warning(Some("No keyring works here (x)."));
        assert!(text.contains("lasts only for this command"), "{text}");
        assert!(text.contains("No keyring works here"), "{text}");
    }
}
