//! `acctd copy-data`: every row of one database into an empty PostgreSQL
//! one, in a single transaction, then counts and a sample compared.
//!
//! The target's schema (after its migrations) says which tables and
//! columns there are and what type each holds; the source is read by
//! those names, so both must be at the same schema version (both are
//! migrated first).

use std::fmt;

use anyhow::{Context, bail, ensure};
use futures::TryStreamExt as _;
use sqlx::{AnyConnection, Row, any::AnyRow};

use super::sql::Sql;
use super::{Engine, Flag, Store};
use crate::config::{PoolSettings, redact_url};

/// Tables in an order that satisfies every foreign key; tables a later
/// migration adds and this list lacks are copied after these.
const ORDER: &[&str] = &[
    "users",
    "sessions",
    "access_tokens",
    "refresh_tokens",
    "security_events",
    "totp_factors",
    "recovery_codes",
    "email_changes",
    "mfa_challenges",
    "outbox",
    "avatars",
    "preferences",
    "notification_settings",
    "notifications",
    "privacy_settings",
    "data_exports",
    "deletions",
    "subscriptions",
    "payment_methods",
    "invoices",
    "invoice_lines",
    "checkout_tokens",
    "login_failures",
    "password_resets",
    "admin_audit",
];

/// Rows per INSERT.
const BATCH: usize = 200;
/// Rows per table looked up again in the target after the copy.
const SAMPLE: i64 = 50;

/// What was copied.
#[derive(Debug, Default)]
pub struct CopyReport {
    pub tables: Vec<(String, u64)>,
    pub sampled: u64,
}

impl fmt::Display for CopyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (table, rows) in &self.tables {
            writeln!(f, "{table}: {rows} rows")?;
        }
        let total: u64 = self.tables.iter().map(|(_, rows)| rows).sum();
        writeln!(
            f,
            "Copied {total} rows; counts match in every table and {} sampled rows are identical.",
            self.sampled
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Flag,
    Bytes,
}

#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    Flag(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

impl Cell {
    fn is_null(&self) -> bool {
        matches!(
            self,
            Self::Text(None) | Self::Int(None) | Self::Flag(None) | Self::Bytes(None)
        )
    }
}

fn bind(query: &mut Sql<'_>, cell: Cell) {
    match cell {
        Cell::Text(v) => query.push_bind(v),
        Cell::Int(v) => query.push_bind(v),
        Cell::Flag(v) => query.push_bind(v),
        Cell::Bytes(v) => query.push_bind(v),
    };
}

struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
}

impl Table {
    fn select(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|(name, _)| name.as_str()).collect();
        format!("SELECT {} FROM {}", names.join(", "), self.name)
    }
}

pub async fn copy_data(from: &str, to: &str) -> anyhow::Result<CopyReport> {
    ensure!(
        Engine::of_url(to)? == Engine::Postgres,
        "copy-data fills a PostgreSQL database; --to {} is not one",
        redact_url(to)
    );
    let settings = PoolSettings::default();
    let source = Store::connect(from, &settings).await?;
    let target = Store::connect(to, &settings).await?;
    let tables = target_tables(&target).await?;
    refuse_non_empty(&target, &tables, to).await?;
    let mut report = CopyReport::default();
    let mut tx = target.pool.begin().await?;
    let mut reader = source.pool.acquire().await?;
    for table in &tables {
        let rows = copy_table(&mut reader, &mut tx, table)
            .await
            .with_context(|| format!("cannot copy the table {}", table.name))?;
        report.tables.push((table.name.clone(), rows));
    }
    tx.commit().await?;
    // Back to the pool before closing it: closing waits for every
    // connection lent out, so one still held here would wait forever.
    drop(reader);
    for table in &tables {
        report.sampled += compare(&source, &target, table).await?;
    }
    source.close().await;
    target.close().await;
    Ok(report)
}

/// The target's tables in foreign-key order, with their columns' types.
async fn target_tables(target: &Store) -> anyhow::Result<Vec<Table>> {
    let mut names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
           AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&target.pool)
    .await?;
    names.sort_by_key(|name| {
        let known = ORDER.iter().position(|known| known == name);
        (known.unwrap_or(ORDER.len()), name.clone())
    });
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        let typed: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1
             ORDER BY ordinal_position",
        )
        .bind(&name)
        .fetch_all(&target.pool)
        .await?;
        let columns = typed
            .into_iter()
            .map(|(column, ty)| Ok((column, kind_of(&name, &ty)?)))
            .collect::<anyhow::Result<_>>()?;
        tables.push(Table { name, columns });
    }
    Ok(tables)
}

fn kind_of(table: &str, ty: &str) -> anyhow::Result<Kind> {
    Ok(match ty {
        "text" => Kind::Text,
        "bigint" | "integer" | "smallint" => Kind::Int,
        "boolean" => Kind::Flag,
        "bytea" => Kind::Bytes,
        other => bail!("the column type {other} of {table} is not one copy-data knows"),
    })
}

async fn refuse_non_empty(target: &Store, tables: &[Table], url: &str) -> anyhow::Result<()> {
    for table in tables {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", table.name))
            .fetch_one(&target.pool)
            .await?;
        if rows > 0 {
            bail!(
                "the target {} already holds data ({} has {rows} rows); copy-data only \
                 fills an empty database: create a new one and run copy-data again",
                redact_url(url),
                table.name
            );
        }
    }
    Ok(())
}

async fn copy_table(
    source: &mut AnyConnection,
    target: &mut AnyConnection,
    table: &Table,
) -> anyhow::Result<u64> {
    let select = table.select();
    let mut rows = sqlx::query(&select).fetch(&mut *source);
    let mut batch = Vec::with_capacity(BATCH);
    let mut copied = 0;
    while let Some(row) = rows.try_next().await? {
        batch.push(cells(&row, &table.columns)?);
        if batch.len() == BATCH {
            copied += insert(target, table, &batch).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        copied += insert(target, table, &batch).await?;
    }
    Ok(copied)
}

fn cells(row: &AnyRow, columns: &[(String, Kind)]) -> Result<Vec<Cell>, sqlx::Error> {
    columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            Ok(match kind {
                Kind::Text => Cell::Text(row.try_get(i)?),
                Kind::Int => Cell::Int(row.try_get(i)?),
                Kind::Flag => Cell::Flag(row.try_get::<Option<Flag>, _>(i)?.map(bool::from)),
                Kind::Bytes => Cell::Bytes(row.try_get(i)?),
            })
        })
        .collect()
}

async fn insert(
    target: &mut AnyConnection,
    table: &Table,
    rows: &[Vec<Cell>],
) -> anyhow::Result<u64> {
    let names: Vec<&str> = table
        .columns
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    let mut insert = Sql::new(format!(
        "INSERT INTO {} ({}) VALUES ",
        table.name,
        names.join(", ")
    ));
    for (r, row) in rows.iter().enumerate() {
        insert.push(if r == 0 { "(" } else { ", (" });
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                insert.push(", ");
            }
            bind(&mut insert, cell.clone());
        }
        insert.push(")");
    }
    Ok(insert.build().execute(target).await?.rows_affected())
}

/// Counts equal, and the first [`SAMPLE`] source rows found in the target
/// cell for cell; how many rows were looked up.
async fn compare(source: &Store, target: &Store, table: &Table) -> anyhow::Result<u64> {
    let count = format!("SELECT COUNT(*) FROM {}", table.name);
    let from: i64 = sqlx::query_scalar(&count).fetch_one(&source.pool).await?;
    let to: i64 = sqlx::query_scalar(&count).fetch_one(&target.pool).await?;
    ensure!(
        from == to,
        "{}: {from} rows in the source but {to} in the target",
        table.name
    );
    let sample = sqlx::query(&format!("{} LIMIT {SAMPLE}", table.select()))
        .fetch_all(&source.pool)
        .await?;
    for row in &sample {
        let cells = cells(row, &table.columns)?;
        ensure!(
            found(target, table, &cells).await?,
            "{}: a copied row differs from its source",
            table.name
        );
    }
    Ok(sample.len() as u64)
}

async fn found(target: &Store, table: &Table, cells: &[Cell]) -> anyhow::Result<bool> {
    let mut query = Sql::new(format!("SELECT COUNT(*) FROM {} WHERE TRUE", table.name));
    for ((name, _), cell) in table.columns.iter().zip(cells) {
        query.push(format!(" AND {name}"));
        if cell.is_null() {
            query.push(" IS NULL");
        } else {
            query.push(" = ");
            bind(&mut query, cell.clone());
        }
    }
    let matching: i64 = query.build_query_scalar().fetch_one(&target.pool).await?;
    Ok(matching > 0)
}
