//! Privacy settings: who sees the profile and which optional uses of data
//! the person allows. No row means the defaults: private, everything off.

use acctl_api::privacy::{PrivacyPatch, PrivacySettings, ProfileVisibility};
use sqlx::AnyConnection;

use super::events::{EventRecord, insert_event};
use super::{Flag, Store};

/// What a new account starts with.
pub fn default_privacy() -> PrivacySettings {
    PrivacySettings {
        profile_visibility: ProfileVisibility::Private,
        data_sharing: false,
        analytics: false,
        personalized_ads: false,
    }
}

pub async fn privacy_in(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<PrivacySettings, sqlx::Error> {
    let row: Option<(String, Flag, Flag, Flag)> = sqlx::query_as(
        "SELECT profile_visibility, data_sharing, analytics, personalized_ads
         FROM privacy_settings WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some((visibility, data_sharing, analytics, personalized_ads)) => PrivacySettings {
            // Only names this code wrote are stored; anything else is as private as it gets.
            profile_visibility: ProfileVisibility::parse(&visibility)
                .unwrap_or(ProfileVisibility::Private),
            data_sharing: data_sharing.0,
            analytics: analytics.0,
            personalized_ads: personalized_ads.0,
        },
        None => default_privacy(),
    })
}

/// `current` with `patch` applied, and the names of the fields that changed.
fn apply(current: &PrivacySettings, patch: &PrivacyPatch) -> (PrivacySettings, Vec<&'static str>) {
    let mut next = current.clone();
    let mut changed = Vec::new();
    if let Some(v) = patch
        .profile_visibility
        .filter(|v| *v != current.profile_visibility)
    {
        next.profile_visibility = v;
        changed.push("profile_visibility");
    }
    let flags: [(&'static str, Option<bool>, &mut bool); 3] = [
        ("data_sharing", patch.data_sharing, &mut next.data_sharing),
        ("analytics", patch.analytics, &mut next.analytics),
        (
            "personalized_ads",
            patch.personalized_ads,
            &mut next.personalized_ads,
        ),
    ];
    for (name, wanted, value) in flags {
        if let Some(wanted) = wanted
            && wanted != *value
        {
            *value = wanted;
            changed.push(name);
        }
    }
    (next, changed)
}

impl Store {
    pub async fn privacy(&self, user_id: &str) -> Result<PrivacySettings, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        privacy_in(&mut conn, user_id).await
    }

    /// Applies `patch` and, when a field changed, logs `event` naming the
    /// fields; the settings afterwards.
    pub async fn update_privacy(
        &self,
        user_id: &str,
        patch: &PrivacyPatch,
        mut event: EventRecord,
    ) -> Result<PrivacySettings, sqlx::Error> {
        let mut tx = self.write().await?;
        let current = privacy_in(&mut tx, user_id).await?;
        let (next, changed) = apply(&current, patch);
        if changed.is_empty() {
            return Ok(current);
        }
        sqlx::query(
            "INSERT INTO privacy_settings
               (user_id, profile_visibility, data_sharing, analytics, personalized_ads, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (user_id) DO UPDATE SET
               profile_visibility = excluded.profile_visibility,
               data_sharing = excluded.data_sharing,
               analytics = excluded.analytics,
               personalized_ads = excluded.personalized_ads,
               updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(next.profile_visibility.as_str())
        .bind(next.data_sharing)
        .bind(next.analytics)
        .bind(next.personalized_ads)
        .bind(event.at)
        .execute(&mut *tx)
        .await?;
        event.detail = Some(format!("Changed: {}", changed.join(", ")));
        insert_event(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fields_that_differ_are_named() {
        let patch = PrivacyPatch {
            profile_visibility: Some(ProfileVisibility::Private),
            analytics: Some(true),
            ..PrivacyPatch::default()
        };
        let (next, changed) = apply(&default_privacy(), &patch);
        assert_eq!(changed, ["analytics"]);
        assert!(next.analytics && !next.data_sharing);
    }
}
