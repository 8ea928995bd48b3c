//! Subscriptions, the card on file, billing events, and what the data
//! export and the purge need. Invoices are in [`super::invoices`].

use acctl_api::SecurityEventKind;
use acctl_api::billing::{BillingInterval, PaymentMethod, SubscriptionStatus};
use acctl_api::notifications::NotificationCategory;
use acctl_api::privacy::BillingExport;
use sqlx::{AnyConnection, FromRow};

use super::events::{EventRecord, insert_event};
use super::invoices::{invoices_with_lines, pay_open_invoices};
use super::subscriptions::up_to_date;
use super::{Flag, Store};
use crate::billing::BillingProvider;
use crate::billing::periods::period_containing;
use crate::billing::plans::{FREE, PlanSpec, plan};
use crate::billing::wire;
use crate::clock::from_ms;

/// A subscription as stored (times in ms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRecord {
    pub user_id: String,
    pub plan: String,
    pub interval: BillingInterval,
    pub status: SubscriptionStatus,
    pub period_start: i64,
    pub period_end: i64,
    /// Period ends fall on this plus whole intervals.
    pub anchor_at: i64,
    pub cancel_at_period_end: bool,
    /// Net credit taken off the next invoices.
    pub credit_minor: i64,
}

impl SubscriptionRecord {
    /// Its plan in the catalogue; a plan since withdrawn counts as free.
    pub fn spec(&self) -> &'static PlanSpec {
        plan(&self.plan).unwrap_or(FREE)
    }
}

#[derive(FromRow)]
struct SubscriptionRow {
    user_id: String,
    plan: String,
    billing_interval: String,
    status: String,
    period_start: i64,
    period_end: i64,
    anchor_at: i64,
    #[sqlx(try_from = "Flag")]
    cancel_at_period_end: bool,
    credit_minor: i64,
}

impl From<SubscriptionRow> for SubscriptionRecord {
    fn from(row: SubscriptionRow) -> Self {
        Self {
            user_id: row.user_id,
            plan: row.plan,
            interval: from_name(&row.billing_interval).unwrap_or(BillingInterval::Month),
            status: from_name(&row.status).unwrap_or(SubscriptionStatus::Active),
            period_start: row.period_start,
            period_end: row.period_end,
            anchor_at: row.anchor_at,
            cancel_at_period_end: row.cancel_at_period_end,
            credit_minor: row.credit_minor,
        }
    }
}

/// The wire name of a snake_case enum, as stored.
pub(super) fn name_of<T: serde::Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

pub(super) fn from_name<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

const SUBSCRIPTION_COLUMNS: &str = "user_id, plan, billing_interval, status, period_start, \
     period_end, anchor_at, cancel_at_period_end, credit_minor";

/// Who made a billing change, for the security log.
#[derive(Debug, Clone, Default)]
pub struct BillingActor {
    pub ip: Option<String>,
    pub device_name: Option<String>,
}

/// Every billing event goes through here: the security log now, and the
/// person's notifications once they exist (add the call here, once).
pub async fn billing_event(
    conn: &mut AnyConnection,
    user_id: &str,
    kind: SecurityEventKind,
    detail: String,
    at: i64,
    actor: &BillingActor,
) -> Result<(), sqlx::Error> {
    let mut event = EventRecord::new(user_id, kind, at);
    event.ip.clone_from(&actor.ip);
    event.device_name.clone_from(&actor.device_name);
    event.detail = Some(detail.clone());
    insert_event(conn, &event).await?;
    let title = kind.describe();
    super::notifications::notify(
        conn,
        user_id,
        NotificationCategory::Billing,
        title,
        &detail,
        at,
    )
    .await
}

/// The subscription of `user_id`, created if the account has none yet:
/// free, monthly, active, its periods counted from the account's creation.
pub(super) async fn ensure_subscription(
    conn: &mut AnyConnection,
    user_id: &str,
    now: i64,
) -> Result<SubscriptionRecord, sqlx::Error> {
    if let Some(sub) = load_subscription(conn, user_id).await? {
        return Ok(sub);
    }
    let (created_at,): (i64,) = sqlx::query_as("SELECT created_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    let interval = BillingInterval::Month;
    let (start, end) = period_containing(from_ms(created_at), interval, from_ms(now));
    sqlx::query(
        "INSERT INTO subscriptions (user_id, plan, billing_interval, status, period_start,
             period_end, anchor_at, cancel_at_period_end, credit_minor, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, 0, $8)",
    )
    .bind(user_id)
    .bind(FREE.id)
    .bind(name_of(interval))
    .bind(name_of(SubscriptionStatus::Active))
    .bind(start.timestamp_millis())
    .bind(end.timestamp_millis())
    .bind(created_at)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    load_subscription(conn, user_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

pub(super) async fn load_subscription(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<SubscriptionRecord>, sqlx::Error> {
    let row: Option<SubscriptionRow> = sqlx::query_as(&format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE user_id = $1"
    ))
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(Into::into))
}

/// Writes every field of `sub` back.
pub(super) async fn save_subscription(
    conn: &mut AnyConnection,
    sub: &SubscriptionRecord,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE subscriptions SET plan = $2, billing_interval = $3, status = $4,
             period_start = $5, period_end = $6, anchor_at = $7, cancel_at_period_end = $8,
             credit_minor = $9, updated_at = $10
         WHERE user_id = $1",
    )
    .bind(&sub.user_id)
    .bind(&sub.plan)
    .bind(name_of(sub.interval))
    .bind(name_of(sub.status))
    .bind(sub.period_start)
    .bind(sub.period_end)
    .bind(sub.anchor_at)
    .bind(sub.cancel_at_period_end)
    .bind(sub.credit_minor)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct CardRow {
    brand: String,
    last4: String,
    exp_month: i64,
    exp_year: i64,
}

pub(super) async fn card_of(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<PaymentMethod>, sqlx::Error> {
    let row: Option<CardRow> = sqlx::query_as(
        "SELECT brand, last4, exp_month, exp_year FROM payment_methods WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|row| PaymentMethod {
        brand: row.brand,
        last4: row.last4,
        exp_month: u8::try_from(row.exp_month).unwrap_or_default(),
        exp_year: u16::try_from(row.exp_year).unwrap_or_default(),
    }))
}

/// Puts `card` on file (replacing any), pays what was left open and logs it.
pub(super) async fn save_card(
    conn: &mut AnyConnection,
    user_id: &str,
    card: &PaymentMethod,
    now: i64,
    actor: &BillingActor,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payment_methods (user_id, brand, last4, exp_month, exp_year, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET brand = $2, last4 = $3, exp_month = $4,
             exp_year = $5, updated_at = $6",
    )
    .bind(user_id)
    .bind(&card.brand)
    .bind(&card.last4)
    .bind(i64::from(card.exp_month))
    .bind(i64::from(card.exp_year))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    pay_open_invoices(conn, user_id, now).await?;
    let detail = format!(
        "Card on file: {} ending {}, expires {:02}/{}",
        card.brand, card.last4, card.exp_month, card.exp_year
    );
    billing_event(
        conn,
        user_id,
        SecurityEventKind::PaymentMethodChanged,
        detail,
        now,
        actor,
    )
    .await
}

impl Store {
    /// The account's subscription as it stands (created on first use,
    /// renewed if a period ended).
    pub async fn subscription(
        &self,
        user_id: &str,
        now: i64,
        provider: &dyn BillingProvider,
    ) -> Result<SubscriptionRecord, sqlx::Error> {
        let mut tx = self.write().await?;
        let sub = up_to_date(&mut tx, user_id, now, provider).await?;
        tx.commit().await?;
        Ok(sub)
    }

    /// Puts `card` on file for `user_id` (see [`save_card`]).
    pub async fn set_payment_method(
        &self,
        user_id: &str,
        card: &PaymentMethod,
        now: i64,
        actor: &BillingActor,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        save_card(&mut tx, user_id, card, now, actor).await?;
        tx.commit().await
    }

    pub async fn payment_method(
        &self,
        user_id: &str,
    ) -> Result<Option<PaymentMethod>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        card_of(&mut conn, user_id).await
    }

    /// The billing part of the data export (see [`export_for`]).
    pub async fn billing_export(&self, user_id: &str) -> Result<BillingExport, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        export_for(&mut conn, user_id).await
    }
}

/// The billing part of `user_id`'s data export, read inside the caller's
/// transaction. Nothing is created: an account that never looked at
/// billing has no subscription row and exports `subscription: None`.
pub async fn export_for(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<BillingExport, sqlx::Error> {
    let subscription = load_subscription(conn, user_id).await?;
    let payment_method = card_of(conn, user_id).await?;
    let invoices = invoices_with_lines(conn, user_id).await?;
    Ok(BillingExport {
        subscription: subscription.as_ref().map(wire::subscription),
        payment_method,
        invoices: invoices.iter().map(wire::invoice).collect(),
    })
}

/// For the purge, inside its transaction: invoices are kept for the books
/// but lose the customer's name and email and their link to the account;
/// the subscription, the card and open hand-offs go. Answers how many
/// invoices were anonymised.
pub async fn anonymise_billing(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<u64, sqlx::Error> {
    let invoices = sqlx::query(
        "UPDATE invoices SET user_id = NULL, customer_name = NULL, customer_email = NULL
         WHERE user_id = $1",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    for table in ["subscriptions", "payment_methods", "checkout_tokens"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(invoices)
}

#[cfg(test)]
#[path = "billing_tests.rs"]
mod tests;
