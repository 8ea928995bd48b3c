//! Billing over real HTTP: plans, subscription changes priced by a preview,
//! renewals on the manual clock, cancel and resume.

use crate::common;

use std::time::Duration;

use acctd::Config;
use acctl_api::billing::{
    BillingInterval, InvoiceStatus, InvoiceSummary, Plan, Subscription, SubscriptionStatus,
};
use acctl_api::paths;
use common::billing::*;
use common::{Harness, events, expect_field_error, expect_problem, manual_clock, send};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn plans_are_public_cheapest_first_in_integer_euros() {
    let h = Harness::start().await;
    let plans: Vec<Plan> = h.public_json(paths::BILLING_PLANS).await;
    let ids: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["free", "pro", "team"]);
    assert!(
        plans
            .windows(2)
            .all(|w| w[0].monthly_price.amount_minor < w[1].monthly_price.amount_minor)
    );
    assert!(plans.iter().all(|p| p.yearly_price.currency == "EUR"));
    assert_eq!(plans[1].monthly_price.amount_minor, 900);
}

#[tokio::test]
async fn a_new_account_is_free_monthly_and_active() {
    let h = Harness::start().await;
    let token = signed_up(&h, "new@example.com").await;
    let sub = subscription(&h, &token).await;
    assert_eq!(
        (sub.plan.as_str(), sub.interval),
        ("free", BillingInterval::Month)
    );
    assert_eq!(sub.status, SubscriptionStatus::Active);
    assert_eq!(sub.price.amount_minor, 0);
    assert_eq!(sub.current_period_start, h.clock.now());
    assert!(!sub.cancel_at_period_end);
    assert!(all_invoices(&h, &token).await.is_empty());
}

#[tokio::test]
async fn a_put_charges_exactly_what_the_preview_said() {
    let h = dev_server().await;
    let token = signed_up(&h, "pays@example.com").await;
    add_card(&h, &token).await;
    let token = later(&h, "pays@example.com", 10 * DAY).await;
    let shown = preview(&h, &token, "pro", "month").await;
    // 2030-01-02 plus a month is 31 days; 10 used, 21 left: 900 * 21 / 31.
    assert_eq!(shown.credit.amount_minor, 0);
    assert_eq!(shown.lines.len(), 1);
    assert_eq!(shown.lines[0].amount.amount_minor, 610);
    assert_eq!(shown.amount_due_now.amount_minor, 732);
    assert_eq!(shown.next_invoice_amount.amount_minor, 1_080);
    let body = json!({"plan": "pro", "interval": "month",
        "expected_amount_due_minor": shown.amount_due_now.amount_minor});
    let response = change(&h, &token, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let sub: Subscription = response.json().await.expect("subscription");
    assert_eq!(
        (sub.plan.as_str(), sub.status),
        ("pro", SubscriptionStatus::Active)
    );
    assert_eq!(sub.current_period_end, shown.next_invoice_at);
    let invoices = all_invoices(&h, &token).await;
    assert_eq!(invoices.len(), 1);
    assert_eq!(invoices[0].total, shown.amount_due_now);
    assert_eq!(invoices[0].status, InvoiceStatus::Paid);
    assert_adds_up(&invoice(&h, &token, &invoices[0].id).await);
    assert_eq!(events(&h, &token, Some("plan_changed")).await.len(), 1);
}

#[tokio::test]
async fn a_price_that_moved_since_the_preview_is_refused_and_nothing_changes() {
    let h = dev_server().await;
    let token = signed_up(&h, "slow@example.com").await;
    let shown = preview(&h, &token, "team", "month").await;
    let token = later(&h, "slow@example.com", 3 * DAY).await;
    let body = json!({"plan": "team", "interval": "month",
        "expected_amount_due_minor": shown.amount_due_now.amount_minor});
    expect_problem(change(&h, &token, body).await, "price_changed").await;
    assert_eq!(subscription(&h, &token).await.plan, "free");
    assert!(all_invoices(&h, &token).await.is_empty());
    assert!(events(&h, &token, Some("plan_changed")).await.is_empty());
}

#[tokio::test]
async fn unknown_plans_and_the_same_plan_are_refused_on_plan() {
    let h = Harness::start().await;
    let token = signed_up(&h, "picky@example.com").await;
    let gold = json!({"plan": "gold", "interval": "month"});
    let errors = expect_field_error(change(&h, &token, gold.clone()).await, "plan").await;
    assert!(errors["plan"][0].contains("free, pro, team"), "{errors:?}");
    let response = send(&h, Method::POST, paths::SUBSCRIPTION_PREVIEW, &token, gold).await;
    expect_field_error(response, "plan").await;
    let same = json!({"plan": "free", "interval": "month"});
    expect_field_error(change(&h, &token, same).await, "plan").await;
}

#[tokio::test]
async fn a_year_of_monthly_renewals_issues_twelve_invoices() {
    let h = dev_server().await;
    let token = signed_up(&h, "monthly@example.com").await;
    add_card(&h, &token).await;
    change_ok(&h, &token, "pro", "month").await;
    let first_end = subscription(&h, &token).await.current_period_end;
    let token = later(&h, "monthly@example.com", 365 * DAY).await;
    assert_eq!(h.server.run_billing().await.expect("billing"), 12);
    assert_eq!(
        h.server.run_billing().await.expect("again"),
        0,
        "renewals run once"
    );
    let mut renewals: Vec<InvoiceSummary> = all_invoices(&h, &token).await;
    renewals.pop(); // the proration invoice of the upgrade
    renewals.reverse();
    assert_eq!(renewals.len(), 12);
    assert_eq!(renewals[0].period_start, first_end);
    for pair in renewals.windows(2) {
        assert_eq!(
            pair[0].period_end, pair[1].period_start,
            "periods follow on"
        );
    }
    for invoice in &renewals {
        assert_eq!(invoice.issued_at, invoice.period_start);
        assert_eq!(invoice.total.amount_minor, 1_080);
        assert_eq!(invoice.status, InvoiceStatus::Paid);
    }
    let sub = subscription(&h, &token).await;
    assert!(sub.current_period_start <= h.clock.now() && h.clock.now() < sub.current_period_end);
}

#[tokio::test]
async fn a_yearly_plan_renews_once_a_year() {
    let h = dev_server().await;
    let token = signed_up(&h, "yearly@example.com").await;
    add_card(&h, &token).await;
    let sub = change_ok(&h, &token, "pro", "year").await;
    // A new interval starts a new period now, charged in full.
    assert_eq!(sub.current_period_start, h.clock.now());
    assert_eq!(all_invoices(&h, &token).await[0].total.amount_minor, 10_800);
    h.advance(364 * DAY);
    assert_eq!(
        h.server.run_billing().await.expect("billing"),
        0,
        "not a year yet"
    );
    let token = later(&h, "yearly@example.com", DAY).await;
    assert_eq!(h.server.run_billing().await.expect("billing"), 1);
    let invoices = all_invoices(&h, &token).await;
    assert_eq!(invoices.len(), 2);
    assert_eq!(invoices[0].period_start, sub.current_period_end);
}

#[tokio::test]
async fn cancel_and_resume_are_logged_and_free_has_nothing_to_cancel() {
    let h = dev_server().await;
    let token = signed_up(&h, "undecided@example.com").await;
    let refused = send(
        &h,
        Method::POST,
        paths::SUBSCRIPTION_CANCEL,
        &token,
        json!({}),
    )
    .await;
    expect_problem(refused, "conflict").await;
    change_ok(&h, &token, "pro", "month").await;
    assert!(
        post_ok(&h, &token, paths::SUBSCRIPTION_CANCEL)
            .await
            .cancel_at_period_end
    );
    // Twice is the same as once, and logged once.
    assert!(
        post_ok(&h, &token, paths::SUBSCRIPTION_CANCEL)
            .await
            .cancel_at_period_end
    );
    assert!(
        !post_ok(&h, &token, paths::SUBSCRIPTION_RESUME)
            .await
            .cancel_at_period_end
    );
    let canceled = events(&h, &token, Some("subscription_canceled")).await;
    assert_eq!(canceled.len(), 1);
    assert_eq!(
        events(&h, &token, Some("subscription_resumed")).await.len(),
        1
    );
    assert_eq!(canceled[0].device_name.as_deref(), Some("acctd-tests"));
}

#[tokio::test]
async fn a_canceled_subscription_ends_on_free_at_the_period_end() {
    let h = dev_server().await;
    let token = signed_up(&h, "leaves@example.com").await;
    add_card(&h, &token).await;
    change_ok(&h, &token, "pro", "month").await;
    let canceled = post_ok(&h, &token, paths::SUBSCRIPTION_CANCEL).await;
    let end = canceled.current_period_end;
    h.clock.set(end - chrono::Duration::seconds(1));
    let token = later(&h, "leaves@example.com", Duration::ZERO).await;
    assert_eq!(
        subscription(&h, &token).await.plan,
        "pro",
        "works to the end"
    );
    h.advance(Duration::from_secs(1));
    assert_eq!(
        h.server.run_billing().await.expect("billing"),
        0,
        "no renewal invoice"
    );
    let after = subscription(&h, &token).await;
    assert_eq!(
        (after.plan.as_str(), after.status),
        ("free", SubscriptionStatus::Active)
    );
    assert_eq!(after.current_period_start, end);
    assert!(!after.cancel_at_period_end);
    assert_eq!(all_invoices(&h, &token).await.len(), 1);
}

#[tokio::test]
async fn an_upgrade_mid_period_credits_the_unused_days() {
    let h = dev_server().await;
    let token = signed_up(&h, "grows@example.com").await;
    add_card(&h, &token).await;
    change_ok(&h, &token, "pro", "month").await;
    let token = later(&h, "grows@example.com", 10 * DAY).await;
    let shown = preview(&h, &token, "team", "month").await;
    // 21 of 31 days left: credit 900 * 21 / 31, charge 2900 * 21 / 31.
    assert_eq!(shown.credit.amount_minor, 610);
    assert_eq!(shown.lines[1].amount.amount_minor, 1_965);
    assert_eq!(shown.amount_due_now.amount_minor, (1_965 - 610) * 12 / 10);
    assert_eq!(shown.next_invoice_amount.amount_minor, 3_480);
    change_ok(&h, &token, "team", "month").await;
    let latest = all_invoices(&h, &token).await.remove(0);
    let detail = invoice(&h, &token, &latest.id).await;
    assert_eq!(detail.total, shown.amount_due_now);
    assert_eq!(detail.lines, shown.lines);
    assert_adds_up(&detail);
}

#[tokio::test]
async fn a_change_after_the_period_ended_renews_first() {
    let h = dev_server().await;
    let token = signed_up(&h, "late@example.com").await;
    add_card(&h, &token).await;
    let pro = change_ok(&h, &token, "pro", "month").await;
    // The period is over but no renewal has run yet.
    let token = later(&h, "late@example.com", 40 * DAY).await;
    let team = change_ok(&h, &token, "team", "month").await;
    assert_eq!(team.current_period_start, pro.current_period_end);
    let invoices = all_invoices(&h, &token).await;
    assert_eq!(invoices.len(), 3, "upgrade, renewal, then the change");
    assert_eq!(invoices[1].period_start, pro.current_period_end);
    assert!(
        invoices[0].total.amount_minor > 0,
        "priced against the new period"
    );
}

#[tokio::test]
async fn renewals_also_run_in_the_background() {
    let config = Config::for_tests()
        .with_clock(manual_clock())
        .with_dev(true)
        .with_billing_every(Duration::from_secs(1));
    let h = Harness::start_with(config).await;
    let token = signed_up(&h, "waits@example.com").await;
    add_card(&h, &token).await;
    change_ok(&h, &token, "pro", "month").await;
    let token = later(&h, "waits@example.com", 32 * DAY).await;
    let mut invoices = all_invoices(&h, &token).await;
    for _ in 0..100 {
        if invoices.len() > 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        invoices = all_invoices(&h, &token).await;
    }
    assert_eq!(invoices.len(), 2, "the background task renewed");
}

#[tokio::test]
async fn every_billing_route_is_in_the_openapi_document() {
    let h = Harness::start().await;
    let doc: serde_json::Value = h.public_json(paths::OPENAPI).await;
    let routes = [
        (paths::BILLING_PLANS, "get"),
        (paths::SUBSCRIPTION, "get"),
        (paths::SUBSCRIPTION, "put"),
        (paths::SUBSCRIPTION_PREVIEW, "post"),
        (paths::SUBSCRIPTION_CANCEL, "post"),
        (paths::SUBSCRIPTION_RESUME, "post"),
        (paths::INVOICES, "get"),
        (paths::INVOICE_PATTERN, "get"),
        (paths::INVOICE_DOCUMENT_PATTERN, "get"),
        (paths::PAYMENT_METHOD, "get"),
        (paths::PAYMENT_METHOD_UPDATE, "post"),
        (paths::CHECKOUT_PATTERN, "get"),
        (paths::CHECKOUT_PATTERN, "post"),
    ];
    for (path, method) in routes {
        let operation = &doc["paths"][path][method];
        assert!(operation["responses"]["200"].is_object(), "{method} {path}");
    }
    let document = &doc["paths"][paths::INVOICE_DOCUMENT_PATTERN]["get"]["responses"]["200"];
    assert!(document["content"]["application/pdf"].is_object());
}
