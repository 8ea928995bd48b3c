//! Filling a database with a million accounts and ten million events, in
//! the SQL of either engine.

use std::time::Instant;

use sqlx::Connection as _;

use super::target::Target;
use super::{EVENTS, USERS};

/// Rows per INSERT statement: a statement's work (and PostgreSQL's queue
/// of foreign-key checks) stays bounded, and progress shows.
const BATCH: usize = 1_000_000;

/// The database engines the bench runs on; what differs between them is
/// only how a series of numbers is made and how a number is written in hex.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }

    /// A `WITH` clause naming `s(i)`: the numbers `first..=last`.
    pub fn series(self, first: usize, last: usize) -> String {
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
    pub fn hex(self, number: &str) -> String {
        match self {
            Self::Sqlite => format!("printf('%x', {number})"),
            Self::Postgres => format!("to_hex({number})"),
        }
    }

    /// What settles the planner's (and PostgreSQL's visibility map's)
    /// view of the new rows, as time and autovacuum would.
    pub fn settle(self) -> &'static str {
        match self {
            Self::Sqlite => "ANALYZE",
            Self::Postgres => "VACUUM ANALYZE",
        }
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
pub async fn own_events(target: &Target, own_id: &str, tag: u32, count: usize) {
    let id = format!("'{tag:x}-{:x}-' || {}", usize::MAX, target.engine.hex("i"));
    let values = event(id, "$1".into(), "i");
    fill(target, "security_events", &values, count, Some(own_id)).await;
}

pub async fn grow(target: &Target) {
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
