//! Discovery: `/healthz`, `/v1/meta`, `/v1/openapi.json`.

use acctl_api::{Health, Meta, features, paths};
use axum::Json;
use axum::extract::State;

use crate::state::AppState;

/// Liveness.
#[utoipa::path(get, path = paths::HEALTHZ, tag = "meta",
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".to_string(),
    })
}

/// Who the server is and what it supports.
#[utoipa::path(get, path = paths::META, tag = "meta", operation_id = "get_meta",
    responses((status = 200, description = "Server name, version, features", body = Meta)))]
pub async fn meta(State(state): State<AppState>) -> Json<Meta> {
    Json(Meta {
        name: state.config.server_name.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        features: [
            features::SESSIONS,
            features::SECURITY_EVENTS,
            features::MFA,
            features::PROFILE,
            features::NOTIFICATIONS,
            features::PRIVACY,
            features::BILLING,
        ]
        .map(str::to_string)
        .to_vec(),
    })
}

/// This API's OpenAPI document.
#[utoipa::path(get, path = paths::OPENAPI, tag = "meta", operation_id = "get_openapi",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}
