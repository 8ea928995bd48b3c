//! Changing a subscription, and moving it through its periods. Each runs in
//! one write transaction: the price is worked out, checked, charged and
//! stored together, so a preview and the charge cannot disagree.

use acctl_api::SecurityEventKind;
use acctl_api::billing::{BillingInterval, SubscriptionStatus};
use sqlx::AnyConnection;

use super::Store;
use super::billing::{
    BillingActor, SubscriptionRecord, billing_event, card_of, ensure_subscription,
    save_subscription,
};
use super::invoices::{NewInvoice, issue_invoice};
use crate::billing::periods::{add_intervals, next_end};
use crate::billing::plans::{FREE, PlanSpec};
use crate::billing::proration::{Current, Quote, interval_word, quote_change, quote_renewal};
use crate::billing::provider::{BillingProvider, Collection};
use crate::clock::from_ms;

/// A change asked for, the plan already looked up.
#[derive(Debug, Clone, Copy)]
pub struct PlanChange {
    pub plan: &'static PlanSpec,
    pub interval: BillingInterval,
    /// Refuse unless the amount due now is exactly this.
    pub expected_amount_due: Option<i64>,
}

#[derive(Debug)]
pub enum ChangeOutcome {
    Changed(SubscriptionRecord),
    /// The amount due now is this, not what the caller expected.
    PriceChanged(i64),
    /// Already on that plan and interval: nothing was done.
    Unchanged,
}

/// What `change` would invoice now, from `sub` as it stands.
pub fn quote_for(sub: &SubscriptionRecord, change: &PlanChange, now: i64) -> Quote {
    let current = Current {
        plan: sub.spec(),
        interval: sub.interval,
        period_start: sub.period_start,
        period_end: sub.period_end,
        carried_credit: sub.credit_minor,
    };
    quote_change(&current, change.plan, change.interval, now)
}

/// "Pro (monthly)".
pub fn plan_label(plan: &PlanSpec, interval: BillingInterval) -> String {
    format!("{} ({})", plan.name, interval_word(interval))
}

impl Store {
    /// Applies `change` at `now`: issues the proration invoice (when there
    /// is anything on it), charges it and logs the change.
    pub async fn change_subscription(
        &self,
        user_id: &str,
        change: &PlanChange,
        now: i64,
        provider: &dyn BillingProvider,
        actor: &BillingActor,
    ) -> Result<ChangeOutcome, sqlx::Error> {
        let mut tx = self.write().await?;
        let sub = up_to_date(&mut tx, user_id, now, provider).await?;
        if sub.plan == change.plan.id && sub.interval == change.interval {
            return Ok(ChangeOutcome::Unchanged);
        }
        let quote = quote_for(&sub, change, now);
        if change
            .expected_amount_due
            .is_some_and(|expected| expected != quote.total)
        {
            return Ok(ChangeOutcome::PriceChanged(quote.total));
        }
        let before = plan_label(sub.spec(), sub.interval);
        let sub = apply_change(&mut tx, sub, change, &quote, now, provider).await?;
        let detail = format!("{before} to {}", plan_label(change.plan, change.interval));
        let kind = SecurityEventKind::PlanChanged;
        billing_event(&mut tx, user_id, kind, detail, now, actor).await?;
        tx.commit().await?;
        Ok(ChangeOutcome::Changed(sub))
    }

    /// Sets (or clears, for a resume) cancel-at-period-end. None when the
    /// account is on the free plan, which has nothing to cancel.
    pub async fn set_cancel_at_period_end(
        &self,
        user_id: &str,
        cancel: bool,
        now: i64,
        provider: &dyn BillingProvider,
        actor: &BillingActor,
    ) -> Result<Option<SubscriptionRecord>, sqlx::Error> {
        let mut tx = self.write().await?;
        let mut sub = up_to_date(&mut tx, user_id, now, provider).await?;
        if sub.spec().is_free() {
            return Ok(None);
        }
        if sub.cancel_at_period_end != cancel {
            sub.cancel_at_period_end = cancel;
            save_subscription(&mut tx, &sub, now).await?;
            let end = crate::billing::periods::day(from_ms(sub.period_end));
            let (kind, detail) = if cancel {
                let detail = format!("{} ends on {end}", sub.spec().name);
                (SecurityEventKind::SubscriptionCanceled, detail)
            } else {
                let detail = format!("{} renews on {end}", sub.spec().name);
                (SecurityEventKind::SubscriptionResumed, detail)
            };
            billing_event(&mut tx, user_id, kind, detail, now, actor).await?;
        }
        tx.commit().await?;
        Ok(Some(sub))
    }

    /// Renews every subscription whose period ended by `now`, issuing one
    /// invoice per period passed. Answers how many invoices were issued.
    pub async fn renew_due(
        &self,
        now: i64,
        provider: &dyn BillingProvider,
    ) -> Result<usize, sqlx::Error> {
        let due: Vec<(String,)> =
            sqlx::query_as("SELECT user_id FROM subscriptions WHERE period_end <= $1")
                .bind(now)
                .fetch_all(&self.pool)
                .await?;
        let mut issued = 0;
        for (user_id,) in due {
            let mut tx = self.write().await?;
            issued += renew(&mut tx, &user_id, now, provider).await?;
            tx.commit().await?;
        }
        Ok(issued)
    }

    /// Starts `user_id` on `plan` at `at` (in the past, for the demo) and
    /// walks its periods up to `now` as the renewals would have.
    pub async fn start_paid_subscription(
        &self,
        user_id: &str,
        plan: &PlanSpec,
        interval: BillingInterval,
        at: i64,
        now: i64,
        provider: &dyn BillingProvider,
    ) -> Result<usize, sqlx::Error> {
        let mut tx = self.write().await?;
        let mut sub = ensure_subscription(&mut tx, user_id, at).await?;
        // A period of no length that ends at `at`: the first renewal
        // invoices the first real period.
        (sub.plan, sub.interval) = (plan.id.to_string(), interval);
        (sub.period_start, sub.period_end, sub.anchor_at) = (at, at, at);
        save_subscription(&mut tx, &sub, at).await?;
        let issued = renew(&mut tx, user_id, now, provider).await?;
        tx.commit().await?;
        Ok(issued)
    }
}

/// Bills the change `quote` prices and puts it on `sub`.
async fn apply_change(
    conn: &mut AnyConnection,
    mut sub: SubscriptionRecord,
    change: &PlanChange,
    quote: &Quote,
    now: i64,
    provider: &dyn BillingProvider,
) -> Result<SubscriptionRecord, sqlx::Error> {
    if !quote.lines.is_empty() {
        let paid = collect(conn, provider, &sub.user_id, quote.total, now).await?;
        let user_id = sub.user_id.clone();
        issue(conn, &user_id, quote, now, paid, &mut sub).await?;
    }
    if change.interval != sub.interval {
        (sub.period_start, sub.period_end, sub.anchor_at) = (now, quote.period_end, now);
    }
    sub.plan = change.plan.id.to_string();
    sub.interval = change.interval;
    sub.cancel_at_period_end = false;
    sub.credit_minor = quote.carried_after;
    save_subscription(conn, &sub, now).await?;
    Ok(sub)
}

/// The subscription as it stands at `now`: created if missing, and renewed
/// through any period that ended before the background renewals got to it,
/// so a change never prices against a period that is over.
pub(super) async fn up_to_date(
    conn: &mut AnyConnection,
    user_id: &str,
    now: i64,
    provider: &dyn BillingProvider,
) -> Result<SubscriptionRecord, sqlx::Error> {
    let sub = ensure_subscription(conn, user_id, now).await?;
    if sub.period_end > now {
        return Ok(sub);
    }
    renew(conn, user_id, now, provider).await?;
    ensure_subscription(conn, user_id, now).await
}

/// Moves `user_id`'s subscription through every period that ended by `now`.
async fn renew(
    conn: &mut AnyConnection,
    user_id: &str,
    now: i64,
    provider: &dyn BillingProvider,
) -> Result<usize, sqlx::Error> {
    let Some(mut sub) = super::billing::load_subscription(conn, user_id).await? else {
        return Ok(0);
    };
    if sub.period_end > now {
        return Ok(0);
    }
    let mut issued = 0;
    while sub.period_end <= now {
        let start = sub.period_end;
        if sub.cancel_at_period_end {
            end_on_free(conn, &mut sub, start).await?;
            continue;
        }
        let end = next_end(from_ms(sub.anchor_at), sub.interval, from_ms(start));
        let end = end.timestamp_millis();
        if !sub.spec().is_free() {
            let quote = quote_renewal(sub.spec(), sub.interval, start, end, sub.credit_minor);
            let paid = collect(conn, provider, user_id, quote.total, start).await?;
            issue(conn, user_id, &quote, start, paid, &mut sub).await?;
            sub.credit_minor = quote.carried_after;
            issued += 1;
        }
        (sub.period_start, sub.period_end) = (start, end);
    }
    save_subscription(conn, &sub, now).await?;
    Ok(issued)
}

/// A canceled subscription's period is over: it carries on free.
async fn end_on_free(
    conn: &mut AnyConnection,
    sub: &mut SubscriptionRecord,
    at: i64,
) -> Result<(), sqlx::Error> {
    let detail = format!(
        "{} ended; now on {}",
        plan_label(sub.spec(), sub.interval),
        FREE.name
    );
    let end = add_intervals(from_ms(at), BillingInterval::Month, 1).timestamp_millis();
    sub.plan = FREE.id.to_string();
    sub.interval = BillingInterval::Month;
    sub.status = SubscriptionStatus::Active;
    sub.cancel_at_period_end = false;
    (sub.period_start, sub.period_end, sub.anchor_at) = (at, end, at);
    let kind = SecurityEventKind::PlanChanged;
    billing_event(
        conn,
        &sub.user_id,
        kind,
        detail,
        at,
        &BillingActor::default(),
    )
    .await
}

/// Presents `total` to the card on file; whether it was paid.
async fn collect(
    conn: &mut AnyConnection,
    provider: &dyn BillingProvider,
    user_id: &str,
    total: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let card = card_of(conn, user_id).await?;
    Ok(provider.collect(card.as_ref(), total, from_ms(at)) == Collection::Paid)
}

/// Issues the invoice of `quote`; an unpaid one makes `sub` past due.
async fn issue(
    conn: &mut AnyConnection,
    user_id: &str,
    quote: &Quote,
    at: i64,
    paid: bool,
    sub: &mut SubscriptionRecord,
) -> Result<(), sqlx::Error> {
    let new = NewInvoice {
        user_id,
        quote,
        issued_at: at,
        paid,
    };
    issue_invoice(conn, &new).await?;
    sub.status = if paid {
        SubscriptionStatus::Active
    } else {
        SubscriptionStatus::PastDue
    };
    Ok(())
}
