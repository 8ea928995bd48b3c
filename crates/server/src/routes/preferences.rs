//! `/v1/me/preferences`: theme, language and time zone, versioned by
//! `ETag`/`If-Match` like the profile. Not security-relevant, so not logged.

use acctl_api::profile::{is_timezone, language_problem, timezone_advice};
use acctl_api::{FieldErrors, Preferences, PreferencesPatch, THEMES, paths};
use axum::Json;
use axum::extract::State;

use crate::auth::Authenticated;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::precondition::{IfMatch, etag_header, stale};
use crate::routes::me::Tagged;
use crate::state::AppState;
use crate::store::{PreferencesChange, PreferencesRecord, Versioned};
use crate::validate::Checks;

/// The account's preferences; the defaults (`system`, `en`, `UTC`, ETag
/// `"0"`) until any are set.
#[utoipa::path(get, path = paths::PREFERENCES, tag = "account", operation_id = "get_preferences", security(("bearer" = [])),
    responses((status = 200, description = "The preferences", body = Preferences,
        headers(("ETag" = String, description = "Their version, `\"0\"` before the first change: send it as `If-Match` to `PATCH`")))))]
pub async fn get(
    State(state): State<AppState>,
    me: Authenticated,
) -> ApiResult<Tagged<Preferences>> {
    Ok(tagged(state.store.preferences(&me.user_id).await?))
}

/// Change preferences: only the fields sent change.
#[utoipa::path(patch, path = paths::PREFERENCES, tag = "account", operation_id = "update_preferences", security(("bearer" = [])),
    params(("If-Match" = String, Header, description = "The `ETag` of the preferences as loaded, e.g. `\"0\"`")),
    request_body = PreferencesPatch,
    responses(
        (status = 200, description = "The preferences as changed", body = Preferences,
            headers(("ETag" = String, description = "The new version"))),
        (status = 412, description = "`precondition_failed`: they changed since that ETag; the `ETag` header has the current one", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("ETag" = String, description = "The current version"))),
        (status = 422, description = "`validation_failed`: `theme`, `language` or `timezone` is not valid", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`precondition_required`: no `If-Match`", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    me: Authenticated,
    if_match: IfMatch,
    ApiJson(patch): ApiJson<PreferencesPatch>,
) -> ApiResult<Tagged<Preferences>> {
    let change = preferences_change(patch).map_err(ApiError::validation)?;
    let written = state
        .store
        .update_preferences(
            &me.user_id,
            |version| if_match.matches(version),
            &change,
            state.now_ms(),
        )
        .await?;
    match written {
        Versioned::Updated(record) | Versioned::Unchanged(record) => Ok(tagged(record)),
        Versioned::Stale { current } => Err(stale(current, "preferences")),
    }
}

fn preferences_change(patch: PreferencesPatch) -> Result<PreferencesChange, FieldErrors> {
    let mut checks = Checks::default();
    if let Some(theme) = &patch.theme
        && !THEMES.contains(&theme.as_str())
    {
        checks.add("theme", format!("Choose one of: {}.", THEMES.join(", ")));
    }
    if let Some(message) = patch.language.as_deref().and_then(language_problem) {
        checks.add("language", message);
    }
    if patch
        .timezone
        .as_deref()
        .is_some_and(|zone| !is_timezone(zone))
    {
        checks.add("timezone", timezone_advice());
    }
    checks.finish()?;
    Ok(PreferencesChange {
        theme: patch.theme,
        language: patch.language,
        timezone: patch.timezone,
    })
}

fn tagged(record: PreferencesRecord) -> Tagged<Preferences> {
    let version = record.version;
    let preferences = Preferences {
        theme: record.theme,
        language: record.language,
        timezone: record.timezone,
    };
    (etag_header(version), Json(preferences))
}
