//! Which logged events a person is told about, and in what words. Called
//! from `insert_event`, so every place that logs one of these events
//! notifies in the same transaction without having to remember to.

use acctl_api::SecurityEventKind as Kind;
use acctl_api::notifications::NotificationCategory;
use sqlx::SqliteConnection;

use super::events::EventRecord;
use super::notifications::notify;
use crate::clock::from_ms;

/// The title and body of the notice for `event`, if it gets one.
fn notice(event: &EventRecord) -> Option<(String, String)> {
    let device = event.device_name.as_deref().unwrap_or("an unknown device");
    let when = from_ms(event.at).format("%Y-%m-%d %H:%M UTC");
    let from = event
        .ip
        .as_deref()
        .map(|ip| format!(" from {ip}"))
        .unwrap_or_default();
    let not_you =
        "If this was not you, change your password and sign out the sessions you do not know.";
    let detail = event.detail.clone().unwrap_or_default();
    let (title, body) = match event.kind {
        Kind::LoginSucceeded => (
            format!("New sign-in from {device}"),
            format!("{device} signed in{from} at {when}. {not_you}"),
        ),
        Kind::PasswordChanged => (
            "Your password was changed".to_string(),
            format!("The password was changed on {device} at {when}. {not_you}"),
        ),
        Kind::EmailChanged => (
            "Your email address was changed".to_string(),
            format!("{detail} (on {device} at {when}). {not_you}"),
        ),
        Kind::MfaEnabled => (
            "Two-factor sign-in turned on".to_string(),
            format!(
                "Sign-ins now need a code from your authenticator app (set on {device} at {when})."
            ),
        ),
        Kind::MfaDisabled => (
            "Two-factor sign-in turned off".to_string(),
            format!(
                "Sign-ins need only the password now (changed on {device} at {when}). {not_you}"
            ),
        ),
        Kind::RecoveryCodesRegenerated => (
            "New recovery codes were made".to_string(),
            format!("The old recovery codes stopped working at {when}. {not_you}"),
        ),
        Kind::RecoveryCodeUsed => (
            "A recovery code was used to sign in".to_string(),
            format!("{device} signed in with a recovery code{from} at {when}. {not_you}"),
        ),
        Kind::RefreshTokenReused => (
            "A session was ended to protect your account".to_string(),
            format!(
                "A sign-in token of {device} was used twice at {when}, so that session was signed out. {not_you}"
            ),
        ),
        Kind::DeletionScheduled => (
            "Your account is scheduled for deletion".to_string(),
            format!(
                "{detail}. Until then you can still sign in and cancel the deletion under Privacy. {not_you}"
            ),
        ),
        Kind::DeletionCanceled => (
            "Account deletion canceled".to_string(),
            format!(
                "The deletion of your account was canceled on {device} at {when}. Nothing will be removed."
            ),
        ),
        _ => return None,
    };
    Some((title, body))
}

/// Notifies (category security) about `event` when it is one people hear about.
pub(super) async fn notify_event(
    conn: &mut SqliteConnection,
    event: &EventRecord,
) -> Result<(), sqlx::Error> {
    let Some((title, body)) = notice(event) else {
        return Ok(());
    };
    notify(
        conn,
        &event.user_id,
        NotificationCategory::Security,
        &title,
        &body,
        event.at,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_ins_name_the_device_and_routine_events_say_nothing() {
        let mut event = EventRecord::new("u", Kind::LoginSucceeded, 0);
        event.device_name = Some("acctl on laptop".to_string());
        let (title, body) = notice(&event).expect("a notice");
        assert_eq!(title, "New sign-in from acctl on laptop");
        assert!(body.contains("1970-01-01 00:00 UTC"), "{body}");
        assert!(notice(&EventRecord::new("u", Kind::ProfileUpdated, 0)).is_none());
        assert!(notice(&EventRecord::new("u", Kind::LoginFailed, 0)).is_none());
    }
}
