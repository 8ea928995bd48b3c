//! What a change or a renewal costs, as invoice lines. Pure arithmetic on
//! minor units; the store applies the result.
//!
//! Proration is by whole days: the unused whole days of the current period
//! (the day under way counts as used) are credited at the current plan's
//! price and charged at the new plan's. The amount due is never negative:
//! when the credit is worth more than the charge, the excess is carried on
//! the subscription and taken off the next invoices, each showing it as a
//! "Credit from earlier changes" line. Nothing is paid back.

use acctl_api::billing::BillingInterval;

use super::periods::{add_intervals, day, whole_days};
use super::plans::{PlanSpec, scale, tax_on};
use crate::clock::from_ms;

/// A line before it is stored; `amount_minor` is negative for a credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDraft {
    pub description: String,
    pub quantity: u32,
    pub unit_minor: i64,
    pub amount_minor: i64,
}

/// An invoice's amounts before it is issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub lines: Vec<LineDraft>,
    /// Sum of the lines, never negative.
    pub subtotal: i64,
    pub tax: i64,
    /// What is due: subtotal plus tax.
    pub total: i64,
    /// Net worth of the unused part of the current plan.
    pub credit: i64,
    /// Credit left on the subscription after this invoice.
    pub carried_after: i64,
    /// The time the invoice is for; after a change of interval also the
    /// subscription's new period.
    pub period_start: i64,
    pub period_end: i64,
}

/// The subscription as a change finds it. Times are ms since the epoch.
#[derive(Debug, Clone, Copy)]
pub struct Current<'a> {
    pub plan: &'a PlanSpec,
    pub interval: BillingInterval,
    pub period_start: i64,
    pub period_end: i64,
    pub carried_credit: i64,
}

pub fn interval_word(interval: BillingInterval) -> &'static str {
    match interval {
        BillingInterval::Month => "monthly",
        BillingInterval::Year => "yearly",
    }
}

/// The invoice a change to `to`/`interval` at `now` issues. On the same
/// interval the period keeps its end and the unused days are charged at
/// the new plan's rate; a new interval starts a new period now, charged in
/// full (the unused days of the old one still credited).
pub fn quote_change(
    current: &Current<'_>,
    to: &PlanSpec,
    interval: BillingInterval,
    now: i64,
) -> Quote {
    let period_days = whole_days(current.period_start, current.period_end).max(1);
    let unused = whole_days(now, current.period_end).min(period_days);
    let credit = scale(current.plan.price(current.interval), unused, period_days);
    let mut lines = Vec::new();
    if credit > 0 {
        let description = format!(
            "Unused time on {} ({}), {unused} of {period_days} days",
            current.plan.name,
            interval_word(current.interval)
        );
        lines.push(single(description, -credit));
    }
    let (period_end, charge, description) = if interval == current.interval {
        let charge = scale(to.price(interval), unused, period_days);
        let description = format!(
            "Remaining time on {} ({}), {unused} days",
            to.name,
            interval_word(interval)
        );
        (current.period_end, charge, description)
    } else {
        let end = add_intervals(from_ms(now), interval, 1).timestamp_millis();
        (end, to.price(interval), period_line(to, interval, now, end))
    };
    if charge > 0 {
        lines.push(single(description, charge));
    }
    settle(lines, current.carried_credit, credit, (now, period_end))
}

/// The invoice of one whole period `[start, end)` of `plan`.
pub fn quote_renewal(
    plan: &PlanSpec,
    interval: BillingInterval,
    start: i64,
    end: i64,
    carried_credit: i64,
) -> Quote {
    let line = single(
        period_line(plan, interval, start, end),
        plan.price(interval),
    );
    settle(vec![line], carried_credit, 0, (start, end))
}

/// "Pro (monthly), 2030-01-02 to 2030-02-02".
fn period_line(plan: &PlanSpec, interval: BillingInterval, start: i64, end: i64) -> String {
    format!(
        "{} ({}), {} to {}",
        plan.name,
        interval_word(interval),
        day(from_ms(start)),
        day(from_ms(end))
    )
}

fn single(description: String, amount_minor: i64) -> LineDraft {
    LineDraft {
        description,
        quantity: 1,
        unit_minor: amount_minor,
        amount_minor,
    }
}

/// Applies carried credit to a positive sum, carries any excess forward,
/// and adds the tax.
fn settle(
    mut lines: Vec<LineDraft>,
    carried: i64,
    credit: i64,
    (period_start, period_end): (i64, i64),
) -> Quote {
    let raw: i64 = lines.iter().map(|line| line.amount_minor).sum();
    let carried = carried.max(0);
    let applied = raw.clamp(0, carried);
    if applied > 0 {
        lines.push(single("Credit from earlier changes".to_string(), -applied));
    }
    let mut carried_after = carried - applied;
    let left = raw - applied;
    if left < 0 {
        lines.push(single(
            "Credit carried to the next invoice".to_string(),
            -left,
        ));
        carried_after += -left;
    }
    let subtotal: i64 = lines.iter().map(|line| line.amount_minor).sum();
    let tax = tax_on(subtotal);
    Quote {
        lines,
        subtotal,
        tax,
        total: subtotal + tax,
        credit,
        carried_after,
        period_start,
        period_end,
    }
}

#[cfg(test)]
#[path = "proration_tests.rs"]
mod tests;
