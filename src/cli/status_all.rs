//! `acctl status --all [--json]` and `acctl switch NAME`: every profile at a
//! glance (like `gh auth status`), and which one is used when none is named.

use serde::Serialize;

use super::json::JsonArg;
use super::session::{ProfileSession, open_store, share_store};
use super::table::{columns, one_line};
use super::{CliError, Exit, Invocation, status};
use acctl_client::ServiceKind;
use acctl_client::profiles::{self, DEFAULT_PROFILE, Profile};
use acctl_client::tokens::{OpenedStore, StoreKind};

/// One element of `acctl status --all --json` (a bare array, as every list).
#[derive(Debug, Serialize)]
struct ProfileStatus {
    profile: String,
    /// The profile used when none is named.
    default: bool,
    server: String,
    /// The kind of service: `acctd`, `allauth` or `better-auth`.
    service: ServiceKind,
    /// The account's email: as the server says when signed in, else the
    /// one last signed in with.
    account: Option<String>,
    /// Null when the server could not be asked.
    signed_in: Option<bool>,
    /// Why not signed in, or why it is unknown.
    reason: Option<String>,
    token_store: StoreKind,
    /// Where the tokens are: the store, and the entry's name in it.
    tokens: String,
}

pub(super) async fn run(inv: Invocation, json: &JsonArg) -> Result<(), CliError> {
    let dir = inv.config_dir.clone().ok_or_else(no_config_dir)?;
    let all = profiles::list(&dir)?;
    let default = profiles::default_name(&dir)?.unwrap_or_else(|| DEFAULT_PROFILE.into());
    let opened = open_store(&inv).await;
    let checks = all
        .into_iter()
        .map(|(name, profile)| check(&inv, &opened, name, profile, &default));
    let rows = futures::future::join_all(checks).await;
    if json.wanted() {
        return json.print(&rows);
    }
    if rows.is_empty() {
        println!("No profiles yet; sign in with `acctl login` (or `acctl --profile NAME login`).");
        return Ok(());
    }
    print!("{}", table(&rows));
    println!("Tokens in: {}", opened.store.kind());
    if let Some(note) = status::store_note(opened.store.kind(), opened.notice.as_deref()) {
        println!("{note}");
    }
    println!("* = the default; change it with `acctl switch NAME`.");
    Ok(())
}

async fn check(
    inv: &Invocation,
    opened: &OpenedStore,
    name: String,
    profile: Profile,
    default: &str,
) -> ProfileStatus {
    let inv = Invocation {
        profile: name.clone(),
        server_flag: None,
        ..inv.clone()
    };
    let session = ProfileSession {
        profile: Some(profile.clone()),
        opened: share_store(opened),
    };
    let outcome = status::check(&inv, &session).await;
    let (account, signed_in, reason) = match outcome {
        Ok((account, _)) => (Some(account.email), Some(true), None),
        Err(error) => (
            profile.email.clone(),
            (error.exit == Exit::AuthNeeded).then_some(false),
            Some(error.message),
        ),
    };
    ProfileStatus {
        default: name == default,
        tokens: format!(
            "{}, entry '{}'",
            opened.store.kind(),
            acctl_client::tokens::entry_user(&name, inv.config_dir.as_deref())
        ),
        profile: name,
        server: profile.server,
        service: profile.service,
        account,
        signed_in,
        reason,
        token_store: opened.store.kind(),
    }
}

fn table(rows: &[ProfileStatus]) -> String {
    let header = ["", "PROFILE", "SERVER", "SERVICE", "ACCOUNT", "SIGNED IN"].map(str::to_string);
    let lines: Vec<Vec<String>> = std::iter::once(header.to_vec())
        .chain(rows.iter().map(|row| {
            let state = match (row.signed_in, &row.reason) {
                (Some(true), _) => "yes".to_string(),
                (Some(false), Some(why)) => format!("no: {}", one_line(why)),
                (Some(false), None) => "no".to_string(),
                (None, Some(why)) => format!("unknown: {}", one_line(why)),
                (None, None) => "unknown".to_string(),
            };
            vec![
                if row.default { "*" } else { "" }.to_string(),
                row.profile.clone(),
                one_line(&row.server),
                row.service.name().to_string(),
                row.account.as_deref().map_or("-".to_string(), one_line),
                state,
            ]
        }))
        .collect();
    columns(&lines)
}

/// `acctl switch NAME`: kept in profiles.toml.
pub(super) fn switch(inv: Invocation, name: &str) -> Result<(), CliError> {
    let dir = inv.config_dir.clone().ok_or_else(no_config_dir)?;
    let all = profiles::list(&dir)?;
    let Some(profile) = all.get(name) else {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "there is no profile '{name}'; {}",
                known_profiles(&dir).unwrap_or_else(|| {
                    "there are none yet: sign in with `acctl --profile NAME login`".into()
                })
            ),
        ));
    };
    profiles::set_default(&dir, name)?;
    println!(
        "The default profile is now '{name}' ({}).",
        one_line(&profile.server)
    );
    if let Ok(forced) = std::env::var("ACCTL_PROFILE")
        && !forced.is_empty()
        && forced != name
        && !inv.quiet
    {
        eprintln!("note: ACCTL_PROFILE={forced} is set here, and wins over the default.");
    }
    Ok(())
}

/// "profiles here: a, b", or None when there are none yet.
pub(super) fn known_profiles(dir: &std::path::Path) -> Option<String> {
    let names: Vec<String> = profiles::list(dir)
        .map(|all| all.into_keys().collect())
        .unwrap_or_default();
    (!names.is_empty()).then(|| format!("profiles here: {}", names.join(", ")))
}

fn no_config_dir() -> CliError {
    CliError::new(
        Exit::Usage,
        "no config directory is known to keep profiles in; set ACCTL_CONFIG_DIR",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, signed_in: Option<bool>, reason: Option<&str>) -> ProfileStatus {
        ProfileStatus {
            profile: name.into(),
            default: name == "work",
            server: "http://127.0.0.1:8080".into(),
            service: ServiceKind::Acctd,
            account: Some("ada@example.com".into()),
            signed_in,
            reason: reason.map(str::to_string),
            token_store: StoreKind::KernelKeyutils,
            tokens: "kernel keyring (keyutils), entry 'profile:work in /x'".into(),
        }
    }

    #[test]
    fn the_table_marks_the_default_and_says_why_not() {
        let text = table(&[
            row("home", Some(false), Some("no tokens in the kernel keyring")),
            row("work", Some(true), None),
            row("lab", None, Some("cannot reach\u{1b}[2J it")),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("   PROFILE"), "{text}");
        assert!(
            lines[1].contains("no: no tokens in the kernel keyring"),
            "{text}"
        );
        assert!(lines[2].starts_with("*  work"), "{text}");
        assert!(lines[2].ends_with("yes"), "{text}");
        assert!(lines[3].contains("unknown: cannot reach"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }

    #[test]
    fn json_keys_are_stable() {
        let value = serde_json::to_value(row("work", Some(true), None)).expect("json");
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
                "default",
                "profile",
                "reason",
                "server",
                "service",
                "signed_in",
                "token_store",
                "tokens"
            ]
        );
    }
}
