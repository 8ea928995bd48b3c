//! Which engine the tests' servers run on. By default SQLite in memory;
//! with `ACCTD_TEST_ENGINE=postgres` every server started through
//! [`super::Harness`] gets a PostgreSQL database of its own, created here
//! and dropped when the harness goes, on the cluster `ACCTD_TEST_POSTGRES`
//! names (`.ci/postgres start` prints one). Outside CI, tests that need
//! PostgreSQL skip with a message when it is not there; in CI they fail.

use sqlx::{Connection as _, PgConnection};

/// The admin URL of a cluster the tests may create databases on.
pub const CLUSTER_VAR: &str = "ACCTD_TEST_POSTGRES";
/// `postgres` runs every harnessed test on PostgreSQL.
pub const ENGINE_VAR: &str = "ACCTD_TEST_ENGINE";

/// Whether harnessed servers run on PostgreSQL in this run.
pub fn on_postgres() -> bool {
    std::env::var(ENGINE_VAR).is_ok_and(|engine| engine == "postgres")
}

/// The cluster's admin URL; `None` (after saying so) when there is none
/// outside CI. In CI, or when the suite was asked to run on PostgreSQL,
/// a missing cluster fails the test.
pub fn cluster(test: &str) -> Option<String> {
    match std::env::var(CLUSTER_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() || on_postgres() => {
            panic!(
                "{test}: {CLUSTER_VAR} is not set; CI must provide PostgreSQL (.ci/postgres start)"
            )
        }
        _ => {
            eprintln!(
                "skipped {test}: no PostgreSQL ({CLUSTER_VAR} unset; see .ci/postgres start)"
            );
            None
        }
    }
}

/// A database of its own on the test cluster, dropped (with whatever is
/// still connected to it) when this goes.
pub struct TestDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl TestDatabase {
    pub async fn create(admin_url: &str) -> Self {
        let name = format!("acctd_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(admin_url)
            .await
            .expect("the test cluster answers");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("CREATE DATABASE");
        let _ = admin.close().await;
        let mut url = reqwest::Url::parse(admin_url).expect("a URL");
        url.set_path(&name);
        Self {
            admin_url: admin_url.to_string(),
            name,
            url: url.to_string(),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop cannot await, and may run inside a runtime: a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await?;
                sqlx::query(&sql).execute(&mut admin).await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop the test database {}", self.name);
        }
    }
}

/// `config`, on PostgreSQL with no key file of its own, with the one key
/// file every server of this test process shares (as instances do).
pub fn with_shared_key(config: acctd::Config) -> acctd::Config {
    let automatic = config.secret_keys == acctd::secrets::KeySource::Automatic;
    if !automatic || !config.database_url.starts_with("postgres") {
        return config;
    }
    static KEYS: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = KEYS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp dir");
        let line = acctd::secrets::new_key_line();
        let text = format!("{}\n", secrecy::ExposeSecret::expose_secret(&line));
        std::fs::write(dir.path().join("secret.key"), text).expect("a key file");
        dir
    });
    config.with_secret_key_file(dir.path().join("secret.key"))
}
