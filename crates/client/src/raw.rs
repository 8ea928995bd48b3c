//! Any request to the signed-in service, for `acctl api`: the access token
//! (refreshed as needed, like every call) and the answer as it came, but
//! for Better Auth's session tokens, which are never shown.

use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};

use super::backend::BetterAuth;
use super::transport::Payload;
use super::{ApiError, Client, ServiceKind};

/// What `acctl api` sends.
pub struct RawRequest<'a> {
    pub method: Method,
    /// Below the server's address, e.g. `/v1/me`.
    pub path: &'a str,
    /// Sent as `application/json` unless a header says otherwise.
    pub body: Option<&'a [u8]>,
    pub headers: &'a [(HeaderName, HeaderValue)],
}

/// The answer, whatever its status.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// Every header, as `Name: value` lines would show them.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Client {
    /// Sends `request` with the access token. Only a failure to get an
    /// answer at all (or a session that has ended) is an error; a 4xx or
    /// 5xx answer is returned as it is.
    pub async fn raw(&self, request: RawRequest<'_>) -> Result<RawResponse, ApiError> {
        let content_type = request
            .headers
            .iter()
            .find(|(name, _)| name == reqwest::header::CONTENT_TYPE)
            .and_then(|(_, value)| value.to_str().ok())
            .unwrap_or("application/json");
        let payload = match request.body {
            Some(bytes) => Payload::Bytes {
                content_type,
                bytes,
            },
            None => Payload::None,
        };
        let response = self
            .send_authed_full(request.method, request.path, payload, None, request.headers)
            .await?;
        let better_auth = self.service() == ServiceKind::BetterAuth;
        if better_auth {
            BetterAuth(self).adopt_rotated(&response).await?;
        }
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.to_string(), value)
            })
            .collect();
        let body = response.bytes().await.map_err(|e| ApiError::Unexpected {
            status,
            request_id: None,
            reason: format!("the answer broke off ({e})"),
        })?;
        let mut raw = RawResponse {
            status,
            content_type,
            headers,
            body: body.to_vec(),
        };
        if better_auth {
            crate::backend::redact_better_auth(&mut raw);
        }
        Ok(raw)
    }
}
