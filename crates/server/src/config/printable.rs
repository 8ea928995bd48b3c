//! `acctd serve --print-config`: every setting, no secret.

use std::time::Duration;

use super::{Config, redact_url};
use crate::mail::SmtpSettings;

impl Config {
    /// The settings as `acctd serve --print-config` shows them: one
    /// `name = value` a line, the database password redacted.
    pub fn printable(&self) -> String {
        let engine = crate::store::Engine::of_url(&self.database_url)
            .map_or("unknown", crate::store::Engine::name);
        let pool = &self.pool;
        let secs = |d: Duration| d.as_secs().to_string();
        let lines = [
            ("listen", self.listen.to_string()),
            ("database", redact_url(&self.database_url)),
            ("database_engine", engine.to_string()),
            ("db_pool_size", pool.postgres_connections.to_string()),
            ("db_sqlite_connections", pool.sqlite_connections.to_string()),
            (
                "db_statement_timeout_secs",
                pool.statement_timeout.as_secs().to_string(),
            ),
            (
                "db_acquire_timeout_secs",
                pool.acquire_timeout.as_secs().to_string(),
            ),
            ("db_connect_attempts", pool.connect_attempts.to_string()),
            ("trusted_proxies", self.trusted_proxies.to_string()),
            ("server_name", self.server_name.clone()),
            ("dev", self.dev.to_string()),
            ("public_url", self.public_url.clone().unwrap_or_default()),
            (
                "deletion_grace_days",
                self.deletion_grace_days().to_string(),
            ),
            (
                "step_up_minutes",
                (self.step_up_window.as_secs() / 60).to_string(),
            ),
            (
                "shutdown_grace_secs",
                self.shutdown_grace.as_secs().to_string(),
            ),
            (
                "login_limit_per_email",
                self.login_limits.per_email.to_string(),
            ),
            ("login_limit_per_ip", self.login_limits.per_ip.to_string()),
            ("header_timeout_secs", secs(self.edge.header_timeout)),
            ("idle_timeout_secs", secs(self.edge.idle_timeout)),
            ("body_timeout_secs", secs(self.edge.body_timeout)),
            ("handler_timeout_secs", secs(self.edge.handler_timeout)),
            ("max_connections", self.edge.max_connections.to_string()),
            (
                "login_limit_window_secs",
                self.login_limits.window.as_secs().to_string(),
            ),
            (
                "secret_key_file",
                self.secret_keys.printable_file(&self.database_url),
            ),
            (
                "secret_key_ids",
                self.secret_keys.printable_ids(&self.database_url),
            ),
            (
                "smtp_url",
                self.smtp
                    .as_ref()
                    .map_or_else(String::new, SmtpSettings::printable_url),
            ),
            (
                "mail_from",
                self.smtp
                    .as_ref()
                    .map_or_else(String::new, |smtp| smtp.from().to_string()),
            ),
        ];
        lines
            .iter()
            .map(|(name, value)| format!("{name} = {value}\n"))
            .collect()
    }
}
