//! The plans on offer, the one tax rate, and how amounts are written out.

use acctl_api::billing::{BillingInterval, Money, Plan, minor_digits};

/// Every price is in this currency.
pub const CURRENCY: &str = "EUR";
/// 20 %, in basis points.
pub const TAX_RATE_BPS: u32 = 2000;

/// A plan of the catalogue. Prices are net (before tax), per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanSpec {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub features: &'static [&'static str],
    pub monthly_minor: i64,
    pub yearly_minor: i64,
}

/// Cheapest first, as `GET /v1/billing/plans` lists them.
pub const PLANS: [PlanSpec; 3] = [
    PlanSpec {
        id: "free",
        name: "Free",
        description: "For trying acctl on your own.",
        features: &["1 GB storage", "2 devices", "Community support"],
        monthly_minor: 0,
        yearly_minor: 0,
    },
    PlanSpec {
        id: "pro",
        name: "Pro",
        description: "For people who live in their account.",
        features: &["50 GB storage", "Unlimited devices", "Email support"],
        monthly_minor: 900,
        yearly_minor: 9_000,
    },
    PlanSpec {
        id: "team",
        name: "Team",
        description: "For small teams sharing one bill.",
        features: &["1 TB storage", "Up to 10 people", "Priority support"],
        monthly_minor: 2_900,
        yearly_minor: 29_000,
    },
];

/// The plan every account starts on, and ends on after a cancel.
pub const FREE: &PlanSpec = &PLANS[0];

pub fn plan(id: &str) -> Option<&'static PlanSpec> {
    PLANS.iter().find(|plan| plan.id == id)
}

/// The ids, for messages: "free, pro, team".
pub fn plan_ids() -> String {
    PLANS.map(|plan| plan.id).join(", ")
}

impl PlanSpec {
    /// Net price of one period.
    pub fn price(&self, interval: BillingInterval) -> i64 {
        match interval {
            BillingInterval::Month => self.monthly_minor,
            BillingInterval::Year => self.yearly_minor,
        }
    }

    pub fn is_free(&self) -> bool {
        self.monthly_minor == 0 && self.yearly_minor == 0
    }

    pub fn to_wire(self) -> Plan {
        Plan {
            id: self.id.to_string(),
            name: self.name.to_string(),
            description: self.description.to_string(),
            features: self.features.iter().map(|f| f.to_string()).collect(),
            monthly_price: money(self.monthly_minor),
            yearly_price: money(self.yearly_minor),
        }
    }
}

pub fn money(amount_minor: i64) -> Money {
    Money::new(amount_minor, CURRENCY)
}

/// `numerator / denominator` rounded half away from zero (half up for the
/// non-negative amounts billing deals in), in integers only. A zero
/// denominator gives zero.
pub fn div_round_half_up(numerator: i128, denominator: i128) -> i128 {
    if denominator == 0 {
        return 0;
    }
    let (n, d) = if denominator < 0 {
        (-numerator, -denominator)
    } else {
        (numerator, denominator)
    };
    let half = d / 2;
    if n >= 0 {
        (n + half) / d
    } else {
        -((-n + half) / d)
    }
}

/// `amount * numerator / denominator`, rounded half up, saturating.
pub fn scale(amount: i64, numerator: i64, denominator: i64) -> i64 {
    let scaled = div_round_half_up(
        i128::from(amount) * i128::from(numerator),
        i128::from(denominator),
    );
    i64::try_from(scaled).unwrap_or(if scaled < 0 { i64::MIN } else { i64::MAX })
}

/// Tax on a net amount at [`TAX_RATE_BPS`], rounded half up to the minor
/// unit: 20 % of 10.03 EUR is 200.6 cents, so 2.01 EUR.
pub fn tax_on(net_minor: i64) -> i64 {
    scale(net_minor, i64::from(TAX_RATE_BPS), 10_000)
}

/// "12.34 EUR", "-0.05 EUR", "1200 JPY": what invoices and PDFs print.
pub fn format_money(money: &Money) -> String {
    let digits = minor_digits(&money.currency);
    let sign = if money.amount_minor < 0 { "-" } else { "" };
    let abs = money.amount_minor.unsigned_abs();
    if digits == 0 {
        return format!("{sign}{abs} {}", money.currency);
    }
    let unit = 10u64.pow(digits);
    let width = digits as usize;
    format!(
        "{sign}{}.{:0width$} {}",
        abs / unit,
        abs % unit,
        money.currency
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_in_integers() {
        assert_eq!(div_round_half_up(5, 10), 1);
        assert_eq!(div_round_half_up(4, 10), 0);
        assert_eq!(div_round_half_up(-5, 10), -1);
        assert_eq!(div_round_half_up(15, 10), 2);
        assert_eq!(div_round_half_up(1, 0), 0);
        // 20 % of 2.5 cents rounds up; of 2.4 cents down.
        assert_eq!(tax_on(1_003), 201);
        assert_eq!(tax_on(1_002), 200);
        assert_eq!(tax_on(900), 180);
    }

    #[test]
    fn amounts_print_with_the_currency_digits() {
        assert_eq!(format_money(&money(1_080)), "10.80 EUR");
        assert_eq!(format_money(&money(-5)), "-0.05 EUR");
        assert_eq!(format_money(&Money::new(1_200, "JPY")), "1200 JPY");
        assert_eq!(format_money(&Money::new(1_234, "KWD")), "1.234 KWD");
    }

    #[test]
    fn the_catalogue_is_cheapest_first_and_findable() {
        assert!(
            PLANS
                .windows(2)
                .all(|w| w[0].monthly_minor < w[1].monthly_minor)
        );
        assert_eq!(plan("pro").map(|p| p.yearly_minor), Some(9_000));
        assert_eq!(plan("gold"), None);
        assert_eq!(plan_ids(), "free, pro, team");
        assert!(FREE.is_free());
    }
}
