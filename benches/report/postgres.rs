//! acctd on PostgreSQL: one instance, then two on one database with the
//! load spread over both, measured like the SQLite rows and as a share of
//! the same floor. Needs `ACCTD_BENCH_POSTGRES`, the admin URL of a running
//! cluster (`.ci/postgres start DIR PORT` prints one); without it the rows
//! say so.

use std::process::Command;

use acctl_api::paths;
use secrecy::ExposeSecret as _;
use serde_json::json;

use super::Table;
use super::load::{Load, load};

const PASSWORD: &str = "correct horse battery staple 7";

pub async fn rows(table: &mut Table, floor: &Load) {
    let Ok(admin_url) = std::env::var("ACCTD_BENCH_POSTGRES") else {
        table.add("acctd on PostgreSQL", "skipped", "set ACCTD_BENCH_POSTGRES");
        return;
    };
    let database = Database::create(&admin_url);
    let keys = tempfile::tempdir().expect("a temp dir");
    let key_file = keys.path().join("secret.key");
    let key = acctd::secrets::new_key_line();
    std::fs::write(&key_file, format!("{}\n", key.expose_secret())).expect("a key file");
    let config = || {
        let listen = "127.0.0.1:0".parse().expect("a loopback address");
        acctd::Config::new(listen, database.url.clone()).with_secret_key_file(&key_file)
    };
    let first = acctd::start(config()).await.expect("acctd on PostgreSQL");
    let token = sign_up(&first.base_url()).await;
    for path in [paths::ME, paths::SESSIONS] {
        load(&[first.base_url()], path, &token).await.add_to(
            table,
            path,
            " on PostgreSQL",
            Some(floor),
        );
    }
    // The same database and key, as instances behind a load balancer share.
    let second = acctd::start(config()).await.expect("a second acctd");
    let both = [first.base_url(), second.base_url()];
    load(&both, paths::ME, &token).await.add_to(
        table,
        paths::ME,
        " on PostgreSQL, 2 instances",
        Some(floor),
    );
    first.shutdown().await;
    second.shutdown().await;
}

/// A new account's access token.
async fn sign_up(base: &str) -> String {
    let body = json!({"email": "bench@example.com", "password": PASSWORD, "name": "Bench"});
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}{}", paths::SIGNUP))
        .json(&body)
        .send()
        .await
        .expect("acctd answers")
        .json()
        .await
        .expect("a JSON answer");
    answer["access_token"]
        .as_str()
        .expect("signed in by the signup")
        .to_string()
}

/// A database of its own on the cluster, dropped afterwards (by `psql`, so
/// the benchmark needs no PostgreSQL driver of its own).
struct Database {
    admin_url: String,
    name: String,
    url: String,
}

impl Database {
    fn create(admin_url: &str) -> Self {
        let name = format!("acctd_report_{}", std::process::id());
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
