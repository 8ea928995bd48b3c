//! Reads that failed because the server could not be reached (or was in
//! trouble) are tried again by themselves, waiting longer each time, so a
//! console left open comes back when the server does. Only reads: a change
//! is never sent twice without the person asking.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::action::{Request, RequestKey};

/// The first wait; it doubles up to [`MAX_DELAY`].
const FIRST_DELAY: Duration = Duration::from_secs(1);
const MAX_DELAY: Duration = Duration::from_secs(30);

#[derive(Debug)]
struct Pending {
    request: Request,
    failures: u32,
    due: Instant,
}

#[derive(Debug, Default)]
pub struct Retries {
    pending: HashMap<RequestKey, Pending>,
    /// The last request of each read key, to repeat it as it was sent.
    sent: HashMap<RequestKey, Request>,
}

/// The wait after `failures` failures in a row: 1 s, 2 s, 4 s ... 30 s.
pub fn delay(failures: u32) -> Duration {
    let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
    FIRST_DELAY.saturating_mul(factor).min(MAX_DELAY)
}

impl Retries {
    /// Remembers a read as it goes out.
    pub fn sent(&mut self, request: &Request) {
        if request.call().is_retried() {
            self.sent.insert(request.key(), request.clone());
        }
    }

    /// The answer to `key` came: on a transient failure, schedule the read
    /// again; otherwise forget it.
    pub fn answered(&mut self, key: &RequestKey, transient_failure: bool, now: Instant) {
        let Some(request) = self.sent.get(key).cloned() else {
            return;
        };
        if !transient_failure {
            self.pending.remove(key);
            return;
        }
        let failures = self.pending.get(key).map_or(0, |p| p.failures) + 1;
        let due = now + delay(failures);
        self.pending.insert(
            key.clone(),
            Pending {
                request,
                failures,
                due,
            },
        );
    }

    /// When the next retry is due.
    pub fn deadline(&self) -> Option<Instant> {
        self.pending.values().map(|p| p.due).min()
    }

    /// The reads due at `now`, taken out of the schedule (they are sent;
    /// their answers schedule them again if need be). Counts of failures
    /// stay until a read succeeds.
    pub fn due(&mut self, now: Instant) -> Vec<Request> {
        let mut out = Vec::new();
        for pending in self.pending.values_mut() {
            if pending.due <= now {
                out.push(pending.request.clone());
                // Not due again until answered.
                pending.due = now + MAX_DELAY * 1000;
            }
        }
        out
    }

    /// Stop retrying everything (signed out; another account).
    pub fn clear(&mut self) {
        self.pending.clear();
        self.sent.clear();
    }

    /// Stop retrying `key` (the person cancelled it).
    pub fn forget(&mut self, key: &RequestKey) {
        self.pending.remove(key);
    }

    #[cfg(test)]
    pub fn is_pending(&self, key: &RequestKey) -> bool {
        self.pending.contains_key(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::{AuthRequest, SessionsRequest};

    #[test]
    fn waits_double_up_to_half_a_minute() {
        let waits: Vec<u64> = (1..=8).map(|n| delay(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(delay(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn only_transient_read_failures_are_retried_until_one_succeeds() {
        let mut r = Retries::default();
        let t0 = Instant::now();
        let list = Request::Sessions(SessionsRequest::List);
        let logout = Request::Auth(AuthRequest::Logout);
        r.sent(&list);
        r.sent(&logout);
        r.answered(&logout.key(), true, t0);
        assert_eq!(r.deadline(), None, "not a read");
        r.answered(&list.key(), false, t0);
        assert_eq!(r.deadline(), None, "not transient");

        r.answered(&list.key(), true, t0);
        assert_eq!(r.deadline(), Some(t0 + Duration::from_secs(1)));
        assert!(r.due(t0).is_empty(), "not yet");
        let due = r.due(t0 + Duration::from_secs(1));
        assert!(matches!(
            due.as_slice(),
            [Request::Sessions(SessionsRequest::List)]
        ));
        assert!(r.due(t0 + Duration::from_secs(5)).is_empty(), "sent once");
        // It fails again: twice as long.
        let t1 = t0 + Duration::from_secs(1);
        r.answered(&list.key(), true, t1);
        assert_eq!(r.deadline(), Some(t1 + Duration::from_secs(2)));
        r.answered(&list.key(), false, t1);
        assert!(!r.is_pending(&list.key()), "succeeded");
    }
}
