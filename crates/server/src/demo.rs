//! The demo account: "demo@acctl.dev" with a fresh random password and a
//! plausible past (other devices, sign-ins, two failed attempts, three
//! years on Pro with a card on file), so every screen of the console has
//! something to show.

use std::time::Duration;

use acctl_api::billing::{BillingInterval, PaymentMethod};
use acctl_api::notifications::NotificationCategory;
use acctl_api::{SecretText, SecurityEventKind};
use anyhow::Context;
use chrono::{Datelike as _, Months};
use rand::Rng as _;
use rand::rngs::OsRng;
use secrecy::SecretString;

use crate::auth::password::hash_password;
use crate::billing::plans::plan;
use crate::clock::{duration_ms, from_ms};
use crate::state::AppState;
use crate::store::{BillingActor, EventRecord, NewUser, ProfileChange, SessionRecord};
use crate::validate::normalize_email;

pub const DEMO_EMAIL: &str = "demo@acctl.dev";
pub const DEMO_NAME: &str = "Dana Demo";
/// From the range set aside for drama (Ofcom), so it rings no one.
pub const DEMO_PHONE: &str = "+441632960961";
const DEMO_BIO: &str = "Tries every screen of acctl so you don't have to.\nTea, not coffee.";

/// Sign-in details of the demo account. `Debug` hides the password.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub email: String,
    pub password: SecretString,
}

const WORDS: [&str; 32] = [
    "amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "island", "juniper",
    "kestrel", "lagoon", "meadow", "nectar", "orchid", "pebble", "quartz", "raven", "sierra",
    "tundra", "umber", "valley", "willow", "yonder", "zephyr", "canyon", "falcon", "glacier",
    "hazel", "lumen", "maple", "otter",
];

/// Three words and four digits, e.g. "cedar-otter-lumen-4821".
fn demo_password() -> String {
    let mut rng = OsRng;
    let words: Vec<&str> = (0..3)
        .map(|_| WORDS[rng.gen_range(0..WORDS.len())])
        .collect();
    format!("{}-{:04}", words.join("-"), rng.gen_range(0..10_000))
}

/// Creates the demo account with its history, or, if it exists, gives it a
/// new password (and leaves its history alone).
pub async fn seed(state: &AppState) -> anyhow::Result<DemoAccount> {
    let password = demo_password();
    let password_hash = hash_password(SecretText::new(password.clone())).await?;
    let now = state.now_ms();
    let store = &state.store;
    if let Some(user) = store.user_by_email(&normalize_email(DEMO_EMAIL)).await? {
        store
            .reset_password(&user.id, &password_hash, true, now)
            .await
            .context("could not reset the demo password")?;
    } else {
        let user = NewUser {
            id: uuid::Uuid::new_v4().to_string(),
            email: DEMO_EMAIL.to_string(),
            email_norm: normalize_email(DEMO_EMAIL),
            email_verified: true,
            name: DEMO_NAME.to_string(),
            password_hash,
            created_at: now - days(3 * 365 + 40),
        };
        store
            .create_user(&user, None)
            .await
            .context("could not create the demo account")?;
        seed_history(state, &user.id, now).await?;
        seed_profile(state, &user.id, now).await?;
        seed_billing(state, &user.id, now).await?;
        seed_inbox(state, &user.id, now).await?;
    }
    Ok(DemoAccount {
        email: DEMO_EMAIL.to_string(),
        password: SecretString::from(password),
    })
}

fn days(n: u64) -> i64 {
    duration_ms(Duration::from_secs(n * 24 * 3600))
}

fn hours(n: u64) -> i64 {
    duration_ms(Duration::from_secs(n * 3600))
}

/// A device of the demo: (name, user agent, address, signed in, last active), times ago.
type Device = (&'static str, &'static str, &'static str, i64, i64);

fn devices() -> [Device; 3] {
    [
        (
            "Firefox on Linux",
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "198.51.100.23",
            days(21),
            hours(2),
        ),
        (
            "acctl on work-laptop",
            "acctl/0.1.0",
            "192.0.2.44",
            days(6),
            hours(1) / 2,
        ),
        (
            "Safari on iPhone",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "203.0.113.8",
            days(3),
            days(1),
        ),
    ]
}

async fn seed_history(state: &AppState, user_id: &str, now: i64) -> anyhow::Result<()> {
    let mut events = Vec::new();
    for (name, agent, ip, signed_in, active) in devices() {
        let session = SessionRecord {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: user_id.to_string(),
            device_name: name.to_string(),
            user_agent: Some(agent.to_string()),
            ip: Some(ip.to_string()),
            created_at: now - signed_in,
            last_active_at: now - active,
            revoked_at: None,
        };
        state.store.insert_session(&session).await?;
        let mut event = event(
            user_id,
            SecurityEventKind::LoginSucceeded,
            session.created_at,
            name,
            ip,
        );
        event.session_id = Some(session.id);
        events.push(event);
    }
    events.extend(past_events(user_id, now));
    state.store.record_events(&events).await?;
    Ok(())
}

/// A phone and a bio, added from the laptop a while ago (so the log shows
/// a profile change too).
async fn seed_profile(state: &AppState, user_id: &str, now: i64) -> anyhow::Result<()> {
    let change = ProfileChange {
        phone: Some(Some(DEMO_PHONE.to_string())),
        bio: Some(Some(DEMO_BIO.to_string())),
        ..ProfileChange::default()
    };
    let at = now - days(5);
    let event = |fields: &[&str]| {
        let mut event = event(
            user_id,
            SecurityEventKind::ProfileUpdated,
            at,
            "acctl on work-laptop",
            "192.0.2.44",
        );
        event.detail = Some(format!("Changed: {}", fields.join(", ")));
        event
    };
    state
        .store
        .update_profile(user_id, |_| true, &change, at, event)
        .await
        .context("could not fill in the demo profile")?;
    Ok(())
}

/// Three years of Pro, monthly, paid by card: the card goes on file, then
/// the subscription starts 36 months (less ten days) ago and the renewals
/// walk every period since, issuing the invoices as they would have.
async fn seed_billing(state: &AppState, user_id: &str, now: i64) -> anyhow::Result<()> {
    let pro = plan("pro").context("the catalogue has no Pro plan")?;
    let card = PaymentMethod {
        brand: "visa".to_string(),
        last4: "4242".to_string(),
        exp_month: 8,
        exp_year: u16::try_from(from_ms(now).year() + 2).unwrap_or(u16::MAX),
    };
    let laptop = BillingActor {
        ip: Some("192.0.2.44".to_string()),
        device_name: Some("acctl on work-laptop".to_string()),
    };
    let started = from_ms(now)
        .checked_sub_months(Months::new(36))
        .map_or(now, |at| at.timestamp_millis())
        + days(10);
    let store = &state.store;
    store
        .set_payment_method(user_id, &card, started - days(1), &laptop)
        .await?;
    let provider = state.billing.as_ref();
    store
        .start_paid_subscription(user_id, pro, BillingInterval::Month, started, now, provider)
        .await
        .context("could not fill in the demo invoices")?;
    Ok(())
}

/// A notice of the demo inbox: category, title, body, how long ago.
type Notice = (NotificationCategory, &'static str, &'static str, i64);

/// Besides the sign-in and invoice notices the history brings: older notices, read,
/// and a few recent ones, unread, of several categories.
async fn seed_inbox(state: &AppState, user_id: &str, now: i64) -> anyhow::Result<()> {
    use NotificationCategory::{Account, Billing, Product, Security};
    let read: [Notice; 2] = [
        (
            Account,
            "Welcome to acctl",
            "Your account is ready. Press ? on any screen to see what it can do.",
            days(3 * 365 + 40),
        ),
        (
            Product,
            "Sessions show where you signed in",
            "The sessions screen now shows each device's address and when it was last active.",
            days(10),
        ),
    ];
    let unread: [Notice; 3] = [
        (
            Security,
            "Two failed sign-ins",
            "Someone tried to sign in with a wrong password from 203.0.113.250. If it was not you, nothing is needed: the attempts failed.",
            days(2),
        ),
        (
            Product,
            "New: notifications and privacy",
            "Choose which news reaches you where, export your data, or schedule your account's deletion under Privacy.",
            days(1),
        ),
        (
            Billing,
            "Your plan renews soon",
            "Your Pro plan renews at the end of this period. Change or cancel it under Billing before the date shown there.",
            hours(3),
        ),
    ];
    let store = &state.store;
    for (category, title, body, ago) in read {
        store
            .notify(user_id, category, title, body, now - ago)
            .await?;
    }
    store
        .mark_all_notifications_read(user_id, now - days(2) - hours(1))
        .await?;
    for (category, title, body, ago) in unread {
        store
            .notify(user_id, category, title, body, now - ago)
            .await?;
    }
    Ok(())
}

/// An old sign-in that ended, and two failed attempts from a stranger.
fn past_events(user_id: &str, now: i64) -> Vec<EventRecord> {
    let old = now - days(40);
    let failed = now - days(2);
    let mut failures = [0, 90_000].map(|offset| {
        let mut e = event(
            user_id,
            SecurityEventKind::LoginFailed,
            failed + offset,
            "Unknown device",
            "203.0.113.250",
        );
        e.detail = Some("Wrong password".to_string());
        e
    });
    failures[1].device_name = Some("curl".to_string());
    let mut events = vec![
        event(
            user_id,
            SecurityEventKind::LoginSucceeded,
            old,
            "Chrome on Windows",
            "198.51.100.99",
        ),
        event(
            user_id,
            SecurityEventKind::Logout,
            old + hours(1),
            "Chrome on Windows",
            "198.51.100.99",
        ),
    ];
    events.extend(failures);
    events
}

fn event(user_id: &str, kind: SecurityEventKind, at: i64, device: &str, ip: &str) -> EventRecord {
    let mut event = EventRecord::new(user_id, kind, at);
    event.device_name = Some(device.to_string());
    event.ip = Some(ip.to_string());
    event
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_passwords_are_long_enough_and_random() {
        let a = demo_password();
        assert!(a.len() >= 10, "{a}");
        assert_ne!(a, demo_password());
    }

    #[test]
    fn the_demo_profile_passes_the_checks_it_would_face() {
        assert_eq!(
            acctl_api::profile::normalize_phone(DEMO_PHONE),
            Ok(Some(DEMO_PHONE.to_string()))
        );
        assert_eq!(crate::validate::bio_problem(DEMO_BIO), None);
    }

    #[test]
    fn debug_hides_the_password() {
        let account = DemoAccount {
            email: DEMO_EMAIL.to_string(),
            password: SecretString::from("cedar-otter-lumen-4821"),
        };
        assert!(!format!("{account:?}").contains("cedar"));
    }
}
