//! Sending requests: bearer tokens, and the one refresh that a stale access
//! token earns. What an answer means is read in [`crate::answer`].

use acctl_api::{ErrorCode, Problem, RefreshRequest, TokenPair, paths};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::answer::{decode, read_problem};
use super::{ApiError, Client, ServiceKind};
use crate::tokens::{StoreError, StoreKind, StoredTokens};

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
        // Refreshing is acctd's; other backends read their own 401s and 410s.
        if response.status() != StatusCode::UNAUTHORIZED || self.service() != ServiceKind::Acctd {
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
        let mut request = self.authorize(
            self.request(outgoing.method.clone(), outgoing.path),
            &tokens.access_token,
        );
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
