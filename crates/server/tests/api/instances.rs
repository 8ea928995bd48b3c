//! Several acctd instances on one PostgreSQL database: revocation and the
//! sign-in limit hold across them, migrations started at once are safe,
//! due work is done once, an export a stopped instance left is finished by
//! another, and `acctd copy-data` moves a SQLite deployment over. Skipped
//! (with a message) outside CI when there is no PostgreSQL.

use crate::common;

use std::time::Duration;

use acctd::Config;
use acctd::config::PoolSettings;
use acctl_api::privacy::DataExport;
use acctl_api::{Session, paths};
use common::engine::{TestDatabase, cluster};
use common::{Harness, PASSWORD, expect_problem, manual_clock, send};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Two servers on one fresh PostgreSQL database, each with its own
/// manual clock (moved together by [`Pair::advance`]).
struct Pair {
    a: Harness,
    b: Harness,
    database: TestDatabase,
}

impl Pair {
    async fn start(test: &str) -> Option<Self> {
        let cluster = cluster(test)?;
        let database = TestDatabase::create(&cluster).await;
        let config = || {
            Config::for_tests()
                .with_clock(manual_clock())
                .with_dev(true)
                // Renewals only when a test asks (run_billing).
                .with_billing_every(Duration::from_secs(3600))
                .with_database(database.url.clone())
        };
        let a = Harness::start_with(config()).await;
        let b = Harness::start_with(config()).await;
        Some(Self { a, b, database })
    }

    fn advance(&self, by: Duration) {
        self.a.advance(by);
        self.b.advance(by);
    }
}

#[tokio::test]
async fn a_session_revoked_through_one_instance_is_refused_at_once_by_the_other() {
    let Some(pair) = Pair::start("revocation across instances").await else {
        return;
    };
    let first = pair.a.signup("ann@example.com", "Ann").await;
    let laptop = pair.a.login("ann@example.com", "laptop").await;
    let me = pair.a.get(paths::ME, laptop.access_token.expose()).await;
    assert_eq!(me.status(), StatusCode::OK);

    let owner = first.access_token.expose();
    let listed: Vec<Session> =
        serde_json::from_value(pair.b.get_json(paths::SESSIONS, owner).await["items"].clone())
            .expect("sessions");
    let id = &listed
        .iter()
        .find(|s| s.device_name == "laptop")
        .expect("the laptop's session")
        .id;
    let revoked = pair
        .b
        .delete(&format!("{}/{id}", paths::SESSIONS), owner)
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);

    let refused = pair.a.get(paths::ME, laptop.access_token.expose()).await;
    expect_problem(refused, "session_revoked").await;
}

#[tokio::test]
async fn failed_sign_ins_spread_over_two_instances_are_limited_as_one() {
    let Some(pair) = Pair::start("login limit across instances").await else {
        return;
    };
    pair.a.signup("bob@example.com", "Bob").await;
    // Five failures allowed per email (the default), three here, two there.
    for (server, attempt) in [
        (&pair.a, 1),
        (&pair.b, 2),
        (&pair.a, 3),
        (&pair.b, 4),
        (&pair.a, 5),
    ] {
        let wrong = server
            .login_as("bob@example.com", "wrong password", "x")
            .await;
        assert_eq!(
            wrong.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    for server in [&pair.a, &pair.b] {
        let right = server.login_as("bob@example.com", PASSWORD, "x").await;
        expect_problem(right, "rate_limited").await;
    }
    pair.advance(Duration::from_secs(15 * 60 + 1));
    let later = pair.b.login_as("bob@example.com", PASSWORD, "x").await;
    assert_eq!(later.status(), StatusCode::OK);
}

#[tokio::test]
async fn instances_migrating_at_once_take_turns() {
    let Some(cluster) = cluster("concurrent migrations") else {
        return;
    };
    let database = TestDatabase::create(&cluster).await;
    let settings = PoolSettings::default();
    let runs = (0..4).map(|_| acctd::migrate(&database.url, &settings));
    for run in futures::future::join_all(runs).await {
        run.expect("every instance's migration run succeeds");
    }
    let h = Harness::start_with(Config::for_tests().with_database(database.url.clone())).await;
    let ready = h.http.get(h.url("/readyz")).send().await.expect("sent");
    assert_eq!(ready.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_due_deletion_is_purged_once_whatever_the_number_of_instances() {
    let Some(pair) = Pair::start("purge once").await else {
        return;
    };
    let pair_tokens = pair.a.signup("cy@example.com", "Cy").await;
    let body = json!({"password": PASSWORD, "confirmation": "DELETE"});
    let token = pair_tokens.access_token.expose();
    let scheduled = send(&pair.a, Method::POST, paths::DELETION, token, body).await;
    assert_eq!(scheduled.status(), StatusCode::ACCEPTED);
    pair.advance(Duration::from_secs(31 * 24 * 3600));
    let (a, b) = tokio::join!(pair.a.server.purge_due(), pair.b.server.purge_due());
    assert_eq!(a.expect("purge a") + b.expect("purge b"), 1);
    let gone = pair.b.login_as("cy@example.com", PASSWORD, "x").await;
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_due_renewal_is_invoiced_once_whatever_the_number_of_instances() {
    let Some(pair) = Pair::start("renewal once").await else {
        return;
    };
    let token = common::billing::signed_up(&pair.a, "fay@example.com").await;
    common::billing::add_card(&pair.a, &token).await;
    common::billing::change_ok(&pair.a, &token, "pro", "month").await;
    let before = common::billing::all_invoices(&pair.a, &token).await.len();
    pair.advance(Duration::from_secs(32 * 24 * 3600));
    let (a, b) = tokio::join!(pair.a.server.run_billing(), pair.b.server.run_billing());
    assert_eq!(a.expect("renewals a") + b.expect("renewals b"), 1);
    let token = pair.b.login("fay@example.com", "later").await.access_token;
    let after = common::billing::all_invoices(&pair.b, token.expose())
        .await
        .len();
    assert_eq!(after, before + 1);
}

#[tokio::test]
async fn an_export_left_running_by_a_stopped_instance_is_finished_by_another() {
    let Some(pair) = Pair::start("export take-over").await else {
        return;
    };
    let token = pair.a.signup("di@example.com", "Di").await.access_token;
    let token = token.expose();
    let started = send(&pair.a, Method::POST, paths::EXPORTS, token, json!({})).await;
    assert_eq!(started.status(), StatusCode::ACCEPTED);
    let job: DataExport = started.json().await.expect("job");
    wait_until_ready(&pair.b, token, &job.id).await;
    // What an instance killed at 40% leaves behind: a running job, half
    // done, whose lease is running out.
    let db = sqlx::PgPool::connect(&pair.database.url)
        .await
        .expect("database");
    sqlx::query(
        "UPDATE data_exports SET status = 'running', progress_percent = 40, document = NULL,
           ready_at = NULL, expires_at = NULL, size_bytes = NULL, lease_until = $1
         WHERE id = $2",
    )
    .bind(pair.b.clock.now_ms() + 1_000)
    .bind(job.id.to_string())
    .execute(&db)
    .await
    .expect("job rewound");
    db.close().await;
    drop(pair.a);
    pair.b.advance(Duration::from_secs(2));
    wait_until_ready(&pair.b, token, &job.id).await;
}

/// Polls the export through `h` until it is ready (the take-over loop
/// runs every few seconds).
async fn wait_until_ready(h: &Harness, token: &str, id: &impl std::fmt::Display) {
    let path = format!("{}/{id}", paths::EXPORTS);
    for _ in 0..200 {
        let job: DataExport = serde_json::from_value(h.get_json(&path, token).await).expect("job");
        if job.status == acctl_api::privacy::ExportStatus::Ready {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the export {id} never became ready");
}

#[tokio::test]
async fn copy_data_moves_a_sqlite_deployment_over_and_refuses_a_full_target() {
    let Some(cluster) = cluster("copy-data") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("acctd.db");
    let old = Harness::start_with(Config::for_tests().with_database_file(&file)).await;
    let token = old.signup("eve@example.com", "Eve").await.access_token;
    let token = token.expose();
    old.login("eve@example.com", "phone").await;
    let shared = json!({"data_sharing": true, "profile_visibility": "public"});
    let changed = send(&old, Method::PATCH, paths::PRIVACY, token, shared).await;
    assert_eq!(changed.status(), StatusCode::OK);
    old.server.shutdown().await;

    let database = TestDatabase::create(&cluster).await;
    let from = format!("sqlite://{}", file.display());
    let report = acctd::copy_data(&from, &database.url)
        .await
        .expect("copied");
    let rows = |table: &str| {
        report
            .tables
            .iter()
            .find(|(t, _)| t == table)
            .map(|(_, n)| *n)
    };
    assert_eq!(rows("users"), Some(1));
    assert_eq!(rows("sessions"), Some(2));
    assert_eq!(rows("privacy_settings"), Some(1));
    assert!(report.sampled >= 4, "{report}");

    let new = Harness::start_with(Config::for_tests().with_database(database.url.clone())).await;
    let signed_in = new.login("eve@example.com", "laptop").await.access_token;
    let privacy = new.get_json(paths::PRIVACY, signed_in.expose()).await;
    assert_eq!(privacy["data_sharing"], true);
    assert_eq!(privacy["analytics"], false);
    assert_eq!(privacy["profile_visibility"], "public");

    let again = acctd::copy_data(&from, &database.url)
        .await
        .expect_err("refused");
    assert!(again.to_string().contains("already holds data"), "{again}");
}

#[tokio::test]
async fn acctd_migrate_prepares_a_database_serve_finds_ready() {
    let Some(cluster) = cluster("acctd migrate") else {
        return;
    };
    let database = TestDatabase::create(&cluster).await;
    let migrate = tokio::process::Command::new(env!("CARGO_BIN_EXE_acctd"))
        .args(["migrate", "--database", &database.url])
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("acctd runs");
    assert!(migrate.status.success(), "{migrate:?}");
    let said = String::from_utf8_lossy(&migrate.stdout);
    assert!(
        said.starts_with("Migrations applied to postgres://"),
        "{said}"
    );
    let db = sqlx::PgPool::connect(&database.url)
        .await
        .expect("database");
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN ('users', 'login_failures')",
    )
    .fetch_one(&db)
    .await
    .expect("counted");
    assert_eq!(tables, 2);
    db.close().await;
}
