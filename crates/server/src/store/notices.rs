//! Which logged events a person is told about, and in what words. Called
//! from `insert_event`, so every place that logs one of these events
//! notifies in the same transaction without having to remember to.

use acctl_api::SecurityEventKind as Kind;
use acctl_api::notifications::NotificationCategory;
use sqlx::AnyConnection;

use super::events::EventRecord;
use super::notifications::notify;
use crate::clock::from_ms;

/// What a notice says about where and when, worked out once per event.
struct Facts {
    device: String,
    from: String,
    when: String,
    detail: String,
}

const NOT_YOU: &str =
    "If this was not you, change your password and sign out the sessions you do not know.";

/// The title and body of the notice for `event`, if it gets one, its time
/// in the account's zone (as the console shows every other time).
fn notice(event: &EventRecord, tz: chrono_tz::Tz) -> Option<(String, String)> {
    let facts = Facts {
        device: event
            .device_name
            .clone()
            .unwrap_or_else(|| "an unknown device".to_string()),
        from: event
            .ip
            .as_deref()
            .map(|ip| format!(" from {ip}"))
            .unwrap_or_default(),
        when: from_ms(event.at)
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        detail: event.detail.clone().unwrap_or_default(),
    };
    sign_in_notice(event.kind, &facts).or_else(|| change_notice(event.kind, &facts))
}

/// Notices about signing in and sessions.
fn sign_in_notice(kind: Kind, f: &Facts) -> Option<(String, String)> {
    let Facts {
        device, from, when, ..
    } = f;
    Some(match kind {
        Kind::LoginSucceeded => (
            format!("New sign-in from {device}"),
            format!("{device} signed in{from} at {when}. {NOT_YOU}"),
        ),
        Kind::RecoveryCodeUsed => (
            "A recovery code was used to sign in".to_string(),
            format!("{device} signed in with a recovery code{from} at {when}. {NOT_YOU}"),
        ),
        Kind::RefreshTokenReused => (
            "A session was ended to protect your account".to_string(),
            format!(
                "A sign-in token of {device} was used twice at {when}, so that session was signed out. {NOT_YOU}"
            ),
        ),
        _ => return None,
    })
}

/// Notices about changes to the account's security and its deletion.
fn change_notice(kind: Kind, f: &Facts) -> Option<(String, String)> {
    let Facts {
        device,
        when,
        detail,
        ..
    } = f;
    let (title, body) = match kind {
        Kind::PasswordChanged => (
            "Your password was changed",
            format!("The password was changed on {device} at {when}. {NOT_YOU}"),
        ),
        Kind::EmailChanged => (
            "Your email address was changed",
            format!("{detail} (on {device} at {when}). {NOT_YOU}"),
        ),
        Kind::MfaEnabled => (
            "Two-factor sign-in turned on",
            format!(
                "Sign-ins now need a code from your authenticator app (set on {device} at {when})."
            ),
        ),
        // An administrator's reset names itself in the detail.
        Kind::MfaDisabled if !detail.is_empty() => (
            "Two-factor sign-in turned off",
            format!(
                "{detail} at {when}: sign-ins need only the password now. Turn it on again \
                 under Security."
            ),
        ),
        Kind::MfaDisabled => (
            "Two-factor sign-in turned off",
            format!(
                "Sign-ins need only the password now (changed on {device} at {when}). {NOT_YOU}"
            ),
        ),
        Kind::RecoveryCodesRegenerated => (
            "New recovery codes were made",
            format!("The old recovery codes stopped working at {when}. {NOT_YOU}"),
        ),
        Kind::DeletionScheduled => (
            "Your account is scheduled for deletion",
            format!(
                "{detail}. Until then you can still sign in and cancel the deletion under Privacy. {NOT_YOU}"
            ),
        ),
        Kind::DeletionCanceled => (
            "Account deletion canceled",
            format!(
                "The deletion of your account was canceled on {device} at {when}. Nothing will be removed."
            ),
        ),
        _ => return None,
    };
    Some((title.to_string(), body))
}

/// Notifies (category security) about `event` when it is one people hear about.
pub(super) async fn notify_event(
    conn: &mut AnyConnection,
    event: &EventRecord,
) -> Result<(), sqlx::Error> {
    let tz = account_zone(conn, &event.user_id).await?;
    let Some((title, body)) = notice(event, tz) else {
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

/// The account's time zone preference; UTC when it has none (or one this
/// build does not know).
async fn account_zone(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<chrono_tz::Tz, sqlx::Error> {
    let zone: Option<String> =
        sqlx::query_scalar("SELECT timezone FROM preferences WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(zone
        .and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::Tz::UTC))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_ins_name_the_device_and_routine_events_say_nothing() {
        let mut event = EventRecord::new("u", Kind::LoginSucceeded, 0);
        event.device_name = Some("acctl on laptop".to_string());
        let (title, body) = notice(&event, chrono_tz::Tz::UTC).expect("a notice");
        assert_eq!(title, "New sign-in from acctl on laptop");
        assert!(body.contains("1970-01-01 00:00 UTC"), "{body}");
        let utc = chrono_tz::Tz::UTC;
        assert!(notice(&EventRecord::new("u", Kind::ProfileUpdated, 0), utc).is_none());
        assert!(notice(&EventRecord::new("u", Kind::LoginFailed, 0), utc).is_none());
    }

    #[test]
    fn times_are_in_the_accounts_zone_as_the_console_shows_them() {
        // 2025-07-15 12:00 UTC: summer time in Paris.
        let event = EventRecord::new("u", Kind::PasswordChanged, 1_752_580_800_000);
        let (_, body) = notice(&event, chrono_tz::Tz::Europe__Paris).expect("a notice");
        assert!(body.contains("2025-07-15 14:00 CEST"), "{body}");
    }
}
