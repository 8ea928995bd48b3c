//! Keys in, requests and state out: the Billing screen driven through the
//! whole app, with answers given by hand.

use acctl_api::billing::{BillingInterval, SubscriptionChange};
use acctl_api::{ErrorCode, Problem};
use crossterm::event::KeyCode;

use super::fixtures::{self, loaded, respond};
use super::{Phase, Section};
use crate::api::{ApiError, Progress};
use crate::app::Overlay;
use crate::app::action::{
    Action, BillingDone, BillingKey, BillingRequest, ChangeKind, Request, RequestKey,
};
use crate::app::nav::ScreenId;
use crate::app::testing::{Harness, fixed_now};

fn billing_sent(h: &mut Harness) -> Vec<BillingRequest> {
    h.sent()
        .into_iter()
        .filter_map(|r| match r {
            Request::Billing(b) => Some(b),
            _ => None,
        })
        .collect()
}

fn problem(code: ErrorCode) -> ApiError {
    ApiError::Problem {
        problem: Box::new(Problem::new(code, "no")),
    }
}

/// On the plans, Team selected, its preview asked for and answered.
fn previewing(due: i64) -> (Harness, SubscriptionChange) {
    let mut h = loaded(3, false);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    let [BillingRequest::Preview(change)] = sent.as_slice() else {
        panic!("one preview asked for: {sent:?}");
    };
    assert_eq!(change.plan, "team");
    assert_eq!(change.interval, BillingInterval::Month);
    assert_eq!(change.expected_amount_due_minor, None);
    let change = change.clone();
    let result = Ok(fixtures::preview(fixed_now(), due));
    respond(
        &mut h,
        BillingDone::Preview {
            change: change.clone(),
            result,
        },
    );
    (h, change)
}

#[test]
fn entering_loads_plans_subscription_invoices_and_card() {
    let mut h = Harness::signed_in();
    h.sent();
    h.type_text("7");
    assert_eq!(h.app.screen(), ScreenId::Billing);
    let sent = billing_sent(&mut h);
    assert!(
        matches!(
            sent.as_slice(),
            [
                BillingRequest::LoadPlans,
                BillingRequest::LoadSubscription,
                BillingRequest::LoadInvoices { cursor: None },
                BillingRequest::LoadPaymentMethod
            ]
        ),
        "{sent:?}"
    );
}

#[test]
fn a_plan_is_previewed_then_changed_for_the_amount_shown() {
    let (mut h, change) = previewing(116_456);
    let pending = h.app.billing().chooser.pending.clone().expect("pending");
    assert_eq!(
        pending
            .preview
            .value()
            .map(|p| p.amount_due_now.amount_minor),
        Some(116_456)
    );
    let screen = h.render(120, 40);
    assert!(screen.contains("Due now: €1,164.56"), "{screen}");
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    let [BillingRequest::Change(sent_change)] = sent.as_slice() else {
        panic!("one change: {sent:?}");
    };
    assert_eq!(sent_change.plan, change.plan);
    assert_eq!(sent_change.expected_amount_due_minor, Some(116_456));
    // A second Enter while it is on its way sends nothing more.
    h.press(KeyCode::Enter);
    assert!(billing_sent(&mut h).is_empty());
    let mut now_team = fixtures::subscription(fixed_now());
    now_team.plan = "team".into();
    now_team.plan_name = "Team".into();
    respond(
        &mut h,
        BillingDone::Changed {
            request: ChangeKind::Change(sent_change.clone()),
            result: Ok(now_team),
        },
    );
    assert!(h.app.billing().chooser.pending.is_none());
    assert_eq!(
        h.app
            .billing()
            .subscription
            .value()
            .map(|s| s.plan.as_str()),
        Some("team")
    );
    assert_eq!(
        h.app.toast_on_show().map(|t| t.text.as_str()),
        Some("Now on Team, billed monthly.")
    );
    // The change made an invoice: the list loads again.
    assert!(matches!(
        billing_sent(&mut h).as_slice(),
        [BillingRequest::LoadInvoices { cursor: None }]
    ));
}

#[test]
fn esc_backs_out_of_a_preview_and_nothing_is_sent() {
    let (mut h, _) = previewing(500);
    h.press(KeyCode::Esc);
    assert!(h.app.billing().chooser.pending.is_none());
    assert!(billing_sent(&mut h).is_empty(), "nothing charged");
}

#[test]
fn a_moved_price_is_previewed_again_not_charged() {
    let (mut h, change) = previewing(500);
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    let [BillingRequest::Change(c)] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    respond(
        &mut h,
        BillingDone::Changed {
            request: ChangeKind::Change(c.clone()),
            result: Err(problem(ErrorCode::PriceChanged)),
        },
    );
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::Preview(p)] if *p == change),
        "{sent:?}"
    );
    let pending = h
        .app
        .billing()
        .chooser
        .pending
        .clone()
        .expect("still pending");
    assert!(pending.price_changed && !pending.sending);
    respond(
        &mut h,
        BillingDone::Preview {
            change: change.clone(),
            result: Ok(fixtures::preview(fixed_now(), 700)),
        },
    );
    assert!(
        h.render(120, 40)
            .contains("The price changed since the last preview")
    );
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::Change(c)] if c.expected_amount_due_minor == Some(700))
    );
}

#[test]
fn the_interval_toggles_and_the_current_plan_is_not_previewed() {
    let mut h = loaded(1, false);
    h.press(KeyCode::Enter);
    assert!(
        billing_sent(&mut h).is_empty(),
        "Pro monthly is the plan already"
    );
    h.press(KeyCode::Char(' '));
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::Preview(c)] if c.plan == "pro" && c.interval == BillingInterval::Year),
        "{sent:?}"
    );
}

#[test]
fn cancel_is_confirmed_with_its_date_and_resume_undoes_it() {
    let mut h = loaded(1, false);
    h.press(KeyCode::Char('c'));
    let Some(Overlay::Dialog { dialog, .. }) = h.app.overlay() else {
        panic!("a confirmation");
    };
    assert!(
        dialog.body[0].contains("until 2025-03-21"),
        "{:?}",
        dialog.body
    );
    assert!(billing_sent(&mut h).is_empty(), "not before confirming");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    assert!(matches!(
        billing_sent(&mut h).as_slice(),
        [BillingRequest::Cancel]
    ));
    assert!(h.app.billing().changing);
    let mut canceling = fixtures::subscription(fixed_now());
    canceling.cancel_at_period_end = true;
    respond(
        &mut h,
        BillingDone::Changed {
            request: ChangeKind::Cancel,
            result: Ok(canceling.clone()),
        },
    );
    assert!(matches!(
        billing_sent(&mut h).as_slice(),
        [BillingRequest::LoadInvoices { cursor: None }]
    ));
    assert!(h.render(80, 24).contains("Canceling: ends on 2025-03-21"));
    h.press(KeyCode::Char('u'));
    assert!(matches!(
        billing_sent(&mut h).as_slice(),
        [BillingRequest::Resume]
    ));
    respond(
        &mut h,
        BillingDone::Changed {
            request: ChangeKind::Resume,
            result: Ok(fixtures::subscription(fixed_now())),
        },
    );
    assert!(
        !h.app
            .billing()
            .subscription
            .value()
            .is_some_and(|s| s.cancel_at_period_end)
    );
}

#[test]
fn invoices_page_in_as_the_selection_nears_the_end() {
    let mut h = loaded(50, true);
    h.press(KeyCode::Tab);
    assert_eq!(h.app.billing().section, Section::Invoices);
    h.render(80, 24);
    for _ in 0..30 {
        h.press(KeyCode::Down);
    }
    assert!(billing_sent(&mut h).is_empty(), "far from the end yet");
    for _ in 0..15 {
        h.press(KeyCode::Down);
    }
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::LoadInvoices { cursor: Some(c) }] if c == "cur_50"),
        "{sent:?}"
    );
    h.press(KeyCode::Down);
    assert!(billing_sent(&mut h).is_empty(), "one page at a time");
    respond(
        &mut h,
        BillingDone::Invoices {
            cursor: Some("cur_50".into()),
            result: Ok(fixtures::page(50, 50, false, fixed_now())),
        },
    );
    let list = &h.app.billing().invoices;
    assert_eq!(list.items.value().map(Vec::len), Some(100));
    assert!(!list.has_more());
    assert_eq!(list.selected().map(|i| i.id.as_str()), Some("inv_46"));
}

#[test]
fn enter_opens_an_invoice_and_esc_goes_back_to_the_list() {
    let mut h = loaded(3, false);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::LoadInvoice { id }] if id == "inv_1"),
        "{sent:?}"
    );
    let summary = fixtures::invoices(1, 1, fixed_now()).remove(0);
    respond(
        &mut h,
        BillingDone::Invoice(Ok(fixtures::invoice(&summary))),
    );
    let screen = h.render(80, 24);
    assert!(
        screen.contains("Tax (20.00 %)") && screen.contains("€12.00"),
        "{screen}"
    );
    h.press(KeyCode::Esc);
    assert!(h.app.billing().invoices.open.is_none());
}

#[test]
fn a_download_asks_where_shows_progress_and_keeps_the_path_on_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = loaded(3, false);
    h.app.billing.desktop.download_dir = dir.path().display().to_string();
    h.press(KeyCode::Tab);
    h.press(KeyCode::Char('s'));
    let expected = dir.path().join("INV-2025-000900.pdf");
    let download = h.app.billing().download().expect("asking").clone();
    assert_eq!(download.form.value("path"), expected.display().to_string());
    assert!(h.app.billing().takes_typing());
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::Download { id, path }] if id == "inv_0" && *path == expected),
        "{sent:?}"
    );
    let key = RequestKey::Billing(BillingKey::Download);
    h.app.update(Action::Progress {
        key,
        progress: Progress {
            received: 512,
            total: Some(1024),
        },
    });
    assert!(h.render(80, 24).contains(" 50 %"));
    let failure = ApiError::File {
        path: expected.display().to_string(),
        reason: "disk full".into(),
    };
    respond(
        &mut h,
        BillingDone::Downloaded {
            path: expected.clone(),
            result: Err(failure),
        },
    );
    let download = h.app.billing().download().expect("still open");
    assert!(matches!(download.phase, Phase::Asking { .. }));
    assert_eq!(download.form.value("path"), expected.display().to_string());
    assert!(
        download
            .form
            .error("path")
            .is_some_and(|e| e.contains("disk full"))
    );
    h.press(KeyCode::Enter);
    billing_sent(&mut h);
    respond(
        &mut h,
        BillingDone::Downloaded {
            path: expected.clone(),
            result: Ok(2048),
        },
    );
    assert!(matches!(
        &h.app.billing().download().expect("done").phase,
        Phase::Done { bytes: 2048, .. }
    ));
}

#[test]
fn an_existing_file_is_replaced_only_after_a_second_enter() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("INV-2025-000900.pdf"), b"old").expect("write");
    let mut h = loaded(1, false);
    h.app.billing.desktop.download_dir = dir.path().display().to_string();
    h.press(KeyCode::Tab);
    h.press(KeyCode::Char('s'));
    h.press(KeyCode::Enter);
    assert!(
        billing_sent(&mut h).is_empty(),
        "not replaced without asking"
    );
    let error = h
        .app
        .billing()
        .download()
        .and_then(|d| d.form.error("path").map(str::to_string));
    assert!(error.is_some_and(|e| e.contains("exists")));
    h.press(KeyCode::Enter);
    assert!(matches!(
        billing_sent(&mut h).as_slice(),
        [BillingRequest::Download { .. }]
    ));
}

#[test]
fn a_saved_file_opens_only_where_there_is_a_desktop() {
    for can_open in [false, true] {
        let mut h = loaded(1, false);
        h.app.billing.desktop.can_open = can_open;
        h.press(KeyCode::Tab);
        h.press(KeyCode::Char('s'));
        h.press(KeyCode::Enter);
        let path = match billing_sent(&mut h).pop() {
            Some(BillingRequest::Download { path, .. }) => path,
            other => panic!("{other:?}"),
        };
        respond(
            &mut h,
            BillingDone::Downloaded {
                path: path.clone(),
                result: Ok(10),
            },
        );
        h.press(KeyCode::Char('o'));
        let sent = billing_sent(&mut h);
        assert_eq!(
            matches!(sent.as_slice(), [BillingRequest::OpenFile { path: p }] if *p == path),
            can_open,
            "{sent:?}"
        );
    }
    assert!(super::has_desktop(Some(":0"), None, false));
    assert!(super::has_desktop(None, Some("wayland-0"), false));
    assert!(super::has_desktop(None, None, true));
    assert!(!super::has_desktop(Some(""), None, false));
}

#[test]
fn updating_the_card_shows_and_copies_a_link_and_r_reloads() {
    let mut h = loaded(1, false);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    assert!(
        h.render(80, 24)
            .contains("Visa ending 4242, expires 04/2027")
    );
    h.press(KeyCode::Enter);
    assert!(matches!(
        billing_sent(&mut h).as_slice(),
        [BillingRequest::PaymentHandoff]
    ));
    let link = fixtures::handoff(fixed_now());
    respond(&mut h, BillingDone::Handoff(Ok(link.clone())));
    assert_eq!(
        h.app.take_copy().map(|t| t.expose().to_string()),
        Some(link.url.clone())
    );
    assert!(h.app.billing().wants_full_body(), "room for the QR code");
    h.press(KeyCode::Char('r'));
    assert!(matches!(
        billing_sent(&mut h).as_slice(),
        [BillingRequest::LoadPaymentMethod]
    ));
    assert!(h.app.billing().payment.handoff.is_none());
}
