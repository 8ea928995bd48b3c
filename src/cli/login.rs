//! `acctl login`: sign in, keep the tokens in the store, remember the
//! profile's server and email. Asks (without echo for secrets) for what the
//! flags leave out.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use acctl_api::{LoginMfaRequest, MfaChallenge, SecretText};

use super::password::SecretInput;

use super::session::{load_profile, load_tokens, open_store};
use super::{CliError, Exit, Invocation, LoginArgs};
use acctl_client::profiles::{self, Profile};
use acctl_client::tokens::{OpenedStore, StoreKind, StoredTokens};
use acctl_client::{
    ApiError, Client, LoginOutcome, ServiceKind, TokenPersistence, normalize_base_url,
};

pub(super) async fn run(inv: Invocation, args: LoginArgs) -> Result<(), CliError> {
    let config_dir = inv.config_dir.clone().ok_or_else(|| {
        CliError::new(
            Exit::Usage,
            "no config directory is known to keep the profile in; set ACCTL_CONFIG_DIR",
        )
    })?;
    let known = load_profile(&inv)?;
    let server = pick_server(&inv, known.as_ref())?;
    let opened = open_store(&inv).await;
    refuse_without_keyring(&opened)?;
    let email = match args.email {
        Some(email) => email,
        None if args.password_stdin => {
            return Err(CliError::new(Exit::Usage, "--password-stdin needs --email"));
        }
        None => prompt_line("Email", known.as_ref().and_then(|p| p.email.as_deref()))?,
    };
    let input = SecretInput::new(
        args.password_stdin,
        "the password, then the two-factor code if the account asks for one",
    );
    let password = input.read("Password: ", "the password")?;

    let mut options = inv.config.client_options();
    let found = acctl_client::detect(&server, args.service, &options).await?;
    options.service = found.kind;
    let persistence = TokenPersistence::new(opened.store.clone(), &inv.profile);
    let client = Client::with_persistence(&found.base_url, options, persistence)?;
    let previous = previous_session(&opened, &inv.profile, known.as_ref(), &client).await;
    sign_in(&client, &email, password, &input).await?;
    save_profile(&config_dir, &inv.profile, &client, &email)?;
    if let Some(previous) = previous {
        end_previous(&inv, &client, previous).await;
    }

    let kind = opened.store.kind();
    // acctd goes unnamed, as it always was; another kind is named.
    let service = match client.service() {
        ServiceKind::Acctd => String::new(),
        other => format!("{other} at "),
    };
    println!(
        "Signed in to {service}{} as {email} (tokens in: {kind})",
        client.base_url()
    );
    if kind == StoreKind::Memory {
        // Nothing could end this session later: end it now.
        let ended = client.auth().logout().await.is_ok();
        eprintln!("{}", memory_warning(ended));
    }
    Ok(())
}

/// A sign-in with no keyring to keep it would end with this command while
/// its session stayed on the server: say so before anything is asked or
/// sent. (`keyring.backend = "memory"` asks for exactly that, and is let be.)
fn refuse_without_keyring(opened: &OpenedStore) -> Result<(), CliError> {
    match &opened.notice {
        Some(notice) if opened.store.kind() == StoreKind::Memory => Err(CliError::new(
            Exit::Error,
            format!(
                "acctl cannot keep a sign-in here, so nothing was sent. {notice} \
                 Then run this again."
            ),
        )),
        _ => Ok(()),
    }
}

/// The tokens the profile holds for `server` before this sign-in: the
/// session it replaces, which would otherwise stay signed in on the server.
async fn previous_session(
    opened: &OpenedStore,
    profile: &str,
    known: Option<&Profile>,
    client: &Client,
) -> Option<StoredTokens> {
    let same_server = known
        .filter(|p| p.service == client.service())
        .and_then(|p| normalize_base_url(&p.server).ok())
        .is_some_and(|s| s == client.base_url());
    if !same_server {
        return None;
    }
    load_tokens(&opened.store, profile).await.ok().flatten()
}

/// Signs the replaced session out with its own tokens (whatever account it
/// was); if the server cannot be told, says how to do it later.
async fn end_previous(inv: &Invocation, client: &Client, previous: StoredTokens) {
    let id = previous.session_id.clone();
    let Ok(old) = Client::new(client.base_url(), client.options().clone()) else {
        return;
    };
    old.set_tokens(Some(previous)).await;
    match old.auth().logout().await {
        Ok(()) => {
            if !inv.quiet {
                eprintln!("The profile's previous session ({id}) is signed out on the server.");
            }
        }
        Err(error) => eprintln!(
            "warning: the profile's previous session {id} could not be signed out ({error}); \
             sign it out with `{}`",
            super::command_hint(&inv.profile, &format!("sessions revoke {id}"))
        ),
    }
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

async fn sign_in(
    client: &Client,
    email: &str,
    password: SecretText,
    input: &SecretInput,
) -> Result<(), CliError> {
    let outcome = client
        .auth()
        .login(email, password)
        .await
        .map_err(CliError::from)?;
    let challenge = match outcome {
        LoginOutcome::SignedIn(_) => return Ok(()),
        LoginOutcome::MfaRequired(challenge) => challenge,
    };
    second_factor(client, &challenge, input).await
}

/// Asks for the code from the authenticator app (or a recovery code): at a
/// terminal again after a wrong one, from standard input the next line.
async fn second_factor(
    client: &Client,
    challenge: &MfaChallenge,
    input: &SecretInput,
) -> Result<(), CliError> {
    let mut tries_left = input.tries();
    loop {
        tries_left -= 1;
        let typed = input.read(
            "Authentication code (or a recovery code): ",
            "the two-factor code",
        )?;
        let request = mfa_request(challenge.mfa_token.clone(), typed.expose().trim());
        let error = match client.auth().login_mfa(request).await {
            Ok(LoginOutcome::SignedIn(_)) => return Ok(()),
            Ok(LoginOutcome::MfaRequired(_)) => {
                return Err(CliError::new(
                    Exit::AuthNeeded,
                    "the server asked for a second factor again; run `acctl login` to start over",
                ));
            }
            Err(error) => error,
        };
        let Some(message) = wrong_code_message(&error) else {
            return Err(error.into());
        };
        if tries_left == 0 {
            let mut error = CliError::from(error);
            error.exit = Exit::AuthNeeded;
            error.message = message;
            return Err(error);
        }
        eprintln!("{message}");
    }
}

/// The server's words for a wrong or used code, as the console shows them.
fn wrong_code_message(error: &ApiError) -> Option<String> {
    let fields = error.field_errors()?;
    let messages: Vec<String> = ["code", "recovery_code"]
        .iter()
        .filter_map(|field| fields.get(*field))
        .flatten()
        .map(|m| super::table::one_line(m))
        .collect();
    (!messages.is_empty()).then(|| messages.join(" "))
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
        service: client.service(),
    };
    profiles::save(dir, name, &profile).map_err(|e| {
        CliError::new(
            Exit::Error,
            format!("signed in, but the profile could not be saved: {e}"),
        )
    })
}

fn memory_warning(ended: bool) -> String {
    let ended = if ended {
        "it is signed out again on the server"
    } else {
        "its session could not be signed out on the server; end it from another device"
    };
    format!(
        "warning: the tokens are in memory only (keyring.backend is memory), so this \
         sign-in lasts only for this command: {ended}. The next `acctl` command will \
         ask you to sign in again."
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
        let text = memory_warning(true);
        assert!(text.contains("lasts only for this command"), "{text}");
        assert!(text.contains("signed out again on the server"), "{text}");
        assert!(memory_warning(false).contains("from another device"));
    }

    #[test]
    fn with_no_keyring_nothing_is_asked_or_sent() {
        let fallback = OpenedStore {
            store: std::sync::Arc::new(acctl_client::tokens::MemoryStore::default()),
            notice: Some("No keyring works here (x). Start one.".into()),
        };
        let error = refuse_without_keyring(&fallback).expect_err("refused");
        assert!(
            error.message.contains("nothing was sent"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("No keyring works here"),
            "{}",
            error.message
        );
        let chosen = OpenedStore {
            store: std::sync::Arc::new(acctl_client::tokens::MemoryStore::default()),
            notice: None,
        };
        assert!(refuse_without_keyring(&chosen).is_ok(), "memory by choice");
    }

    #[test]
    fn a_wrong_code_is_told_in_the_servers_words() {
        let mut problem =
            acctl_api::Problem::new(acctl_api::ErrorCode::ValidationFailed, "Some fields");
        problem.errors.insert(
            "code".into(),
            vec!["This code is not right, or was used already.".into()],
        );
        let error = ApiError::Problem {
            problem: Box::new(problem),
        };
        assert_eq!(
            wrong_code_message(&error).as_deref(),
            Some("This code is not right, or was used already.")
        );
        assert_eq!(wrong_code_message(&ApiError::NotSignedIn), None);
    }
}
