//! The editable profile (name, display name, phone, bio), the avatar and
//! the preferences. Profile and preferences are versioned: a write names
//! the version it was made against and changes nothing if another write
//! came first.

use acctl_api::profile::{DEFAULT_LANGUAGE, DEFAULT_THEME, DEFAULT_TIMEZONE};
use sqlx::{AnyConnection, FromRow};

use super::Store;
use super::events::{EventRecord, insert_event};
use super::sql::Sql;
use super::users::{USER_COLUMNS, UserRecord};

/// A checked profile change: `None` leaves a field alone, `Some(None)`
/// clears it. The name cannot be cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileChange {
    pub name: Option<String>,
    pub display_name: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub bio: Option<Option<String>>,
}

/// How a versioned write went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Versioned<T> {
    /// Written; the new state.
    Updated(T),
    /// Nothing differed from the stored state, so nothing was written.
    Unchanged(T),
    /// The caller edited another version than `current`.
    Stale { current: i64 },
}

/// Stored preferences, or the defaults at version 0.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PreferencesRecord {
    pub theme: String,
    pub language: String,
    pub timezone: String,
    pub version: i64,
}

impl PreferencesRecord {
    /// An account that never chose any.
    pub fn defaults() -> Self {
        Self {
            theme: DEFAULT_THEME.to_string(),
            language: DEFAULT_LANGUAGE.to_string(),
            timezone: DEFAULT_TIMEZONE.to_string(),
            version: 0,
        }
    }
}

/// A checked preferences change; `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreferencesChange {
    pub theme: Option<String>,
    pub language: Option<String>,
    pub timezone: Option<String>,
}

/// The fields `change` would really change on `user`, in API order.
fn changed_fields(user: &UserRecord, change: &ProfileChange) -> Vec<&'static str> {
    let mut fields = Vec::new();
    if change.name.as_ref().is_some_and(|name| *name != user.name) {
        fields.push("name");
    }
    let differs = |new: &Option<Option<String>>, old: &Option<String>| {
        new.as_ref().is_some_and(|new| new != old)
    };
    if differs(&change.display_name, &user.display_name) {
        fields.push("display_name");
    }
    if differs(&change.phone, &user.phone) {
        fields.push("phone");
    }
    if differs(&change.bio, &user.bio) {
        fields.push("bio");
    }
    fields
}

async fn user_in(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

async fn preferences_in(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<PreferencesRecord>, sqlx::Error> {
    sqlx::query_as("SELECT theme, language, timezone, version FROM preferences WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

impl Store {
    /// Applies `change` if the profile's version is one `matches` accepts,
    /// and logs `event(changed fields)`, at once or not at all. `None` when
    /// the account is gone.
    pub async fn update_profile(
        &self,
        user_id: &str,
        matches: impl Fn(i64) -> bool,
        change: &ProfileChange,
        now: i64,
        event: impl FnOnce(&[&str]) -> EventRecord,
    ) -> Result<Option<Versioned<UserRecord>>, sqlx::Error> {
        let mut tx = self.write().await?;
        let Some(user) = user_in(&mut tx, user_id).await? else {
            return Ok(None);
        };
        let version = user.profile_version;
        if !matches(version) {
            return Ok(Some(Versioned::Stale { current: version }));
        }
        let fields = changed_fields(&user, change);
        if fields.is_empty() {
            return Ok(Some(Versioned::Unchanged(user)));
        }
        let mut update =
            Sql::new("UPDATE users SET profile_version = profile_version + 1, updated_at = ");
        update.push_bind(now);
        if let Some(name) = &change.name {
            update.push(", name = ").push_bind(name);
            update
                .push(", name_norm = ")
                .push_bind(super::users::name_key(name));
        }
        if let Some(display_name) = &change.display_name {
            update.push(", display_name = ").push_bind(display_name);
        }
        if let Some(phone) = &change.phone {
            update.push(", phone = ").push_bind(phone);
        }
        if let Some(bio) = &change.bio {
            update.push(", bio = ").push_bind(bio);
        }
        // The version guard is what makes this safe without the write lock
        // (PostgreSQL under READ COMMITTED): a concurrent change wins.
        update.push(" WHERE id = ").push_bind(user_id);
        update.push(" AND profile_version = ").push_bind(version);
        if update.build().execute(&mut *tx).await?.rows_affected() == 0 {
            let current = user_in(&mut tx, user_id).await?;
            return Ok(current.map(|user| Versioned::Stale {
                current: user.profile_version,
            }));
        }
        insert_event(&mut tx, &event(&fields)).await?;
        let updated = user_in(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(updated.map(Versioned::Updated))
    }

    /// The stored PNG, if the account has a picture.
    pub async fn avatar(&self, user_id: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
        sqlx::query_scalar("SELECT png FROM avatars WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Stores (or replaces) the picture and logs `event`, at once.
    pub async fn set_avatar(
        &self,
        user_id: &str,
        png: &[u8],
        event: &EventRecord,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO avatars (user_id, png, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET png = excluded.png, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(png)
        .bind(event.at)
        .execute(&mut *tx)
        .await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the picture; logs `event` only if there was one. True then.
    pub async fn remove_avatar(
        &self,
        user_id: &str,
        event: &EventRecord,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let removed = sqlx::query("DELETE FROM avatars WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if removed {
            insert_event(&mut tx, event).await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// The account's preferences, or the defaults at version 0.
    pub async fn preferences(&self, user_id: &str) -> Result<PreferencesRecord, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        Ok(preferences_in(&mut conn, user_id)
            .await?
            .unwrap_or_else(PreferencesRecord::defaults))
    }

    /// Applies `change` if the preferences' version is one `matches`
    /// accepts; the first write creates the row at version 1.
    pub async fn update_preferences(
        &self,
        user_id: &str,
        matches: impl Fn(i64) -> bool,
        change: &PreferencesChange,
        now: i64,
    ) -> Result<Versioned<PreferencesRecord>, sqlx::Error> {
        let mut tx = self.write().await?;
        let stored = preferences_in(&mut tx, user_id).await?;
        let current = stored.clone().unwrap_or_else(PreferencesRecord::defaults);
        if !matches(current.version) {
            return Ok(Versioned::Stale {
                current: current.version,
            });
        }
        let pick = |new: &Option<String>, old: &String| new.clone().unwrap_or_else(|| old.clone());
        let next = PreferencesRecord {
            theme: pick(&change.theme, &current.theme),
            language: pick(&change.language, &current.language),
            timezone: pick(&change.timezone, &current.timezone),
            version: current.version + 1,
        };
        let same = (&next.theme, &next.language, &next.timezone)
            == (&current.theme, &current.language, &current.timezone);
        if same {
            return Ok(Versioned::Unchanged(current));
        }
        let written = if stored.is_some() {
            sqlx::query(
                "UPDATE preferences SET theme = $1, language = $2, timezone = $3,
                     version = version + 1, updated_at = $4
                 WHERE user_id = $5 AND version = $6",
            )
            .bind(&next.theme)
            .bind(&next.language)
            .bind(&next.timezone)
            .bind(now)
            .bind(user_id)
            .bind(current.version)
            .execute(&mut *tx)
            .await?
        } else {
            // A row made by a concurrent first write means this one is stale.
            sqlx::query(
                "INSERT INTO preferences (user_id, theme, language, timezone, version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (user_id) DO NOTHING",
            )
            .bind(user_id)
            .bind(&next.theme)
            .bind(&next.language)
            .bind(&next.timezone)
            .bind(next.version)
            .bind(now)
            .execute(&mut *tx)
            .await?
        };
        if written.rows_affected() == 0 {
            let now_stored = preferences_in(&mut tx, user_id).await?;
            return Ok(Versioned::Stale {
                current: now_stored.map_or(current.version, |p| p.version),
            });
        }
        tx.commit().await?;
        Ok(Versioned::Updated(next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann() -> UserRecord {
        UserRecord {
            id: "u".into(),
            email: "ann@example.com".into(),
            email_verified: true,
            name: "Ann".into(),
            display_name: None,
            phone: Some("+441632960961".into()),
            bio: None,
            profile_version: 1,
            password_hash: String::new(),
            created_at: 0,
            is_admin: false,
            disabled_at: None,
        }
    }

    #[test]
    fn only_fields_that_differ_count_as_changed() {
        let same = ProfileChange {
            name: Some("Ann".into()),
            phone: Some(Some("+441632960961".into())),
            bio: Some(None),
            ..ProfileChange::default()
        };
        assert!(changed_fields(&ann(), &same).is_empty());
        let change = ProfileChange {
            name: Some("Annie".into()),
            display_name: Some(Some("A".into())),
            phone: Some(None),
            bio: Some(Some("Hi".into())),
        };
        assert_eq!(
            changed_fields(&ann(), &change),
            ["name", "display_name", "phone", "bio"]
        );
    }
}
