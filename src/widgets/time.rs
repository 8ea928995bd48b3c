//! Times for people: relative ("3 h ago") and, where there is room, absolute
//! too, in the account's time zone. Everything takes `now` and the zone so
//! snapshots can fix both.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// "just now", "5 min ago", "3 h ago", "12 d ago", "4 mo ago", "2 y ago",
/// "in 2 min".
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - at).num_seconds();
    let (amount, future) = (secs.unsigned_abs(), secs < 0);
    let phrase = match amount {
        0..=44 => return "just now".to_string(),
        45..=3_599 => format!("{} min", ((amount + 30) / 60).min(59)),
        3_600..=86_399 => format!("{} h", amount / 3_600),
        86_400..=5_183_999 => format!("{} d", amount / 86_400),
        5_184_000..=63_071_999 => format!("{} mo", amount / 2_629_800),
        _ => format!("{} y", amount / 31_557_600),
    };
    if future {
        format!("in {phrase}")
    } else {
        format!("{phrase} ago")
    }
}

/// "2025-03-01 14:05 UTC", or "2025-03-01 15:05 CET" in Europe/Paris.
pub fn absolute(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// "2025-03-01", the day it was in `tz`.
pub fn date(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d").to_string()
}

/// Relative, plus the absolute time as far as `room` columns allow:
/// "3 h ago (2025-03-01 11:05 UTC)", "3 h ago (2025-03-01 11:05)", "3 h ago".
pub fn when(at: DateTime<Utc>, now: DateTime<Utc>, tz: Tz, room: usize) -> String {
    let rel = relative(at, now);
    let full = format!("{rel} ({})", absolute(at, tz));
    let compact = format!("{rel} ({})", at.with_timezone(&tz).format("%Y-%m-%d %H:%M"));
    [full, compact]
        .into_iter()
        .find(|text| text.chars().count() <= room)
        .unwrap_or(rel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn relative_times_read_naturally() {
        let cases = [
            (Duration::seconds(10), "just now"),
            (Duration::seconds(90), "2 min ago"),
            (Duration::minutes(59), "59 min ago"),
            (Duration::hours(3), "3 h ago"),
            (Duration::days(12), "12 d ago"),
            (Duration::days(120), "3 mo ago"),
            (Duration::days(800), "2 y ago"),
            (Duration::minutes(-2), "in 2 min"),
        ];
        for (ago, text) in cases {
            assert_eq!(relative(now() - ago, now()), text, "{ago:?}");
        }
    }

    #[test]
    fn absolute_time_is_added_when_it_fits() {
        let at = now() - Duration::hours(3);
        assert_eq!(
            when(at, now(), Tz::UTC, 40),
            "3 h ago (2025-03-01 09:00 UTC)"
        );
        assert_eq!(when(at, now(), Tz::UTC, 26), "3 h ago (2025-03-01 09:00)");
        assert_eq!(when(at, now(), Tz::UTC, 12), "3 h ago");
    }

    #[test]
    fn times_are_told_in_the_chosen_zone() {
        let at = now();
        assert_eq!(absolute(at, Tz::Europe__Paris), "2025-03-01 13:00 CET");
        assert_eq!(absolute(at, Tz::America__New_York), "2025-03-01 07:00 EST");
        let late = now() + Duration::hours(11);
        assert_eq!(date(late, Tz::UTC), "2025-03-01");
        assert_eq!(date(late, Tz::Asia__Tokyo), "2025-03-02");
    }
}
