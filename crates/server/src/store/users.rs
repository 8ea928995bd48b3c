//! Accounts.

use std::sync::LazyLock;

use acctl_api::SecurityEventKind;
use sqlx::FromRow;

use super::events::{EventRecord, insert_event, kind_name};
use super::sessions::{NewSession, TokenSession, insert_new_session};
use super::{Flag, Store, StoreError};

/// An account as stored. No `Debug`: it holds the password hash.
#[derive(Clone, FromRow)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    #[sqlx(try_from = "Flag")]
    pub email_verified: bool,
    pub name: String,
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub bio: Option<String>,
    /// The profile's version, `ETag: "<n>"` of `GET /v1/me`.
    pub profile_version: i64,
    pub password_hash: String,
    pub created_at: i64,
    #[sqlx(try_from = "Flag")]
    pub is_admin: bool,
    /// Set while the account is disabled by an administrator.
    pub disabled_at: Option<i64>,
}

/// An account to create.
pub struct NewUser {
    pub id: String,
    pub email: String,
    pub email_norm: String,
    pub email_verified: bool,
    pub name: String,
    pub password_hash: String,
    pub created_at: i64,
}

/// In this order: `store::inline` reads the account view by position.
/// Qualified, as the account view joins a table that also has an `id`.
pub(super) const USER_COLUMNS: &str = "users.id, users.email, users.email_verified, users.name, \
     users.display_name, users.phone, users.bio, users.profile_version, users.password_hash, \
     users.created_at, users.is_admin, users.disabled_at";

/// A name as prefix search compares it.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Store {
    /// The account with this normalised email, if any.
    pub async fn user_by_email(&self, email_norm: &str) -> Result<Option<UserRecord>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email_norm = $1"
        ))
        .bind(email_norm)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Creates the account (and logs `account_created`), and when `session`
    /// is given signs it in, all at once or not at all.
    pub async fn create_user(
        &self,
        user: &NewUser,
        session: Option<&NewSession>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, email_norm, email_verified, name, password_hash, created_at, updated_at, name_norm)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
        )
        .bind(&user.id)
        .bind(&user.email)
        .bind(&user.email_norm)
        .bind(user.email_verified)
        .bind(&user.name)
        .bind(&user.password_hash)
        .bind(user.created_at)
        .bind(name_key(&user.name))
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::EmailTaken);
            }
            other => other?,
        };
        let mut event =
            EventRecord::new(&user.id, SecurityEventKind::AccountCreated, user.created_at);
        if let Some(session) = session {
            event.ip.clone_from(&session.record.ip);
            event.device_name = Some(session.record.device_name.clone());
            insert_event(&mut tx, &event).await?;
            insert_new_session(&mut tx, session).await?;
        } else {
            insert_event(&mut tx, &event).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the password hash (and may mark the email verified).
    pub async fn reset_password(
        &self,
        user_id: &str,
        password_hash: &str,
        email_verified: bool,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE users SET password_hash = $1, email_verified = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(password_hash)
        .bind(email_verified)
        .bind(now)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// What `GET /v1/me` tells beside the user's own row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AccountFacts {
    pub active_sessions: i64,
    #[sqlx(try_from = "Flag")]
    pub mfa_enabled: bool,
    /// The address of an email change that has not expired.
    pub pending_email: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub has_avatar: bool,
    /// When a scheduled deletion will purge the account.
    pub deletion_scheduled_for: Option<i64>,
}

/// The facts of [`AccountFacts`], as columns of a query over `users`, with
/// the time as `$2`.
const ACCOUNT_FACT_COLUMNS: &str = "
    (SELECT COUNT(*) FROM sessions
      WHERE user_id = users.id AND revoked_at IS NULL) AS active_sessions,
    EXISTS (SELECT 1 FROM totp_factors
      WHERE user_id = users.id AND confirmed_at IS NOT NULL) AS mfa_enabled,
    (SELECT new_email FROM email_changes
      WHERE user_id = users.id AND expires_at > $2) AS pending_email,
    EXISTS (SELECT 1 FROM avatars WHERE user_id = users.id) AS has_avatar,
    (SELECT scheduled_for FROM deletions
      WHERE user_id = users.id) AS deletion_scheduled_for";

/// The caller's account as `GET /v1/me` shows it: the account's row, the
/// facts around it and the sign-in before the caller's own.
#[derive(FromRow)]
pub struct AccountView {
    #[sqlx(flatten)]
    pub user: UserRecord,
    #[sqlx(flatten)]
    pub facts: AccountFacts,
    pub previous_at: Option<i64>,
    pub previous_ip: Option<String>,
    pub previous_device_name: Option<String>,
}

/// `SELECT` of [`AccountView`]'s columns (in the order `store::inline`
/// reads them) and then `extra` ones, from `users` joined as `from` says,
/// with the time as `$2` and the kind of a successful sign-in as `$3`. The
/// previous sign-in is the last one up to `session_start` by another
/// session than `session_id` (SQL expressions), found by id and then
/// joined: as a derived table SQLite materialised it on every read.
fn account_select(extra: &str, from: &str, session_id: &str, session_start: &str) -> String {
    format!(
        "SELECT {USER_COLUMNS}, {ACCOUNT_FACT_COLUMNS},
           previous.at AS previous_at, previous.ip AS previous_ip,
           previous.device_name AS previous_device_name{extra}
         FROM {from}
         LEFT JOIN security_events AS previous ON previous.id = (
           SELECT id FROM security_events
            WHERE user_id = users.id AND kind = $3 AND at <= {session_start}
              AND (session_id IS NULL OR session_id <> {session_id})
            ORDER BY at DESC, id DESC
            LIMIT 1
         )"
    )
}

/// The query of [`Store::account_view`]: `$1` the account, `$2` the time,
/// `$3` the kind of a successful sign-in, `$4` and `$5` the caller's
/// session's start and id.
pub(super) fn account_view_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{} WHERE users.id = $1",
            account_select("", "users", "$5", "$4")
        )
    });
    &SQL
}

/// The query of [`Store::account_for_access_token`]: the account view's
/// columns, then those of [`TokenSession`] in its query's order (named
/// apart from the account's);
/// `$1` the token's hash, `$2` the time, `$3` the kind of a successful
/// sign-in.
pub(super) fn account_for_token_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{} WHERE a.token_hash = $1",
            account_select(
                ", s.id AS session_id, s.user_id AS session_user_id,
                   s.device_name AS session_device_name, s.ip AS session_ip,
                   s.created_at AS session_created_at, s.last_active_at,
                   s.revoked_at, a.expires_at, users.disabled_at AS session_disabled_at",
                "access_tokens a JOIN sessions s ON s.id = a.session_id
                   JOIN users ON users.id = s.user_id",
                "s.id",
                "s.created_at"
            )
        )
    });
    &SQL
}

impl Store {
    /// The account of `user_id` with its facts and the last successful
    /// sign-in up to `session_created_at` by another session than
    /// `session_id`, in one query: every query is a hand-off to a database
    /// thread and back, which is where `GET /v1/me`'s time went.
    pub async fn account_view(
        &self,
        user_id: &str,
        session_id: &str,
        session_created_at: i64,
        now: i64,
    ) -> Result<Option<AccountView>, sqlx::Error> {
        let login = kind_name(SecurityEventKind::LoginSucceeded);
        if let Some(read) = self.inline.as_ref().and_then(|inline| {
            inline.account_view(user_id, session_id, session_created_at, now, login)
        }) {
            return Ok(read);
        }
        sqlx::query_as(account_view_sql())
            .bind(user_id)
            .bind(now)
            .bind(login)
            .bind(session_created_at)
            .bind(session_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// The session of an access token, revoked or not, and its account as
    /// [`Store::account_view`] reads it, in one query: `GET /v1/me`'s
    /// bearer check and its read together. `None`: no such token.
    pub async fn account_for_access_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(TokenSession, AccountView)>, sqlx::Error> {
        let login = kind_name(SecurityEventKind::LoginSucceeded);
        if let Some(read) = self
            .inline
            .as_ref()
            .and_then(|inline| inline.account_for_token(token_hash, now, login))
        {
            return Ok(read);
        }
        let row: Option<TokenAccountRow> = sqlx::query_as(account_for_token_sql())
            .bind(token_hash)
            .bind(now)
            .bind(login)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(TokenAccountRow::split))
    }
}

/// A row of [`account_for_token_sql`].
#[derive(FromRow)]
struct TokenAccountRow {
    #[sqlx(flatten)]
    view: AccountView,
    session_id: String,
    session_user_id: String,
    session_device_name: String,
    session_ip: Option<String>,
    session_created_at: i64,
    last_active_at: i64,
    revoked_at: Option<i64>,
    expires_at: i64,
    session_disabled_at: Option<i64>,
}

impl TokenAccountRow {
    fn split(self) -> (TokenSession, AccountView) {
        let session = TokenSession {
            session_id: self.session_id,
            user_id: self.session_user_id,
            device_name: self.session_device_name,
            ip: self.session_ip,
            created_at: self.session_created_at,
            last_active_at: self.last_active_at,
            revoked_at: self.revoked_at,
            expires_at: self.expires_at,
            disabled_at: self.session_disabled_at,
        };
        (session, self.view)
    }
}
