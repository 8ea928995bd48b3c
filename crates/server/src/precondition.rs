//! Optimistic concurrency: what can be edited is served with
//! `ETag: "<version>"`, and an edit must send `If-Match` with the tag it
//! edited, so the second of two edits of one version is told (412) instead
//! of silently undoing the first.

use acctl_api::ErrorCode;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, header};

use crate::error::ApiError;

/// The strong entity tag of `version`: `"<n>"`, quotes included.
pub fn etag(version: i64) -> HeaderValue {
    // Digits and quotes are always a valid header value; the fallback only
    // keeps this free of a panic path.
    HeaderValue::try_from(format!("\"{version}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// `ETag: "<version>"`, as a header pair a handler can answer with.
pub fn etag_header(version: i64) -> [(HeaderName, HeaderValue); 1] {
    [(header::ETAG, etag(version))]
}

/// 412 for an edit of another version than `current`, carrying its ETag so
/// the client knows what to load.
pub fn stale(current: i64, what: &str) -> ApiError {
    ApiError::new(
        ErrorCode::PreconditionFailed,
        format!(
            "The {what} changed since you loaded it. Load it again (its ETag is now \"{current}\"), \
             redo your change and send it with that ETag in If-Match."
        ),
    )
    .with_header(header::ETAG, etag(current))
}

/// The entity tags of `If-Match`. Missing (or `*`, which would match any
/// version and so protect nothing) is a 428.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfMatch(Vec<String>);

impl IfMatch {
    /// True when `version`'s tag is among those sent. Weak tags (`W/"1"`)
    /// never match: If-Match compares strongly (RFC 9110, 13.1.1).
    pub fn matches(&self, version: i64) -> bool {
        let tag = format!("\"{version}\"");
        self.0.contains(&tag)
    }

    fn parse(values: &[&str]) -> Result<Self, ApiError> {
        let tags: Vec<String> = values
            .iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|tag| !tag.is_empty())
            .map(str::to_string)
            .collect();
        if tags.is_empty() {
            return Err(ApiError::new(
                ErrorCode::PreconditionRequired,
                "Send `If-Match` with the ETag of the version you edited (GET answers with it).",
            ));
        }
        if tags.iter().any(|tag| tag == "*") {
            return Err(ApiError::new(
                ErrorCode::PreconditionRequired,
                "`If-Match: *` would overwrite any version; send the ETag of the version you edited.",
            ));
        }
        Ok(Self(tags))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        // A value that is not text cannot be one of our tags; it is dropped,
        // so it ends up as a 428 (nothing usable) or a mismatch.
        let values: Vec<&str> = parts
            .headers
            .get_all(header::IF_MATCH)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect();
        Self::parse(&values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_compares_strong_tags() {
        let sent = IfMatch::parse(&["\"3\", W/\"4\"", "\"7\""]).expect("tags");
        assert!(sent.matches(3) && sent.matches(7));
        assert!(!sent.matches(4), "weak tags do not match");
        assert!(
            !IfMatch::parse(&["3"]).expect("a tag").matches(3),
            "unquoted"
        );
        assert!(IfMatch::parse(&[]).is_err());
        assert!(IfMatch::parse(&[" , "]).is_err());
        assert!(IfMatch::parse(&["*"]).is_err());
        assert_eq!(etag(12), "\"12\"");
    }
}
