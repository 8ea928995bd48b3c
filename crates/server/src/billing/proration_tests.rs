//! Properties of the proration arithmetic.

use acctl_api::billing::BillingInterval;
use proptest::prelude::*;

use super::*;
use crate::billing::periods::DAY_MS;
use crate::billing::plans::{PLANS, TAX_RATE_BPS, plan};

const START: i64 = 1_893_456_000_000; // 2030-01-01T00:00:00Z

fn interval() -> impl Strategy<Value = BillingInterval> {
    prop_oneof![Just(BillingInterval::Month), Just(BillingInterval::Year)]
}

fn any_plan() -> impl Strategy<Value = &'static PlanSpec> {
    (0..PLANS.len()).prop_map(|i| &PLANS[i])
}

fn current(plan: &'static PlanSpec, interval: BillingInterval, carried: i64) -> Current<'static> {
    let end = add_intervals(from_ms(START), interval, 1).timestamp_millis();
    Current {
        plan,
        interval,
        period_start: START,
        period_end: end,
        carried_credit: carried,
    }
}

fn lines_sum(quote: &Quote) -> i64 {
    quote.lines.iter().map(|line| line.amount_minor).sum()
}

proptest! {
    #[test]
    fn credit_never_exceeds_what_the_period_cost(
        from in any_plan(), to in any_plan(), a in interval(), b in interval(),
        offset in 0i64..400 * DAY_MS, carried in 0i64..50_000,
    ) {
        let now = START + offset;
        let quote = quote_change(&current(from, a, carried), to, b, now);
        prop_assert!(quote.credit >= 0);
        prop_assert!(quote.credit <= from.price(a));
        prop_assert!(quote.total >= 0);
        prop_assert_eq!(lines_sum(&quote), quote.subtotal);
        prop_assert_eq!(quote.subtotal + quote.tax, quote.total);
        prop_assert!(quote.carried_after >= 0);
    }

    #[test]
    fn upgrade_then_immediate_downgrade_costs_nothing_beyond_rounding(
        low in 0usize..2, a in interval(), offset in 0i64..360 * DAY_MS,
    ) {
        let (cheap, dear) = (&PLANS[low], &PLANS[low + 1]);
        let before = current(cheap, a, 0);
        let now = START + offset.min(before.period_end - START);
        let up = quote_change(&before, dear, a, now);
        let after_up = Current { plan: dear, carried_credit: up.carried_after, ..before };
        let down = quote_change(&after_up, cheap, a, now);
        prop_assert_eq!(down.total, 0);
        // Every net cent paid for the upgrade is kept as credit...
        prop_assert_eq!(down.carried_after, up.subtotal);
        // ...and comes off the next renewal; only the tax on it may differ,
        // by rounding.
        let (start, end) = (before.period_end, before.period_end + DAY_MS);
        let plain = quote_renewal(cheap, a, start, end, 0);
        let with_credit = quote_renewal(cheap, a, start, end, down.carried_after);
        if up.subtotal <= cheap.price(a) {
            let net_cost = up.total + with_credit.total - plain.total;
            prop_assert!(net_cost.abs() <= 1, "net cost {net_cost}");
            prop_assert_eq!(with_credit.carried_after, 0);
        }
    }

    #[test]
    fn tax_is_the_rate_rounded_half_up(net in 0i64..10_000_000) {
        let tax = tax_on(net);
        let exact = i128::from(net) * i128::from(TAX_RATE_BPS);
        let diff = i128::from(tax) * 10_000 - exact;
        // Within half a cent, and a tie rounds up.
        prop_assert!((-5_000..=5_000).contains(&diff));
        prop_assert!(diff != -5_000);
    }

    #[test]
    fn renewals_apply_carried_credit_without_going_negative(
        p in any_plan(), a in interval(), carried in 0i64..100_000,
    ) {
        let quote = quote_renewal(p, a, START, START + 30 * DAY_MS, carried);
        prop_assert_eq!(lines_sum(&quote), quote.subtotal);
        prop_assert_eq!(quote.subtotal, (p.price(a) - carried).max(0));
        prop_assert_eq!(quote.carried_after, (carried - p.price(a)).max(0));
    }
}

#[test]
fn a_change_at_the_very_start_credits_the_whole_period() {
    let pro = plan("pro").expect("pro");
    let team = plan("team").expect("team");
    let before = current(pro, BillingInterval::Month, 0);
    let quote = quote_change(&before, team, BillingInterval::Month, START);
    assert_eq!(quote.credit, 900);
    assert_eq!(quote.subtotal, 2_000);
    assert_eq!(quote.tax, 400);
    assert_eq!(quote.total, 2_400);
}

#[test]
fn a_change_at_the_very_end_costs_nothing() {
    let pro = plan("pro").expect("pro");
    let team = plan("team").expect("team");
    let before = current(pro, BillingInterval::Month, 0);
    let last_moment = quote_change(&before, team, BillingInterval::Month, before.period_end - 1);
    assert_eq!((last_moment.credit, last_moment.total), (0, 0));
    assert!(last_moment.lines.is_empty());
}

#[test]
fn a_downgrade_carries_the_excess_as_a_line() {
    let pro = plan("pro").expect("pro");
    let free = plan("free").expect("free");
    let before = current(pro, BillingInterval::Month, 0);
    // 2030-01-01 + 10 days: 21 of 31 days unused, 900 * 21 / 31 = 609.67.
    let quote = quote_change(&before, free, BillingInterval::Month, START + 10 * DAY_MS);
    assert_eq!(quote.credit, 610);
    assert_eq!(quote.total, 0);
    assert_eq!(quote.carried_after, 610);
    let last = quote.lines.last().expect("a carry line");
    assert_eq!(last.description, "Credit carried to the next invoice");
    assert_eq!(last.amount_minor, 610);
}
