//! `/v1/admin/`: what every administrator's route shares. A layer on every
//! route checks the caller before its id, query or body is looked at, so a
//! non-administrator learns nothing from any of them; each write then
//! needs a reason and a recent step-up proof.

pub mod actions;
pub mod audit;
pub mod users;

use acctl_api::admin::{AuditAction, REASON_MAX_CHARS};
use acctl_api::error::REQUEST_ID_HEADER;
use acctl_api::{ErrorCode, paths};
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use axum::routing::{delete, get, post};

use crate::auth::Authenticated;
use crate::clock::duration_ms;
use crate::error::{ApiError, ApiResult};
use crate::routes::reauth::field_error;
use crate::state::AppState;
use crate::store::{AuditRecord, UserRecord};
use crate::validate;

/// An administrator's signed-in session, checked once per request.
#[derive(Debug, Clone)]
pub struct Admin {
    pub me: Authenticated,
    pub email: String,
    /// When this session last stepped up (ms).
    pub stepped_up_at: Option<i64>,
    pub request_id: Option<String>,
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(admin) = parts.extensions.get::<Admin>() {
            return Ok(admin.clone());
        }
        let me = Authenticated::from_request_parts(parts, state).await?;
        let caller = state
            .store
            .admin_caller(&me.session_id)
            .await?
            .filter(|caller| caller.is_admin)
            .ok_or_else(not_admin)?;
        let request_id = parts
            .headers
            .get(REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        Ok(Self {
            me,
            email: caller.email,
            stepped_up_at: caller.stepped_up_at,
            request_id,
        })
    }
}

fn not_admin() -> ApiError {
    ApiError::new(
        ErrorCode::AdminRequired,
        "Only administrators may use /v1/admin/. An administrator is made with \
         `acctd users grant-admin EMAIL` on the server.",
    )
}

/// Middleware of every admin route: 401 or 403 before the route's own
/// extractors read its id, query or body. (A method a route does not take
/// is still 405, as the public OpenAPI document says which there are.)
async fn require_admin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match Admin::from_request_parts(&mut parts, &state).await {
        Ok(admin) => {
            parts.extensions.insert(admin);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(error) => error.into_response(),
    }
}

pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route(paths::ADMIN_USERS, get(users::search))
        .route(paths::ADMIN_USER_PATTERN, get(users::detail))
        .route(
            paths::ADMIN_USER_SESSIONS_PATTERN,
            get(users::sessions).delete(actions::revoke_sessions),
        )
        .route(
            paths::ADMIN_USER_SESSION_PATTERN,
            delete(actions::revoke_session),
        )
        .route(paths::ADMIN_USER_EVENTS_PATTERN, get(users::events))
        .route(paths::ADMIN_USER_DISABLE_PATTERN, post(actions::disable))
        .route(paths::ADMIN_USER_ENABLE_PATTERN, post(actions::enable))
        .route(
            paths::ADMIN_USER_MFA_RESET_PATTERN,
            post(actions::mfa_reset),
        )
        .route(
            paths::ADMIN_USER_PASSWORD_RESET_PATTERN,
            post(actions::password_reset),
        )
        .route(paths::ADMIN_AUDIT, get(audit::list))
        .route_layer(axum::middleware::from_fn_with_state(state, require_admin))
}

/// The account a path names; 404 for any id that is not one.
pub async fn target(
    state: &AppState,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<UserRecord> {
    let Some(id) = crate::extract::path_id(id) else {
        return Err(no_such_account());
    };
    state
        .store
        .user_by_id(&id)
        .await?
        .ok_or_else(no_such_account)
}

pub fn no_such_account() -> ApiError {
    ApiError::not_found("No account has this id. Find it with GET /v1/admin/users?query=EMAIL.")
}

/// What every write checks before it changes anything: the reason, that
/// the account is not the caller's own, and a recent proof. Passed, the
/// audit entry of `action` that the write records.
pub fn check_write(
    state: &AppState,
    admin: &Admin,
    target: &UserRecord,
    reason: &str,
    action: AuditAction,
) -> ApiResult<AuditRecord> {
    let reason = checked_reason(reason)?;
    if target.id == admin.me.user_id {
        return Err(ApiError::new(
            ErrorCode::OwnAccount,
            "Administrators cannot do this to their own account; another administrator can.",
        ));
    }
    require_step_up(state, admin)?;
    Ok(audit_entry(state, admin, action, target, reason))
}

/// The reason as stored (trimmed), or 422 on `reason`: 1 to 500
/// characters, the rules of a name.
pub fn checked_reason(reason: &str) -> ApiResult<String> {
    let reason = reason.trim();
    match validate::text_problem(reason, REASON_MAX_CHARS, true) {
        Some(message) => Err(field_error("reason", &message)),
        None => Ok(reason.to_string()),
    }
}

/// 403 `step_up_required` unless this session proved it is its owner within
/// the configured window.
pub fn require_step_up(state: &AppState, admin: &Admin) -> ApiResult<()> {
    let now = state.now_ms();
    let window = duration_ms(state.config.step_up_window);
    match admin.stepped_up_at {
        Some(at) if at <= now && now - at < window => Ok(()),
        _ => Err(ApiError::new(
            ErrorCode::StepUpRequired,
            format!(
                "Confirm it is you first: send your password (or a code of your authenticator \
                 app) to POST {}, then send this again. The proof lasts {} minutes.",
                paths::STEP_UP,
                state.config.step_up_window.as_secs() / 60
            ),
        )),
    }
}

/// The audit entry of `action` by `admin` on `target`.
fn audit_entry(
    state: &AppState,
    admin: &Admin,
    action: AuditAction,
    target: &UserRecord,
    reason: String,
) -> AuditRecord {
    AuditRecord {
        id: uuid::Uuid::new_v4().to_string(),
        at: state.now_ms(),
        actor_id: Some(admin.me.user_id.clone()),
        actor_email: Some(admin.email.clone()),
        action: action.as_str().to_string(),
        target_id: target.id.clone(),
        target_email: target.email.clone(),
        reason,
        request_id: admin.request_id.clone(),
        detail: None,
    }
}
