//! `GET /v1/admin/audit`: every administrator's action, newest first. No
//! route changes or removes an entry.

use acctl_api::admin::{AuditAction, AuditEntry};
use acctl_api::{ErrorCode, Page, paths};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use super::Admin;
use crate::clock::from_ms;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::pagination;
use crate::state::AppState;
use crate::store::{AuditCursor, AuditFilter, AuditRecord};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only actions by this administrator (an account id).
    pub actor: Option<String>,
    /// Only actions on this account (an account id).
    pub target: Option<String>,
    /// Only this action, e.g. `disable_account`.
    pub action: Option<AuditAction>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The audit log, newest first.
#[utoipa::path(get, path = paths::ADMIN_AUDIT, tag = "admin", operation_id = "admin_list_audit", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, description = "A page of entries", body = Page<AuditEntry>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let limit = pagination::limit(query.limit)?;
    if query.action == Some(AuditAction::Other) {
        return Err(ApiError::new(
            ErrorCode::MalformedRequest,
            "Unknown `action`. Use one of: grant_admin, revoke_admin, disable_account, \
             enable_account, revoke_session, revoke_sessions, mfa_reset, password_reset.",
        ));
    }
    // PostgreSQL text never holds NUL: such an id names nobody, on either engine.
    let ids = [&query.actor, &query.target];
    if ids.into_iter().flatten().any(|id| id.contains('\0')) {
        return Ok(Json(Page {
            items: Vec::new(),
            next_cursor: None,
        }));
    }
    let filter = AuditFilter {
        actor_id: query.actor,
        target_id: query.target,
        action: query.action.map(|action| action.as_str().to_string()),
    };
    let cursor =
        pagination::position(query.cursor.as_deref())?.map(|(at, id)| AuditCursor { at, id });
    let (records, more) = state
        .store
        .audit_page(&filter, limit, cursor.as_ref())
        .await?;
    let next_cursor = pagination::next(more, &records, |e| (e.at, &e.id));
    Ok(Json(Page {
        items: records.into_iter().map(to_wire).collect(),
        next_cursor,
    }))
}

fn to_wire(record: AuditRecord) -> AuditEntry {
    AuditEntry {
        id: record.id,
        at: from_ms(record.at),
        actor_id: record.actor_id,
        actor_email: record.actor_email,
        action: AuditAction::parse(&record.action).unwrap_or(AuditAction::Other),
        target_id: record.target_id,
        target_email: record.target_email,
        reason: record.reason,
        request_id: record.request_id,
        detail: record.detail,
    }
}
