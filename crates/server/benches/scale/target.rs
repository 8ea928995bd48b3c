//! The database one run fills: a SQLite file, or a PostgreSQL database of
//! its own.

use acctd::Config;
use secrecy::ExposeSecret as _;
use sqlx::{AnyConnection, Connection as _};

use super::fill::Engine;
use super::postgres_database::Database;

/// The database one run fills: where it is, and what goes with it.
pub struct Target {
    pub engine: Engine,
    pub url: String,
    pub config: Config,
    /// The SQLite file or the key file; removed with the run.
    _dir: tempfile::TempDir,
    /// PostgreSQL's database, dropped with the run.
    _database: Option<Database>,
}

impl Target {
    pub fn sqlite() -> Self {
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

    pub fn postgres(admin_url: &str) -> Self {
        let database = Database::create(admin_url, "acctd_scale");
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

    pub async fn open(&self) -> AnyConnection {
        AnyConnection::connect(&self.url).await.expect("opens")
    }
}
