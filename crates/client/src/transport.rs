//! Sending requests and reading answers: problem documents, request ids,
//! bearer tokens, and the one refresh that a stale access token earns.

use acctl_api::error::{PROBLEM_CONTENT_TYPE, REQUEST_ID_HEADER};
use acctl_api::{ErrorCode, Problem, RefreshRequest, TokenPair, paths};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ApiError, Client};
use crate::tokens::{StoreError, StoreKind, StoredTokens};

/// How much of an unexpected body goes into an error message.
const EXCERPT_CHARS: usize = 120;

/// What a request carries.
#[derive(Clone, Copy)]
pub(crate) enum Payload<'a> {
    None,
    Json(&'a serde_json::Value),
    Bytes {
        content_type: &'a str,
        bytes: &'a [u8],
    },
}

/// A request as sent, kept to send once more after a refresh.
struct Outgoing<'a> {
    method: Method,
    path: &'a str,
    payload: Payload<'a>,
    if_match: Option<&'a str>,
    headers: &'a [(reqwest::header::HeaderName, reqwest::header::HeaderValue)],
}

impl Client {
    pub(crate) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.inner
            .http
            .request(method, format!("{}{path}", self.inner.base))
    }

    /// Sends without a token and decodes a JSON answer.
    pub(crate) async fn get_public<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let response = self.send(self.request(Method::GET, path)).await?;
        decode(response).await
    }

    pub(crate) async fn post_public<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let response = self
            .send(self.request(Method::POST, path).json(body))
            .await?;
        decode(response).await
    }

    /// Sends `body` (if any) as JSON with the access token and decodes the
    /// JSON answer.
    pub(crate) async fn json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ApiError> {
        let body =
            body.map(serde_json::to_value)
                .transpose()
                .map_err(|e| ApiError::Unexpected {
                    status: 0,
                    request_id: None,
                    reason: format!("could not encode the request ({e})"),
                })?;
        decode(self.send_authed(method, path, body.as_ref()).await?).await
    }

    /// Sends with the access token. An expired token is refreshed first (or
    /// after the server says so) and the request sent once more.
    pub(crate) async fn send_authed(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, ApiError> {
        let payload = body.map_or(Payload::None, Payload::Json);
        self.send_authed_with(method, path, payload, None).await
    }

    /// [`Client::send_authed`] with any payload and, for a change to a
    /// versioned resource, the `If-Match` of the version it was made to.
    pub(crate) async fn send_authed_with(
        &self,
        method: Method,
        path: &str,
        payload: Payload<'_>,
        if_match: Option<&str>,
    ) -> Result<Response, ApiError> {
        self.send_authed_full(method, path, payload, if_match, &[])
            .await
    }

    /// [`Client::send_authed_with`] with extra headers (`acctl api -H`).
    pub(crate) async fn send_authed_full(
        &self,
        method: Method,
        path: &str,
        payload: Payload<'_>,
        if_match: Option<&str>,
        headers: &[(reqwest::header::HeaderName, reqwest::header::HeaderValue)],
    ) -> Result<Response, ApiError> {
        let outgoing = Outgoing {
            method,
            path,
            payload,
            if_match,
            headers,
        };
        let tokens = self.fresh_tokens().await?;
        let response = self.send_with(&outgoing, &tokens).await?;
        if response.status() != StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        let problem = read_problem(response).await?;
        let tokens = if problem.error_code() == Some(ErrorCode::TokenExpired) {
            self.refresh_after(&tokens).await?
        } else {
            match self.adopt_stored(&tokens).await? {
                Some(newer) => newer,
                None => return Err(self.session_failure(problem).await),
            }
        };
        let response = self.send_with(&outgoing, &tokens).await?;
        if response.status() != StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        // Refused even with fresh tokens (revoked meanwhile): the session is over.
        let problem = read_problem(response).await?;
        Err(self.session_failure(problem).await)
    }

    async fn send_with(
        &self,
        outgoing: &Outgoing<'_>,
        tokens: &StoredTokens,
    ) -> Result<Response, ApiError> {
        let mut request = self
            .request(outgoing.method.clone(), outgoing.path)
            .bearer_auth(tokens.access_token.expose());
        if let Some(etag) = outgoing.if_match {
            request = request.header(reqwest::header::IF_MATCH, etag);
        }
        for (name, value) in outgoing.headers {
            request = request.header(name, value);
        }
        request = match outgoing.payload {
            Payload::None => request,
            Payload::Json(body) => request.json(body),
            Payload::Bytes {
                content_type,
                bytes,
            } => request
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes.to_vec()),
        };
        self.send(request).await
    }

    pub(crate) async fn send(&self, request: RequestBuilder) -> Result<Response, ApiError> {
        request.send().await.map_err(|e| self.transport_error(e))
    }

    fn transport_error(&self, error: reqwest::Error) -> ApiError {
        let server = self.inner.base.clone();
        if error.is_timeout() {
            return ApiError::Timeout { server };
        }
        // reqwest's Display repeats the URL; the root cause says what broke.
        let mut reason = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            reason = cause.to_string();
            source = cause.source();
        }
        ApiError::Unreachable { server, reason }
    }

    /// The current tokens, refreshed first if the access token has expired.
    async fn fresh_tokens(&self) -> Result<StoredTokens, ApiError> {
        let tokens = self.tokens().await.ok_or(ApiError::NotSignedIn)?;
        if tokens.access_expired(chrono::Utc::now()) {
            return self.refresh_after(&tokens).await;
        }
        Ok(tokens)
    }

    /// Refreshes unless another task already did since `stale` was read: the
    /// session lock makes ten concurrent requests cost one refresh.
    pub(crate) async fn refresh_after(
        &self,
        stale: &StoredTokens,
    ) -> Result<StoredTokens, ApiError> {
        let mut session = self.inner.session.lock().await;
        let current = session.clone().ok_or(ApiError::NotSignedIn)?;
        if current.access_token.expose() != stale.access_token.expose() {
            return Ok(current);
        }
        // Held until the new tokens are saved, so another process waits.
        let _lock = self.refresh_lock().await;
        // Unreadable is not "nothing there": refreshing blind could spend a
        // token another process already rotated, which ends the session.
        if let Some(stored) = self.load_persisted().await?
            && stored.refresh_token.expose() != current.refresh_token.expose()
        {
            // Another process refreshed while this one waited: its tokens
            // are the live ones; refreshing with ours would end the session.
            *session = Some(stored.clone());
            return Ok(stored);
        }
        let body = RefreshRequest {
            refresh_token: current.refresh_token.clone(),
        };
        let response = self
            .send(self.request(Method::POST, paths::REFRESH).json(&body))
            .await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            let problem = read_problem(response).await?;
            *session = None;
            drop(session);
            self.forget_persisted().await;
            return Err(ApiError::SessionEnded {
                reason: problem.to_string(),
            });
        }
        let pair: TokenPair = decode(response).await?;
        let fresh = StoredTokens::from_pair(pair, chrono::Utc::now());
        *session = Some(fresh.clone());
        drop(session);
        self.persist(&fresh).await?;
        Ok(fresh)
    }

    /// A 401 other than an expired token: the session is over.
    async fn session_failure(&self, problem: Problem) -> ApiError {
        match problem.error_code() {
            Some(ErrorCode::SessionRevoked | ErrorCode::Unauthenticated) => {
                *self.inner.session.lock().await = None;
                self.forget_persisted().await;
                ApiError::SessionEnded {
                    reason: problem.to_string(),
                }
            }
            _ => ApiError::Problem {
                problem: Box::new(problem),
            },
        }
    }

    pub(crate) async fn persist(&self, tokens: &StoredTokens) -> Result<(), ApiError> {
        let Some(persistence) = self.inner.persistence.clone() else {
            return Ok(());
        };
        let tokens = tokens.clone();
        run_blocking(move || persistence.store.save(&persistence.profile, &tokens)).await
    }

    async fn refresh_lock(&self) -> Option<super::refresh_lock::RefreshLock> {
        let persistence = self.inner.persistence.as_ref()?;
        let dir = persistence.lock_dir.as_ref()?;
        super::refresh_lock::RefreshLock::acquire(dir, &persistence.profile).await
    }

    /// Tokens another process stored since `stale` was read (it refreshed,
    /// which retired ours), now in use here too; None when there are none.
    /// An unreadable store is an error, not a reason to end the session.
    async fn adopt_stored(&self, stale: &StoredTokens) -> Result<Option<StoredTokens>, ApiError> {
        let mut session = self.inner.session.lock().await;
        // A refresh under way elsewhere has retired our token on the server
        // but may not have stored its new one yet: wait for it to finish.
        let _lock = self.refresh_lock().await;
        let Some(stored) = self.load_persisted().await? else {
            return Ok(None);
        };
        if stored.access_token.expose() == stale.access_token.expose() {
            return Ok(None);
        }
        *session = Some(stored.clone());
        Ok(Some(stored))
    }

    /// The tokens in the store now (another process may have written them);
    /// None when nothing is stored or no other process shares the store.
    async fn load_persisted(&self) -> Result<Option<StoredTokens>, ApiError> {
        let Some(persistence) = self.inner.persistence.clone() else {
            return Ok(None);
        };
        if persistence.lock_dir.is_none() {
            return Ok(None);
        }
        run_blocking(move || persistence.store.load(&persistence.profile)).await
    }

    /// Best effort: a store that cannot forget is not worth failing sign-out for.
    pub(crate) async fn forget_persisted(&self) {
        let Some(persistence) = self.inner.persistence.clone() else {
            return;
        };
        let result = run_blocking(move || persistence.store.clear(&persistence.profile)).await;
        if let Err(error) = result {
            tracing::warn!(%error, "could not remove tokens from the store");
        }
    }
}

async fn run_blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(job).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(join) => Err(ApiError::TokenStore(StoreError::Unavailable {
            kind: StoreKind::Memory,
            reason: join.to_string(),
        })),
    }
}

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
async fn read_problem(response: Response) -> Result<Problem, ApiError> {
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
fn excerpt(bytes: &[u8]) -> String {
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
