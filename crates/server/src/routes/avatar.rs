//! `/v1/me/avatar`: the account's picture. Uploads are decoded and stored
//! as the server's own square PNG; see [`crate::avatar`].

use std::sync::LazyLock;

use acctl_api::{AVATAR_MAX_BYTES, Account, ErrorCode, SecurityEventKind, paths};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::auth::Authenticated;
use crate::avatar::{Refusal, square_png};
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::routes::me::{Tagged, tagged_account};
use crate::routes::reauth::{field_error, my_event};
use crate::state::AppState;

/// Pictures decoded at once. Each may take up to 128 MiB and a core for a
/// moment; more uploads wait their turn rather than exhaust the machine.
static DECODES: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

/// The account's picture, a square PNG.
#[utoipa::path(get, path = paths::AVATAR, tag = "account", operation_id = "get_avatar", security(("bearer" = [])),
    responses(
        // No schema: in OpenAPI 3.1 a media type alone describes raw bytes.
        (status = 200, description = "The picture", content(("image/png"))),
        (status = 404, description = "`not_found`: the account has no picture", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(State(state): State<AppState>, me: Authenticated) -> ApiResult<Response> {
    let png = state
        .store
        .avatar(&me.user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("This account has no picture."))?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("image/png")),
        // `Cache-Control: no-store` and `nosniff` come with every answer.
    ];
    Ok((StatusCode::OK, headers, png).into_response())
}

/// Set the picture from a PNG or JPEG of at most 1 MiB. The centred square
/// is kept, scaled to 256 x 256 and stored as PNG.
#[utoipa::path(put, path = paths::AVATAR, tag = "account", operation_id = "set_avatar", security(("bearer" = [])),
    request_body(description = "The picture's bytes", content(("image/png"), ("image/jpeg"))),
    responses(
        (status = 200, description = "The account, `has_avatar` true; an `avatar_changed` event is logged", body = Account,
            headers(("ETag" = String, description = "The profile's version (a picture does not change it)"))),
        (status = 413, description = "`payload_too_large`: over 1 MiB", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported_media_type`: send `Content-Type: image/png` or `image/jpeg`", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` on `avatar`: not a readable PNG or JPEG, or more than 8192 pixels a side or about 32 megapixels", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: at most 20 picture changes an hour; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn put(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    Upload(upload): Upload,
) -> ApiResult<Tagged<Account>> {
    crate::quota::check(&state, &me.user_id, &crate::quota::AVATARS).await?;
    let turn = DECODES
        .acquire()
        .await
        .map_err(|_| ApiError::internal("the decode queue closed"))?;
    // The turn goes with the work: a client that hangs up does not free it
    // while the decode still runs.
    let png = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        square_png(&upload)
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|refusal: Refusal| field_error("avatar", &refusal.message()))?;
    let mut event = my_event(&state, &me, &caller, SecurityEventKind::AvatarChanged);
    event.detail = Some("Set".to_string());
    state.store.set_avatar(&me.user_id, &png, &event).await?;
    tagged_account(&state, &me).await
}

/// Remove the picture (if there is none, nothing happens).
#[utoipa::path(delete, path = paths::AVATAR, tag = "account", operation_id = "delete_avatar", security(("bearer" = [])),
    responses(
        (status = 200, description = "The account, `has_avatar` false; an `avatar_changed` event is logged if there was a picture", body = Account,
            headers(("ETag" = String, description = "The profile's version (unchanged)"))),
        (status = 429, description = "`rate_limited`: at most 20 picture changes an hour; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
) -> ApiResult<Tagged<Account>> {
    crate::quota::check(&state, &me.user_id, &crate::quota::AVATARS).await?;
    let mut event = my_event(&state, &me, &caller, SecurityEventKind::AvatarChanged);
    event.detail = Some("Removed".to_string());
    state.store.remove_avatar(&me.user_id, &event).await?;
    tagged_account(&state, &me).await
}

/// The body of an upload: labelled PNG or JPEG (415 otherwise), at most
/// [`AVATAR_MAX_BYTES`] (413 otherwise, before reading it when the length
/// is declared).
pub struct Upload(Bytes);

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let headers = request.headers();
        let media_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map(|media_type| media_type.trim().to_ascii_lowercase());
        if !matches!(media_type.as_deref(), Some("image/png" | "image/jpeg")) {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "Send the picture's bytes with `Content-Type: image/png` or `image/jpeg`.",
            ));
        }
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if declared.is_some_and(|length| length > AVATAR_MAX_BYTES as u64) {
            return Err(too_large());
        }
        match Bytes::from_request(request, state).await {
            Ok(bytes) => Ok(Self(bytes)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(too_large())
            }
            Err(_) => Err(ApiError::new(
                ErrorCode::MalformedRequest,
                "The request body could not be read.",
            )),
        }
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "The picture is larger than this server accepts ({} KiB). Send a smaller one.",
            AVATAR_MAX_BYTES / 1024
        ),
    )
}
