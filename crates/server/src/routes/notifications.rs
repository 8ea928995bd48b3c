//! `/v1/me/notifications`: the in-app inbox, newest first, and marking it read.

use acctl_api::notifications::{
    Notification, NotificationCategory, NotificationQuery, UnreadCount,
};
use acctl_api::{Page, paths};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};

use crate::auth::Authenticated;
use crate::clock::from_ms;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::pagination;
use crate::state::AppState;
use crate::store::{NotificationCursor, NotificationRecord};

/// The inbox, newest first.
#[utoipa::path(get, path = paths::NOTIFICATIONS, tag = "notifications", operation_id = "list_notifications", security(("bearer" = [])),
    params(
        ("unread" = Option<bool>, Query, description = "Only notifications not yet read"),
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "A page of notifications", body = Page<Notification>)))]
pub async fn list(
    State(state): State<AppState>,
    me: Authenticated,
    ApiQuery(query): ApiQuery<NotificationQuery>,
) -> ApiResult<Json<Page<Notification>>> {
    let limit = pagination::limit(query.limit);
    let cursor = pagination::position(query.cursor.as_deref())?
        .map(|(created_at, id)| NotificationCursor { created_at, id });
    let (records, more) = state
        .store
        .list_notifications(&me.user_id, query.unread, limit, cursor.as_ref())
        .await?;
    let next_cursor = pagination::next(more, &records, |n| (n.created_at, &n.id));
    let items = records.into_iter().map(to_wire).collect();
    Ok(Json(Page { items, next_cursor }))
}

/// How many notifications are unread.
#[utoipa::path(get, path = paths::NOTIFICATIONS_UNREAD_COUNT, tag = "notifications", operation_id = "count_unread_notifications", security(("bearer" = [])),
    responses((status = 200, description = "The number unread", body = UnreadCount)))]
pub async fn unread_count(
    State(state): State<AppState>,
    me: Authenticated,
) -> ApiResult<Json<UnreadCount>> {
    let unread = state.store.unread_notifications(&me.user_id).await?;
    Ok(Json(UnreadCount {
        unread: u32::try_from(unread).unwrap_or(u32::MAX),
    }))
}

/// Mark one notification read (again is fine: the first time stays).
#[utoipa::path(post, path = paths::NOTIFICATION_READ_PATTERN, tag = "notifications", operation_id = "mark_notification_read", security(("bearer" = [])),
    params(("id" = String, Path, description = "The notification's id")),
    responses(
        (status = 200, description = "The notification, read", body = Notification),
        (status = 404, description = "`not_found`: no such notification of this account", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn mark_read(
    State(state): State<AppState>,
    me: Authenticated,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Notification>> {
    let Some(id) = crate::extract::path_id(id) else {
        return Err(not_found());
    };
    let record = state
        .store
        .mark_notification_read(&me.user_id, &id, state.now_ms())
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(to_wire(record)))
}

/// Mark every notification read; answers the count left unread (0).
#[utoipa::path(post, path = paths::NOTIFICATIONS_READ_ALL, tag = "notifications", operation_id = "mark_all_notifications_read", security(("bearer" = [])),
    responses((status = 200, description = "Everything read; the count left", body = UnreadCount)))]
pub async fn read_all(
    State(state): State<AppState>,
    me: Authenticated,
) -> ApiResult<Json<UnreadCount>> {
    let store = &state.store;
    store
        .mark_all_notifications_read(&me.user_id, state.now_ms())
        .await?;
    // Counted afterwards: one that arrived meanwhile is still unread.
    let unread = store.unread_notifications(&me.user_id).await?;
    Ok(Json(UnreadCount {
        unread: u32::try_from(unread).unwrap_or(u32::MAX),
    }))
}

fn not_found() -> ApiError {
    ApiError::not_found("There is no such notification. List them with GET /v1/me/notifications.")
}

pub(crate) fn to_wire(record: NotificationRecord) -> Notification {
    Notification {
        id: record.id,
        // Only `notify` writes rows, always with a known category.
        category: NotificationCategory::parse(&record.category)
            .unwrap_or(NotificationCategory::Account),
        title: record.title,
        body: record.body,
        created_at: from_ms(record.created_at),
        read_at: record.read_at.map(from_ms),
    }
}
