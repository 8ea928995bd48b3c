//! Failed sign-ins per email and per client address over a sliding window
//! measured by the server's [`Clock`](crate::Clock). The failures live in
//! the database, so instances behind one load balancer share one count.

use crate::clock::duration_ms;
use crate::config::LoginLimits;
use crate::store::Store;

pub struct LoginLimiter {
    limits: LoginLimits,
    store: Store,
}

impl LoginLimiter {
    pub fn new(limits: LoginLimits, store: Store) -> Self {
        Self { limits, store }
    }

    /// `Ok(Err(seconds to wait))` when the email or the address has failed
    /// too often.
    pub async fn check(
        &self,
        email: &str,
        ip: Option<&str>,
        now: i64,
    ) -> Result<Result<(), u64>, sqlx::Error> {
        let window = duration_ms(self.limits.window);
        let mut wait_ms = 0;
        for (subject, limit) in self.subjects(email, ip) {
            if limit == 0 {
                continue;
            }
            let newest = self
                .store
                .recent_failures(&subject, now - window, limit)
                .await?;
            // `limit` failures inside the window: wait until the oldest of
            // them leaves it.
            if let (true, Some(&oldest)) = (newest.len() >= limit as usize, newest.last()) {
                wait_ms = wait_ms.max((oldest + window - now).max(1));
            }
        }
        if wait_ms > 0 {
            // Whole seconds, rounded up, so a client waiting that long succeeds.
            Ok(Err(u64::try_from(wait_ms)
                .unwrap_or(u64::MAX)
                .div_ceil(1000)
                .max(1)))
        } else {
            Ok(Ok(()))
        }
    }

    pub async fn record_failure(
        &self,
        email: &str,
        ip: Option<&str>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let subjects: Vec<String> = self
            .subjects(email, ip)
            .into_iter()
            .map(|(subject, _)| subject)
            .collect();
        self.store.record_failure(&subjects, now).await
    }

    /// A successful sign-in clears the email's failures (not the address's).
    pub async fn reset_email(&self, email: &str) -> Result<(), sqlx::Error> {
        self.store.clear_failures(&email_subject(email)).await
    }

    /// Forgets failures no window can see any more.
    pub async fn sweep(&self, now: i64) -> Result<u64, sqlx::Error> {
        self.store
            .sweep_failures(now - duration_ms(self.limits.window))
            .await
    }

    fn subjects(&self, email: &str, ip: Option<&str>) -> Vec<(String, u32)> {
        let mut subjects = vec![(email_subject(email), self.limits.per_email)];
        if let Some(ip) = ip {
            subjects.push((format!("ip:{ip}"), self.limits.per_ip));
        }
        subjects
    }
}

fn email_subject(email: &str) -> String {
    format!("email:{email}")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::config::{MEMORY_DATABASE, PoolSettings};

    async fn limiter() -> LoginLimiter {
        let store = Store::connect(MEMORY_DATABASE, &PoolSettings::default())
            .await
            .expect("store");
        let limits = LoginLimits {
            per_email: 2,
            per_ip: 3,
            window: Duration::from_secs(60),
        };
        LoginLimiter::new(limits, store)
    }

    #[tokio::test]
    async fn email_failures_lock_until_the_window_passes() {
        let l = limiter().await;
        l.record_failure("a", Some("ip"), 0)
            .await
            .expect("recorded");
        assert_eq!(l.check("a", Some("ip"), 1_000).await.ok(), Some(Ok(())));
        l.record_failure("a", Some("ip"), 10_000)
            .await
            .expect("recorded");
        assert_eq!(l.check("a", Some("ip"), 10_000).await.ok(), Some(Err(50)));
        assert_eq!(l.check("b", Some("other"), 10_000).await.ok(), Some(Ok(())));
        assert_eq!(l.check("a", None, 60_001).await.ok(), Some(Ok(())));
    }

    #[tokio::test]
    async fn address_failures_count_across_emails_and_success_resets_the_email() {
        let l = limiter().await;
        for email in ["a", "b", "c"] {
            l.record_failure(email, Some("ip"), 0)
                .await
                .expect("recorded");
        }
        assert!(matches!(l.check("d", Some("ip"), 0).await, Ok(Err(_))));
        assert_eq!(l.check("d", Some("elsewhere"), 0).await.ok(), Some(Ok(())));
        l.record_failure("e", None, 0).await.expect("recorded");
        l.record_failure("e", None, 0).await.expect("recorded");
        l.reset_email("e").await.expect("reset");
        assert_eq!(l.check("e", None, 0).await.ok(), Some(Ok(())));
        assert_eq!(l.sweep(60_001).await.ok(), Some(6));
    }
}
