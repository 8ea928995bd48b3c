//! Keys in, requests and state out: the Billing screen driven through the
//! whole app, with answers given by hand.

use acctl_api::billing::{BillingInterval, SubscriptionChange};
use acctl_api::{ErrorCode, Problem};
use crossterm::event::KeyCode;

use crate::action::ScreenId;
use crate::action::{BillingDone, BillingRequest, Request};
use crate::app::Overlay;
use crate::app::testing::billing::{self as fixtures, loaded, respond};
use crate::app::testing::{Harness, fixed_now};
use acctl_client::ApiError;

pub(super) fn billing_sent(h: &mut Harness) -> Vec<BillingRequest> {
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
        BillingRequest::Preview(change.clone()).answered(BillingDone::Preview(result)),
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
    let pending = h
        .app
        .screens()
        .billing()
        .chooser
        .pending
        .clone()
        .expect("pending");
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
        BillingRequest::Change(sent_change.clone()).answered(BillingDone::Changed(Ok(now_team))),
    );
    assert!(h.app.screens().billing().chooser.pending.is_none());
    assert_eq!(
        h.app
            .screens()
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
    assert!(h.app.screens().billing().chooser.pending.is_none());
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
        BillingRequest::Change(c.clone())
            .answered(BillingDone::Changed(Err(problem(ErrorCode::PriceChanged)))),
    );
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::Preview(p)] if *p == change),
        "{sent:?}"
    );
    let pending = h
        .app
        .screens()
        .billing()
        .chooser
        .pending
        .clone()
        .expect("still pending");
    assert!(pending.price_changed && !pending.sending);
    respond(
        &mut h,
        BillingRequest::Preview(change.clone()).answered(BillingDone::Preview(Ok(
            fixtures::preview(fixed_now(), 700),
        ))),
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
    assert!(h.app.screens().billing().changing);
    let mut canceling = fixtures::subscription(fixed_now());
    canceling.cancel_at_period_end = true;
    respond(
        &mut h,
        BillingRequest::Cancel.answered(BillingDone::Changed(Ok(canceling.clone()))),
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
        BillingRequest::Resume.answered(BillingDone::Changed(Ok(fixtures::subscription(
            fixed_now(),
        )))),
    );
    assert!(
        !h.app
            .screens()
            .billing()
            .subscription
            .value()
            .is_some_and(|s| s.cancel_at_period_end)
    );
}

#[test]
fn left_and_right_move_between_plans_side_by_side() {
    let mut h = loaded(1, false);
    // From Pro: Free, still Free (the first), Pro, Team.
    for key in [KeyCode::Left, KeyCode::Left, KeyCode::Right, KeyCode::Right] {
        h.press(key);
    }
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::Preview(c)] if c.plan == "team"),
        "{sent:?}"
    );
}

#[test]
fn a_plan_chosen_while_another_is_priced_is_priced_once_that_one_answers() {
    let mut h = loaded(1, false);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    let sent = billing_sent(&mut h);
    let [BillingRequest::Preview(team)] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    let team = team.clone();
    // Back out and choose Free before Team's price is known.
    h.press(KeyCode::Esc);
    h.press(KeyCode::Up);
    h.press(KeyCode::Up);
    h.press(KeyCode::Enter);
    assert!(billing_sent(&mut h).is_empty(), "one preview at a time");
    let result = Ok(fixtures::preview(fixed_now(), 500));
    respond(
        &mut h,
        BillingRequest::Preview(team).answered(BillingDone::Preview(result)),
    );
    let sent = billing_sent(&mut h);
    assert!(
        matches!(sent.as_slice(), [BillingRequest::Preview(c)] if c.plan == "free"),
        "{sent:?}"
    );
}
