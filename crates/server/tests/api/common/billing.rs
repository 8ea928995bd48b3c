//! Billing helpers: a development server, plan changes, invoice pages and
//! the card hand-off, over HTTP.

use std::time::Duration;

use acctd::Config;
use acctl_api::billing::{
    Invoice, InvoiceSummary, PaymentMethodHandoff, Subscription, SubscriptionPreview,
};
use acctl_api::{Page, paths};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Harness, manual_clock, send};

pub const DAY: Duration = Duration::from_secs(24 * 3600);

/// A development server (checkouts complete with a test card).
pub async fn dev_server() -> Harness {
    Harness::start_with(
        Config::for_tests()
            .with_clock(manual_clock())
            .with_dev(true),
    )
    .await
}

pub async fn signed_up(h: &Harness, email: &str) -> String {
    h.signup(email, "Ada Lovelace")
        .await
        .access_token
        .expose()
        .to_string()
}

/// Moves the clock on and signs `email` in again (access tokens last
/// minutes); the new access token.
pub async fn later(h: &Harness, email: &str, by: Duration) -> String {
    h.advance(by);
    h.login(email, "laptop")
        .await
        .access_token
        .expose()
        .to_string()
}

pub async fn subscription(h: &Harness, token: &str) -> Subscription {
    serde_json::from_value(h.get_json(paths::SUBSCRIPTION, token).await).expect("subscription")
}

pub async fn preview(h: &Harness, token: &str, plan: &str, interval: &str) -> SubscriptionPreview {
    let body = json!({"plan": plan, "interval": interval});
    let response = send(h, Method::POST, paths::SUBSCRIPTION_PREVIEW, token, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("preview")
}

pub async fn change(h: &Harness, token: &str, body: Value) -> reqwest::Response {
    send(h, Method::PUT, paths::SUBSCRIPTION, token, body).await
}

pub async fn change_ok(h: &Harness, token: &str, plan: &str, interval: &str) -> Subscription {
    let response = change(h, token, json!({"plan": plan, "interval": interval})).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("subscription")
}

pub async fn invoice_page(h: &Harness, token: &str, query: &str) -> Page<InvoiceSummary> {
    let path = format!("{}{query}", paths::INVOICES);
    serde_json::from_value(h.get_json(&path, token).await).expect("page")
}

/// Every invoice, newest first.
pub async fn all_invoices(h: &Harness, token: &str) -> Vec<InvoiceSummary> {
    invoice_page(h, token, "?limit=200").await.items
}

/// Asks to update the card, expects 200: the browser hand-off.
pub async fn handoff(h: &Harness, token: &str) -> PaymentMethodHandoff {
    let response = send(
        h,
        Method::POST,
        paths::PAYMENT_METHOD_UPDATE,
        token,
        json!({}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("handoff")
}

/// Puts the test card on file through the browser hand-off.
pub async fn add_card(h: &Harness, token: &str) -> String {
    let handoff = handoff(h, token).await;
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

/// POSTs `{}` to `path` (cancel, resume), expects 200; the subscription.
pub async fn post_ok(h: &Harness, token: &str, path: &str) -> Subscription {
    let response = send(h, Method::POST, path, token, json!({})).await;
    assert_eq!(response.status(), StatusCode::OK, "POST {path}");
    response.json().await.expect("subscription")
}

pub async fn invoice(h: &Harness, token: &str, id: &str) -> Invoice {
    serde_json::from_value(h.get_json(&paths::invoice(id), token).await).expect("invoice")
}

/// The lines sum to the subtotal, and subtotal plus tax is the total.
pub fn assert_adds_up(invoice: &Invoice) {
    let lines: i64 = invoice.lines.iter().map(|l| l.amount.amount_minor).sum();
    assert_eq!(lines, invoice.subtotal.amount_minor, "{invoice:?}");
    let (subtotal, tax) = (invoice.subtotal.amount_minor, invoice.tax.amount_minor);
    assert_eq!(subtotal + tax, invoice.total.amount_minor, "{invoice:?}");
    assert_eq!(invoice.tax_rate_bps, 2000);
}
