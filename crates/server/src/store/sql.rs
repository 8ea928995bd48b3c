//! A query put together piece by piece, with `$n` placeholders.
//!
//! sqlx's `QueryBuilder<Any>` writes `?`, which SQLite takes and
//! PostgreSQL does not; `$n` is what both engines read.

use std::fmt::{Display, Write as _};

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, Arguments as _, Encode, FromRow, Type};

pub(crate) struct Sql<'args> {
    sql: String,
    arguments: AnyArguments<'args>,
    bound: usize,
}

impl<'args> Sql<'args> {
    pub(crate) fn new(init: impl Into<String>) -> Self {
        Self {
            sql: init.into(),
            arguments: AnyArguments::default(),
            bound: 0,
        }
    }

    pub(crate) fn push(&mut self, sql: impl Display) -> &mut Self {
        let _ = write!(self.sql, "{sql}");
        self
    }

    /// Appends `$n` and binds `value` to it. (Encoding into `Any` only
    /// stores the value; were it to fail, the statement would be short of
    /// a parameter and the database would refuse it.)
    pub(crate) fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + Encode<'args, Any> + Type<Any>,
    {
        self.bound += 1;
        let _ = write!(self.sql, "${}", self.bound);
        let _ = self.arguments.add(value);
        self
    }

    /// ` AND (a, b) <op> ($n, $m)`: the rows past a keyset cursor, e.g.
    /// `("at, id", "<", at, id)` after a page in `ORDER BY at DESC, id DESC`.
    /// A row comparison rather than `a < $n OR (a = $n AND b < $m)`:
    /// PostgreSQL takes only this form as a bound of the index range. The
    /// OR it planned as a bitmap of every matching row, sorted, or as a walk
    /// from the first row skipping all before the cursor (BENCHMARKS.md,
    /// the security log at 100,000 events); SQLite bounds the range either
    /// way.
    pub(crate) fn push_past<A, B>(&mut self, columns: &str, op: &str, a: A, b: B) -> &mut Self
    where
        A: 'args + Encode<'args, Any> + Type<Any>,
        B: 'args + Encode<'args, Any> + Type<Any>,
    {
        self.push(format!(" AND ({columns}) {op} ("))
            .push_bind(a)
            .push(", ")
            .push_bind(b)
            .push(")")
    }

    pub(crate) fn build<'q>(&'q mut self) -> Query<'q, Any, AnyArguments<'q>> {
        sqlx::query_with(&self.sql, std::mem::take(&mut self.arguments))
    }

    pub(crate) fn build_query_as<'q, T>(&'q mut self) -> QueryAs<'q, Any, T, AnyArguments<'q>>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        sqlx::query_as_with(&self.sql, std::mem::take(&mut self.arguments))
    }

    pub(crate) fn build_query_scalar<'q, T>(
        &'q mut self,
    ) -> QueryScalar<'q, Any, T, AnyArguments<'q>>
    where
        (T,): for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        sqlx::query_scalar_with(&self.sql, std::mem::take(&mut self.arguments))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered() {
        let mut sql = Sql::new("SELECT a FROM t WHERE b = ");
        sql.push_bind(1_i64).push(" AND c = ").push_bind("x");
        assert_eq!(sql.sql, "SELECT a FROM t WHERE b = $1 AND c = $2");
        sql.push_past("at, id", "<", 5_i64, "e");
        assert_eq!(
            sql.sql,
            "SELECT a FROM t WHERE b = $1 AND c = $2 AND (at, id) < ($3, $4)"
        );
    }
}
