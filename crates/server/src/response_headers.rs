//! Headers every answer gets. Almost every answer of this server carries a
//! token, a secret or personal data, so the rule is the simple one: no
//! answer is stored by a cache (RFC 6749 §5.1 asks it for tokens), none is
//! sniffed into another type, every 401 names the scheme (RFC 6750 §3),
//! and the checkout page cannot be framed.

use acctl_api::{ErrorCode, Problem, paths};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The checkout page loads nothing and posts only to itself.
const CHECKOUT_POLICY: &str =
    "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Middleware: adds the headers on the way out.
pub async fn add(request: Request, next: Next) -> Response {
    let sent_token = request.headers().contains_key(header::AUTHORIZATION);
    let checkout = is_checkout(request.uri().path());
    let mut response = next.run(request).await;
    let code = response
        .extensions()
        .get::<Problem>()
        .and_then(Problem::error_code);
    let status = response.status();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if status == StatusCode::UNAUTHORIZED {
        headers.insert(header::WWW_AUTHENTICATE, challenge(code, sent_token));
    }
    if checkout {
        frame_nothing(headers);
    }
    response
}

/// `Bearer`, with `error="invalid_token"` when the token sent was refused.
fn challenge(code: Option<ErrorCode>, sent_token: bool) -> HeaderValue {
    let invalid = match code {
        Some(ErrorCode::TokenExpired | ErrorCode::SessionRevoked) => true,
        Some(ErrorCode::Unauthenticated) => sent_token,
        _ => false,
    };
    HeaderValue::from_static(if invalid {
        "Bearer realm=\"acctd\", error=\"invalid_token\""
    } else {
        "Bearer realm=\"acctd\""
    })
}

fn frame_nothing(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CHECKOUT_POLICY),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

fn is_checkout(path: &str) -> bool {
    let prefix = paths::CHECKOUT_PATTERN.trim_end_matches("{token}");
    path.starts_with(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_refused_token_is_called_invalid() {
        let plain = "Bearer realm=\"acctd\"";
        assert_eq!(challenge(Some(ErrorCode::Unauthenticated), false), plain);
        assert_ne!(challenge(Some(ErrorCode::Unauthenticated), true), plain);
        assert_ne!(challenge(Some(ErrorCode::TokenExpired), true), plain);
        assert_eq!(challenge(Some(ErrorCode::InvalidCredentials), false), plain);
        assert!(is_checkout("/billing/checkout/chk_1"));
        assert!(!is_checkout("/v1/me"));
    }
}
