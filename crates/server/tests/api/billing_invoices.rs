//! Invoices over real HTTP: stable pages, the PDF, other people's invoices,
//! and the demo's three years of them.

use crate::common;

use acctl_api::billing::{BillingInterval, InvoiceStatus, PaymentMethodState, SubscriptionStatus};
use acctl_api::paths;
use common::billing::*;
use common::{Harness, expect_problem};
use reqwest::StatusCode;

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
    let header = |name: &str| common::header(&response, name).expect(name);
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
