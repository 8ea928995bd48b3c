//! The card on file and its browser hand-off (the local provider), over
//! real HTTP.

use crate::common;

use std::time::Duration;

use acctd::Config;
use acctl_api::billing::{InvoiceStatus, PaymentMethodState, SubscriptionStatus};
use acctl_api::paths;
use common::billing::*;
use common::{Harness, events, manual_clock};
use reqwest::StatusCode;

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
    let handoff = handoff(&h, &token).await;
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
    let handoff = handoff(&h, &token).await;
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
