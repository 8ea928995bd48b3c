//! Time limits on a request once its head has arrived: the whole body must
//! arrive within one deadline (a body trickled a byte a second is cut off,
//! where a per-chunk timeout would let it run), and the handler must answer
//! within another.

use std::time::Duration;

use acctl_api::{AVATAR_MAX_BYTES, ErrorCode};
use axum::body::{Body, HttpBody as _};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The two deadlines, as the middleware needs them.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    pub body: Duration,
    pub handler: Duration,
}

/// Largest body read ahead: the largest any route accepts. Routes still
/// apply their own (smaller) limits to what was read.
const LARGEST_BODY: usize = AVATAR_MAX_BYTES;

/// Middleware: reads the body within `body`, then runs the handler within
/// `handler`.
pub async fn within_deadlines(
    State(deadlines): State<Deadlines>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = match read_body(body, deadlines.body).await {
        Ok(body) => body,
        Err(refusal) => return refusal.into_response(),
    };
    let request = Request::from_parts(parts, body);
    match tokio::time::timeout(deadlines.handler, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(after = ?deadlines.handler, "a handler took too long and was stopped");
            ApiError::new(
                ErrorCode::TooSlow,
                "The server took too long to answer. Try again in a moment.",
            )
            .with_header(header::RETRY_AFTER, header::HeaderValue::from(1))
            .into_response()
        }
    }
}

async fn read_body(body: Body, within: Duration) -> Result<Body, ApiError> {
    if body.is_end_stream() {
        return Ok(body);
    }
    match tokio::time::timeout(within, axum::body::to_bytes(body, LARGEST_BODY)).await {
        Ok(Ok(bytes)) => Ok(Body::from(bytes)),
        Ok(Err(error)) if is_too_large(&error) => Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("The body is larger than any this server accepts ({LARGEST_BODY} bytes)."),
        )),
        Ok(Err(_)) => Err(ApiError::new(
            ErrorCode::MalformedRequest,
            "The request body could not be read.",
        )),
        Err(_) => Err(ApiError::new(
            ErrorCode::RequestTimeout,
            format!(
                "The body did not arrive within {} seconds. Send it at once.",
                within.as_secs()
            ),
        )
        .with_header(
            header::CONNECTION,
            header::HeaderValue::from_static("close"),
        )),
    }
}

fn is_too_large(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::to_bytes;
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower::ServiceExt as _;

    use super::*;

    #[tokio::test]
    async fn a_handler_past_its_deadline_answers_503() {
        async fn slow() -> &'static str {
            tokio::time::sleep(Duration::from_secs(60)).await;
            "too late"
        }
        let deadlines = Deadlines {
            body: Duration::from_secs(5),
            handler: Duration::from_millis(50),
        };
        let app =
            Router::new()
                .route("/slow", get(slow))
                .layer(axum::middleware::from_fn_with_state(
                    deadlines,
                    within_deadlines,
                ));
        let request = Request::get("/slow").body(Body::empty()).expect("request");
        let response = app.oneshot(request).await.expect("answered");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = to_bytes(response.into_body(), 4096).await.expect("body");
        assert!(String::from_utf8_lossy(&body).contains("too_slow"));
    }
}
