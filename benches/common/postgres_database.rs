//! A PostgreSQL database of a benchmark's own on a cluster it is given,
//! dropped afterwards even when the run panics half-way. Made and dropped
//! by `psql`, so a benchmark needs no PostgreSQL driver for it. Shared by
//! `report` and acctd's `scale` (each includes this file as a module).

use std::process::Command;

pub struct Database {
    admin_url: String,
    name: String,
    pub url: String,
}

impl Database {
    /// `{prefix}_{pid}` on the cluster of `admin_url`.
    pub fn create(admin_url: &str, prefix: &str) -> Self {
        let name = format!("{prefix}_{}", std::process::id());
        psql(admin_url, &format!("CREATE DATABASE {name}"));
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url, |(base, _)| base);
        Self {
            admin_url: admin_url.to_string(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        psql(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args([url, "-qc", sql])
        .status()
        .expect("psql runs");
    assert!(status.success(), "psql: {sql}");
}
