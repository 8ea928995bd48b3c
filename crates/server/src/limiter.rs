//! Failed sign-ins per email and per client address, in memory, over a
//! sliding window measured by the server's [`Clock`](crate::Clock).

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use crate::clock::duration_ms;
use crate::config::LoginLimits;

/// Above this many tracked keys, stale ones are swept out.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Email(String),
    Ip(String),
}

pub struct LoginLimiter {
    limits: LoginLimits,
    failures: Mutex<HashMap<Key, VecDeque<i64>>>,
}

impl LoginLimiter {
    pub fn new(limits: LoginLimits) -> Self {
        Self {
            limits,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` when the email or the address has failed too often.
    pub fn check(&self, email: &str, ip: Option<&str>, now: i64) -> Result<(), u64> {
        let mut failures = self.lock();
        let mut wait_ms = 0;
        for (key, limit) in self.keys(email, ip) {
            if let Some(times) = failures.get_mut(&key) {
                wait_ms = wait_ms.max(self.wait_ms(times, limit, now));
            }
        }
        if wait_ms > 0 {
            // Whole seconds, rounded up, so a client waiting that long succeeds.
            Err(u64::try_from(wait_ms)
                .unwrap_or(u64::MAX)
                .div_ceil(1000)
                .max(1))
        } else {
            Ok(())
        }
    }

    pub fn record_failure(&self, email: &str, ip: Option<&str>, now: i64) {
        let mut failures = self.lock();
        if failures.len() > SWEEP_ABOVE {
            let oldest = now - duration_ms(self.limits.window);
            failures.retain(|_, times| times.back().is_some_and(|&t| t > oldest));
        }
        for (key, _) in self.keys(email, ip) {
            failures.entry(key).or_default().push_back(now);
        }
    }

    /// A successful sign-in clears the email's failures (not the address's).
    pub fn reset_email(&self, email: &str) {
        self.lock().remove(&Key::Email(email.to_string()));
    }

    fn keys(&self, email: &str, ip: Option<&str>) -> Vec<(Key, u32)> {
        let mut keys = vec![(Key::Email(email.to_string()), self.limits.per_email)];
        if let Some(ip) = ip {
            keys.push((Key::Ip(ip.to_string()), self.limits.per_ip));
        }
        keys
    }

    /// Drops failures older than the window; then how long until fewer
    /// than `limit` remain (0 if already so).
    fn wait_ms(&self, times: &mut VecDeque<i64>, limit: u32, now: i64) -> i64 {
        let window = duration_ms(self.limits.window);
        while times.front().is_some_and(|&t| t <= now - window) {
            times.pop_front();
        }
        let limit = limit as usize;
        if times.len() < limit || limit == 0 {
            return 0;
        }
        times
            .get(times.len() - limit)
            .map_or(0, |&t| (t + window - now).max(1))
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, VecDeque<i64>>> {
        // The map stays consistent even if a holder panicked.
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn limiter() -> LoginLimiter {
        LoginLimiter::new(LoginLimits {
            per_email: 2,
            per_ip: 3,
            window: Duration::from_secs(60),
        })
    }

    #[test]
    fn email_failures_lock_until_the_window_passes() {
        let l = limiter();
        l.record_failure("a", Some("ip"), 0);
        assert!(l.check("a", Some("ip"), 1_000).is_ok());
        l.record_failure("a", Some("ip"), 10_000);
        assert_eq!(l.check("a", Some("ip"), 10_000), Err(50));
        assert!(l.check("b", Some("other"), 10_000).is_ok());
        assert!(l.check("a", None, 60_001).is_ok());
    }

    #[test]
    fn address_failures_count_across_emails_and_success_resets_the_email() {
        let l = limiter();
        for email in ["a", "b", "c"] {
            l.record_failure(email, Some("ip"), 0);
        }
        assert!(l.check("d", Some("ip"), 0).is_err());
        assert!(l.check("d", Some("elsewhere"), 0).is_ok());
        l.record_failure("e", None, 0);
        l.record_failure("e", None, 0);
        l.reset_email("e");
        assert!(l.check("e", None, 0).is_ok());
    }
}
