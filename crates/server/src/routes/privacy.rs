//! `GET/PATCH /v1/me/privacy`: profile visibility and the optional uses of data.

use acctl_api::privacy::{PrivacyPatch, PrivacySettings, ProfileVisibility};
use acctl_api::{SecurityEventKind, paths};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::auth::Authenticated;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller};
use crate::routes::reauth::{field_error, my_event};
use crate::state::AppState;

/// [`PrivacyPatch`] as sent: the visibility is read as text so a wrong one
/// is an error on its field that lists the choices, not a parse failure.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    #[serde(default)]
    profile_visibility: Option<String>,
    #[serde(default)]
    data_sharing: Option<bool>,
    #[serde(default)]
    analytics: Option<bool>,
    #[serde(default)]
    personalized_ads: Option<bool>,
}

impl PatchBody {
    fn check(self) -> ApiResult<PrivacyPatch> {
        let profile_visibility = match self.profile_visibility.as_deref() {
            None => None,
            Some(name) => Some(ProfileVisibility::parse(name.trim()).ok_or_else(|| {
                field_error("profile_visibility", "Choose private, contacts or public.")
            })?),
        };
        Ok(PrivacyPatch {
            profile_visibility,
            data_sharing: self.data_sharing,
            analytics: self.analytics,
            personalized_ads: self.personalized_ads,
        })
    }
}

/// The privacy settings (new accounts: private, everything off).
#[utoipa::path(get, path = paths::PRIVACY, tag = "privacy", operation_id = "get_privacy", security(("bearer" = [])),
    responses((status = 200, description = "The privacy settings", body = PrivacySettings)))]
pub async fn get(
    State(state): State<AppState>,
    me: Authenticated,
) -> ApiResult<Json<PrivacySettings>> {
    Ok(Json(state.store.privacy(&me.user_id).await?))
}

/// Change some privacy settings: only the fields sent change.
#[utoipa::path(patch, path = paths::PRIVACY, tag = "privacy", operation_id = "update_privacy", security(("bearer" = [])),
    request_body = PrivacyPatch,
    responses(
        (status = 200, description = "The settings as changed; a `privacy_settings_changed` event names the fields that changed", body = PrivacySettings),
        (status = 422, description = "`validation_failed`: `profile_visibility` is not private, contacts or public", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(body): ApiJson<PatchBody>,
) -> ApiResult<Json<PrivacySettings>> {
    let patch = body.check()?;
    let event = my_event(
        &state,
        &me,
        &caller,
        SecurityEventKind::PrivacySettingsChanged,
    );
    let settings = state
        .store
        .update_privacy(&me.user_id, &patch, event)
        .await?;
    Ok(Json(settings))
}
