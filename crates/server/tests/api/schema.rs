//! The SQLite and PostgreSQL migrations are written twice, one file per
//! engine and version: this holds them to the same tables and columns.

use std::collections::BTreeSet;

use acctd::config::PoolSettings;
use sqlx::{Connection as _, PgConnection, SqliteConnection};

use crate::common::engine::{TestDatabase, cluster};

type Columns = BTreeSet<(String, String)>;

async fn postgres_columns(url: &str) -> Columns {
    let mut db = PgConnection::connect(url).await.expect("connects");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut db)
    .await
    .expect("the columns");
    rows.into_iter().collect()
}

async fn sqlite_columns(url: &str) -> Columns {
    let mut db = SqliteConnection::connect(url).await.expect("opens");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
         AND m.name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut db)
    .await
    .expect("the columns");
    rows.into_iter().collect()
}

#[tokio::test]
async fn both_engines_end_with_the_same_tables_and_columns() {
    let Some(cluster) = cluster("schema of both engines") else {
        return;
    };
    let settings = PoolSettings::default();
    let pg = TestDatabase::create(&cluster).await;
    acctd::migrate(&pg.url, &settings)
        .await
        .expect("PostgreSQL migrates");
    let dir = tempfile::tempdir().expect("a temp dir");
    let lite = format!("sqlite://{}", dir.path().join("schema.db").display());
    acctd::migrate(&lite, &settings)
        .await
        .expect("SQLite migrates");

    let (pg_columns, lite_columns) = (postgres_columns(&pg.url).await, sqlite_columns(&lite).await);
    assert!(lite_columns.len() > 20, "{lite_columns:?}");
    let only_pg: Vec<_> = pg_columns.difference(&lite_columns).collect();
    let only_lite: Vec<_> = lite_columns.difference(&pg_columns).collect();
    assert!(
        only_pg.is_empty() && only_lite.is_empty(),
        "only on PostgreSQL: {only_pg:?}\nonly on SQLite: {only_lite:?}"
    );
}
