//! acctd on PostgreSQL: one instance, then two on one database with the
//! load spread over both, measured like the SQLite rows and as a share of
//! the same floor. Needs `ACCTD_BENCH_POSTGRES`, the admin URL of a running
//! cluster (`.ci/postgres start DIR PORT` prints one); without it the rows
//! say so.

use acctl_api::paths;
use secrecy::ExposeSecret as _;
use serde_json::json;

use super::Table;
use super::load::{Load, load};
use super::postgres_database::Database;

const PASSWORD: &str = "correct horse battery staple 7";

pub async fn rows(table: &mut Table, floor: &Load) {
    let Ok(admin_url) = std::env::var("ACCTD_BENCH_POSTGRES") else {
        table.add("acctd on PostgreSQL", "skipped", "set ACCTD_BENCH_POSTGRES");
        return;
    };
    let database = Database::create(&admin_url, "acctd_report");
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
