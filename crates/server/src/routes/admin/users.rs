//! `GET /v1/admin/users*`: finding accounts and reading one's state,
//! sessions and security log.

use acctl_api::admin::{AccountStatus, AdminUser, AdminUserDetail};
use acctl_api::{ErrorCode, Page, PageQuery, SecurityEvent, Session, SignInRecord, paths};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Admin, target};
use crate::billing::plans::FREE;
use crate::clock::from_ms;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::pagination;
use crate::routes::events::EventsQuery;
use crate::state::AppState;
use crate::store::{AdminUserRow, SearchCursor, UserSearch, status_of};
use crate::validate;

/// Longest search text: no email or name is longer.
const MAX_QUERY_CHARS: usize = 320;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsersQuery {
    /// The start of an email or a name, in any case, e.g. `ana`. Email
    /// matches come first, then name matches.
    pub query: Option<String>,
    /// Only accounts in this state.
    pub status: Option<AccountStatus>,
    /// Only accounts with two-factor sign-in on (`true`) or off (`false`).
    pub mfa: Option<bool>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Accounts by email or name prefix, a page at a time.
#[utoipa::path(get, path = paths::ADMIN_USERS, tag = "admin", operation_id = "admin_list_users", security(("bearer" = [])),
    params(UsersQuery),
    responses((status = 200, description = "A page of accounts", body = Page<AdminUser>)))]
pub async fn search(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(query): ApiQuery<UsersQuery>,
) -> ApiResult<Json<Page<AdminUser>>> {
    let limit = pagination::limit(query.limit)?;
    let prefix = query.query.as_deref().map(str::trim).unwrap_or_default();
    if let Some(message) = validate::text_problem(prefix, MAX_QUERY_CHARS, false) {
        return Err(ApiError::new(
            ErrorCode::MalformedRequest,
            format!("`query` is not valid: {message}"),
        )
        .with_field_error("query", message));
    }
    let search = UserSearch {
        prefix: (!prefix.is_empty()).then(|| prefix.to_lowercase()),
        status: query.status,
        mfa: query.mfa,
    };
    let cursor = query.cursor.as_deref().map(decode_cursor).transpose()?;
    let (rows, next) = state
        .store
        .search_users(&search, limit, cursor.as_ref())
        .await?;
    Ok(Json(Page {
        items: rows.into_iter().map(to_wire).collect(),
        next_cursor: next.as_ref().map(encode_cursor),
    }))
}

fn to_wire(row: AdminUserRow) -> AdminUser {
    AdminUser {
        status: row.status(),
        id: row.id,
        email: row.email,
        name: row.name,
        mfa_enabled: row.mfa_enabled,
        admin: row.is_admin,
        last_sign_in_at: row.last_sign_in_at.map(from_ms),
        created_at: from_ms(row.created_at),
    }
}

/// base64url of `e<LF>email` or `n<LF>name<LF>id`: opaque to clients.
fn encode_cursor(cursor: &SearchCursor) -> String {
    let text = match cursor {
        SearchCursor::AfterEmail(email) => format!("e\n{email}"),
        SearchCursor::AfterName { name_norm, id } => format!("n\n{name_norm}\n{id}"),
    };
    URL_SAFE_NO_PAD.encode(text)
}

fn decode_cursor(cursor: &str) -> ApiResult<SearchCursor> {
    let text = URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let parsed = text.as_deref().and_then(|text| {
        let mut parts = text.split('\n');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("e"), Some(email), None, None) => {
                Some(SearchCursor::AfterEmail(email.to_string()))
            }
            (Some("n"), Some(name), Some(id), None) => Some(SearchCursor::AfterName {
                name_norm: name.to_string(),
                id: id.to_string(),
            }),
            _ => None,
        }
    });
    parsed.filter(|_| !cursor.contains('\0')).ok_or_else(|| {
        ApiError::new(
            ErrorCode::MalformedRequest,
            "The cursor is not one this server gave out. Start again without `cursor`.",
        )
    })
}

/// One account: profile, state, two-factor, sessions, plan.
#[utoipa::path(get, path = paths::ADMIN_USER_PATTERN, tag = "admin", operation_id = "admin_get_user", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    responses(
        (status = 200, description = "The account", body = AdminUserDetail),
        (status = 404, description = "`not_found`: no account has this id", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn detail(
    State(state): State<AppState>,
    _admin: Admin,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<AdminUserDetail>> {
    let target = target(&state, id).await?;
    let store = &state.store;
    // No session id is "", so the sign-in is the newest of all.
    let view = store
        .account_view(&target.id, "", i64::MAX, state.now_ms())
        .await?
        .ok_or_else(super::no_such_account)?;
    let (user, facts) = (view.user, view.facts);
    let recovery_codes_remaining = store.count_recovery_codes(&user.id).await?;
    let plan = store.plan_of(&user.id).await?;
    let status = status_of(user.disabled_at, facts.deletion_scheduled_for.is_some());
    Ok(Json(AdminUserDetail {
        id: user.id,
        email: user.email,
        email_verified: user.email_verified,
        name: user.name,
        display_name: user.display_name,
        phone: user.phone,
        status,
        disabled_at: user.disabled_at.map(from_ms),
        admin: user.is_admin,
        mfa_enabled: facts.mfa_enabled,
        recovery_codes_remaining,
        active_sessions: u32::try_from(facts.active_sessions).unwrap_or(u32::MAX),
        last_sign_in: view.previous_at.map(|at| SignInRecord {
            at: from_ms(at),
            ip: view.previous_ip,
            device_name: view.previous_device_name,
        }),
        plan: plan.unwrap_or_else(|| FREE.id.to_string()),
        deletion_scheduled_for: facts.deletion_scheduled_for.map(from_ms),
        created_at: from_ms(user.created_at),
    }))
}

/// The account's signed-in sessions, most recently active first.
#[utoipa::path(get, path = paths::ADMIN_USER_SESSIONS_PATTERN, tag = "admin", operation_id = "admin_list_user_sessions", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Account id"),
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of sessions (`current` is always false)", body = Page<Session>),
        (status = 404, description = "`not_found`: no account has this id", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn sessions(
    State(state): State<AppState>,
    _admin: Admin,
    id: Result<Path<String>, PathRejection>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Session>>> {
    let user = target(&state, id).await?;
    crate::routes::sessions::page_of(&state, &user.id, "", &query)
        .await
        .map(Json)
}

/// The account's security log, newest first: what its owner sees.
#[utoipa::path(get, path = paths::ADMIN_USER_EVENTS_PATTERN, tag = "admin", operation_id = "admin_list_user_security_events", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id"), EventsQuery),
    responses(
        (status = 200, description = "A page of events", body = Page<SecurityEvent>),
        (status = 404, description = "`not_found`: no account has this id", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn events(
    State(state): State<AppState>,
    _admin: Admin,
    id: Result<Path<String>, PathRejection>,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> ApiResult<Json<Page<SecurityEvent>>> {
    let user = target(&state, id).await?;
    crate::routes::events::page_of(&state, &user.id, &query)
        .await
        .map(Json)
}
