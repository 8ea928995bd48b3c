//! `/v1/me/deletion`: schedule the account's deletion after a grace
//! period, see when, or cancel it. Sign-in keeps working until the purge.

use acctl_api::privacy::{DELETE_CONFIRMATION, DeletionRequest, DeletionStatus};
use acctl_api::{ErrorCode, SecurityEventKind, paths};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::auth::Authenticated;
use crate::clock::{duration_ms, from_ms};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::routes::reauth::{confirm_password, current_user, field_error, my_event};
use crate::state::AppState;
use crate::store::deletion::DeletionRecord;
use crate::store::{EventRecord, SessionRecord};

/// Whether a deletion is scheduled, and this server's grace period.
#[utoipa::path(get, path = paths::DELETION, tag = "privacy", operation_id = "get_deletion", security(("bearer" = [])),
    responses((status = 200, description = "The deletion, if one is scheduled", body = DeletionStatus)))]
pub async fn get(
    State(state): State<AppState>,
    me: Authenticated,
) -> ApiResult<Json<DeletionStatus>> {
    let record = state.store.deletion(&me.user_id).await?;
    Ok(Json(status(&state, record)))
}

/// Schedule the account's deletion after the grace period. Sessions are
/// kept (signing in keeps working too) unless `sign_out_others` asks to end
/// every other session now.
#[utoipa::path(post, path = paths::DELETION, tag = "privacy", operation_id = "schedule_deletion", security(("bearer" = [])),
    request_body = DeletionRequest,
    responses(
        (status = 202, description = "Scheduled (logged `deletion_scheduled`, notified and mailed); other sessions signed out only with `sign_out_others`", body = DeletionStatus),
        (status = 409, description = "`deletion_scheduled`: a deletion is scheduled already", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: a wrong `password`, or a `confirmation` other than `DELETE`", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many wrong passwords; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn schedule(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(request): ApiJson<DeletionRequest>,
) -> ApiResult<(StatusCode, Json<DeletionStatus>)> {
    if request.confirmation != DELETE_CONFIRMATION {
        return Err(field_error(
            "confirmation",
            "Type DELETE, in capitals, to confirm that the account should be deleted.",
        ));
    }
    let user = current_user(&state, &me).await?;
    confirm_password(&state, &user, &caller, &request.password, "password").await?;
    let now = state.now_ms();
    let scheduled_for = now.saturating_add(duration_ms(state.config.deletion_grace));
    let mut event = my_event(&state, &me, &caller, SecurityEventKind::DeletionScheduled);
    event.detail = Some(format!(
        "Your account and its data will be removed on {}",
        from_ms(scheduled_for).format("%Y-%m-%d %H:%M UTC")
    ));
    let revoked_event = |session: &SessionRecord| revoked(&state, &me, &caller, session);
    let sign_out_all_but = request.sign_out_others.then_some(me.session_id.as_str());
    let scheduled = state
        .store
        .schedule_deletion(
            &me.user_id,
            sign_out_all_but,
            scheduled_for,
            &event,
            revoked_event,
        )
        .await?;
    if !scheduled {
        return Err(ApiError::new(
            ErrorCode::DeletionScheduled,
            "A deletion is scheduled already. Cancel it with DELETE /v1/me/deletion first.",
        ));
    }
    let record = DeletionRecord {
        requested_at: now,
        scheduled_for,
    };
    Ok((StatusCode::ACCEPTED, Json(status(&state, Some(record)))))
}

/// Cancel the scheduled deletion.
#[utoipa::path(delete, path = paths::DELETION, tag = "privacy", operation_id = "cancel_deletion", security(("bearer" = [])),
    responses(
        (status = 204, description = "Canceled (logged `deletion_canceled` and notified)"),
        (status = 409, description = "`conflict`: no deletion is scheduled", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
) -> ApiResult<StatusCode> {
    let event = my_event(&state, &me, &caller, SecurityEventKind::DeletionCanceled);
    if state.store.cancel_deletion(&me.user_id, &event).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(
            ErrorCode::Conflict,
            "No deletion is scheduled, so there is nothing to cancel.",
        ))
    }
}

/// The `session_revoked` event of a session the scheduling signed out.
fn revoked(
    state: &AppState,
    me: &Authenticated,
    caller: &Caller,
    session: &SessionRecord,
) -> EventRecord {
    let mut event = my_event(state, me, caller, SecurityEventKind::SessionRevoked);
    event.session_id = Some(session.id.clone());
    event.detail = Some(format!(
        "Signed out {} when the deletion was scheduled",
        session.device_name
    ));
    event
}

fn status(state: &AppState, record: Option<DeletionRecord>) -> DeletionStatus {
    DeletionStatus {
        scheduled_for: record.map(|r| from_ms(r.scheduled_for)),
        requested_at: record.map(|r| from_ms(r.requested_at)),
        grace_days: state.config.deletion_grace_days(),
    }
}
