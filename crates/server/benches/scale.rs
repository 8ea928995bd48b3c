//! Rows to millions: sign-in and the security log's pages on a small
//! database, then again after 1,000,000 accounts and 10,000,000 security
//! events are added, in one run on one machine (so the ratio holds even on
//! a busy one). Prints rows for BENCHMARKS.md: on a SQLite file, then on
//! PostgreSQL when `ACCTD_BENCH_POSTGRES` holds the admin URL of a cluster
//! (`.ci/postgres start DIR PORT` prints one; the bench makes a database
//! of its own there and drops it at the end).
//!
//! `cargo bench --workspace --bench scale` (release; a few minutes per
//! engine, about 3 GB of temporary disk each).

#[path = "scale/client.rs"]
mod client;
#[path = "scale/fill.rs"]
mod fill;
#[path = "../../../benches/common/postgres_database.rs"]
mod postgres_database;
#[path = "scale/target.rs"]
mod target;

use std::time::Duration;

use acctl_api::paths;
use serde_json::json;

use client::{Bench, SEARCHES};
use fill::{Engine, grow, own_events};
use target::Target;

const USERS: usize = 1_000_000;
const EVENTS: usize = 10_000_000;
/// Events of the measured account itself in the large database, so later
/// pages of its log are far from the first.
const OWN_EVENTS: usize = 100_000;
const PASSWORD: &str = "correct horse battery staple";
const EMAIL: &str = "ada@scale.example";

/// What one engine measured: the small database, then the large one.
struct Measured {
    engine: Engine,
    small: [(Duration, Duration); 3],
    large: [(Duration, Duration); 3],
    small_search: Vec<(Duration, Duration)>,
    large_search: Vec<(Duration, Duration)>,
}

async fn run(target: Target) -> Measured {
    let server = acctd::start(target.config.clone())
        .await
        .expect("acctd starts");
    let bench = Bench {
        http: reqwest::Client::new(),
        base: format!("http://{}", server.addr()),
    };
    let signup = json!({"email": EMAIL, "password": PASSWORD, "name": "Ada"});
    let created = bench.post(paths::SIGNUP, signup).await;
    assert!(created.status().is_success(), "{}", created.status());
    let token = bench.sign_in().await;
    let me: serde_json::Value = bench
        .http
        .get(format!("{}{}", bench.base, paths::ME))
        .bearer_auth(token.access_token.expose())
        .send()
        .await
        .expect("acctd answers")
        .json()
        .await
        .expect("the account");
    let own_id = me["id"].as_str().expect("an id").to_string();
    // Enough events of its own for the small database's deep page.
    own_events(&target, &own_id, 0xb, 2_500).await;
    let small = bench.measure().await;
    server
        .set_admin(EMAIL, true, "the benchmark searches")
        .await
        .expect("an administrator");
    let small_search = bench.measure_search(&token).await;
    grow(&target).await;
    own_events(&target, &own_id, 0xc, OWN_EVENTS).await;
    let large = bench.measure().await;
    let token = bench.sign_in().await;
    let large_search = bench.measure_search(&token).await;
    // Before the database goes: PostgreSQL's is dropped with `target`.
    server.shutdown().await;
    Measured {
        engine: target.engine,
        small,
        large,
        small_search,
        large_search,
    }
}

fn print(measured: &Measured) {
    println!(
        "| {}: p50 / p99 | small database | 1,000,000 accounts, 10,000,000 events | p50 ratio |",
        measured.engine.name()
    );
    println!("|---|---:|---:|---:|");
    let names = [
        "sign-in (argon2id included)",
        "security log, first page of 50",
        "security log, 40 pages in",
    ];
    for ((name, (s50, s99)), (l50, l99)) in names.iter().zip(measured.small).zip(measured.large) {
        let ratio = l50.as_secs_f64() / s50.as_secs_f64().max(1e-9);
        println!("| {name} | {s50:.2?} / {s99:.2?} | {l50:.2?} / {l99:.2?} | {ratio:.2}x |");
    }
    println!();
    println!(
        "| {}: admin user search, 50 a page | small: p50 / p99 | 1,000,000 accounts: p50 / p99 | p50 ratio |",
        measured.engine.name()
    );
    println!("|---|---:|---:|---:|");
    let names = SEARCHES
        .iter()
        .map(|(name, _)| (*name).to_string())
        .chain(["email prefix `user12`, 20 pages in".to_string()]);
    let rows = measured.small_search.iter().zip(&measured.large_search);
    for (name, ((s50, s99), (l50, l99))) in names.zip(rows) {
        let ratio = l50.as_secs_f64() / s50.as_secs_f64().max(1e-9);
        println!("| {name} | {s50:.2?} / {s99:.2?} | {l50:.2?} / {l99:.2?} | {ratio:.2}x |");
    }
    println!();
}

#[tokio::main]
async fn main() {
    sqlx::any::install_default_drivers();
    print(&run(Target::sqlite()).await);
    match std::env::var("ACCTD_BENCH_POSTGRES") {
        Ok(admin_url) => print(&run(Target::postgres(&admin_url)).await),
        Err(_) => println!("PostgreSQL: skipped (set ACCTD_BENCH_POSTGRES)"),
    }
}
