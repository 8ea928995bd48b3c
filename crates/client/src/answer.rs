//! Reading answers: a success body as its type, else the server's problem
//! document, else a readable error with the start of the body and the
//! request id (an HTML page from a proxy, truncated JSON...).

use acctl_api::Problem;
use acctl_api::error::{PROBLEM_CONTENT_TYPE, REQUEST_ID_HEADER};
use reqwest::Response;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ApiError;

/// How much of an unexpected body goes into an error message.
const EXCERPT_CHARS: usize = 120;

fn request_id(response: &Response) -> Option<String> {
    response
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `path?query`, the query's fields URL-encoded (none: just `path`).
pub(crate) fn with_query<Q: Serialize>(path: &str, query: &Q) -> String {
    match serde_urlencoded::to_string(query) {
        Ok(encoded) if !encoded.is_empty() => format!("{path}?{encoded}"),
        _ => path.to_string(),
    }
}

/// The `ETag` an answer carries, as sent (quotes included).
pub(crate) fn etag(response: &Response) -> Option<String> {
    response
        .headers()
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A success body as raw bytes (an image), or the error the answer stands for.
pub(crate) async fn decode_bytes(response: Response) -> Result<Vec<u8>, ApiError> {
    if !response.status().is_success() {
        return Err(error_from(response).await);
    }
    let status = response.status().as_u16();
    let id = request_id(&response);
    let bytes = response.bytes().await.map_err(|e| ApiError::Unexpected {
        status,
        request_id: id,
        reason: format!("the answer broke off ({e})"),
    })?;
    Ok(bytes.to_vec())
}

/// Reads a success body as `T`, or the error the answer stands for.
pub(crate) async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status().as_u16();
    let id = request_id(&response);
    let content_type = content_type(&response);
    let bytes = response.bytes().await.map_err(|e| ApiError::Unexpected {
        status,
        request_id: id.clone(),
        reason: format!("the answer broke off ({e})"),
    })?;
    decode_answer(status, content_type.as_deref(), id, &bytes)
}

/// What an answer's status, content type and body stand for: a `T` from a
/// 2xx, else the server's problem document, else [`ApiError::Unexpected`]
/// with the start of the body and the request id (an HTML page from a
/// proxy, truncated JSON...). Pure, so it is fuzzed and tested directly.
pub fn decode_answer<T: DeserializeOwned>(
    status: u16,
    content_type: Option<&str>,
    request_id: Option<String>,
    body: &[u8],
) -> Result<T, ApiError> {
    if !(200..300).contains(&status) {
        return Err(match problem_from(status, content_type, request_id, body) {
            Ok(problem) => ApiError::Problem {
                problem: Box::new(problem),
            },
            Err(error) => error,
        });
    }
    serde_json::from_slice(body).map_err(|e| {
        tracing::warn!(status, ?request_id, error = %e, "undecodable response body");
        ApiError::Unexpected {
            status,
            request_id,
            reason: format!("{} ({e})", excerpt(body)),
        }
    })
}

fn content_type(response: &Response) -> Option<String> {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Succeeds on any 2xx, ignoring the body (e.g. 204 No Content).
pub(crate) async fn expect_success(response: Response) -> Result<(), ApiError> {
    if response.status().is_success() {
        Ok(())
    } else {
        Err(error_from(response).await)
    }
}

pub(crate) async fn error_from(response: Response) -> ApiError {
    match read_problem(response).await {
        Ok(problem) => ApiError::Problem {
            problem: Box::new(problem),
        },
        Err(error) => error,
    }
}

/// Reads an error answer's problem document; anything else (an HTML page from
/// a proxy, say) becomes [`ApiError::Unexpected`].
pub(crate) async fn read_problem(response: Response) -> Result<Problem, ApiError> {
    let status = response.status().as_u16();
    let id = request_id(&response);
    let content_type = content_type(&response);
    let bytes = response.bytes().await.unwrap_or_default();
    problem_from(status, content_type.as_deref(), id, &bytes)
}

fn problem_from(
    status: u16,
    content_type: Option<&str>,
    id: Option<String>,
    bytes: &[u8],
) -> Result<Problem, ApiError> {
    let is_problem = content_type
        .is_some_and(|v| v.starts_with(PROBLEM_CONTENT_TYPE) || v.starts_with("application/json"));
    let parsed = is_problem
        .then(|| serde_json::from_slice::<Problem>(bytes).ok())
        .flatten();
    match parsed {
        Some(mut problem) => {
            problem.request_id = problem.request_id.or(id);
            Ok(problem)
        }
        None => {
            tracing::warn!(status, request_id = ?id, "error answer without a problem document");
            Err(ApiError::Unexpected {
                status,
                request_id: id,
                reason: excerpt(bytes),
            })
        }
    }
}

/// The start of a body, on one line, for an error message; an HTML page
/// (a proxy's, a captive portal's) as the text a browser would show.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = if text.trim_start().starts_with('<') {
        text_of_html(&text)
    } else {
        text.into_owned()
    };
    let line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(EXCERPT_CHARS)
        .collect();
    if line.is_empty() {
        "an empty body".to_string()
    } else {
        format!("\"{line}\"")
    }
}

/// The words of an HTML page: tags dropped, with what a browser never
/// shows (head, scripts, styles) and the common entities decoded.
fn text_of_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len().min(4096));
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let tag = &rest[open..];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let skip_to = match name.as_str() {
            "head" | "script" | "style" => format!("</{name}"),
            _ => ">".to_string(),
        };
        let lower = tag.to_ascii_lowercase();
        rest = match lower.find(&skip_to) {
            Some(end) => {
                let after = &tag[end..];
                after.find('>').map_or("", |gt| &after[gt + 1..])
            }
            None => "",
        };
    }
    out.push_str(rest);
    [
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(out, |text, (entity, plain)| text.replace(entity, plain))
}

#[cfg(test)]
mod tests {
    use acctl_api::{Account, ErrorCode};

    use super::*;

    const ACCOUNT: &str = r#"{"id":"usr_1","email":"ada@example.com","email_verified":true,
        "name":"Ada","display_name":null,"created_at":"2026-01-01T00:00:00Z",
        "mfa_enabled":false,"active_sessions":1,"last_sign_in":null"#;

    fn decode(status: u16, ct: &str, body: &str) -> Result<Account, ApiError> {
        decode_answer(status, Some(ct), Some("req_7".into()), body.as_bytes())
    }

    #[test]
    fn unknown_fields_from_a_newer_server_are_ignored() {
        let body = format!(r#"{ACCOUNT},"favourite_colour":"teal","plan":{{"x":1}}}}"#);
        let account = decode(200, "application/json", &body).expect("decodes");
        assert_eq!(account.email, "ada@example.com");
    }

    #[test]
    fn broken_answers_become_readable_errors_with_the_request_id() {
        let cases = [
            (
                502,
                "text/html",
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
                "502 Bad Gateway",
            ),
            (500, "text/plain", "", "an empty body"),
            (200, "application/json", ACCOUNT, "EOF"),
            (200, "application/json", "{\"id\": 5}", "invalid type"),
            (
                200,
                "text/html",
                "<!doctype html><p>Sign in to the Wi-Fi</p>",
                "Sign in to the Wi-Fi",
            ),
            // A problem document under the wrong content type is not trusted.
            (503, "text/html", r#"{"title":"x","status":503}"#, "title"),
        ];
        for (status, ct, body, expected) in cases {
            let error = decode(status, ct, body).expect_err(body);
            let ApiError::Unexpected {
                status: s,
                request_id,
                reason,
            } = &error
            else {
                panic!("{body}: {error:?}");
            };
            assert_eq!(*s, status);
            assert_eq!(request_id.as_deref(), Some("req_7"));
            assert!(reason.contains(expected), "{body}: {reason}");
            assert!(
                !reason.contains("<h1>") && !reason.contains("<p>"),
                "{reason}"
            );
            let text = error.to_string();
            assert!(
                text.contains("req_7") && text.contains(&status.to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn problem_documents_are_read_and_keep_the_request_id_from_the_header() {
        let body = r#"{"type":"about:blank","title":"Not found","status":404,"code":"not_found","detail":"No such session."}"#;
        let error = decode(404, "application/problem+json", body).expect_err("404");
        assert_eq!(error.code(), Some(ErrorCode::NotFound));
        assert_eq!(error.request_id(), Some("req_7"));
    }

    #[test]
    fn html_pages_read_as_the_text_a_browser_shows() {
        let page = "<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head>\
            <body><script>alert(1)</script><h1>Service &amp; more</h1><p>Try again</p></body></html>";
        assert_eq!(excerpt(page.as_bytes()), "\"Service & more Try again\"");
        assert_eq!(excerpt(b"<unclosed"), "an empty body");
    }

    #[test]
    fn huge_error_pages_are_cut_to_an_excerpt() {
        let page = "<p>".to_string() + &"oops ".repeat(100_000);
        let error = decode(500, "text/html", &page).expect_err("500");
        assert!(
            error.to_string().chars().count() < 400,
            "{}",
            error.to_string().len()
        );
    }
}
