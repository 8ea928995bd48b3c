//! Discovery: `/healthz`, `/readyz`, `/v1/meta`, `/v1/openapi.json`.

use acctl_api::{Health, Meta, features, paths};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

/// `GET /readyz`: acctd's own, beside the contract's `/healthz`.
pub const READYZ: &str = "/readyz";

/// Liveness: the process answers (the database is not asked).
#[utoipa::path(get, path = paths::HEALTHZ, tag = "meta",
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".to_string(),
    })
}

/// Readiness, for load balancers: 200 when the database answers and
/// carries every migration this build knows; 503 otherwise.
#[utoipa::path(get, path = READYZ, tag = "meta",
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database is unreachable or not migrated", body = Health),
    ))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    if state.store.is_ready().await {
        (
            StatusCode::OK,
            Json(Health {
                status: "ok".to_string(),
            }),
        )
    } else {
        let status = "the database is unreachable or not migrated".to_string();
        (StatusCode::SERVICE_UNAVAILABLE, Json(Health { status }))
    }
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
            features::ADMIN,
        ]
        .map(str::to_string)
        .to_vec(),
    })
}

/// This API's OpenAPI document.
#[utoipa::path(get, path = paths::OPENAPI, tag = "meta", operation_id = "get_openapi",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi() -> Json<serde_json::Value> {
    Json(crate::openapi::document())
}
