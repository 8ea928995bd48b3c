//! The time source of the server. Every expiry (access tokens, rate-limit
//! windows, later MFA tokens) reads it, so tests can move time forward
//! instead of sleeping.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

/// System time by default; [`Clock::manual`] gives a clock that only moves
/// when told to. Clones share the same time.
#[derive(Clone, Default)]
pub struct Clock(Inner);

#[derive(Clone, Default)]
enum Inner {
    #[default]
    System,
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    /// The real wall clock.
    pub fn system() -> Self {
        Self(Inner::System)
    }

    /// A clock frozen at `start`; move it with [`Clock::advance`] or [`Clock::set`].
    pub fn manual(start: DateTime<Utc>) -> Self {
        Self(Inner::Manual(Arc::new(Mutex::new(start))))
    }

    pub fn is_manual(&self) -> bool {
        matches!(self.0, Inner::Manual(_))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Inner::System => Utc::now(),
            Inner::Manual(time) => *lock(time),
        }
    }

    /// Milliseconds since the Unix epoch, the unit the database stores.
    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }

    /// Moves a manual clock forward. The system clock cannot be moved, so
    /// this does nothing there (and says so in the log).
    pub fn advance(&self, by: Duration) {
        match &self.0 {
            Inner::System => tracing::warn!("Clock::advance has no effect on the system clock"),
            Inner::Manual(time) => {
                let mut now = lock(time);
                let step = chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
                *now = now.checked_add_signed(step).unwrap_or(*now);
            }
        }
    }

    /// Sets a manual clock to `to`; does nothing on the system clock.
    pub fn set(&self, to: DateTime<Utc>) {
        match &self.0 {
            Inner::System => tracing::warn!("Clock::set has no effect on the system clock"),
            Inner::Manual(time) => *lock(time) = to,
        }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Inner::System => f.write_str("Clock::System"),
            Inner::Manual(time) => write!(f, "Clock::Manual({})", *lock(time)),
        }
    }
}

/// A poisoned lock only means another thread panicked while holding a
/// timestamp; the timestamp itself is still fine.
fn lock(time: &Mutex<DateTime<Utc>>) -> MutexGuard<'_, DateTime<Utc>> {
    time.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Milliseconds since the epoch back to a timestamp; out-of-range values
/// (which only a corrupted database holds) clamp to the epoch.
pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// A `Duration` in whole milliseconds, saturating.
pub(crate) fn duration_ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told_and_clones_share_time() {
        let start = from_ms(1_700_000_000_000);
        let clock = Clock::manual(start);
        let other = clock.clone();
        assert_eq!(clock.now(), start);
        other.advance(Duration::from_secs(90));
        assert_eq!(clock.now_ms(), 1_700_000_090_000);
    }
}
