//! Request extractors whose rejections are problem documents, and the facts
//! about the caller (address, user agent) a sign-in records.

use std::net::SocketAddr;

use acctl_api::ErrorCode;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;

/// `axum::Json`, but a bad body answers 400/413/415 problems.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the body as JSON with `Content-Type: application/json`.",
        ),
        _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            ErrorCode::PayloadTooLarge,
            "The body is larger than this server accepts (64 KiB).",
        ),
        JsonRejection::JsonDataError(error) => ApiError::new(
            ErrorCode::MalformedRequest,
            format!(
                "The JSON body does not fit this request: {}",
                error.body_text()
            ),
        ),
        JsonRejection::JsonSyntaxError(error) => ApiError::new(
            ErrorCode::MalformedRequest,
            format!("The body is not valid JSON: {}", error.body_text()),
        ),
        _ => ApiError::new(
            ErrorCode::MalformedRequest,
            "The request body could not be read.",
        ),
    }
}

/// `axum::extract::Query`, but a bad query string answers 400.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(query_rejection(&rejection)),
        }
    }
}

fn query_rejection(rejection: &QueryRejection) -> ApiError {
    ApiError::new(
        ErrorCode::MalformedRequest,
        format!("The query string is not valid: {}", rejection.body_text()),
    )
}

/// The id in a path, or `None` when it cannot name anything: not UTF-8,
/// or holding NUL, which PostgreSQL text never holds (and refuses to
/// compare), so such an id is unknown on either engine alike.
pub fn path_id(id: Result<Path<String>, PathRejection>) -> Option<String> {
    id.ok().map(|Path(id)| id).filter(|id| !id.contains('\0'))
}

/// Who is calling: the client's address (see [`crate::proxy`]) and the
/// `User-Agent`, as a sign-in records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Longest user agent kept; the rest is cut off.
const MAX_USER_AGENT: usize = 512;

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // The peer address is only there when served with connect info;
        // behind trusted proxies the client is found in their headers.
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| {
                let proxies = &state.config.trusted_proxies;
                proxies.client_ip(addr.ip(), &parts.headers).to_string()
            });
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(clean_user_agent)
            .filter(|ua| !ua.is_empty());
        Ok(Self { ip, user_agent })
    }
}

fn clean_user_agent(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control())
        .take(MAX_USER_AGENT)
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_are_cut_and_cleaned() {
        assert_eq!(clean_user_agent(" curl/8.0\t "), "curl/8.0");
        assert_eq!(clean_user_agent(&"x".repeat(2000)).len(), MAX_USER_AGENT);
    }
}
