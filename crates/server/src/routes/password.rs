//! `POST /v1/me/password`: a new password, given the current one.

use acctl_api::{ChangePasswordRequest, SecurityEventKind, paths};
use axum::extract::State;
use axum::http::StatusCode;

use crate::auth::Authenticated;
use crate::auth::password::hash_password;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::routes::reauth::{confirm_password, current_user, my_event};
use crate::state::AppState;
use crate::store::SessionRecord;
use crate::validate::{self, Checks};

/// Change the password. The new one must pass the same policy as at signup.
#[utoipa::path(post, path = paths::PASSWORD, tag = "security", operation_id = "change_password", security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; other sessions signed out if asked"),
        (status = 422, description = "`validation_failed`: a wrong `current_password`, or a `new_password` the policy refuses", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many wrong passwords; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn change(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> ApiResult<StatusCode> {
    crate::quota::check(&state, &me.user_id, &crate::quota::PASSWORD_CHANGES).await?;
    let user = current_user(&state, &me).await?;
    confirm_password(
        &state,
        &user,
        &caller,
        &request.current_password,
        "current_password",
    )
    .await?;
    let mut checks = Checks::default();
    for message in validate::password_problems(request.new_password.expose(), &user.email) {
        checks.add("new_password", message);
    }
    checks.finish().map_err(ApiError::validation)?;
    let hash = hash_password(request.new_password).await?;
    let event = my_event(&state, &me, &caller, SecurityEventKind::PasswordChanged);
    let keep_only = request
        .sign_out_other_sessions
        .then_some(me.session_id.as_str());
    // One `session_revoked` per ended session, as a sign-out from the list logs.
    let revoked_event = |session: &SessionRecord| {
        let mut event = my_event(&state, &me, &caller, SecurityEventKind::SessionRevoked);
        event.session_id = Some(session.id.clone());
        event.detail = Some(format!(
            "Signed out {} with the password change",
            session.device_name
        ));
        event
    };
    state
        .store
        .change_password(&me.user_id, &hash, &event, keep_only, revoked_event)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
