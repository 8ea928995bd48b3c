//! Stored billing records to the wire types of `acctl_api::billing`.

use acctl_api::billing::{
    Invoice, InvoiceLine, InvoiceSummary, Money, Subscription, SubscriptionPreview,
};

use super::plans::money;
use super::proration::{LineDraft, Quote, quote_renewal};
use crate::clock::from_ms;
use crate::store::{InvoiceRecord, PlanChange, SubscriptionRecord};

pub fn subscription(record: &SubscriptionRecord) -> Subscription {
    let plan = record.spec();
    let net = plan.price(record.interval);
    Subscription {
        plan: plan.id.to_string(),
        plan_name: plan.name.to_string(),
        interval: record.interval,
        status: record.status,
        price: money(net + super::plans::tax_on(net)),
        current_period_start: from_ms(record.period_start),
        current_period_end: from_ms(record.period_end),
        cancel_at_period_end: record.cancel_at_period_end,
    }
}

/// The preview of `change`: `quote` now, then the first regular invoice
/// after it (with whatever credit is still left).
pub fn preview(
    record: &SubscriptionRecord,
    change: &PlanChange,
    quote: &Quote,
) -> SubscriptionPreview {
    let next_start = if change.interval == record.interval {
        record.period_end
    } else {
        quote.period_end
    };
    let next = quote_renewal(
        change.plan,
        change.interval,
        next_start,
        next_start,
        quote.carried_after,
    );
    let next_amount = if change.plan.is_free() { 0 } else { next.total };
    SubscriptionPreview {
        plan: change.plan.id.to_string(),
        interval: change.interval,
        amount_due_now: money(quote.total),
        credit: money(quote.credit),
        lines: quote.lines.iter().map(line).collect(),
        next_invoice_at: from_ms(next_start),
        next_invoice_amount: money(next_amount),
    }
}

pub fn line(draft: &LineDraft) -> InvoiceLine {
    InvoiceLine {
        description: draft.description.clone(),
        quantity: draft.quantity,
        unit_amount: money(draft.unit_minor),
        amount: money(draft.amount_minor),
    }
}

fn in_currency(record: &InvoiceRecord, amount_minor: i64) -> Money {
    Money::new(amount_minor, &record.currency)
}

pub fn summary(record: &InvoiceRecord) -> InvoiceSummary {
    InvoiceSummary {
        id: record.id.clone(),
        number: record.number.clone(),
        status: record.status,
        issued_at: from_ms(record.issued_at),
        period_start: from_ms(record.period_start),
        period_end: from_ms(record.period_end),
        total: in_currency(record, record.total_minor),
    }
}

pub fn invoice(record: &InvoiceRecord) -> Invoice {
    let lines = record
        .lines
        .iter()
        .map(|draft| InvoiceLine {
            description: draft.description.clone(),
            quantity: draft.quantity,
            unit_amount: in_currency(record, draft.unit_minor),
            amount: in_currency(record, draft.amount_minor),
        })
        .collect();
    Invoice {
        id: record.id.clone(),
        number: record.number.clone(),
        status: record.status,
        issued_at: from_ms(record.issued_at),
        period_start: from_ms(record.period_start),
        period_end: from_ms(record.period_end),
        paid_at: record.paid_at.map(from_ms),
        lines,
        subtotal: in_currency(record, record.subtotal_minor),
        tax_rate_bps: record.tax_rate_bps,
        tax: in_currency(record, record.tax_minor),
        total: in_currency(record, record.total_minor),
    }
}
