//! `acctl email change NEW_EMAIL`: a code (or, from Better Auth, a link)
//! goes to the new address; `acctl email verify CODE` finishes the change
//! with it.

use acctl_api::{ErrorCode, SecretText};
use acctl_client::Feature;

use super::password::{SecretInput, field_errors};
use super::session::ProfileSession;
use super::{CliError, Exit, Invocation, command_hint};
use acctl_client::profiles;

const EMAIL_FIELDS: &[(&str, &str)] = &[("new_email", "new email"), ("password", "password")];

pub(super) async fn change(
    inv: Invocation,
    new_email: &str,
    password_stdin: bool,
) -> Result<(), CliError> {
    let new_email = new_email.trim();
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::EmailChange)
        .await?;
    // Proves the sign-in before the password is asked for.
    let account = client.me().get().await?;
    let input = SecretInput::new(password_stdin, "the password");
    let password = input.read("Password: ", "the password")?;
    client
        .security()
        .request_email_change(new_email, password)
        .await
        .map_err(|e| field_errors(e, EMAIL_FIELDS))?;
    let (what, verify) = match client.capabilities().await?.has(Feature::EmailCode) {
        true => ("code", "email verify CODE"),
        false => ("link", "email verify LINK"),
    };
    println!("A {what} was sent to {new_email}.");
    println!(
        "Run `{}` with it to finish; until then you keep {}.",
        command_hint(&inv.profile, verify),
        account.email
    );
    Ok(())
}

pub(super) async fn verify(inv: Invocation, code: &str) -> Result<(), CliError> {
    // People copy codes with spaces ("123 456"); the server wants the digits.
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.is_empty() {
        return Err(CliError::new(
            Exit::Usage,
            "give the code from the email, e.g. `acctl email verify 123456`",
        ));
    }
    let session = ProfileSession::open(&inv).await?;
    let client = session.client_offering(&inv, Feature::EmailChange).await?;
    client
        .security()
        .verify_email(SecretText::new(code))
        .await
        .map_err(|e| match e.code() {
            Some(ErrorCode::NotFound) => CliError::new(
                Exit::Error,
                format!(
                    "no email change is under way; start one with `{}`",
                    command_hint(&inv.profile, "email change NEW_EMAIL")
                ),
            ),
            _ => field_errors(e, &[("code", "code")]),
        })?;
    let account = client.me().get().await?;
    println!("Your email address is now {}.", account.email);
    // The profile remembers the email as the default for `acctl login`.
    if let (Some(dir), Some(mut profile)) = (&inv.config_dir, session.profile) {
        profile.email = Some(account.email.clone());
        if let Err(e) = profiles::save(dir, &inv.profile, &profile) {
            eprintln!("warning: the profile still names the old address: {e}");
        }
    }
    Ok(())
}
