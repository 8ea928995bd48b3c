//! What the Billing screen looks like in each of its states, at 80x24 and
//! 120x40, with a fixed clock and the mono theme.

use crossterm::event::KeyCode;

use super::testing::{Harness, fixed_now};
#[allow(unused_imports)]
use crate::action::{self, *};
use crate::app::testing::billing::{self as fixtures, loaded, respond};
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
    h.respond(ProfileRequest::LoadPreferences.answered(ProfileDone::Preferences(Ok(versioned))));
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
    respond(
        &mut h,
        BillingRequest::LoadPlans.answered(BillingDone::Plans(Err(down()))),
    );
    respond(
        &mut h,
        BillingRequest::LoadSubscription.answered(BillingDone::Subscription(Err(down()))),
    );
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
    respond(
        &mut h,
        BillingRequest::Preview(change).answered(BillingDone::Preview(result)),
    );
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
        BillingRequest::Cancel.answered(BillingDone::Changed(Ok(canceling))),
    );
    snap("billing_canceling", &h);
}

#[test]
fn billing_invoices_and_detail() {
    let mut h = loaded(50, true);
    h.app.screens_mut().billing_mut().desktop.download_dir = "/tmp".into();
    h.press(KeyCode::Tab);
    snap("billing_invoices", &h);
    h.press(KeyCode::Enter);
    let summary = fixtures::invoices(0, 1, fixed_now()).remove(0);
    respond(
        &mut h,
        BillingRequest::LoadInvoice { id: String::new() }
            .answered(BillingDone::Invoice(Ok(fixtures::invoice(&summary)))),
    );
    snap("billing_invoice_detail", &h);
    h.press(KeyCode::Char('s'));
    snap("billing_download_asking", &h);
    h.press(KeyCode::Enter);
    let request = Request::Billing(BillingRequest::Download {
        id: "in_0".into(),
        path: "INV-2025-000900.pdf".into(),
    });
    let progress = Progress {
        received: 26 * 1024,
        total: Some(50 * 1024),
    };
    h.app.update(Action::Progress { request, progress });
    snap("billing_downloading", &h);
    let path = std::path::PathBuf::from("/tmp/INV-2025-000900.pdf");
    h.app.screens_mut().billing_mut().desktop.can_open = true;
    respond(
        &mut h,
        BillingRequest::Download {
            id: String::new(),
            path,
        }
        .answered(BillingDone::Downloaded(Ok(51_200))),
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
        BillingRequest::PaymentHandoff
            .answered(BillingDone::Handoff(Ok(fixtures::handoff(fixed_now())))),
    );
    snap("billing_handoff", &h);
}
