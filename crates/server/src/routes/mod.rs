//! The HTTP routes, one module per resource.

pub mod auth;
pub mod events;
pub mod me;
pub mod meta;
pub mod sessions;

use acctl_api::paths;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};

use crate::error::{no_such_route, wrong_method};
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let body_limit = state.config.max_body_bytes;
    Router::new()
        .route(paths::HEALTHZ, get(meta::healthz))
        .route(paths::META, get(meta::meta))
        .route(paths::OPENAPI, get(meta::openapi))
        .route(paths::SIGNUP, post(auth::signup))
        .route(paths::LOGIN, post(auth::login))
        .route(paths::REFRESH, post(auth::refresh))
        .route(paths::LOGOUT, post(auth::logout))
        .route(paths::ME, get(me::me))
        .route(
            paths::SESSIONS,
            get(sessions::list).delete(sessions::revoke_others),
        )
        .route(paths::SESSION_PATTERN, delete(sessions::revoke))
        .route(paths::SECURITY_EVENTS, get(events::list))
        .fallback(no_such_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}
