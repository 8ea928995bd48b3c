//! Every screen fed a hostile server's answers: each free-text string of
//! each answer starts with escape sequences, OSC 52, C1 controls, CR/LF and
//! bidirectional overrides. Once as the client hands them over (cleaned
//! where answers are decoded), once raw (as if a road around the decoder
//! were ever built): no cell holds a control, and no byte the backend
//! writes carries one; cleaned, the text is shown with `�` in its place.

use acctl_api::Page;
use acctl_client::text::is_unsafe;
use acctl_client::{ApiError, Versioned};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::buffer::Buffer;
use ratatui::layout::Size;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::lean_backend::LeanBackend;
use super::testing::billing::{card, invoice, invoices, plans, subscription};
use super::testing::{
    Harness, buffer_to_string, fake_account, fake_deletion, fake_export,
    fake_notification_settings, fake_notifications, fake_privacy, fake_security_events,
    fake_sessions, fixed_now,
};
use crate::action::*;

const PAYLOAD: &str = "\u{1b}[2J\u{1b}]52;c;SGk=\u{7}\u{9b}31m\u{9d}0;t\u{7}\r\nFORGED\r\
    \u{202e}DESREVER\u{2066}\u{7f}\u{85}\u{2028}|";

/// `value` with [`PAYLOAD`] before every string that can take it (a
/// timestamp or an enum word cannot: those are put back), read as the
/// client reads an answer when `through_client`, else as it is.
fn hostile<T: Serialize + DeserializeOwned>(value: &T, through_client: bool) -> T {
    let mut json = serde_json::to_value(value).expect("serializes");
    let mut pointers = Vec::new();
    strings(&json, String::new(), &mut pointers);
    for pointer in pointers {
        let Some(serde_json::Value::String(text)) = json.pointer_mut(&pointer) else {
            continue;
        };
        let old = std::mem::replace(text, format!("{PAYLOAD}{text}"));
        if serde_json::from_value::<T>(json.clone()).is_err()
            && let Some(slot) = json.pointer_mut(&pointer)
        {
            *slot = serde_json::Value::String(old);
        }
    }
    if through_client {
        let body = serde_json::to_vec(&json).expect("encodes");
        acctl_client::decode_answer(200, Some("application/json"), None, &body).expect("decodes")
    } else {
        serde_json::from_value(json).expect("still the type")
    }
}

/// The JSON pointers of every string under `value`.
fn strings(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(_) => out.push(at),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, format!("{at}/{i}"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                strings(item, format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// A problem document whose every word is hostile.
fn hostile_error(through_client: bool) -> ApiError {
    let problem = acctl_api::Problem::new(acctl_api::ErrorCode::Internal, "It broke")
        .with_field("name", "Bad name");
    ApiError::Problem {
        problem: Box::new(hostile(&problem, through_client)),
    }
}

/// No cell holds a control; the backend writes none of the server's; the
/// cleaned text shows (`[2J` after its `�`). Drawn at 80x24 and 120x40.
fn assert_clean(what: &str, h: &Harness, through_client: bool) {
    for (width, height) in [(80, 24), (120, 40)] {
        let (buffer, _) = h.draw(width, height);
        let text = buffer_to_string(&buffer);
        if through_client {
            // Raw, a U+2028 gets into a cell (ratatui drops only C0 and
            // C1): the backend below writes it as `�`.
            let bad = buffer
                .content()
                .iter()
                .find(|cell| cell.symbol().contains(is_unsafe));
            assert!(
                bad.is_none(),
                "{what}: {:?} in a cell:\n{text}",
                bad.map(|c| c.symbol())
            );
            assert!(text.contains("\u{fffd}[2J"), "{what}: shown:\n{text}");
        }
        let written = written_by_the_backend(h, &buffer);
        let controls: Vec<char> = written
            .chars()
            .filter(|&c| is_unsafe(c) && !matches!(c, '\u{1b}' | '\r' | '\n'))
            .collect();
        assert!(controls.is_empty(), "{what}: wrote {controls:?}");
        assert!(!written.contains("\u{1b}]"), "{what}: an OSC was written");
    }
}

fn written_by_the_backend(h: &Harness, buffer: &Buffer) -> String {
    let size = Size::new(buffer.area.width, buffer.area.height);
    let mut term = Terminal::new(LeanBackend::fixed(Vec::new(), size)).expect("a terminal");
    term.draw(|f| h.app.render(f)).expect("draws");
    String::from_utf8(std::mem::take(term.backend_mut().writer_mut())).expect("utf-8")
}

fn versioned<T>(value: T) -> Versioned<T> {
    Versioned {
        value,
        etag: "\"1\"".into(),
    }
}

/// Signed in, the account loaded, on screen `key`.
fn on(key: char, through_client: bool) -> Harness {
    let mut h = Harness::signed_in();
    let account = hostile(&fake_account(fixed_now()), through_client);
    h.respond(AccountRequest::Load.answered(Ok(account)));
    h.press(KeyCode::Char(key));
    h
}

#[test]
fn overview_and_sessions() {
    for clean in [true, false] {
        let h = on('1', clean);
        assert_clean("overview", &h, clean);
        let mut h = on('2', clean);
        let sessions = hostile(&fake_sessions(6, fixed_now()), clean);
        h.respond(SessionsRequest::List.answered(SessionsDone::List(Ok(sessions))));
        h.press(KeyCode::Down);
        assert_clean("sessions", &h, clean);
        h.respond(SessionsRequest::List.answered(SessionsDone::List(Err(hostile_error(clean)))));
        assert_clean("sessions error", &h, clean);
    }
}

#[test]
fn profile() {
    for clean in [true, false] {
        let mut h = on('3', clean);
        let account = hostile(&fake_account(fixed_now()), clean);
        h.respond(ProfileRequest::Load.answered(ProfileDone::Loaded(Ok(versioned(account)))));
        let prefs = acctl_api::Preferences {
            theme: "system".into(),
            language: "en-GB".into(),
            timezone: "Europe/Paris".into(),
        };
        let prefs = versioned(hostile(&prefs, clean));
        h.respond(ProfileRequest::LoadPreferences.answered(ProfileDone::Preferences(Ok(prefs))));
        assert_clean("profile", &h, clean);
    }
}

#[test]
fn security_and_its_log() {
    for clean in [true, false] {
        let mut h = on('4', clean);
        let account = hostile(&fake_account(fixed_now()), clean);
        h.respond(AccountRequest::Load.answered(Ok(account)));
        let status = acctl_api::MfaStatus {
            totp_enabled: true,
            totp_pending: false,
            recovery_codes_remaining: 8,
        };
        h.respond(SecurityRequest::LoadMfaStatus.answered(SecurityDone::MfaStatus(Ok(status))));
        assert_clean("security", &h, clean);
        for _ in 0..4 {
            h.press(KeyCode::Down);
        }
        h.press(KeyCode::Enter);
        let events = Page {
            items: hostile(&fake_security_events(0, 12, fixed_now()), clean),
            next_cursor: None,
        };
        let request = SecurityRequest::LoadEvents {
            cursor: None,
            kind: None,
        };
        h.respond(request.answered(SecurityDone::Events(Ok(events))));
        assert_clean("security log", &h, clean);
        h.press(KeyCode::Enter);
        assert_clean("security event", &h, clean);
    }
}

#[test]
fn notifications_and_a_message() {
    for clean in [true, false] {
        let mut h = on('5', clean);
        let settings = hostile(&fake_notification_settings(), clean);
        h.respond(
            NotificationsRequest::LoadSettings.answered(NotificationsDone::Settings(Ok(settings))),
        );
        let inbox = Page {
            items: hostile(&fake_notifications(0, 5, fixed_now()), clean),
            next_cursor: None,
        };
        let request = NotificationsRequest::LoadInbox {
            cursor: None,
            unread: false,
        };
        h.respond(request.answered(NotificationsDone::Inbox(Ok(inbox))));
        assert_clean("notifications", &h, clean);
        h.press(KeyCode::Tab);
        h.press(KeyCode::Enter);
        assert_clean("a message", &h, clean);
    }
}

#[test]
fn privacy() {
    for clean in [true, false] {
        let mut h = on('6', clean);
        h.respond(PrivacyRequest::Load.answered(PrivacyDone::Settings(Ok(fake_privacy()))));
        let ready = acctl_api::privacy::ExportStatus::Ready;
        let exports = Page {
            items: vec![hostile(&fake_export(ready, 100, fixed_now()), clean)],
            next_cursor: None,
        };
        h.respond(PrivacyRequest::LoadExports.answered(PrivacyDone::Exports(Ok(exports))));
        let deletion = fake_deletion(false, fixed_now());
        h.respond(PrivacyRequest::LoadDeletion.answered(PrivacyDone::Deletion(Ok(deletion))));
        // Nothing on Privacy is free text but the account's name.
        let (buffer, _) = h.draw(80, 24);
        assert!(
            !buffer
                .content()
                .iter()
                .any(|c| c.symbol().contains(is_unsafe)),
            "privacy:\n{}",
            buffer_to_string(&buffer)
        );
        let mut h = on('6', clean);
        h.respond(PrivacyRequest::Load.answered(PrivacyDone::Settings(Err(hostile_error(clean)))));
        assert_clean("privacy error", &h, clean);
    }
}

#[test]
fn billing_and_an_invoice() {
    let now = fixed_now();
    for clean in [true, false] {
        let mut h = on('7', clean);
        let plans = hostile(&plans(), clean);
        h.respond(BillingRequest::LoadPlans.answered(BillingDone::Plans(Ok(plans))));
        let subscription = hostile(&subscription(now), clean);
        h.respond(
            BillingRequest::LoadSubscription.answered(BillingDone::Subscription(Ok(subscription))),
        );
        let summaries = invoices(0, 5, now);
        let page = Page {
            items: hostile(&summaries, clean),
            next_cursor: None,
        };
        let request = BillingRequest::LoadInvoices { cursor: None };
        h.respond(request.answered(BillingDone::Invoices(Ok(page))));
        let card = hostile(&card(), clean);
        h.respond(BillingRequest::LoadPaymentMethod.answered(BillingDone::PaymentMethod(Ok(card))));
        assert_clean("billing", &h, clean);
        h.press(KeyCode::Tab);
        h.press(KeyCode::Enter);
        let sent = h.sent();
        let id = sent.iter().find_map(|r| match r {
            Request::Billing(BillingRequest::LoadInvoice { id }) => Some(id.clone()),
            _ => None,
        });
        let id = id.expect("the invoice is asked for");
        let detail = hostile(&invoice(&summaries[0]), clean);
        let request = BillingRequest::LoadInvoice { id };
        h.respond(request.answered(BillingDone::Invoice(Ok(detail))));
        assert_clean("invoice", &h, clean);
    }
}
