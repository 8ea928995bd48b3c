//! `GET/PUT /v1/me/notification-settings`: which categories arrive on
//! which channels. Security by email is locked on.

use acctl_api::notifications::{
    LOCKED_REASON, NotificationSetting, NotificationSettings, NotificationSettingsUpdate,
    cell_field, is_locked,
};
use acctl_api::{ErrorCode, SecurityEventKind, paths};
use axum::Json;
use axum::extract::State;

use crate::auth::Authenticated;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::routes::reauth::my_event;
use crate::state::AppState;
use crate::store::notifications::Cell;

/// Every cell of the matrix, the locked one marked with why.
#[utoipa::path(get, path = paths::NOTIFICATION_SETTINGS, tag = "notifications", operation_id = "get_notification_settings", security(("bearer" = [])),
    responses((status = 200, description = "Every category × channel cell", body = NotificationSettings)))]
pub async fn get(
    State(state): State<AppState>,
    me: Authenticated,
) -> ApiResult<Json<NotificationSettings>> {
    let cells = state.store.notification_cells(&me.user_id).await?;
    Ok(Json(to_wire(&cells)))
}

/// Set the cells listed; the others stay as they are.
#[utoipa::path(put, path = paths::NOTIFICATION_SETTINGS, tag = "notifications", operation_id = "update_notification_settings", security(("bearer" = [])),
    request_body = NotificationSettingsUpdate,
    responses(
        (status = 200, description = "The whole matrix as it is now; a `notification_settings_changed` event names the cells that changed", body = NotificationSettings),
        (status = 422, description = "`setting_locked`: the request turns a locked cell off (error on e.g. `security.email`); nothing was changed", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(update): ApiJson<NotificationSettingsUpdate>,
) -> ApiResult<Json<NotificationSettings>> {
    refuse_locked(&update)?;
    let event = my_event(
        &state,
        &me,
        &caller,
        SecurityEventKind::NotificationSettingsChanged,
    );
    let cells = state
        .store
        .set_notification_cells(&me.user_id, &update.settings, event)
        .await?;
    Ok(Json(to_wire(&cells)))
}

/// A request turning a locked cell off is refused whole.
fn refuse_locked(update: &NotificationSettingsUpdate) -> ApiResult<()> {
    let locked = update
        .settings
        .iter()
        .find(|t| !t.enabled && is_locked(t.category, t.channel));
    match locked {
        Some(toggle) => Err(ApiError::new(
            ErrorCode::SettingLocked,
            format!("{LOCKED_REASON}. Nothing was changed; send the request without that cell."),
        )
        .with_field_error(&cell_field(toggle.category, toggle.channel), LOCKED_REASON)),
        None => Ok(()),
    }
}

pub(crate) fn to_wire(cells: &[Cell]) -> NotificationSettings {
    let settings = cells
        .iter()
        .map(|cell| {
            let locked = is_locked(cell.category, cell.channel);
            NotificationSetting {
                category: cell.category,
                channel: cell.channel,
                enabled: cell.enabled,
                locked,
                locked_reason: locked.then(|| LOCKED_REASON.to_string()),
            }
        })
        .collect();
    NotificationSettings { settings }
}
