//! A database of a test's own that several servers (or restarts) share.

use acctd::Config;
use sqlx::{AnyConnection, Connection as _};

use super::engine::{TestDatabase, cluster, on_postgres};
use super::manual_clock;

/// A database of this test's own (a SQLite file, or PostgreSQL on such a
/// run) and a directory for key files.
pub struct Place {
    pub dir: tempfile::TempDir,
    pub url: String,
    _database: Option<TestDatabase>,
}

impl Place {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        if on_postgres() {
            let cluster = cluster("a shared database").expect("a cluster on a PostgreSQL run");
            let database = TestDatabase::create(&cluster).await;
            return Self {
                url: database.url.clone(),
                dir,
                _database: Some(database),
            };
        }
        let url = format!("sqlite://{}", dir.path().join("acctd.db").display());
        Self {
            dir,
            url,
            _database: None,
        }
    }

    /// Defaults on this database, with a manual clock.
    pub fn config(&self) -> Config {
        Config::for_tests()
            .with_clock(manual_clock())
            .with_database(self.url.clone())
    }

    /// A connection to the database itself, around the server.
    pub async fn raw(&self) -> AnyConnection {
        sqlx::any::install_default_drivers();
        AnyConnection::connect(&self.url).await.expect("opened")
    }
}
