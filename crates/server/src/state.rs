//! What every handler shares.

use std::sync::Arc;

use crate::billing::{BillingProvider, LocalProvider};
use crate::clock::Clock;
use crate::config::Config;
use crate::limiter::LoginLimiter;
use crate::secrets::Keyring;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub limiter: Arc<LoginLimiter>,
    /// Takes the money for invoices; the built-in local one for now.
    pub billing: Arc<dyn BillingProvider>,
    /// Seals and opens two-factor secrets.
    pub secrets: Arc<Keyring>,
}

impl AppState {
    pub fn new(store: Store, config: Config, secrets: Keyring) -> Self {
        let limiter = Arc::new(LoginLimiter::new(config.login_limits, store.clone()));
        let billing = Arc::new(LocalProvider { dev: config.dev });
        Self {
            store,
            config: Arc::new(config),
            limiter,
            billing,
            secrets: Arc::new(secrets),
        }
    }

    pub fn clock(&self) -> &Clock {
        &self.config.clock
    }

    /// What the pruning of old rows measures against.
    pub fn retention_ages(&self) -> crate::store::retention::Ages {
        crate::store::retention::Ages {
            now: self.now_ms(),
            refresh_ttl_ms: crate::clock::duration_ms(self.config.refresh_token_ttl),
        }
    }

    /// Now, in the database's unit (ms since the epoch).
    pub fn now_ms(&self) -> i64 {
        self.config.clock.now_ms()
    }
}
