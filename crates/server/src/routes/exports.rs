//! `/v1/me/exports`: start a data export, follow it, download it.

use acctl_api::privacy::{DataExport, ExportDocument, ExportStatus};
use acctl_api::{ErrorCode, Page, PageQuery, SecurityEventKind, paths};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::Authenticated;
use crate::clock::from_ms;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller};
use crate::pagination;
use crate::routes::reauth::my_event;
use crate::state::AppState;
use crate::store::exports::{FAILED, READY};
use crate::store::{ExportOwner, ExportRecord};

/// Start an export of everything held about the account. While one runs,
/// asking again answers that one.
#[utoipa::path(post, path = paths::EXPORTS, tag = "privacy", operation_id = "start_export", security(("bearer" = [])),
    responses((status = 202, description = "The job, running; poll `GET /v1/me/exports/{id}` (logged `data_export_requested`; \"export ready\" is notified when done)", body = DataExport)))]
pub async fn start(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
) -> ApiResult<(StatusCode, Json<DataExport>)> {
    let event = my_event(&state, &me, &caller, SecurityEventKind::DataExportRequested);
    let owner = ExportOwner {
        user_id: me.user_id.clone(),
        session_id: me.session_id.clone(),
    };
    let lease = crate::export::lease_until(&state);
    let (record, started) = state.store.start_export(&owner, &event, lease).await?;
    if started {
        tokio::spawn(crate::export::run(state.clone(), me, record.id.clone()));
    }
    Ok((StatusCode::ACCEPTED, Json(to_wire(record, state.now_ms()))))
}

/// The account's exports, newest first.
#[utoipa::path(get, path = paths::EXPORTS, tag = "privacy", operation_id = "list_exports", security(("bearer" = [])),
    params(
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "A page of exports", body = Page<DataExport>)))]
pub async fn list(
    State(state): State<AppState>,
    me: Authenticated,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<DataExport>>> {
    let limit = pagination::limit(query.limit);
    let cursor = pagination::position(query.cursor.as_deref())?;
    let (records, more) = state
        .store
        .list_exports(&me.user_id, limit, cursor.as_ref())
        .await?;
    let next_cursor = pagination::next(more, &records, |e| (e.created_at, &e.id));
    let now = state.now_ms();
    let items = records.into_iter().map(|r| to_wire(r, now)).collect();
    Ok(Json(Page { items, next_cursor }))
}

/// One export: how far it is, and until when it can be downloaded.
#[utoipa::path(get, path = paths::EXPORT_PATTERN, tag = "privacy", operation_id = "get_export", security(("bearer" = [])),
    params(("id" = String, Path, description = "The export's id")),
    responses(
        (status = 200, description = "The job", body = DataExport),
        (status = 404, description = "`not_found`: no such export of this account", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    me: Authenticated,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<DataExport>> {
    let record = mine(&state, &me, id).await?;
    Ok(Json(to_wire(record, state.now_ms())))
}

/// The export's document, as an attachment.
#[utoipa::path(get, path = paths::EXPORT_DOWNLOAD_PATTERN, tag = "privacy", operation_id = "download_export", security(("bearer" = [])),
    params(("id" = String, Path, description = "The export's id")),
    responses(
        (status = 200, description = "The document", body = ExportDocument,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"acctl-export-<date>-<id>.json\"`"))),
        (status = 404, description = "`not_found`: no such export of this account", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`export_not_ready`: still running (or failed: start a new one)", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 410, description = "`export_expired`: past `expires_at`; start a new one", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn download(
    State(state): State<AppState>,
    me: Authenticated,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Response> {
    let record = mine(&state, &me, id).await?;
    match to_wire(record.clone(), state.now_ms()).status {
        ExportStatus::Ready => {}
        ExportStatus::Running => {
            return Err(not_ready("It is still being built; try again in a moment."));
        }
        ExportStatus::Failed => return Err(not_ready("It failed. Start a new export.")),
        ExportStatus::Expired => {
            return Err(ApiError::new(
                ErrorCode::ExportExpired,
                "This export has expired. Start a new one with POST /v1/me/exports.",
            ));
        }
    }
    let document = state
        .store
        .export_document(&me.user_id, &record.id)
        .await?
        .ok_or_else(|| ApiError::internal("a ready export without its document"))?;
    Ok(attachment(&record, document))
}

fn attachment(record: &ExportRecord, document: String) -> Response {
    let date = from_ms(record.ready_at.unwrap_or(record.created_at)).format("%Y-%m-%d");
    let short_id: String = record.id.chars().take(8).collect();
    let disposition = format!("attachment; filename=\"acctl-export-{date}-{short_id}.json\"");
    let mut response = document.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

async fn mine(
    state: &AppState,
    me: &Authenticated,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<ExportRecord> {
    let not_found =
        || ApiError::not_found("There is no such export. List them with GET /v1/me/exports.");
    let Some(id) = crate::extract::path_id(id) else {
        return Err(not_found());
    };
    state
        .store
        .export(&me.user_id, &id)
        .await?
        .ok_or_else(not_found)
}

fn not_ready(what: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ExportNotReady,
        format!("This export cannot be downloaded yet. {what}"),
    )
}

/// The job as the wire has it; ready past `expires_at` (by the server's
/// clock) is expired.
fn to_wire(record: ExportRecord, now: i64) -> DataExport {
    let expired = record.expires_at.is_some_and(|at| at <= now);
    let status = match record.status.as_str() {
        READY if expired => ExportStatus::Expired,
        READY => ExportStatus::Ready,
        FAILED => ExportStatus::Failed,
        _ => ExportStatus::Running,
    };
    DataExport {
        id: record.id,
        status,
        progress_percent: u8::try_from(record.progress_percent.clamp(0, 100)).unwrap_or(100),
        created_at: from_ms(record.created_at),
        ready_at: record.ready_at.map(from_ms),
        expires_at: record.expires_at.map(from_ms),
        size_bytes: record.size_bytes.and_then(|n| u64::try_from(n).ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(status: &str, expires_at: Option<i64>) -> ExportRecord {
        ExportRecord {
            id: "e".to_string(),
            status: status.to_string(),
            progress_percent: 40,
            created_at: 0,
            ready_at: expires_at.map(|_| 1),
            expires_at,
            size_bytes: Some(12),
        }
    }

    #[test]
    fn a_ready_export_expires_at_its_time_by_the_clock_given() {
        assert_eq!(
            to_wire(record(READY, Some(100)), 99).status,
            ExportStatus::Ready
        );
        assert_eq!(
            to_wire(record(READY, Some(100)), 100).status,
            ExportStatus::Expired
        );
        assert_eq!(
            to_wire(record(FAILED, None), 100).status,
            ExportStatus::Failed
        );
        let running = to_wire(record("running", None), 100);
        assert_eq!(
            (running.status, running.progress_percent),
            (ExportStatus::Running, 40)
        );
    }
}
