//! The layers every request passes: deadlines, request ids (made, traced,
//! echoed and written into problem bodies), response headers, panics caught.

use std::time::Duration;

use acctl_api::error::REQUEST_ID_HEADER;
use axum::Router;
use axum::http::{Request, Response};
use tower::ServiceBuilder;
use tower::util::MapRequestLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::state::AppState;
use crate::{deadlines, error, response_headers, routes};

pub(crate) fn app(state: AppState) -> Router {
    let deadlines = deadlines::Deadlines {
        body: state.config.edge.body_timeout,
        handler: state.config.edge.handler_timeout,
    };
    let routes = routes::router(state).layer(axum::middleware::from_fn_with_state(
        deadlines,
        deadlines::within_deadlines,
    ));
    with_layers(routes)
}

/// Wraps routes in the layers every request passes: request id (made,
/// traced, echoed, and written into problem bodies) and panic catching.
fn with_layers(routes: Router) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(request_span)
        .on_request(())
        .on_response(|response: &Response<_>, latency: Duration, _: &Span| {
            tracing::info!(
                status = response.status().as_u16(),
                latency_ms = latency.as_millis(),
                "answered"
            );
        })
        .on_failure(());
    routes.layer(
        ServiceBuilder::new()
            // Request ids are always the server's own: one chosen by a
            // client could be reused to muddle the logs.
            .layer(MapRequestLayer::new(
                |mut request: axum::extract::Request| {
                    request.headers_mut().remove(REQUEST_ID_HEADER);
                    request
                },
            ))
            .layer(axum::middleware::from_fn(response_headers::add))
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(trace)
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(axum::middleware::from_fn(error::fill_request_id))
            .layer(CatchPanicLayer::custom(error::panic_response)),
    )
}

/// Method, path (never the query or headers) and request id.
fn request_span<B>(request: &Request<B>) -> Span {
    let request_id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %loggable_path(request.uri().path()),
        request_id = %request_id,
    )
}

/// The path as logged: a checkout link's token is a secret, so it is cut.
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    let checkout = acctl_api::paths::CHECKOUT_PATTERN.trim_end_matches("{token}");
    match path.strip_prefix(checkout) {
        Some(token) if !token.is_empty() => format!("{checkout}[token]").into(),
        _ => path.into(),
    }
}

#[cfg(test)]
mod tests {
    use axum::body::{Body, to_bytes};
    use axum::routing::get;
    use tower::ServiceExt as _;

    use super::*;

    #[test]
    fn checkout_tokens_stay_out_of_the_log() {
        assert_eq!(
            loggable_path("/billing/checkout/chk_s3cret"),
            "/billing/checkout/[token]"
        );
        assert_eq!(loggable_path("/v1/me/invoices"), "/v1/me/invoices");
    }

    #[tokio::test]
    async fn a_panic_becomes_a_problem_with_the_request_id() {
        async fn boom() -> &'static str {
            panic!("secret stack detail")
        }
        let routes = Router::new().route("/boom", get(boom));
        let request = Request::get("/boom").body(Body::empty()).expect("request");
        let response = with_layers(routes)
            .oneshot(request)
            .await
            .expect("answered");
        assert_eq!(response.status(), 500);
        let header_id = response.headers()[REQUEST_ID_HEADER]
            .to_str()
            .expect("ascii")
            .to_string();
        let body = to_bytes(response.into_body(), 64 * 1024)
            .await
            .expect("body");
        let problem: acctl_api::Problem = serde_json::from_slice(&body).expect("a problem");
        assert_eq!(problem.code, "internal");
        assert_eq!(problem.request_id.as_deref(), Some(header_id.as_str()));
        assert!(!String::from_utf8_lossy(&body).contains("secret stack detail"));
    }
}
