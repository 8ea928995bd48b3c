//! `acctl mfa status|enroll|disable|recovery-codes regenerate`: two-factor
//! sign-in with an authenticator app (TOTP) and its one-time recovery codes.

use acctl_client::Feature;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use acctl_api::{MfaStatus, RecoveryCodes, SecretText, TotpEnrollment};
use serde::Serialize;

use super::json::JsonArg;
use super::password::{SecretInput, field_errors};
use super::session::ProfileSession;
use super::{CliError, Exit, Invocation, MfaEnrollArgs, command_hint};
use crate::widgets::qr::Qr;
use acctl_client::Client;

const MFA_FIELDS: &[(&str, &str)] = &[("password", "password"), ("code", "code")];

/// Recovery codes left at which `mfa status` suggests making new ones.
const FEW_CODES: u32 = 3;

/// The JSON of `acctl mfa status --json`. Keys are stable: scripts read them.
#[derive(Debug, Serialize)]
struct StatusReport {
    /// "on", "off" or "pending" (enrolment started, not confirmed).
    two_factor: &'static str,
    totp_enabled: bool,
    totp_pending: bool,
    /// null when the service does not tell (Better Auth).
    recovery_codes_remaining: Option<u32>,
}

impl StatusReport {
    fn new(status: &MfaStatus, left: Option<u32>) -> Self {
        Self {
            two_factor: state(status),
            totp_enabled: status.totp_enabled,
            totp_pending: status.totp_pending,
            recovery_codes_remaining: left,
        }
    }
}

fn state(status: &MfaStatus) -> &'static str {
    match (status.totp_enabled, status.totp_pending) {
        (true, _) => "on",
        (false, true) => "pending",
        (false, false) => "off",
    }
}

pub(super) async fn status(inv: Invocation, json: &JsonArg) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Mfa)
        .await?;
    let status = client.security().mfa_status().await?;
    let told = client.capabilities().await?.has(Feature::RecoveryCodesLeft);
    let left = told.then_some(status.recovery_codes_remaining);
    if json.wanted() {
        json.print(&StatusReport::new(&status, left))?;
    } else {
        print!("{}", human_status(&status, left, &inv.profile));
    }
    Ok(())
}

/// `left`: the recovery codes left, None when the service does not tell.
fn human_status(status: &MfaStatus, left: Option<u32>, profile: &str) -> String {
    let enroll = command_hint(profile, "mfa enroll");
    match state(status) {
        "on" => {
            let Some(left) = left else {
                return "Two-factor sign-in: on (authenticator app)\n\
                        Recovery codes:     the service does not say how many are left\n"
                    .to_string();
            };
            let mut text = format!(
                "Two-factor sign-in: on (authenticator app)\nRecovery codes:     {left} left\n"
            );
            if left <= FEW_CODES {
                text.push_str(&format!(
                    "Make new ones before you run out: `{}`\n",
                    command_hint(profile, "mfa recovery-codes regenerate")
                ));
            }
            text
        }
        "pending" => format!(
            "Two-factor sign-in: pending (started, but not confirmed with a code)\n\
             Run `{enroll}` to start again.\n"
        ),
        _ => format!("Two-factor sign-in: off\nTurn it on with `{enroll}`.\n"),
    }
}

pub(super) async fn enroll(inv: Invocation, args: MfaEnrollArgs) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Mfa)
        .await?;
    let status = client.security().mfa_status().await?;
    if status.totp_enabled {
        return Err(CliError::new(
            Exit::Error,
            format!(
                "two-factor sign-in is already on; to move it to another authenticator, \
                 run `{}` first",
                command_hint(&inv.profile, "mfa disable")
            ),
        ));
    }
    // Refused now rather than after the codes exist.
    if let Some(path) = &args.save_codes {
        check_new_file(path)?;
    }
    let input = SecretInput::new(
        args.password_stdin,
        "the password, then the code from the app",
    );
    let password = input.read("Password: ", "the password")?;
    let enrolment = client
        .security()
        .enroll_totp(password)
        .await
        .map_err(|e| field_errors(e, MFA_FIELDS))?;
    print!("{}", enrolment_text(&enrolment, args.invert));
    // A script reads the key from a pipe before it writes the code.
    let _ = std::io::stdout().flush();

    let codes = confirm(&client, &input, &inv.profile).await?;
    println!("Two-factor sign-in is on. Signing in now takes a code from the app.");
    show_codes(&codes, args.save_codes.as_deref())
}

/// The QR code, the key in groups of four, and the otpauth URI.
fn enrolment_text(enrolment: &TotpEnrollment, invert: bool) -> String {
    let uri = enrolment.otpauth_uri.expose();
    let mut text = String::new();
    match Qr::new(uri) {
        Ok(qr) => {
            text.push_str("Scan this QR code with your authenticator app:\n\n");
            for line in qr.lines(invert) {
                text.push_str(&line);
                text.push('\n');
            }
            let flip = if invert { "without" } else { "with" };
            text.push_str(&format!("\n(Does not scan? Try again {flip} --invert.)\n"));
        }
        Err(e) => text.push_str(&format!("No QR code: {e}.\n")),
    }
    text.push_str(&format!(
        "Or type this key into the app: {}\n",
        key_groups(enrolment.secret_base32.expose())
    ));
    text.push_str(&format!(
        "Or open this link on the device with the app: {uri}\n"
    ));
    text
}

/// "JBSW Y3DP EHPK" is easier to type than "JBSWY3DPEHPK".
fn key_groups(key: &str) -> String {
    let chars: Vec<char> = key.chars().filter(|c| !c.is_whitespace()).collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asks for the code until the server takes it. A wrong code leaves the
/// enrolment pending, so it is asked again rather than started over.
async fn confirm(
    client: &Client,
    input: &SecretInput,
    profile: &str,
) -> Result<RecoveryCodes, CliError> {
    let mut tries_left = input.tries();
    loop {
        tries_left -= 1;
        let code = read_code(input)?;
        let error = match client.security().confirm_totp(code).await {
            Ok(codes) => return Ok(codes),
            Err(e) => e,
        };
        let wrong_code = error
            .field_errors()
            .is_some_and(|fields| fields.contains_key("code"));
        let mut error = field_errors(error, MFA_FIELDS);
        if wrong_code && tries_left > 0 {
            let tries = if tries_left == 1 { "try" } else { "tries" };
            eprintln!("{} ({tries_left} more {tries})", error.message);
            continue;
        }
        error.message.push_str(&format!(
            " Two-factor sign-in is still off; run `{}` to start again.",
            command_hint(profile, "mfa enroll")
        ));
        return Err(error);
    }
}

/// A 6-digit code from the app; spaces are dropped ("123 456").
fn read_code(input: &SecretInput) -> Result<SecretText, CliError> {
    let typed = input.read("Code from the app: ", "the code from the app")?;
    let code: String = typed
        .expose()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Ok(SecretText::new(code))
}

pub(super) async fn disable(inv: Invocation, password_stdin: bool) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Mfa)
        .await?;
    require_on(&client, &inv.profile).await?;
    let input = SecretInput::new(password_stdin, "the password, then a code from the app");
    let password = input.read("Password: ", "the password")?;
    let code = read_code(&input)?;
    client
        .security()
        .disable_totp(password, code)
        .await
        .map_err(|e| field_errors(e, MFA_FIELDS))?;
    println!(
        "Two-factor sign-in is off, and your recovery codes no longer work. \
         Turn it on again with `{}`.",
        command_hint(&inv.profile, "mfa enroll")
    );
    Ok(())
}

pub(super) async fn regenerate(
    inv: Invocation,
    password_stdin: bool,
    save_codes: Option<PathBuf>,
) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::RecoveryCodes)
        .await?;
    require_on(&client, &inv.profile).await?;
    if let Some(path) = &save_codes {
        check_new_file(path)?;
    }
    let input = SecretInput::new(password_stdin, "the password");
    let password = input.read("Password: ", "the password")?;
    let codes = client
        .security()
        .regenerate_recovery_codes(password)
        .await
        .map_err(|e| field_errors(e, MFA_FIELDS))?;
    println!("New recovery codes made; the old ones no longer work.");
    show_codes(&codes, save_codes.as_deref())
}

/// Two-factor sign-in must be on for disable and new recovery codes.
async fn require_on(client: &Client, profile: &str) -> Result<(), CliError> {
    if client.security().mfa_status().await?.totp_enabled {
        return Ok(());
    }
    Err(CliError::new(
        Exit::Error,
        format!(
            "two-factor sign-in is not on; turn it on with `{}`",
            command_hint(profile, "mfa enroll")
        ),
    ))
}

/// The codes, once, and the file they were saved to.
fn show_codes(codes: &RecoveryCodes, save: Option<&Path>) -> Result<(), CliError> {
    println!(
        "Your recovery codes. Store these now, they are not shown again. \
         Each signs you in once without the app:"
    );
    for code in &codes.recovery_codes {
        println!("  {}", code.expose());
    }
    let Some(path) = save else {
        return Ok(());
    };
    let mut contents = String::new();
    for code in &codes.recovery_codes {
        contents.push_str(code.expose());
        contents.push('\n');
    }
    crate::files::create_private(path, &SecretText::new(contents)).map_err(|e| {
        CliError::new(
            Exit::Error,
            format!("the recovery codes are shown above, but were not saved: {e}"),
        )
    })?;
    println!("Saved them to {} (only you can read it).", path.display());
    Ok(())
}

/// The file for `--save-codes` must not exist yet (it is never
/// overwritten) and its folder must.
fn check_new_file(path: &Path) -> Result<(), CliError> {
    let shown = path.display();
    if path.symlink_metadata().is_ok() {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "{shown} already exists; --save-codes never overwrites, so choose another name"
            ),
        ));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(CliError::new(
            Exit::Usage,
            format!("the folder of {shown} does not exist; create it or choose another"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
