//! Billing over real HTTP: plans, subscription changes priced by a preview,
//! renewals on the manual clock, invoices (list, detail, PDF) and the card
//! hand-off of the local provider.

mod common;

use std::time::Duration;

use acctd::Config;
use acctl_api::billing::{
    BillingInterval, Invoice, InvoiceStatus, InvoiceSummary, PaymentMethodHandoff,
    PaymentMethodState, Plan, Subscription, SubscriptionPreview, SubscriptionStatus,
};
use acctl_api::{Page, paths};
use common::{Harness, events, expect_field_error, expect_problem, manual_clock, send};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const DAY: Duration = Duration::from_secs(24 * 3600);

/// A development server (checkouts complete with a test card).
async fn dev_server() -> Harness {
    Harness::start_with(
        Config::for_tests()
            .with_clock(manual_clock())
            .with_dev(true),
    )
    .await
}

async fn signed_up(h: &Harness, email: &str) -> String {
    h.signup(email, "Ada Lovelace")
        .await
        .access_token
        .expose()
        .to_string()
}

/// Moves the clock on and signs `email` in again (access tokens last
/// minutes); the new access token.
async fn later(h: &Harness, email: &str, by: Duration) -> String {
    h.advance(by);
    h.login(email, "laptop")
        .await
        .access_token
        .expose()
        .to_string()
}

async fn subscription(h: &Harness, token: &str) -> Subscription {
    serde_json::from_value(h.get_json(paths::SUBSCRIPTION, token).await).expect("subscription")
}

async fn preview(h: &Harness, token: &str, plan: &str, interval: &str) -> SubscriptionPreview {
    let body = json!({"plan": plan, "interval": interval});
    let response = send(h, Method::POST, paths::SUBSCRIPTION_PREVIEW, token, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("preview")
}

async fn change(h: &Harness, token: &str, body: Value) -> reqwest::Response {
    send(h, Method::PUT, paths::SUBSCRIPTION, token, body).await
}

async fn change_ok(h: &Harness, token: &str, plan: &str, interval: &str) -> Subscription {
    let response = change(h, token, json!({"plan": plan, "interval": interval})).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("subscription")
}

async fn invoice_page(h: &Harness, token: &str, query: &str) -> Page<InvoiceSummary> {
    let path = format!("{}{query}", paths::INVOICES);
    serde_json::from_value(h.get_json(&path, token).await).expect("page")
}

/// Every invoice, newest first.
async fn all_invoices(h: &Harness, token: &str) -> Vec<InvoiceSummary> {
    invoice_page(h, token, "?limit=200").await.items
}

/// Puts the test card on file through the browser hand-off.
async fn add_card(h: &Harness, token: &str) -> String {
    let response = send(
        h,
        Method::POST,
        paths::PAYMENT_METHOD_UPDATE,
        token,
        json!({}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let handoff: PaymentMethodHandoff = response.json().await.expect("handoff");
    let page = h.http.get(&handoff.url).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .expect("html")
            .contains("<form method=\"post\">")
    );
    let done = h.http.post(&handoff.url).send().await.expect("posted");
    assert_eq!(done.status(), StatusCode::OK);
    handoff.url
}

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
    let detail: Invoice =
        serde_json::from_value(h.get_json(&paths::invoice(&invoices[0].id), &token).await)
            .expect("invoice");
    assert_eq!(
        detail
            .lines
            .iter()
            .map(|l| l.amount.amount_minor)
            .sum::<i64>(),
        detail.subtotal.amount_minor
    );
    assert_eq!(
        detail.subtotal.amount_minor + detail.tax.amount_minor,
        detail.total.amount_minor
    );
    assert_eq!(detail.tax_rate_bps, 2000);
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
async fn without_a_card_the_invoice_stays_open_until_one_is_added() {
    let h = dev_server().await;
    let token = signed_up(&h, "nocard@example.com").await;
    let sub = change_ok(&h, &token, "pro", "month").await;
    assert_eq!(sub.status, SubscriptionStatus::PastDue);
    assert_eq!(
        all_invoices(&h, &token).await[0].status,
        InvoiceStatus::Open
    );
    add_card(&h, &token).await;
    assert_eq!(
        subscription(&h, &token).await.status,
        SubscriptionStatus::Active
    );
    assert_eq!(
        all_invoices(&h, &token).await[0].status,
        InvoiceStatus::Paid
    );
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
async fn pages_stay_put_while_new_invoices_arrive() {
    let h = dev_server().await;
    let token = signed_up(&h, "pages@example.com").await;
    add_card(&h, &token).await;
    change_ok(&h, &token, "pro", "month").await;
    let token = later(&h, "pages@example.com", 181 * DAY).await;
    h.server.run_billing().await.expect("billing");
    let before = all_invoices(&h, &token).await;
    assert_eq!(before.len(), 7);
    let first = invoice_page(&h, &token, "?limit=3").await;
    let cursor = first.next_cursor.clone().expect("more pages");
    let token = later(&h, "pages@example.com", 92 * DAY).await;
    assert_eq!(h.server.run_billing().await.expect("billing"), 3);
    let mut seen: Vec<String> = first.items.iter().map(|i| i.id.clone()).collect();
    let mut cursor = Some(cursor);
    while let Some(next) = cursor {
        let page = invoice_page(&h, &token, &format!("?limit=3&cursor={next}")).await;
        seen.extend(page.items.iter().map(|i| i.id.clone()));
        cursor = page.next_cursor;
    }
    let expected: Vec<String> = before.iter().map(|i| i.id.clone()).collect();
    assert_eq!(
        seen, expected,
        "no gap, no repeat, nothing new in the old pages"
    );
    assert_eq!(all_invoices(&h, &token).await.len(), 10);
}

#[tokio::test]
async fn the_document_is_a_pdf_with_the_total() {
    let h = dev_server().await;
    let token = signed_up(&h, "pdf@example.com").await;
    add_card(&h, &token).await;
    change_ok(&h, &token, "team", "month").await;
    let invoice = all_invoices(&h, &token).await.remove(0);
    let response = h.get(&paths::invoice_document(&invoice.id), &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response.headers()[name]
            .to_str()
            .expect("ascii")
            .to_string()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(
        header("content-disposition"),
        format!("attachment; filename=\"{}.pdf\"", invoice.number)
    );
    let length: usize = header("content-length").parse().expect("a number");
    let bytes = response.bytes().await.expect("bytes");
    assert_eq!(bytes.len(), length);
    let document = lopdf::Document::load_mem(&bytes).expect("parses as PDF");
    let text = document.extract_text(&[1]).expect("text");
    // Team for the whole of a 31-day period: 29.00 + 20 % = 34.80.
    assert_eq!(invoice.total.amount_minor, 3_480);
    assert!(text.contains("34.80 EUR"), "{text}");
    assert!(text.contains(&invoice.number), "{text}");
    assert!(text.contains("pdf@example.com"), "{text}");
}

#[tokio::test]
async fn another_accounts_invoice_is_not_found() {
    let h = dev_server().await;
    let owner = signed_up(&h, "owner@example.com").await;
    change_ok(&h, &owner, "pro", "month").await;
    let id = all_invoices(&h, &owner).await.remove(0).id;
    let stranger = signed_up(&h, "stranger@example.com").await;
    for path in [paths::invoice(&id), paths::invoice_document(&id)] {
        expect_problem(h.get(&path, &stranger).await, "not_found").await;
        assert_eq!(h.get(&path, &owner).await.status(), StatusCode::OK);
    }
    expect_problem(
        h.get(&paths::invoice("no-such-id"), &owner).await,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn cancel_then_resume_then_cancel_ends_on_free() {
    let h = dev_server().await;
    let token = signed_up(&h, "leaves@example.com").await;
    add_card(&h, &token).await;
    let post = |path: &'static str| send(&h, Method::POST, path, &token, json!({}));
    expect_problem(post(paths::SUBSCRIPTION_CANCEL).await, "conflict").await;
    change_ok(&h, &token, "pro", "month").await;
    let canceled: Subscription = post(paths::SUBSCRIPTION_CANCEL)
        .await
        .json()
        .await
        .expect("sub");
    assert!(canceled.cancel_at_period_end);
    let resumed: Subscription = post(paths::SUBSCRIPTION_RESUME)
        .await
        .json()
        .await
        .expect("sub");
    assert!(!resumed.cancel_at_period_end);
    post(paths::SUBSCRIPTION_CANCEL).await;
    assert_eq!(
        events(&h, &token, Some("subscription_canceled"))
            .await
            .len(),
        2
    );
    assert_eq!(
        events(&h, &token, Some("subscription_resumed")).await.len(),
        1
    );
    let end = canceled.current_period_end;
    h.clock.set(end);
    let token = h
        .login("leaves@example.com", "laptop")
        .await
        .access_token
        .expose()
        .to_string();
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
async fn the_checkout_link_puts_a_test_card_on_file_once() {
    let h = dev_server().await;
    let token = signed_up(&h, "card@example.com").await;
    let none: PaymentMethodState =
        serde_json::from_value(h.get_json(paths::PAYMENT_METHOD, &token).await).expect("state");
    assert_eq!(none.card, None);
    let url = add_card(&h, &token).await;
    assert!(
        url.starts_with(&format!("{}/billing/checkout/chk_", h.server.base_url())),
        "{url}"
    );
    let state: PaymentMethodState =
        serde_json::from_value(h.get_json(paths::PAYMENT_METHOD, &token).await).expect("state");
    let card = state.card.expect("a card");
    assert_eq!((card.brand.as_str(), card.last4.as_str()), ("visa", "4242"));
    assert!(i32::from(card.exp_year) > 2030);
    assert_eq!(
        h.http.post(&url).send().await.expect("sent").status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        h.http.get(&url).send().await.expect("sent").status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        events(&h, &token, Some("payment_method_changed"))
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn checkout_links_expire_after_thirty_minutes() {
    let h = dev_server().await;
    let token = signed_up(&h, "late@example.com").await;
    let response = send(
        &h,
        Method::POST,
        paths::PAYMENT_METHOD_UPDATE,
        &token,
        json!({}),
    )
    .await;
    let handoff: PaymentMethodHandoff = response.json().await.expect("handoff");
    assert_eq!(
        handoff.expires_at,
        h.clock.now() + chrono::Duration::minutes(30)
    );
    let token = later(&h, "late@example.com", Duration::from_secs(30 * 60)).await;
    let late = h.http.post(&handoff.url).send().await.expect("sent");
    assert_eq!(late.status(), StatusCode::NOT_FOUND);
    let state: PaymentMethodState =
        serde_json::from_value(h.get_json(paths::PAYMENT_METHOD, &token).await).expect("state");
    assert_eq!(state.card, None);
}

#[tokio::test]
async fn outside_dev_mode_the_page_says_there_is_no_provider() {
    let h = Harness::start_with(
        Config::for_tests()
            .with_clock(manual_clock())
            .with_public_url("https://accounts.example.com/"),
    )
    .await;
    let token = signed_up(&h, "prod@example.com").await;
    let response = send(
        &h,
        Method::POST,
        paths::PAYMENT_METHOD_UPDATE,
        &token,
        json!({}),
    )
    .await;
    let handoff: PaymentMethodHandoff = response.json().await.expect("handoff");
    assert!(
        handoff
            .url
            .starts_with("https://accounts.example.com/billing/checkout/")
    );
    let path = handoff
        .url
        .trim_start_matches("https://accounts.example.com");
    let page = h.http.get(h.url(path)).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("no payment provider"), "{html}");
    assert!(!html.contains("<form"));
    let post = h.http.post(h.url(path)).send().await.expect("sent");
    assert_eq!(post.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_demo_has_three_years_of_pro_invoices_and_a_card() {
    let h = Harness::start().await;
    let demo = h.server.seed_demo().await.expect("demo");
    let token = h
        .login_as(
            &demo.email,
            secrecy::ExposeSecret::expose_secret(&demo.password),
            "laptop",
        )
        .await;
    let token = common::tokens(token)
        .await
        .access_token
        .expose()
        .to_string();
    let sub = subscription(&h, &token).await;
    assert_eq!(
        (sub.plan.as_str(), sub.interval),
        ("pro", BillingInterval::Month)
    );
    assert_eq!(sub.status, SubscriptionStatus::Active);
    assert!(sub.current_period_start <= h.clock.now() && h.clock.now() < sub.current_period_end);
    let invoices = all_invoices(&h, &token).await;
    assert_eq!(invoices.len(), 36);
    assert!(
        invoices
            .iter()
            .all(|i| i.status == InvoiceStatus::Paid && i.total.amount_minor == 1_080)
    );
    assert!(
        invoices
            .windows(2)
            .all(|w| w[1].period_end == w[0].period_start)
    );
    let state: PaymentMethodState =
        serde_json::from_value(h.get_json(paths::PAYMENT_METHOD, &token).await).expect("state");
    assert!(state.card.is_some());
}
