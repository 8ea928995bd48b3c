//! Billing periods: calendar months or years from an anchor, in UTC.

use acctl_api::billing::BillingInterval;
use chrono::{DateTime, Months, Utc};

pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Far more periods than any subscription lives; a guard against looping
/// on a corrupted anchor.
const MAX_PERIODS: u32 = 12 * 1000;

/// `start` plus `n` intervals; the last day of a shorter month stands in
/// for a day it lacks (31 Jan + 1 month = 28 or 29 Feb).
pub fn add_intervals(start: DateTime<Utc>, interval: BillingInterval, n: u32) -> DateTime<Utc> {
    let months = match interval {
        BillingInterval::Month => n,
        BillingInterval::Year => n.saturating_mul(12),
    };
    start
        .checked_add_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The first period end after `after`, counting whole intervals from `anchor`.
pub fn next_end(
    anchor: DateTime<Utc>,
    interval: BillingInterval,
    after: DateTime<Utc>,
) -> DateTime<Utc> {
    (1..=MAX_PERIODS)
        .map(|n| add_intervals(anchor, interval, n))
        .find(|end| *end > after)
        .unwrap_or_else(|| add_intervals(after, interval, 1))
}

/// The period `[start, end)` that holds `at`, counting from `anchor` (when
/// `at` is before the anchor, the first period).
pub fn period_containing(
    anchor: DateTime<Utc>,
    interval: BillingInterval,
    at: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let mut start = anchor;
    for _ in 0..MAX_PERIODS {
        let end = next_end(anchor, interval, start);
        if end > at {
            return (start, end);
        }
        start = end;
    }
    (start, add_intervals(start, interval, 1))
}

/// Whole days from `from` to `to` (a part day does not count), never negative.
pub fn whole_days(from_ms: i64, to_ms: i64) -> i64 {
    (to_ms.saturating_sub(from_ms) / DAY_MS).max(0)
}

/// "2030-01-02": how dates appear in invoice lines and documents.
pub fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 9, 30, 0)
            .single()
            .expect("valid date")
    }

    #[test]
    fn month_ends_do_not_drift() {
        let anchor = at(2031, 1, 31);
        let feb = next_end(anchor, BillingInterval::Month, anchor);
        assert_eq!(feb, at(2031, 2, 28));
        assert_eq!(
            next_end(anchor, BillingInterval::Month, feb),
            at(2031, 3, 31)
        );
        assert_eq!(
            next_end(anchor, BillingInterval::Year, anchor),
            at(2032, 1, 31)
        );
        let held = period_containing(anchor, BillingInterval::Month, at(2031, 3, 1));
        assert_eq!(held, (at(2031, 2, 28), at(2031, 3, 31)));
    }

    #[test]
    fn part_days_do_not_count() {
        assert_eq!(whole_days(0, DAY_MS - 1), 0);
        assert_eq!(whole_days(0, 3 * DAY_MS + 5), 3);
        assert_eq!(whole_days(10, 0), 0);
        assert_eq!(day(at(2030, 1, 2)), "2030-01-02");
    }
}
