//! `/v1/me/sessions`: the signed-in devices, and signing them out.

use acctl_api::{ErrorCode, Page, PageQuery, RevokedSessions, SecurityEventKind, Session, paths};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Authenticated;
use crate::clock::from_ms;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller};
use crate::pagination;
use crate::state::AppState;
use crate::store::{EventRecord, SessionCursor, SessionRecord};

/// Signed-in sessions, most recently active first.
#[utoipa::path(get, path = paths::SESSIONS, tag = "sessions", operation_id = "list_sessions", security(("bearer" = [])),
    params(
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "A page of sessions", body = Page<Session>)))]
pub async fn list(
    State(state): State<AppState>,
    me: Authenticated,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Session>>> {
    page_of(&state, &me.user_id, &me.session_id, &query)
        .await
        .map(Json)
}

/// A page of `user_id`'s signed-in sessions, `current` marking the
/// caller's own (also what administrators see, with none marked).
pub(crate) async fn page_of(
    state: &AppState,
    user_id: &str,
    current: &str,
    query: &PageQuery,
) -> ApiResult<Page<Session>> {
    let limit = pagination::limit(query.limit)?;
    let cursor = pagination::position(query.cursor.as_deref())?
        .map(|(last_active_at, id)| SessionCursor { last_active_at, id });
    let (records, more) = state
        .store
        .list_sessions(user_id, limit, cursor.as_ref())
        .await?;
    let next_cursor = pagination::next(more, &records, |s| (s.last_active_at, &s.id));
    let items = records
        .into_iter()
        .map(|record| to_wire(record, current))
        .collect();
    Ok(Page { items, next_cursor })
}

pub(crate) fn to_wire(record: SessionRecord, current: &str) -> Session {
    Session {
        current: record.id == current,
        id: record.id,
        device_name: record.device_name,
        user_agent: record.user_agent,
        ip: record.ip,
        location: None,
        created_at: from_ms(record.created_at),
        last_active_at: from_ms(record.last_active_at),
    }
}

/// Sign out one other session. The current one signs out with `/v1/auth/logout`.
#[utoipa::path(delete, path = paths::SESSION_PATTERN, tag = "sessions", operation_id = "revoke_session", security(("bearer" = [])),
    params(("id" = String, Path, description = "Session id")),
    responses(
        (status = 204, description = "Signed out"),
        (status = 404, description = "`not_found`: no such session on this account", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`current_session`: use /v1/auth/logout", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<StatusCode> {
    // An id that is not even UTF-8 names no session: the same 404 as any
    // other unknown id, rather than axum's plain-text 400.
    let Some(id) = crate::extract::path_id(id) else {
        return Err(no_such_session());
    };
    if id == me.session_id {
        return Err(ApiError::new(
            ErrorCode::CurrentSession,
            "This is the session making the request. Sign out with POST /v1/auth/logout instead.",
        ));
    }
    let now = state.now_ms();
    // Someone else's session, a revoked one and a made-up id all get the
    // same answer, so the answer says nothing about other accounts.
    state
        .store
        .revoke_session(&me.user_id, &id, now, revocation_event(&me, &caller, now))
        .await?
        .ok_or_else(no_such_session)?;
    Ok(StatusCode::NO_CONTENT)
}

fn no_such_session() -> ApiError {
    ApiError::not_found("No signed-in session with this id on your account.")
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OthersQuery {
    /// Must be `true`: signs out every session but the current one.
    #[param(required = true, value_type = bool)]
    pub others: Option<bool>,
}

/// Sign out every session except the current one.
#[utoipa::path(delete, path = paths::SESSIONS, tag = "sessions", operation_id = "revoke_other_sessions", security(("bearer" = [])),
    params(OthersQuery),
    responses((status = 200, description = "How many sessions were signed out", body = RevokedSessions)))]
pub async fn revoke_others(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiQuery(query): ApiQuery<OthersQuery>,
) -> ApiResult<Json<RevokedSessions>> {
    if query.others != Some(true) {
        return Err(ApiError::new(
            ErrorCode::MalformedRequest,
            "To sign out every other session, send DELETE /v1/me/sessions?others=true.",
        ));
    }
    let now = state.now_ms();
    let revoked = state
        .store
        .revoke_other_sessions(
            &me.user_id,
            &me.session_id,
            now,
            revocation_event(&me, &caller, now),
        )
        .await?;
    let revoked = u32::try_from(revoked.len()).unwrap_or(u32::MAX);
    Ok(Json(RevokedSessions { revoked }))
}

/// The `session_revoked` event of each session signed out, naming its
/// device; stored with the revocation itself.
fn revocation_event(
    me: &Authenticated,
    caller: &Caller,
    now: i64,
) -> impl Fn(&SessionRecord) -> EventRecord {
    move |session| {
        let mut event = EventRecord::new(&me.user_id, SecurityEventKind::SessionRevoked, now);
        event.session_id = Some(session.id.clone());
        event.ip = caller.ip.clone().or_else(|| me.ip.clone());
        event.device_name = Some(me.device_name.clone());
        event.detail = Some(format!("Signed out {}", session.device_name));
        event
    }
}
