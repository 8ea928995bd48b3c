//! Billing: plans, the subscription and its changes (priced by a preview
//! first), invoices and the payment method. Money is integer minor units
//! (cents) with an ISO 4217 currency, never a float.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An amount of money: `amount_minor` in the currency's minor unit (cents
/// for EUR, yen for JPY).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct Money {
    pub amount_minor: i64,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
}

impl Money {
    pub fn new(amount_minor: i64, currency: &str) -> Self {
        Self {
            amount_minor,
            currency: currency.to_string(),
        }
    }
}

/// Digits after the decimal point in `currency`'s usual notation.
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "ISK" | "CLP" | "VND" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" => 3,
        _ => 2,
    }
}

/// How often a subscription renews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BillingInterval {
    Month,
    Year,
}

impl BillingInterval {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Year => "year",
        }
    }
}

/// `GET /v1/billing/plans` (a list, cheapest first): what can be chosen.
/// The ids the local provider offers are `free`, `pro` and `team`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Plan {
    pub id: String,
    pub name: String,
    /// One line on who it is for.
    pub description: String,
    /// Short lines, e.g. "10 GB storage".
    pub features: Vec<String>,
    pub monthly_price: Money,
    pub yearly_price: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    Active,
    /// The last invoice is unpaid; the plan still works for now.
    PastDue,
    Canceled,
}

/// `GET /v1/me/subscription`, and the answer to every change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Subscription {
    /// The `id` of one of the plans.
    pub plan: String,
    pub plan_name: String,
    pub interval: BillingInterval,
    pub status: SubscriptionStatus,
    /// What each period costs (tax included).
    pub price: Money,
    pub current_period_start: DateTime<Utc>,
    /// When it renews, or ends if `cancel_at_period_end`.
    pub current_period_end: DateTime<Utc>,
    pub cancel_at_period_end: bool,
}

/// `POST /v1/me/subscription/preview` and `PUT /v1/me/subscription`.
/// A `PUT` with `expected_amount_due_minor` is refused (409
/// `price_changed`, nothing charged) when the amount due now is no longer
/// that, so a person is never charged other than what they were shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionChange {
    pub plan: String,
    pub interval: BillingInterval,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_amount_due_minor: Option<i64>,
}

/// The price of a change before it is made. Proration is by whole days:
/// the unused days of the current period are credited at the current
/// price, the same days charged at the new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SubscriptionPreview {
    pub plan: String,
    pub interval: BillingInterval,
    /// Charged now, tax included; never negative.
    pub amount_due_now: Money,
    /// What the unused part of the current plan is worth.
    pub credit: Money,
    /// The lines the invoice issued now would have.
    pub lines: Vec<InvoiceLine>,
    /// When the next regular invoice comes, and what it will be.
    pub next_invoice_at: DateTime<Utc>,
    pub next_invoice_amount: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Paid,
    Open,
    Void,
}

/// One row of `GET /v1/me/invoices` (cursor pagination, newest first; a
/// cursor stays valid while new invoices arrive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InvoiceSummary {
    pub id: String,
    /// For people and accountants, e.g. `INV-2025-000123`.
    pub number: String,
    pub status: InvoiceStatus,
    pub issued_at: DateTime<Utc>,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub total: Money,
}

/// `GET /v1/me/invoices/{id}`; `/{id}/document` is the same as a PDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Invoice {
    pub id: String,
    pub number: String,
    pub status: InvoiceStatus,
    pub issued_at: DateTime<Utc>,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub lines: Vec<InvoiceLine>,
    /// Sum of the lines, before tax.
    pub subtotal: Money,
    /// Tax rate in basis points (2000 = 20 %).
    pub tax_rate_bps: u32,
    pub tax: Money,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: u32,
    pub unit_amount: Money,
    /// `quantity * unit_amount`; negative for a credit.
    pub amount: Money,
}

/// A card on file, as much as may be shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PaymentMethod {
    /// e.g. `visa`.
    pub brand: String,
    pub last4: String,
    pub exp_month: u8,
    pub exp_year: u16,
}

/// `GET /v1/me/payment-method`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PaymentMethodState {
    pub card: Option<PaymentMethod>,
}

/// `POST /v1/me/payment-method/update`: where to finish the change in a
/// browser. The card never passes through the terminal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PaymentMethodHandoff {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_integer_minor_units() {
        let json = serde_json::to_string(&Money::new(1299, "EUR")).expect("encodes");
        assert_eq!(json, r#"{"amount_minor":1299,"currency":"EUR"}"#);
        assert!(
            serde_json::from_str::<Money>(r#"{"amount_minor":12.5,"currency":"EUR"}"#).is_err()
        );
        assert_eq!(minor_digits("EUR"), 2);
        assert_eq!(minor_digits("JPY"), 0);
    }

    #[test]
    fn changes_refuse_unknown_fields() {
        let json = r#"{"plan":"pro","interval":"year","coupon":"FREE"}"#;
        assert!(serde_json::from_str::<SubscriptionChange>(json).is_err());
    }
}
