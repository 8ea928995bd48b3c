//! Who takes the money. acctd has no outside payment service; the built-in
//! [`LocalProvider`] stands in for one so every flow can be shown.

use acctl_api::billing::PaymentMethod;
use chrono::{DateTime, Datelike, Utc};

/// What happened when an invoice was presented for payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Paid,
    /// Not collected (no usable card): the invoice stays open and the
    /// subscription is past due.
    Open,
}

/// A payment provider. Calls happen inside the store's transaction, so
/// they must not block on the network; a remote provider would queue the
/// charge and settle it later.
pub trait BillingProvider: Send + Sync {
    /// Presents `total_minor` to `card` at `now`.
    fn collect(
        &self,
        card: Option<&PaymentMethod>,
        total_minor: i64,
        now: DateTime<Utc>,
    ) -> Collection;

    /// The card a finished browser checkout leaves on file, or None when
    /// this server cannot complete checkouts itself.
    fn complete_checkout(&self, now: DateTime<Utc>) -> Option<PaymentMethod>;

    /// What the checkout page tells when it cannot complete one.
    fn unavailable_reason(&self) -> &'static str;
}

/// "Charges" the card on file: paid when there is an unexpired one, open
/// otherwise. In development mode checkouts finish with a test card.
#[derive(Debug, Clone, Copy)]
pub struct LocalProvider {
    pub dev: bool,
}

/// Years a test card stays valid.
const TEST_CARD_YEARS: i32 = 4;

impl BillingProvider for LocalProvider {
    fn collect(
        &self,
        card: Option<&PaymentMethod>,
        total_minor: i64,
        now: DateTime<Utc>,
    ) -> Collection {
        if total_minor <= 0 || card.is_some_and(|card| !expired(card, now)) {
            Collection::Paid
        } else {
            Collection::Open
        }
    }

    fn complete_checkout(&self, now: DateTime<Utc>) -> Option<PaymentMethod> {
        self.dev.then(|| PaymentMethod {
            brand: "visa".to_string(),
            last4: "4242".to_string(),
            exp_month: 12,
            exp_year: u16::try_from(now.year() + TEST_CARD_YEARS).unwrap_or(u16::MAX),
        })
    }

    fn unavailable_reason(&self) -> &'static str {
        "This server has no payment provider, so cards cannot be changed here. \
         Ask whoever runs it."
    }
}

/// A card works through the last day of its expiry month.
fn expired(card: &PaymentMethod, now: DateTime<Utc>) -> bool {
    let (year, month) = (now.year(), now.month());
    (i32::from(card.exp_year), u32::from(card.exp_month)) < (year, month)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(y: i32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, 15, 0, 0, 0)
            .single()
            .expect("valid date")
    }

    #[test]
    fn only_a_valid_card_pays() {
        let provider = LocalProvider { dev: true };
        let card = provider.complete_checkout(at(2030, 1)).expect("dev card");
        assert_eq!((card.last4.as_str(), card.exp_year), ("4242", 2034));
        assert_eq!(
            provider.collect(Some(&card), 1_080, at(2034, 12)),
            Collection::Paid
        );
        assert_eq!(
            provider.collect(Some(&card), 1_080, at(2035, 1)),
            Collection::Open
        );
        assert_eq!(provider.collect(None, 1_080, at(2030, 1)), Collection::Open);
        assert_eq!(provider.collect(None, 0, at(2030, 1)), Collection::Paid);
    }

    #[test]
    fn outside_dev_mode_no_checkout_completes() {
        assert_eq!(
            LocalProvider { dev: false }.complete_checkout(at(2030, 1)),
            None
        );
    }
}
