//! `GET /v1/me/security-events`: the security log, newest first.

use acctl_api::{ErrorCode, Page, SecurityEvent, SecurityEventKind, paths};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Authenticated;
use crate::clock::from_ms;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::pagination;
use crate::state::AppState;
use crate::store::{EventCursor, EventRecord};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only events of this kind, e.g. `login_failed`.
    #[param(value_type = Option<SecurityEventKind>)]
    pub kind: Option<String>,
}

/// The account's security log, newest first.
#[utoipa::path(get, path = paths::SECURITY_EVENTS, tag = "security", operation_id = "list_security_events", security(("bearer" = [])),
    params(EventsQuery),
    responses((status = 200, description = "A page of events", body = Page<SecurityEvent>)))]
pub async fn list(
    State(state): State<AppState>,
    me: Authenticated,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> ApiResult<Json<Page<SecurityEvent>>> {
    page_of(&state, &me.user_id, &query).await.map(Json)
}

/// A page of `user_id`'s log as `query` asks (also what administrators see).
pub(crate) async fn page_of(
    state: &AppState,
    user_id: &str,
    query: &EventsQuery,
) -> ApiResult<Page<SecurityEvent>> {
    let limit = pagination::limit(query.limit)?;
    let kind = query.kind.as_deref().map(parse_kind).transpose()?;
    let cursor =
        pagination::position(query.cursor.as_deref())?.map(|(at, id)| EventCursor { at, id });
    let (records, more) = state
        .store
        .list_events(user_id, kind, limit, cursor.as_ref())
        .await?;
    let next_cursor = pagination::next(more, &records, |e| (e.at, &e.id));
    let items = records.into_iter().map(to_wire).collect();
    Ok(Page { items, next_cursor })
}

fn parse_kind(name: &str) -> ApiResult<SecurityEventKind> {
    let kind = serde_json::from_value(serde_json::Value::String(name.to_string()))
        .unwrap_or(SecurityEventKind::Other);
    if kind == SecurityEventKind::Other {
        return Err(ApiError::new(
            ErrorCode::MalformedRequest,
            "Unknown `kind`. Use one of: account_created, login_succeeded, login_failed, \
             logout, session_revoked, refresh_token_reused, password_changed, \
             email_change_requested, email_changed, mfa_enabled, mfa_disabled, \
             recovery_codes_regenerated, recovery_code_used, mfa_failed.",
        ));
    }
    Ok(kind)
}

pub(crate) fn to_wire(record: EventRecord) -> SecurityEvent {
    SecurityEvent {
        id: record.id,
        kind: record.kind,
        at: from_ms(record.at),
        ip: record.ip,
        device_name: record.device_name,
        detail: record.detail,
    }
}
