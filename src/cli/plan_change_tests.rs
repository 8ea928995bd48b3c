use acctl_api::billing::{BillingInterval, InvoiceLine, Money};

use super::*;

fn preview(due: i64) -> SubscriptionPreview {
    let line = |description: &str, amount: i64| InvoiceLine {
        description: description.into(),
        quantity: 1,
        unit_amount: Money::new(amount, "EUR"),
        amount: Money::new(amount, "EUR"),
    };
    SubscriptionPreview {
        plan: "pro".into(),
        interval: BillingInterval::Year,
        amount_due_now: Money::new(due, "EUR"),
        credit: Money::new(250, "EUR"),
        lines: vec![
            line("Pro, yearly", 12000),
            line("Unused time on Free", -250),
        ],
        next_invoice_at: "2027-12-02T00:00:00Z".parse().expect("time"),
        next_invoice_amount: Money::new(12000, "EUR"),
    }
}

fn plans() -> Vec<Plan> {
    ["free", "pro", "team"]
        .map(|id| Plan {
            id: id.into(),
            name: id.to_uppercase(),
            description: String::new(),
            features: vec![],
            monthly_price: Money::new(0, "EUR"),
            yearly_price: Money::new(0, "EUR"),
        })
        .to_vec()
}

#[test]
fn an_unknown_plan_is_a_usage_error_listing_the_ids() {
    let plans = plans();
    assert_eq!(find_plan(&plans, " Pro ").expect("found").id, "pro");
    let err = find_plan(&plans, "gold").expect_err("no such plan");
    assert_eq!(err.exit, Exit::Usage);
    assert_eq!(
        err.message,
        "PLAN: there is no plan 'gold'; choose one of: free, pro, team (see `acctl billing plans`)"
    );
}

#[test]
fn the_preview_shows_lines_credit_and_what_is_due() {
    let plans = plans();
    let text = preview_text(&plans[1], &preview(11750));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Change to PRO, billed yearly:");
    assert_eq!(
        lines[1],
        "  Pro, yearly          1 x EUR 120.00  EUR 120.00"
    );
    assert_eq!(lines[2], "  Unused time on Free  1 x EUR -2.50   EUR -2.50");
    assert_eq!(lines[3], "Credit for your current plan: EUR 2.50");
    assert_eq!(lines[4], "Due now:   EUR 117.50");
    assert!(lines[5].starts_with("Then:      EUR 120.00 on "), "{text}");
}

#[test]
fn only_y_or_yes_agrees() {
    for yes in ["y", "Y\n", " yes "] {
        assert!(is_yes(yes), "{yes:?}");
    }
    for no in ["", "\n", "n", "no", "yep"] {
        assert!(!is_yes(no), "{no:?}");
    }
    assert!(confirm(true, &preview(1)).is_ok(), "--yes asks nothing");
}

#[test]
fn a_moved_price_is_a_conflict_that_says_the_new_one() {
    let inv = crate::cli::Invocation {
        config: crate::config::Config::default(),
        config_dir: None,
        profile: "default".into(),
        server_flag: None,
        quiet: false,
    };
    let args = BillingChangeArgs {
        plan: "pro".into(),
        yearly: true,
        yes: true,
    };
    let err = price_changed(&preview(11750), &preview(11800), &inv, &args);
    assert_eq!(err.exit, Exit::Conflict);
    assert!(
        err.message
            .contains("EUR 118.00 is now due, not EUR 117.50"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("Nothing was charged"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("`acctl billing change pro --yearly`"),
        "{}",
        err.message
    );
}
