//! Hand-made billing data for the screen's tests and snapshots.

use acctl_api::Page;
use acctl_api::billing::{
    BillingInterval, Invoice, InvoiceLine, InvoiceStatus, InvoiceSummary, Money, PaymentMethod,
    PaymentMethodHandoff, PaymentMethodState, Plan, Subscription, SubscriptionPreview,
    SubscriptionStatus,
};
use chrono::{DateTime, Duration, Utc};

use super::Harness;
use crate::action::{BillingDone, BillingRequest, Response};

fn eur(minor: i64) -> Money {
    Money::new(minor, "EUR")
}

fn plan(id: &str, name: &str, monthly: i64, features: &[&str]) -> Plan {
    Plan {
        id: id.into(),
        name: name.into(),
        description: format!("{name} for people who need it"),
        features: features.iter().map(|f| f.to_string()).collect(),
        monthly_price: eur(monthly),
        yearly_price: eur(monthly * 10),
    }
}

pub fn plans() -> Vec<Plan> {
    vec![
        plan("free", "Free", 0, &["1 GB storage", "Community help"]),
        plan("pro", "Pro", 1_200, &["100 GB storage", "Email help"]),
        plan(
            "team",
            "Team",
            123_456,
            &["1 TB storage", "5 seats", "Phone help"],
        ),
    ]
}

pub fn subscription(now: DateTime<Utc>) -> Subscription {
    Subscription {
        plan: "pro".into(),
        plan_name: "Pro".into(),
        interval: BillingInterval::Month,
        status: SubscriptionStatus::Active,
        price: eur(1_200),
        current_period_start: now - Duration::days(10),
        current_period_end: now + Duration::days(20),
        cancel_at_period_end: false,
    }
}

pub fn preview(now: DateTime<Utc>, due: i64) -> SubscriptionPreview {
    SubscriptionPreview {
        plan: "team".into(),
        interval: BillingInterval::Month,
        amount_due_now: eur(due),
        credit: eur(-800),
        lines: vec![
            InvoiceLine {
                description: "Unused time on Pro".into(),
                quantity: 1,
                unit_amount: eur(-800),
                amount: eur(-800),
            },
            InvoiceLine {
                description: "Remaining time on Team".into(),
                quantity: 1,
                unit_amount: eur(due + 800),
                amount: eur(due + 800),
            },
        ],
        next_invoice_at: now + Duration::days(20),
        next_invoice_amount: eur(123_456),
    }
}

/// Invoices `from..from + n`, newest first, a month apart.
pub fn invoices(from: usize, n: usize, now: DateTime<Utc>) -> Vec<InvoiceSummary> {
    (from..from + n)
        .map(|i| {
            let months = i64::try_from(i).unwrap_or(0);
            let start = now - Duration::days(30 * (months + 1));
            InvoiceSummary {
                id: format!("inv_{i}"),
                number: format!("INV-2025-{:06}", 900 - i),
                status: if i == 0 {
                    InvoiceStatus::Open
                } else {
                    InvoiceStatus::Paid
                },
                issued_at: start,
                period_start: start,
                period_end: start + Duration::days(30),
                total: eur(1_200),
            }
        })
        .collect()
}

pub fn page(from: usize, n: usize, more: bool, now: DateTime<Utc>) -> Page<InvoiceSummary> {
    Page {
        items: invoices(from, n, now),
        next_cursor: more.then(|| format!("cur_{}", from + n)),
    }
}

pub fn invoice(summary: &InvoiceSummary) -> Invoice {
    Invoice {
        id: summary.id.clone(),
        number: summary.number.clone(),
        status: InvoiceStatus::Paid,
        issued_at: summary.issued_at,
        period_start: summary.period_start,
        period_end: summary.period_end,
        paid_at: Some(summary.issued_at + Duration::hours(1)),
        lines: vec![InvoiceLine {
            description: "Pro, monthly".into(),
            quantity: 1,
            unit_amount: eur(1_000),
            amount: eur(1_000),
        }],
        subtotal: eur(1_000),
        tax_rate_bps: 2_000,
        tax: eur(200),
        total: eur(1_200),
    }
}

pub fn card() -> PaymentMethodState {
    PaymentMethodState {
        card: Some(PaymentMethod {
            brand: "visa".into(),
            last4: "4242".into(),
            exp_month: 4,
            exp_year: 2027,
        }),
    }
}

pub fn handoff(now: DateTime<Utc>) -> PaymentMethodHandoff {
    PaymentMethodHandoff {
        url: "http://127.0.0.1:8787/pay/card/hof_4f9a1c2e7b5d".into(),
        expires_at: now + Duration::minutes(30),
    }
}

pub fn respond(h: &mut Harness, response: Response) {
    h.respond(response);
}

/// Signed in, on Billing, with everything loaded (`invoices` of them, more
/// to come when `more`).
pub fn loaded(invoices: usize, more: bool) -> Harness {
    let now = super::fixed_now();
    let mut h = Harness::signed_in();
    h.type_text("7");
    respond(
        &mut h,
        BillingRequest::LoadPlans.answered(BillingDone::Plans(Ok(plans()))),
    );
    respond(
        &mut h,
        BillingRequest::LoadSubscription.answered(BillingDone::Subscription(Ok(subscription(now)))),
    );
    respond(
        &mut h,
        BillingRequest::LoadInvoices { cursor: None }
            .answered(BillingDone::Invoices(Ok(page(0, invoices, more, now)))),
    );
    respond(
        &mut h,
        BillingRequest::LoadPaymentMethod.answered(BillingDone::PaymentMethod(Ok(card()))),
    );
    h.sent();
    h
}
