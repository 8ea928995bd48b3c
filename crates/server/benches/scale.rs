//! Rows to millions: sign-in and the security log's pages on a small
//! database, then again after 1,000,000 accounts and 10,000,000 security
//! events are added, in one run on one machine (so the ratio holds even on
//! a busy one). Prints rows for BENCHMARKS.md.
//!
//! `cargo bench --workspace --bench scale` (release; a few minutes, about
//! 3 GB of temporary disk).

use std::time::{Duration, Instant};

use acctd::Config;
use acctl_api::{Page, SecurityEvent, TokenPair, paths};
use serde_json::json;
use sqlx::{Connection as _, SqliteConnection};

const USERS: usize = 1_000_000;
const EVENTS: usize = 10_000_000;
/// Events of the measured account itself in the large database, so later
/// pages of its log are far from the first.
const OWN_EVENTS: usize = 100_000;
const PASSWORD: &str = "correct horse battery staple";
const EMAIL: &str = "ada@scale.example";
/// Rows per INSERT statement (SQLite allows 32,766 parameters).
const BATCH: usize = 500;

struct Bench {
    http: reqwest::Client,
    base: String,
}

impl Bench {
    async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("acctd answers")
    }

    async fn sign_in(&self) -> TokenPair {
        let body = json!({"email": EMAIL, "password": PASSWORD, "device_name": "bench"});
        let response = self.post(paths::LOGIN, body).await;
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.expect("a token pair")
    }

    async fn page(&self, token: &TokenPair, cursor: Option<&str>) -> Page<SecurityEvent> {
        let mut query = vec![("limit", "50")];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        let response = self
            .http
            .get(format!("{}{}", self.base, paths::SECURITY_EVENTS))
            .query(&query)
            .bearer_auth(token.access_token.expose())
            .send()
            .await
            .expect("acctd answers");
        let status = response.status();
        assert!(
            status.is_success(),
            "{status}: {}",
            response.text().await.unwrap_or_default()
        );
        response.json().await.expect("a page")
    }

    /// Median times: a sign-in, the log's first page, and a page 40 pages in.
    async fn measure(&self) -> [Duration; 3] {
        let mut sign_ins = Vec::new();
        let mut token = None;
        for _ in 0..15 {
            let started = Instant::now();
            token = Some(self.sign_in().await);
            sign_ins.push(started.elapsed());
        }
        let token = token.expect("signed in");
        let mut firsts = Vec::new();
        for _ in 0..50 {
            let started = Instant::now();
            self.page(&token, None).await;
            firsts.push(started.elapsed());
        }
        let mut cursor = self.page(&token, None).await.next_cursor;
        for _ in 0..39 {
            cursor = self.page(&token, cursor.as_deref()).await.next_cursor;
        }
        let mut deep = Vec::new();
        for _ in 0..50 {
            let started = Instant::now();
            self.page(&token, cursor.as_deref()).await;
            deep.push(started.elapsed());
        }
        [median(sign_ins), median(firsts), median(deep)]
    }
}

/// What an administrator's search is timed on: a prefix of many emails,
/// a prefix of names only, and no prefix at all (every account, in order).
const SEARCHES: [(&str, &str); 3] = [
    ("email prefix `user12`", "user12"),
    ("name prefix `user 34`", "user 34"),
    ("no query, first page", ""),
];

impl Bench {
    async fn search(&self, token: &TokenPair, query: &str, cursor: Option<&str>) -> Option<String> {
        let mut params = vec![("limit", "50"), ("query", query)];
        if let Some(cursor) = cursor {
            params.push(("cursor", cursor));
        }
        let response = self
            .http
            .get(format!("{}{}", self.base, paths::ADMIN_USERS))
            .query(&params)
            .bearer_auth(token.access_token.expose())
            .send()
            .await
            .expect("acctd answers");
        assert!(response.status().is_success(), "{}", response.status());
        let page: serde_json::Value = response.json().await.expect("a page");
        page["next_cursor"].as_str().map(str::to_string)
    }

    /// p50 and p99 of 200 searches each of [`SEARCHES`], then of a page 20
    /// pages into the first.
    async fn measure_search(&self, token: &TokenPair) -> Vec<(Duration, Duration)> {
        let mut rows = Vec::new();
        for (_, query) in SEARCHES {
            let mut times = Vec::new();
            for _ in 0..200 {
                let started = Instant::now();
                self.search(token, query, None).await;
                times.push(started.elapsed());
            }
            rows.push(percentiles(times));
        }
        let mut cursor = None;
        for _ in 0..20 {
            cursor = self.search(token, SEARCHES[0].1, cursor.as_deref()).await;
        }
        let mut times = Vec::new();
        for _ in 0..200 {
            let started = Instant::now();
            self.search(token, SEARCHES[0].1, cursor.as_deref()).await;
            times.push(started.elapsed());
        }
        rows.push(percentiles(times));
        rows
    }
}

fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Inserts `rows` rows made by `row` into `table`, `BATCH` a statement.
async fn fill(
    db: &mut SqliteConnection,
    table: &str,
    columns: &[&str],
    rows: usize,
    row: impl Fn(usize) -> Vec<String>,
) {
    let started = Instant::now();
    let mut tx = db.begin().await.expect("a transaction");
    for first in (0..rows).step_by(BATCH) {
        let count = BATCH.min(rows - first);
        let marks = format!("({})", vec!["?"; columns.len()].join(", "));
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            vec![marks; count].join(", ")
        );
        let mut query = sqlx::query(&sql);
        for i in first..first + count {
            for value in row(i) {
                query = query.bind(value);
            }
        }
        query.execute(&mut *tx).await.expect("rows go in");
    }
    tx.commit().await.expect("committed");
    eprintln!("{rows} rows into {table} in {:.0?}", started.elapsed());
}

const NOW: i64 = 1_750_000_000_000;
const EVENT_COLUMNS: [&str; 6] = ["id", "user_id", "kind", "at", "ip", "device_name"];

/// One security event's values, the `i`th of `user` (a second apart).
/// Ids are hex and dashes, as the log's cursors require.
fn event(tag: u32, (user, n): (&str, usize), i: usize) -> Vec<String> {
    const KINDS: [&str; 4] = [
        "login_succeeded",
        "login_failed",
        "profile_updated",
        "password_changed",
    ];
    let at = (NOW - i64::try_from(i).unwrap_or(0) * 1000).to_string();
    vec![
        format!("{tag:x}-{n:x}-{i:x}"),
        user.to_string(),
        KINDS[i % KINDS.len()].to_string(),
        at,
        "198.51.100.7".to_string(),
        "Firefox on Linux".to_string(),
    ]
}

async fn open(db_path: &std::path::Path) -> SqliteConnection {
    let url = format!("sqlite://{}", db_path.display());
    SqliteConnection::connect(&url).await.expect("opens")
}

async fn own_events(db_path: &std::path::Path, own_id: &str, tag: u32, count: usize) {
    let mut db = open(db_path).await;
    fill(&mut db, "security_events", &EVENT_COLUMNS, count, |i| {
        event(tag, (own_id, usize::MAX), i)
    })
    .await;
    db.close().await.expect("closed");
}

async fn grow(db_path: &std::path::Path) {
    let mut db = open(db_path).await;
    let now = NOW;
    fill(
        &mut db,
        "users",
        &[
            "id",
            "email",
            "email_norm",
            "name",
            "name_norm",
            "password_hash",
            "created_at",
            "updated_at",
        ],
        USERS,
        |i| {
            let email = format!("user{i}@scale.example");
            let at = (now - i64::try_from(i).unwrap_or(0)).to_string();
            vec![
                format!("scale-{i}"),
                email.clone(),
                email,
                format!("User {i}"),
                format!("user {i}"),
                "-".into(),
                at.clone(),
                at,
            ]
        },
    )
    .await;
    fill(&mut db, "security_events", &EVENT_COLUMNS, EVENTS, |i| {
        let n = i % USERS;
        event(0xa, (&format!("scale-{n}"), n), i / USERS)
    })
    .await;
    sqlx::query("ANALYZE")
        .execute(&mut db)
        .await
        .expect("analysed");
    db.close().await.expect("closed");
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db_path = dir.path().join("scale.db");
    let server = acctd::start(Config::for_tests().with_database_file(&db_path))
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
    own_events(&db_path, &own_id, 0xb, 2_500).await;
    let small = bench.measure().await;
    server
        .set_admin(EMAIL, true, "the benchmark searches")
        .await
        .expect("an administrator");
    let small_search = bench.measure_search(&token).await;
    grow(&db_path).await;
    own_events(&db_path, &own_id, 0xc, OWN_EVENTS).await;
    let large = bench.measure().await;
    let token = bench.sign_in().await;
    let large_search = bench.measure_search(&token).await;

    println!(
        "| SQLite, median of runs | small database | 1,000,000 accounts, 10,000,000 events | ratio |"
    );
    println!("|---|---:|---:|---:|");
    let names = [
        "sign-in (argon2id included)",
        "security log, first page of 50",
        "security log, 40 pages in",
    ];
    for ((name, s), l) in names.iter().zip(small).zip(large) {
        let ratio = l.as_secs_f64() / s.as_secs_f64().max(1e-9);
        println!("| {name} | {s:.2?} | {l:.2?} | {ratio:.2}x |");
    }
    println!();
    println!("| admin user search, 50 a page | small: p50 / p99 | 1,000,000 accounts: p50 / p99 |");
    println!("|---|---:|---:|");
    let names = SEARCHES
        .iter()
        .map(|(name, _)| (*name).to_string())
        .chain(["email prefix `user12`, 20 pages in".to_string()]);
    for ((name, (s50, s99)), (l50, l99)) in names.zip(small_search).zip(large_search) {
        println!("| {name} | {s50:.2?} / {s99:.2?} | {l50:.2?} / {l99:.2?} |");
    }
}
