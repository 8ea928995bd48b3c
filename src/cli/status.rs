//! `acctl status [--json]`: signed in (0), sign in needed (4), or the server
//! cannot be reached (3) — checked against the server, not guessed locally.

use acctl_api::Account;
use serde::Serialize;

use super::json::JsonArg;
use super::session::ProfileSession;
use super::{CliError, Exit, Invocation};
use acctl_client::ServiceKind;
use acctl_client::tokens::StoreKind;

/// The JSON of `acctl status --json`. Keys are stable: scripts read them.
#[derive(Debug, Serialize)]
struct StatusReport {
    profile: String,
    /// The profile's server; null when there is no profile yet.
    server: Option<String>,
    /// The kind of service there (`acctd`, `allauth`, `better-auth`).
    service: Option<ServiceKind>,
    /// True or false as the server says; null when it could not be asked.
    signed_in: Option<bool>,
    account: Option<Account>,
    token_store: StoreKind,
    error: Option<String>,
}

pub(super) async fn run(inv: Invocation, json: &JsonArg) -> Result<(), CliError> {
    let session = ProfileSession::open(&inv).await?;
    let mut report = StatusReport {
        profile: inv.profile.clone(),
        server: session.server().map(str::to_string),
        service: session.profile.as_ref().map(|p| p.service),
        signed_in: Some(false),
        account: None,
        token_store: session.opened.store.kind(),
        error: None,
    };
    let outcome = check(&inv, &session).await;
    let session_id = match &outcome {
        Ok((account, session_id)) => {
            report.signed_in = Some(true);
            report.account = Some(account.clone());
            session_id.clone()
        }
        Err(error) => {
            report.signed_in = (error.exit == Exit::AuthNeeded).then_some(false);
            report.error = Some(error.message.clone());
            None
        }
    };
    if json.wanted() {
        json.print(&report)?;
    } else {
        print!("{}", human(&report, session_id.as_deref()));
        let notice = session.opened.notice.as_deref();
        if let Some(note) = store_note(report.token_store, notice) {
            println!("{note}");
        }
    }
    outcome.map(|_| ())
}

/// What the person should know about where the tokens are kept: how long
/// the kernel keyring keeps them, or why they are in memory only.
pub(super) fn store_note(kind: StoreKind, notice: Option<&str>) -> Option<String> {
    match kind {
        StoreKind::KernelKeyutils => Some(kernel_keyring_note(persistent_expiry_days())),
        StoreKind::Memory => notice.map(|n| format!("Note: {n}")),
        _ => None,
    }
}

/// The kernel drops the persistent keyring this many days after its last
/// use (`/proc/sys/kernel/keys/persistent_keyring_expiry`, 3 by default).
fn persistent_expiry_days() -> u64 {
    std::fs::read_to_string("/proc/sys/kernel/keys/persistent_keyring_expiry")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(3, |secs| secs.div_ceil(86_400))
}

fn kernel_keyring_note(days: u64) -> String {
    let plural = if days == 1 { "" } else { "s" };
    format!(
        "Note: the kernel keyring keeps these tokens while you are logged in, then in \
         your persistent keyring (what an SSH login uses), which the kernel drops after \
         {days} day{plural} unused and at every reboot; then sign in again."
    )
}

/// Asks the server who we are (refreshing the tokens if they expired).
pub(super) async fn check(
    inv: &Invocation,
    session: &ProfileSession,
) -> Result<(Account, Option<String>), CliError> {
    let client = session.client(inv).await?;
    match client.me().get().await {
        Ok(account) => {
            let session_id = client.tokens().await.map(|t| t.session_id);
            Ok((account, session_id))
        }
        Err(error) => {
            let mut error = CliError::from(error);
            if error.exit == Exit::Unreachable {
                // Not the same as signed out: the tokens are still here.
                error
                    .message
                    .push_str(" Your sign-in is kept; try again when the server answers");
            }
            Err(error)
        }
    }
}

fn human(report: &StatusReport, session_id: Option<&str>) -> String {
    let signed_in = match (report.signed_in, &report.account) {
        (Some(true), Some(account)) => format!("yes, as {} <{}>", account.name, account.email),
        (Some(true), None) => "yes".to_string(),
        (Some(false), _) => "no".to_string(),
        (None, _) => "unknown (the server could not be asked)".to_string(),
    };
    let mut lines = vec![
        ("Profile", report.profile.clone()),
        (
            "Server",
            report.server.clone().unwrap_or_else(|| "(none yet)".into()),
        ),
    ];
    if let Some(kind) = report.service {
        lines.push(("Service", kind.name().to_string()));
    }
    lines.extend([("Signed in", signed_in)]);
    if let Some(at) = report
        .account
        .as_ref()
        .and_then(|a| a.deletion_scheduled_for)
    {
        lines.push((
            "Deletion",
            format!(
                "scheduled for {}; to keep the account, run `{}`",
                super::account::local_date(at),
                super::command_hint(&report.profile, "account delete --cancel")
            ),
        ));
    }
    if let Some(id) = session_id {
        lines.push(("Session", id.to_string()));
    }
    lines.push(("Tokens in", report.token_store.describe().to_string()));
    lines
        .into_iter()
        .map(|(label, value)| format!("{:<11}{value}\n", format!("{label}:")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(signed_in: Option<bool>) -> StatusReport {
        StatusReport {
            profile: "default".into(),
            server: Some("http://127.0.0.1:8080".into()),
            service: Some(ServiceKind::Allauth),
            signed_in,
            account: None,
            token_store: StoreKind::SecretService,
            error: None,
        }
    }

    #[test]
    fn json_keys_are_stable() {
        let value = serde_json::to_value(report(None)).expect("serialises");
        let mut keys: Vec<&str> = value
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "account",
                "error",
                "profile",
                "server",
                "service",
                "signed_in",
                "token_store"
            ]
        );
        assert_eq!(value["token_store"], "secret_service");
        assert_eq!(value["service"], "allauth");
        assert!(value["signed_in"].is_null());
    }

    #[test]
    fn a_scheduled_deletion_is_shown_with_how_to_cancel() {
        // Serde defaults fill the fields this test does not care about.
        let account: Account = serde_json::from_value(serde_json::json!({
            "id": "u1", "email": "a@b.co", "email_verified": true, "name": "Ada",
            "display_name": null, "created_at": "2026-01-01T00:00:00Z",
            "mfa_enabled": false, "active_sessions": 1, "last_sign_in": null,
            "deletion_scheduled_for": "2026-12-16T10:00:00Z",
        }))
        .expect("an account");
        let mut signed_in = report(Some(true));
        signed_in.account = Some(account.clone());
        signed_in.profile = "work".into();
        let text = human(&signed_in, None);
        let at = account.deletion_scheduled_for.expect("scheduled");
        assert!(
            text.contains(&format!(
                "Deletion:  scheduled for {}; to keep the account, run \
                 `acctl --profile work account delete --cancel`\n",
                crate::cli::account::local_date(at)
            )),
            "{text}"
        );
        signed_in.account = Some(Account {
            deletion_scheduled_for: None,
            ..account
        });
        assert!(!human(&signed_in, None).contains("Deletion"));
    }

    #[test]
    fn the_kernel_keyring_note_says_how_long_tokens_last() {
        let note = store_note(StoreKind::KernelKeyutils, None).expect("a note");
        assert!(note.contains("persistent keyring"), "{note}");
        assert!(kernel_keyring_note(3).contains("after 3 days unused and at every reboot"));
        assert!(kernel_keyring_note(1).contains("after 1 day unused"));
        assert_eq!(store_note(StoreKind::SecretService, None), None);
        let memory = store_note(StoreKind::Memory, Some("No keyring works here (x)."));
        assert_eq!(memory.as_deref(), Some("Note: No keyring works here (x)."));
    }

    #[test]
    fn human_output_never_claims_signed_out_when_unsure() {
        let text = human(&report(None), None);
        assert!(text.contains("Signed in: unknown"), "{text}");
        let text = human(&report(Some(false)), None);
        assert!(text.contains("Signed in: no"), "{text}");
        assert!(text.contains("Tokens in: Secret Service keyring"), "{text}");
        assert!(text.contains("Service:   django-allauth\n"), "{text}");
    }
}
