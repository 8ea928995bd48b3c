//! What the Billing screen looks like in each of its states, at 80x24 and
//! 120x40, with a fixed clock and the mono theme.

use crossterm::event::KeyCode;

use super::action::{Action, BillingDone, BillingKey, ChangeKind, RequestKey};
use super::testing::{Harness, fixed_now};
use crate::screens::billing::fixtures::{self, loaded, respond};
use acctl_client::{ApiError, Progress};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, h: &Harness) {
    for (w, ht) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{ht}"), h.render(w, ht));
    }
}

#[test]
fn billing_loading_and_loaded() {
    let mut h = Harness::signed_in();
    h.type_text("7");
    snap("billing_loading", &h);
    h = loaded(3, false);
    snap("billing_loaded", &h);
    // In German, amounts are written the German way.
    let prefs = acctl_api::Preferences {
        theme: "mono".into(),
        language: "de".into(),
        timezone: "UTC".into(),
    };
    let versioned = acctl_client::Versioned {
        value: prefs,
        etag: "\"1\"".into(),
    };
    h.respond(super::Response::Profile(
        super::action::ProfileDone::Preferences(Ok(versioned)),
    ));
    snap("billing_loaded_de", &h);
}

#[test]
fn billing_failed() {
    let mut h = Harness::signed_in();
    h.type_text("7");
    let down = || ApiError::Unreachable {
        server: "http://127.0.0.1:9".into(),
        reason: "Connection refused (os error 111)".into(),
    };
    respond(&mut h, BillingDone::Plans(Err(down())));
    respond(&mut h, BillingDone::Subscription(Err(down())));
    snap("billing_failed", &h);
}

#[test]
fn billing_preview_shown() {
    let mut h = loaded(3, false);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    let change = acctl_api::billing::SubscriptionChange {
        plan: "team".into(),
        interval: acctl_api::billing::BillingInterval::Month,
        expected_amount_due_minor: None,
    };
    let result = Ok(fixtures::preview(fixed_now(), 116_456));
    respond(&mut h, BillingDone::Preview { change, result });
    snap("billing_preview", &h);
}

#[test]
fn billing_canceling() {
    let mut h = loaded(3, false);
    let mut canceling = fixtures::subscription(fixed_now());
    canceling.cancel_at_period_end = true;
    h.press(KeyCode::Char('c'));
    snap("billing_cancel_dialog", &h);
    h.press(KeyCode::Esc);
    respond(
        &mut h,
        BillingDone::Changed {
            request: ChangeKind::Cancel,
            result: Ok(canceling),
        },
    );
    snap("billing_canceling", &h);
}

#[test]
fn billing_invoices_and_detail() {
    let mut h = loaded(50, true);
    h.app.billing.desktop.download_dir = "/tmp".into();
    h.press(KeyCode::Tab);
    snap("billing_invoices", &h);
    h.press(KeyCode::Enter);
    let summary = fixtures::invoices(0, 1, fixed_now()).remove(0);
    respond(
        &mut h,
        BillingDone::Invoice(Ok(fixtures::invoice(&summary))),
    );
    snap("billing_invoice_detail", &h);
    h.press(KeyCode::Char('s'));
    snap("billing_download_asking", &h);
    h.press(KeyCode::Enter);
    let key = RequestKey::Billing(BillingKey::Download);
    let progress = Progress {
        received: 26 * 1024,
        total: Some(50 * 1024),
    };
    h.app.update(Action::Progress { key, progress });
    snap("billing_downloading", &h);
    let path = std::path::PathBuf::from("/tmp/INV-2025-000900.pdf");
    h.app.billing.desktop.can_open = true;
    respond(
        &mut h,
        BillingDone::Downloaded {
            path,
            result: Ok(51_200),
        },
    );
    snap("billing_downloaded", &h);
}

#[test]
fn billing_payment_and_handoff() {
    let mut h = loaded(1, false);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    snap("billing_payment", &h);
    h.press(KeyCode::Enter);
    respond(
        &mut h,
        BillingDone::Handoff(Ok(fixtures::handoff(fixed_now()))),
    );
    snap("billing_handoff", &h);
}
