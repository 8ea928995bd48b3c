//! Finding accounts for administrators: prefix search on the email and
//! the name, each walked by its index in key order with a keyset cursor
//! (never OFFSET), and what one account's detail shows.

use acctl_api::admin::AccountStatus;
use sqlx::FromRow;

use super::sql::Sql;
use super::{Flag, Store, limit_plus_one};

/// One account as the search lists it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AdminUserRow {
    pub id: String,
    pub email: String,
    pub email_norm: String,
    pub name: String,
    pub name_norm: String,
    #[sqlx(try_from = "Flag")]
    pub is_admin: bool,
    pub disabled_at: Option<i64>,
    #[sqlx(try_from = "Flag")]
    pub mfa_enabled: bool,
    #[sqlx(try_from = "Flag")]
    pub deletion_scheduled: bool,
    /// The newest `login_succeeded` in the log (sessions are pruned once
    /// they end; the log keeps an account's newest 1,000 events).
    pub last_sign_in_at: Option<i64>,
    pub created_at: i64,
}

impl AdminUserRow {
    pub fn status(&self) -> AccountStatus {
        status_of(self.disabled_at, self.deletion_scheduled)
    }
}

/// Disabled wins over a scheduled deletion: it is what stops sign-ins.
pub fn status_of(disabled_at: Option<i64>, deletion_scheduled: bool) -> AccountStatus {
    match (disabled_at, deletion_scheduled) {
        (Some(_), _) => AccountStatus::Disabled,
        (None, true) => AccountStatus::DeletionScheduled,
        (None, false) => AccountStatus::Active,
    }
}

/// Where a page of results starts. Matches of the email come first (in
/// `email_norm` order, which is unique), then matches of the name only
/// (in `name_norm, id` order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchCursor {
    AfterEmail(String),
    AfterName { name_norm: String, id: String },
}

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct UserSearch {
    /// Lower-cased prefix of the email or the name; every account when None.
    pub prefix: Option<String>,
    pub status: Option<AccountStatus>,
    pub mfa: Option<bool>,
}

const ROW_COLUMNS: &str = "u.id, u.email, u.email_norm, u.name, u.name_norm, u.is_admin, \
     u.disabled_at, \
     EXISTS (SELECT 1 FROM totp_factors t \
       WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS mfa_enabled, \
     EXISTS (SELECT 1 FROM deletions d WHERE d.user_id = u.id) AS deletion_scheduled, \
     (SELECT e.at FROM security_events e \
       WHERE e.user_id = u.id AND e.kind = 'login_succeeded' \
       ORDER BY e.at DESC, e.id DESC LIMIT 1) AS last_sign_in_at, \
     u.created_at";

/// The first string after every string that starts with `prefix`: the
/// prefix with its last character one higher. None when there is none
/// (every character already the highest), so the range is open-ended.
pub fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = u32::from(last) + 1;
        if (0xD800..0xE000).contains(&next) {
            next = 0xE000; // past the surrogates, which are no characters
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

impl Store {
    /// A page of accounts matching `search` after `cursor`, and whether
    /// more follow. Each step is one index range walk with a LIMIT.
    pub async fn search_users(
        &self,
        search: &UserSearch,
        limit: u32,
        cursor: Option<&SearchCursor>,
    ) -> Result<(Vec<AdminUserRow>, Option<SearchCursor>), sqlx::Error> {
        let mut rows = Vec::new();
        if !matches!(cursor, Some(SearchCursor::AfterName { .. })) {
            let after = match cursor {
                Some(SearchCursor::AfterEmail(email)) => Some(email.as_str()),
                _ => None,
            };
            rows = self.by_email(search, after, limit_plus_one(limit)).await?;
            if rows.len() > limit as usize {
                rows.truncate(limit as usize);
                let last = rows.last().map(|r| r.email_norm.clone());
                return Ok((rows, last.map(SearchCursor::AfterEmail)));
            }
            if search.prefix.is_none() {
                return Ok((rows, None));
            }
        }
        let after = match cursor {
            Some(SearchCursor::AfterName { name_norm, id }) => {
                Some((name_norm.as_str(), id.as_str()))
            }
            _ => None,
        };
        let room = limit as usize - rows.len();
        let mut names = self
            .by_name(search, after, i64::try_from(room + 1).unwrap_or(i64::MAX))
            .await?;
        let more = names.len() > room;
        names.truncate(room);
        let next = match (more, names.last(), rows.last()) {
            (false, _, _) => None,
            (true, Some(last), _) => Some(SearchCursor::AfterName {
                name_norm: last.name_norm.clone(),
                id: last.id.clone(),
            }),
            // The page filled up with email matches exactly; names follow.
            (true, None, Some(last)) => Some(SearchCursor::AfterEmail(last.email_norm.clone())),
            (true, None, None) => None,
        };
        rows.extend(names);
        Ok((rows, next))
    }

    /// The plan the account is on, without starting or renewing anything
    /// (None: it never had a subscription, so the free plan).
    pub async fn plan_of(&self, user_id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT plan FROM subscriptions WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
    }

    async fn by_email(
        &self,
        search: &UserSearch,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AdminUserRow>, sqlx::Error> {
        let mut query = Sql::new(format!("SELECT {ROW_COLUMNS} FROM users u WHERE 1 = 1"));
        if let Some(prefix) = &search.prefix {
            in_range(&mut query, "u.email_norm", prefix);
        }
        if let Some(after) = after {
            query
                .push(" AND u.email_norm > ")
                .push_bind(after.to_string());
        }
        filters(&mut query, search);
        query.push(" ORDER BY u.email_norm LIMIT ").push_bind(limit);
        query.build_query_as().fetch_all(&self.pool).await
    }

    /// Name matches whose email does not match too (those came first).
    async fn by_name(
        &self,
        search: &UserSearch,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<AdminUserRow>, sqlx::Error> {
        let Some(prefix) = &search.prefix else {
            return Ok(Vec::new());
        };
        let mut query = Sql::new(format!("SELECT {ROW_COLUMNS} FROM users u WHERE 1 = 1"));
        in_range(&mut query, "u.name_norm", prefix);
        query.push(" AND NOT (1 = 1");
        in_range(&mut query, "u.email_norm", prefix);
        query.push(")");
        if let Some((name_norm, id)) = after {
            query.push_past(
                "u.name_norm, u.id",
                ">",
                name_norm.to_string(),
                id.to_string(),
            );
        }
        filters(&mut query, search);
        query
            .push(" ORDER BY u.name_norm, u.id LIMIT ")
            .push_bind(limit);
        query.build_query_as().fetch_all(&self.pool).await
    }
}

/// ` AND column >= prefix AND column < end`: an index range, both engines
/// comparing bytewise.
fn in_range(query: &mut Sql<'_>, column: &str, prefix: &str) {
    query
        .push(format!(" AND {column} >= "))
        .push_bind(prefix.to_string());
    if let Some(end) = prefix_end(prefix) {
        query.push(format!(" AND {column} < ")).push_bind(end);
    }
}

fn filters(query: &mut Sql<'_>, search: &UserSearch) {
    const SCHEDULED: &str = "EXISTS (SELECT 1 FROM deletions d WHERE d.user_id = u.id)";
    match search.status {
        None => {}
        Some(AccountStatus::Disabled) => {
            query.push(" AND u.disabled_at IS NOT NULL");
        }
        Some(AccountStatus::DeletionScheduled) => {
            query.push(format!(" AND u.disabled_at IS NULL AND {SCHEDULED}"));
        }
        Some(AccountStatus::Active) => {
            query.push(format!(" AND u.disabled_at IS NULL AND NOT {SCHEDULED}"));
        }
    }
    if let Some(on) = search.mfa {
        let not = if on { "" } else { "NOT " };
        query.push(format!(
            " AND {not}EXISTS (SELECT 1 FROM totp_factors t \
               WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_range_ends_just_after_its_last_character() {
        assert_eq!(prefix_end("ana").as_deref(), Some("anb"));
        assert_eq!(prefix_end("a@").as_deref(), Some("aA"));
        assert_eq!(prefix_end("z\u{D7FF}").as_deref(), Some("z\u{E000}"));
        assert_eq!(prefix_end("y\u{10FFFF}").as_deref(), Some("z"));
        assert_eq!(prefix_end("\u{10FFFF}"), None);
        assert_eq!(prefix_end(""), None);
    }

    #[test]
    fn disabled_wins_over_a_scheduled_deletion() {
        assert_eq!(status_of(Some(1), true), AccountStatus::Disabled);
        assert_eq!(status_of(None, true), AccountStatus::DeletionScheduled);
        assert_eq!(status_of(None, false), AccountStatus::Active);
    }
}
