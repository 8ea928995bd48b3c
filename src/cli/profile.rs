//! `acctl profile show|set|avatar set|avatar remove`: the account's name,
//! display name, phone, bio and picture. Values are checked here before
//! anything is sent; a change is made to the version just read (its ETag),
//! so one made meanwhile elsewhere is never silently undone.

use acctl_client::{Capabilities, Feature};
use std::io::Read as _;
use std::path::Path;

use acctl_api::profile::normalize_phone;
use acctl_api::{
    AVATAR_MAX_BYTES, AVATAR_SIDE, Account, BIO_MAX_CHARS, NAME_MAX_CHARS, ProfilePatch,
};

use super::json::JsonArg;
use super::password::field_errors;
use super::session::ProfileSession;
use super::{CliError, Exit, Invocation, ProfileSetArgs, command_hint};
use acctl_client::text::{Lines, clean, one_line};
use acctl_client::{ApiError, image_type};

/// Wire field → the flag that sets it, for the server's field errors.
const PROFILE_FLAGS: &[(&str, &str)] = &[
    ("name", "--name"),
    ("display_name", "--display-name"),
    ("phone", "--phone"),
    ("bio", "--bio"),
];

pub(super) async fn show(inv: Invocation, json: &JsonArg) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Profile)
        .await?;
    let account = client.profile().get().await?.value;
    if json.wanted() {
        json.print(&account)?;
    } else {
        let offers = client.capabilities().await?;
        print!("{}", human_profile(&account, offers, &inv.profile));
    }
    Ok(())
}

/// One `Label:  value` line per field; a bio of several lines is indented
/// under its first. No line for what the service `offers` not (Better
/// Auth keeps a name and an email only).
fn human_profile(account: &Account, offers: Capabilities, profile: &str) -> String {
    let dash = |value: &Option<String>| value.as_deref().map_or_else(|| "-".to_string(), one_line);
    let mut email = one_line(&account.email);
    if let Some(pending) = &account.pending_email {
        email.push_str(&format!(
            " (moving to {}; waiting for its {})",
            one_line(pending),
            if offers.has(Feature::EmailCode) {
                "code"
            } else {
                "link"
            }
        ));
    }
    let avatar = if account.has_avatar {
        "yes".to_string()
    } else {
        format!(
            "none (set one with `{}`)",
            command_hint(profile, "profile avatar set PATH")
        )
    };
    let details = offers.has(Feature::ProfileDetails);
    let mut rows = vec![("Name", one_line(&account.name))];
    if details {
        rows.push(("Display name", dash(&account.display_name)));
    }
    rows.push(("Email", email));
    if details {
        rows.push(("Phone", dash(&account.phone)));
        rows.push((
            "Bio",
            account
                .bio
                .as_deref()
                .map_or_else(|| "-".to_string(), printable),
        ));
    }
    if offers.has(Feature::Avatar) {
        rows.push(("Avatar", avatar));
    }
    let mut text = String::new();
    for (label, value) in rows {
        let label = format!("{label}:");
        for (i, line) in value.split('\n').enumerate() {
            let label = if i == 0 { label.as_str() } else { "" };
            text.push_str(format!("{label:<14}{line}").trim_end());
            text.push('\n');
        }
    }
    text
}

/// Text from the server as it is safe to print, line breaks kept (a bio):
/// [`acctl_client::text::clean`], so an escape sequence cannot rewrite the
/// terminal.
pub(super) fn printable(text: &str) -> String {
    clean(text, Lines::Many).into_owned()
}

/// The change the flags ask for, checked as the server will check it.
/// Every problem is told at once, each named by its flag.
pub(super) fn profile_patch(args: &ProfileSetArgs) -> Result<ProfilePatch, CliError> {
    let patch = ProfilePatch {
        name: args.name.as_deref().map(|n| n.trim().to_string()),
        display_name: args.display_name.as_deref().map(|n| n.trim().to_string()),
        phone: args.phone.clone(),
        bio: args.bio.as_deref().map(normalize_bio),
    };
    if patch.is_empty() {
        return Err(CliError::new(
            Exit::Usage,
            "say what to change with --name, --display-name, --phone or --bio \
             (an empty value, e.g. --bio \"\", clears all but the name)",
        ));
    }
    let mut problems = Vec::new();
    if let Some(name) = &patch.name {
        if name.is_empty() {
            problems.push(
                "--name: the account needs a name; to clear the display name instead, \
                 pass --display-name \"\"."
                    .to_string(),
            );
        } else if let Some(problem) = too_long(name, NAME_MAX_CHARS) {
            problems.push(format!("--name: {problem}"));
        }
    }
    if let Some(problem) = patch
        .display_name
        .as_deref()
        .and_then(|n| too_long(n, NAME_MAX_CHARS))
    {
        problems.push(format!("--display-name: {problem}"));
    }
    let phone = match patch.phone.as_deref().map(normalize_phone) {
        Some(Ok(phone)) => Some(phone.unwrap_or_default()),
        Some(Err(advice)) => {
            problems.push(format!("--phone: {advice}."));
            None
        }
        None => None,
    };
    if let Some(problem) = patch
        .bio
        .as_deref()
        .and_then(|b| too_long(b, BIO_MAX_CHARS))
    {
        problems.push(format!("--bio: {problem}"));
    }
    if !problems.is_empty() {
        return Err(CliError::new(Exit::Usage, problems.join(" ")));
    }
    Ok(ProfilePatch { phone, ..patch })
}

/// A bio as the server counts it: line breaks as `\n`, no blank space around.
fn normalize_bio(typed: &str) -> String {
    typed
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

fn too_long(text: &str, max: usize) -> Option<String> {
    let chars = text.chars().count();
    (chars > max).then(|| format!("use at most {max} characters (this has {chars})."))
}

pub(super) async fn set(inv: Invocation, args: ProfileSetArgs) -> Result<(), CliError> {
    // Checked before anything is opened or sent.
    let patch = profile_patch(&args)?;
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Profile)
        .await?;
    let before = client.profile().get().await?;
    let after = client
        .profile()
        .update(&patch, &before.etag)
        .await
        .map_err(|e| refused_change(e, PROFILE_FLAGS, "profile"))?;
    print!("{}", profile_changes(&before.value, &after.value));
    Ok(())
}

/// A refused change: 412 is its own exit (run again, nothing was changed);
/// field errors are named by flag.
pub(super) fn refused_change(error: ApiError, flags: &[(&str, &str)], what: &str) -> CliError {
    if error.is_conflict() {
        let mut cli = CliError::new(
            Exit::Conflict,
            format!(
                "while this command ran, your {what} changed on the server (another device \
                 or the console saved a change), so nothing was changed; run the command again \
                 to make your change to the new version"
            ),
        );
        cli.request_id = error.request_id().map(str::to_string);
        return cli;
    }
    field_errors(error, flags)
}

/// One line per field that differs, e.g. `Phone: - → +441632960961`.
fn profile_changes(before: &Account, after: &Account) -> String {
    let shown = |value: Option<&str>| value.map_or_else(|| "-".to_string(), printable);
    let mut lines = Vec::new();
    let mut compare = |label: &str, old: Option<&str>, new: Option<&str>| {
        if old != new {
            lines.push(format!("{label}: {} → {}", shown(old), shown(new)));
        }
    };
    compare("Name", Some(&before.name), Some(&after.name));
    compare(
        "Display name",
        before.display_name.as_deref(),
        after.display_name.as_deref(),
    );
    compare("Phone", before.phone.as_deref(), after.phone.as_deref());
    // A bio may be long and span lines: its size says enough.
    match (&before.bio, &after.bio) {
        (old, new) if old == new => {}
        (_, None) => lines.push("Bio: cleared".to_string()),
        (_, Some(bio)) => lines.push(format!("Bio: set ({} characters)", bio.chars().count())),
    }
    changes_text(lines, "profile")
}

pub(super) fn changes_text(lines: Vec<String>, what: &str) -> String {
    if lines.is_empty() {
        return format!("Nothing changed: your {what} already had those values.\n");
    }
    lines.iter().map(|line| format!("{line}\n")).collect()
}

pub(super) async fn set_avatar(inv: Invocation, path: &Path) -> Result<(), CliError> {
    let bytes = read_avatar(path)?;
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Avatar)
        .await?;
    let shown = path.display().to_string();
    client
        .profile()
        .set_avatar(&bytes)
        .await
        .map_err(|e| field_errors(e, &[("avatar", shown.as_str())]))?;
    println!(
        "Avatar set from {shown}. The server keeps a {AVATAR_SIDE} x {AVATAR_SIDE} PNG of its centre."
    );
    Ok(())
}

pub(super) async fn remove_avatar(inv: Invocation) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Avatar)
        .await?;
    if !client.profile().get().await?.value.has_avatar {
        println!("There is no avatar to remove.");
        return Ok(());
    }
    client.profile().remove_avatar().await?;
    println!("Avatar removed.");
    Ok(())
}

/// The picture at `path`, refused here when the server would refuse it for
/// its size or kind: nothing is sent for a file that cannot be an avatar.
pub(super) fn read_avatar(path: &Path) -> Result<Vec<u8>, CliError> {
    let shown = path.display();
    let bad = |message: String| CliError::new(Exit::Usage, message);
    let unreadable = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => bad(format!("there is no file at {shown}")),
        _ => bad(format!("cannot read {shown}: {e}")),
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(bad(format!(
            "{shown} is a folder; give the path of a PNG or JPEG file"
        )));
    }
    let too_big = |size: u64| {
        bad(format!(
            "{shown} is {} ({size} bytes); an avatar may be at most {} \
             ({AVATAR_MAX_BYTES} bytes), so make it smaller first",
            size_text(size),
            size_text(AVATAR_MAX_BYTES as u64)
        ))
    };
    if metadata.len() > AVATAR_MAX_BYTES as u64 {
        return Err(too_big(metadata.len()));
    }
    // Read no more than one byte past the limit, should the file grow.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(AVATAR_MAX_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(unreadable)?;
    if bytes.len() > AVATAR_MAX_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    if bytes.is_empty() {
        return Err(bad(format!("{shown} is empty; give a PNG or JPEG picture")));
    }
    if image_type(&bytes).is_none() {
        return Err(bad(format!(
            "{shown} is not a PNG or JPEG picture; save it as one of those first"
        )));
    }
    Ok(bytes)
}

/// `1.5 MiB`, `340 KiB`, `12 bytes`.
fn size_text(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        let tenths = bytes * 10 / MIB;
        if tenths.is_multiple_of(10) {
            format!("{} MiB", tenths / 10)
        } else {
            format!("{}.{} MiB", tenths / 10, tenths % 10)
        }
    } else if bytes >= KIB {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests;
