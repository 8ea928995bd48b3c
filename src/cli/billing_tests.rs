use acctl_api::billing::{BillingInterval, Money, SubscriptionStatus};

use super::*;

fn subscription(cancel: bool) -> Subscription {
    Subscription {
        plan: "pro".into(),
        plan_name: "Pro".into(),
        interval: BillingInterval::Month,
        status: SubscriptionStatus::Active,
        price: Money::new(1200, "EUR"),
        current_period_start: "2026-12-01T00:00:00Z".parse().expect("time"),
        current_period_end: "2026-12-31T12:00:00Z".parse().expect("time"),
        cancel_at_period_end: cancel,
    }
}

#[test]
fn money_uses_the_currencys_minor_digits() {
    assert_eq!(money(&Money::new(1200, "EUR")), "EUR 12.00");
    assert_eq!(money(&Money::new(5, "EUR")), "EUR 0.05");
    assert_eq!(money(&Money::new(-350, "USD")), "USD -3.50");
    assert_eq!(money(&Money::new(1200, "JPY")), "JPY 1200");
    assert_eq!(money(&Money::new(12345, "KWD")), "KWD 12.345");
    assert_eq!(money(&Money::new(0, "EUR")), "EUR 0.00");
}

#[test]
fn show_says_renews_or_ends() {
    let card = PaymentMethod {
        brand: "visa".into(),
        last4: "4242".into(),
        exp_month: 3,
        exp_year: 2030,
    };
    let report = BillingReport {
        subscription: Some(subscription(false)),
        payment_method: Some(card),
    };
    let text = human(&report);
    assert!(text.starts_with("Plan:     Pro (pro)\n"), "{text}");
    assert!(text.contains("Interval: month\n"), "{text}");
    assert!(text.contains("Status:   active\n"), "{text}");
    assert!(text.contains("Renews:   "), "{text}");
    assert!(text.contains("Price:    EUR 12.00 a month\n"), "{text}");
    assert!(
        text.ends_with("Card:     visa ending 4242, expires 03/2030\n"),
        "{text}"
    );

    let report = BillingReport {
        subscription: Some(subscription(true)),
        payment_method: None,
    };
    let text = human(&report);
    assert!(
        text.contains("Ends:     ") && !text.contains("Renews"),
        "{text}"
    );
    assert!(text.contains("(canceled)"), "{text}");
    assert!(text.ends_with("Card:     none\n"), "{text}");
}

#[test]
fn json_keys_are_stable() {
    let report = BillingReport {
        subscription: None,
        payment_method: None,
    };
    let value = serde_json::to_value(&report).expect("serialises");
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["payment_method", "subscription"]);
}

#[test]
fn the_plans_table_marks_yours() {
    let plan = |id: &str, name: &str, monthly: i64| Plan {
        id: id.into(),
        name: name.into(),
        description: format!("For {name}"),
        features: vec![],
        monthly_price: Money::new(monthly, "EUR"),
        yearly_price: Money::new(monthly * 10, "EUR"),
    };
    let text = plans_table(
        &[plan("free", "Free", 0), plan("pro", "Pro", 1200)],
        Some("pro"),
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "   ID    NAME  MONTHLY    YEARLY      FOR");
    assert_eq!(lines[1], "   free  Free  EUR 0.00   EUR 0.00    For Free");
    assert_eq!(lines[2], "*  pro   Pro   EUR 12.00  EUR 120.00  For Pro");
    assert!(lines[3].starts_with("* = your plan."), "{text}");
}
