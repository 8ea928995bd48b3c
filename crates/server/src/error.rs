//! Every error leaves the server as an RFC 9457 problem document. Handlers
//! return [`ApiError`]; the [`fill_request_id`] middleware stamps the request
//! id into the body on the way out, so even panics and unknown routes carry it.

use std::fmt::Display;

use acctl_api::error::{PROBLEM_CONTENT_TYPE, REQUEST_ID_HEADER};
use acctl_api::{ErrorCode, FieldErrors, Problem};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// An error answer: the problem to send, plus headers some problems need.
/// Boxed, so `Result<_, ApiError>` stays small on the happy path.
#[derive(Debug)]
pub struct ApiError(Box<Answer>);

#[derive(Debug)]
struct Answer {
    problem: Problem,
    headers: HeaderMap,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self(Box::new(Answer {
            problem: Problem::new(code, detail),
            headers: HeaderMap::new(),
        }))
    }

    /// The same answer with one more header, e.g. the `ETag` of a 412.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.0.headers.insert(name, value);
        self
    }

    /// The same answer with a message on one field of the request.
    pub fn with_field_error(mut self, field: &str, message: impl Into<String>) -> Self {
        let errors = &mut self.0.problem.errors;
        errors
            .entry(field.to_string())
            .or_default()
            .push(message.into());
        self
    }

    /// 422 with messages per field.
    pub fn validation(errors: FieldErrors) -> Self {
        let mut error = Self::new(
            ErrorCode::ValidationFailed,
            "Some fields are not valid; see `errors` for what to change.",
        );
        error.0.problem.errors = errors;
        error
    }

    /// A 500 answer. The cause goes to the log (it never holds secrets: SQL
    /// errors carry no bound values); the client only gets the request id.
    pub fn internal(cause: impl Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            ErrorCode::Internal,
            "The server failed to handle this request. Try again; if it keeps failing, report the request id.",
        )
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, detail)
    }

    /// 429 with `Retry-After`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(
            ErrorCode::RateLimited,
            format!("Too many failed sign-ins. Try again in {retry_after_secs} seconds."),
        )
        .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after_secs))
    }
}

/// The detail, then one line per field message: what a command line shows.
impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let problem = &self.0.problem;
        if problem.errors.is_empty() {
            return write!(f, "{problem}");
        }
        write!(f, "some fields are not valid:")?;
        for (field, messages) in &problem.errors {
            for message in messages {
                write!(f, "\n  {field}: {message}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        Self::internal(error)
    }
}

impl From<crate::secrets::OpenError> for ApiError {
    fn from(error: crate::secrets::OpenError) -> Self {
        Self::internal(error)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        Self::internal(format!("{error:#}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let Answer { problem, headers } = *self.0;
        let mut response = problem_response(problem);
        response.headers_mut().extend(headers);
        response
    }
}

/// A problem as a response. The problem also rides along in the response
/// extensions so [`fill_request_id`] can add the request id later.
pub fn problem_response(problem: Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, problem_body(&problem)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
    );
    response.extensions_mut().insert(problem);
    response
}

fn problem_body(problem: &Problem) -> Body {
    // Serialising a struct of strings and maps cannot fail; fall back to a
    // minimal document rather than panicking if it ever did.
    match serde_json::to_vec(problem) {
        Ok(bytes) => Body::from(bytes),
        Err(_) => Body::from(
            r#"{"title":"Something went wrong on the server","status":500,"code":"internal"}"#,
        ),
    }
}

/// Middleware: copies the `x-request-id` of the request into any problem
/// body the inner service answered with.
pub async fn fill_request_id(request: Request, next: Next) -> Response {
    let request_id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let response = next.run(request).await;
    let Some(mut problem) = response.extensions().get::<Problem>().cloned() else {
        return response;
    };
    problem.request_id = request_id;
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.extensions.insert(problem.clone());
    Response::from_parts(parts, problem_body(&problem))
}

/// Handler of routes that do not exist.
pub async fn no_such_route() -> ApiError {
    ApiError::not_found("There is no such resource. See /v1/openapi.json for the routes.")
}

/// Handler of known routes called with the wrong method.
pub async fn wrong_method() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "This resource does not accept that method. See /v1/openapi.json for the methods it does.",
    )
}

/// `CatchPanicLayer` hook: a panic becomes a plain 500, never a trace.
pub fn panic_response(_payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    problem_response(Problem::new(
        ErrorCode::Internal,
        "The server failed to handle this request. Try again; if it keeps failing, report the request id.",
    ))
}
