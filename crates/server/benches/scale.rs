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

use std::process::Command;
use std::time::{Duration, Instant};

use acctd::Config;
use acctl_api::{Page, SecurityEvent, TokenPair, paths};
use secrecy::ExposeSecret as _;
use serde_json::json;
use sqlx::{AnyConnection, Connection as _};

const USERS: usize = 1_000_000;
const EVENTS: usize = 10_000_000;
/// Events of the measured account itself in the large database, so later
/// pages of its log are far from the first.
const OWN_EVENTS: usize = 100_000;
const PASSWORD: &str = "correct horse battery staple";
const EMAIL: &str = "ada@scale.example";
/// Rows per INSERT statement: a statement's work (and PostgreSQL's queue
/// of foreign-key checks) stays bounded, and progress shows.
const BATCH: usize = 1_000_000;

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

    /// p50 and p99 times of a sign-in, the log's first page, and a page 40
    /// pages in. (The p99 shows plans that only some runs get, such as
    /// PostgreSQL's first few of a statement on each pooled connection.)
    async fn measure(&self) -> [(Duration, Duration); 3] {
        let mut sign_ins = Vec::new();
        let mut token = None;
        for _ in 0..100 {
            let started = Instant::now();
            token = Some(self.sign_in().await);
            sign_ins.push(started.elapsed());
        }
        let token = token.expect("signed in");
        let mut firsts = Vec::new();
        for _ in 0..200 {
            let started = Instant::now();
            self.page(&token, None).await;
            firsts.push(started.elapsed());
        }
        let mut cursor = self.page(&token, None).await.next_cursor;
        for _ in 0..39 {
            cursor = self.page(&token, cursor.as_deref()).await.next_cursor;
        }
        let mut deep = Vec::new();
        for _ in 0..200 {
            let started = Instant::now();
            self.page(&token, cursor.as_deref()).await;
            deep.push(started.elapsed());
        }
        [
            percentiles(sign_ins),
            percentiles(firsts),
            percentiles(deep),
        ]
    }
}

/// What an administrator's search is timed on: a prefix of many emails,
/// a prefix of names only, no prefix at all (every account, in order), and
/// a prefix of nothing, which finds none in either database (so its ratio
/// is the tables' size alone, not fifty rows against none).
const SEARCHES: [(&str, &str); 4] = [
    ("email prefix `user12`", "user12"),
    ("name prefix `user 34`", "user 34"),
    ("no query, first page", ""),
    ("prefix `zz`, no match", "zz"),
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

/// The database engines the bench runs on; what differs between them is
/// only how a series of numbers is made and how a number is written in hex.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }

    /// A `WITH` clause naming `s(i)`: the numbers `first..=last`.
    fn series(self, first: usize, last: usize) -> String {
        match self {
            // SQLite has no generate_series unless built with it.
            Self::Sqlite => format!(
                "WITH RECURSIVE s(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM s WHERE i < {last})"
            ),
            Self::Postgres => {
                format!("WITH s(i) AS (SELECT generate_series({first}::bigint, {last}::bigint))")
            }
        }
    }

    /// `number` (an SQL expression) in lower-case hex, as `{:x}` writes it.
    fn hex(self, number: &str) -> String {
        match self {
            Self::Sqlite => format!("printf('%x', {number})"),
            Self::Postgres => format!("to_hex({number})"),
        }
    }

    /// What settles the planner's (and PostgreSQL's visibility map's)
    /// view of the new rows, as time and autovacuum would.
    fn settle(self) -> &'static str {
        match self {
            Self::Sqlite => "ANALYZE",
            Self::Postgres => "VACUUM ANALYZE",
        }
    }
}

/// The database one run fills: where it is, and what goes with it.
struct Target {
    engine: Engine,
    url: String,
    config: Config,
    /// The SQLite file or the key file; removed with the run.
    _dir: tempfile::TempDir,
    /// PostgreSQL's database, dropped with the run.
    _database: Option<Database>,
}

impl Target {
    fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let config = Config::for_tests().with_database_file(&dir.path().join("scale.db"));
        Self {
            engine: Engine::Sqlite,
            url: config.database_url.clone(),
            config,
            _dir: dir,
            _database: None,
        }
    }

    fn postgres(admin_url: &str) -> Self {
        let database = Database::create(admin_url);
        let dir = tempfile::tempdir().expect("a temp dir");
        // PostgreSQL has no place beside the database for a key file.
        let key_file = dir.path().join("secret.key");
        let key = acctd::secrets::new_key_line();
        std::fs::write(&key_file, format!("{}\n", key.expose_secret())).expect("a key file");
        let config = Config::for_tests()
            .with_database(database.url.clone())
            .with_secret_key_file(&key_file);
        Self {
            engine: Engine::Postgres,
            url: database.url.clone(),
            config,
            _dir: dir,
            _database: Some(database),
        }
    }

    async fn open(&self) -> AnyConnection {
        AnyConnection::connect(&self.url).await.expect("opens")
    }
}

/// Inserts the rows `first..first + rows` into `table`, `BATCH` a
/// statement, each made by the SQL `values` of the row's number `i`.
async fn fill(
    target: &Target,
    table: &str,
    values: &[(&str, String)],
    rows: usize,
    own: Option<&str>,
) {
    let started = Instant::now();
    let mut db = target.open().await;
    let mut tx = db.begin().await.expect("a transaction");
    let columns: Vec<&str> = values.iter().map(|(column, _)| *column).collect();
    let values: Vec<&str> = values.iter().map(|(_, value)| value.as_str()).collect();
    for first in (0..rows).step_by(BATCH) {
        let last = first + BATCH.min(rows - first) - 1;
        let sql = format!(
            "{} INSERT INTO {table} ({}) SELECT {} FROM s",
            target.engine.series(first, last),
            columns.join(", "),
            values.join(", "),
        );
        let mut query = sqlx::query(&sql);
        if let Some(own) = own {
            query = query.bind(own);
        }
        query.execute(&mut *tx).await.expect("rows go in");
    }
    tx.commit().await.expect("committed");
    db.close().await.expect("closed");
    eprintln!(
        "{}: {rows} rows into {table} in {:.0?}",
        target.engine.name(),
        started.elapsed()
    );
}

const NOW: i64 = 1_750_000_000_000;

/// The values of a security event (SQL expressions of the row's `i`):
/// `user`'s `nth`, a second apart, of four kinds in turn. Ids are hex and
/// dashes, as the log's cursors require.
fn event(id: String, user: String, nth: &str) -> [(&'static str, String); 6] {
    [
        ("id", id),
        ("user_id", user),
        (
            "kind",
            format!(
                "CASE {nth} % 4 WHEN 0 THEN 'login_succeeded' WHEN 1 THEN 'login_failed' \
                 WHEN 2 THEN 'profile_updated' ELSE 'password_changed' END"
            ),
        ),
        ("at", format!("{NOW} - {nth} * 1000")),
        ("ip", "'198.51.100.7'".into()),
        ("device_name", "'Firefox on Linux'".into()),
    ]
}

/// `count` events of the measured account itself (bound as `$1`).
async fn own_events(target: &Target, own_id: &str, tag: u32, count: usize) {
    let id = format!("'{tag:x}-{:x}-' || {}", usize::MAX, target.engine.hex("i"));
    let values = event(id, "$1".into(), "i");
    fill(target, "security_events", &values, count, Some(own_id)).await;
}

async fn grow(target: &Target) {
    let engine = target.engine;
    let users = [
        ("id", "'scale-' || i".to_string()),
        ("email", "'user' || i || '@scale.example'".into()),
        ("email_norm", "'user' || i || '@scale.example'".into()),
        // SQLite reads FALSE as 0, its flags' spelling.
        ("email_verified", "FALSE".into()),
        ("name", "'User ' || i".into()),
        ("name_norm", "'user ' || i".into()),
        ("password_hash", "'-'".into()),
        ("created_at", format!("{NOW} - i")),
        ("updated_at", format!("{NOW} - i")),
    ];
    fill(target, "users", &users, USERS, None).await;
    // Event i is the (i / USERS)th of account i % USERS: ten each, and
    // the accounts' events interleaved as they would be written.
    let (account, nth) = (format!("(i % {USERS})"), format!("(i / {USERS})"));
    let id = format!(
        "'a-' || {} || '-' || {}",
        engine.hex(&account),
        engine.hex(&nth)
    );
    let values = event(id, format!("'scale-' || {account}"), &nth);
    fill(target, "security_events", &values, EVENTS, None).await;
    let started = Instant::now();
    let mut db = target.open().await;
    sqlx::query(engine.settle())
        .execute(&mut db)
        .await
        .expect("analysed");
    db.close().await.expect("closed");
    eprintln!(
        "{}: {} in {:.0?}",
        engine.name(),
        engine.settle(),
        started.elapsed()
    );
}

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

/// A database of its own on the cluster, dropped afterwards (by `psql`, as
/// `benches/report/postgres.rs` does, so that it goes even when a run
/// panics half-way).
struct Database {
    admin_url: String,
    name: String,
    url: String,
}

impl Database {
    fn create(admin_url: &str) -> Self {
        let name = format!("acctd_scale_{}", std::process::id());
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
