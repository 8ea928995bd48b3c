//! One handler per resource, as `client.sessions().list(..)` reads.

use acctl_api::{
    Account, LoginMfaRequest, LoginRequest, LoginResponse, MfaChallenge, Page, PageQuery,
    RevokedSessions, SecretText, SecurityEvent, SecurityEventKind, Session, SignupRequest, paths,
};
use reqwest::Method;
use serde::de::DeserializeOwned;

use super::answer::{decode, expect_success, with_query};
use super::backend::dispatch;
use super::{ApiError, Client, Feature, ServiceKind};
use crate::tokens::StoredTokens;

/// How a login ended: signed in, or a second factor is needed.
#[derive(Debug)]
pub enum LoginOutcome {
    SignedIn(StoredTokens),
    MfaRequired(MfaChallenge),
}

impl Client {
    /// GETs `path` with the access token and decodes the JSON answer.
    pub(crate) async fn get_authed<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        decode(self.send_authed(Method::GET, path, None).await?).await
    }

    /// Adopts freshly issued tokens: in memory, and in the store if any.
    pub(crate) async fn adopt(&self, tokens: StoredTokens) -> Result<StoredTokens, ApiError> {
        self.set_tokens(Some(tokens.clone())).await;
        self.persist(&tokens).await?;
        Ok(tokens)
    }

    async fn finish_login(&self, response: LoginResponse) -> Result<LoginOutcome, ApiError> {
        match response {
            LoginResponse::Ok(pair) => {
                let tokens = StoredTokens::from_pair(pair, chrono::Utc::now());
                Ok(LoginOutcome::SignedIn(self.adopt(tokens).await?))
            }
            LoginResponse::MfaRequired(challenge) => Ok(LoginOutcome::MfaRequired(challenge)),
        }
    }
}

/// `/v1/auth/*`: signing up, in and out.
pub struct Auth<'a> {
    client: &'a Client,
}

impl<'a> Auth<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    fn device_name(&self) -> Option<String> {
        Some(self.client.options().device_name.clone())
    }

    pub async fn signup(
        &self,
        email: &str,
        name: &str,
        password: SecretText,
    ) -> Result<LoginOutcome, ApiError> {
        self.client.require(Feature::Signup).await?;
        dispatch!(self.client, signup(email, name, password), acctd => {
            let body = SignupRequest {
                email: email.to_string(),
                password,
                name: name.to_string(),
                device_name: self.device_name(),
            };
            let response = self.client.post_public(paths::SIGNUP, &body).await?;
            self.client.finish_login(response).await
        })
    }

    /// Signs in; on success the tokens are in use (and stored, if persistent).
    pub async fn login(&self, email: &str, password: SecretText) -> Result<LoginOutcome, ApiError> {
        dispatch!(self.client, login(email, password), acctd => {
            let body = LoginRequest {
                email: email.to_string(),
                password,
                device_name: self.device_name(),
            };
            let response = self.client.post_public(paths::LOGIN, &body).await?;
            self.client.finish_login(response).await
        })
    }

    /// Completes a login that answered `mfa_required`.
    pub async fn login_mfa(&self, request: LoginMfaRequest) -> Result<LoginOutcome, ApiError> {
        dispatch!(self.client, login_mfa(request), acctd => {
            let response = self.client.post_public(paths::LOGIN_MFA, &request).await?;
            self.client.finish_login(response).await
        })
    }

    /// Trades the refresh token for a new pair now (services without
    /// refresh tokens keep the one they have).
    pub async fn refresh(&self) -> Result<StoredTokens, ApiError> {
        let tokens = self.client.tokens().await.ok_or(ApiError::NotSignedIn)?;
        if self.client.service() != ServiceKind::Acctd {
            return Ok(tokens);
        }
        self.client.refresh_after(&tokens).await
    }

    /// Ends the session on the server, then forgets the tokens here. The local
    /// copy is forgotten even when the server cannot be told.
    pub async fn logout(&self) -> Result<(), ApiError> {
        let ended = dispatch!(self.client, logout(), acctd => {
            let response = self.client.send_authed(Method::POST, paths::LOGOUT, None).await;
            match response {
                Ok(response) => expect_success(response).await,
                Err(e) => Err(e),
            }
        });
        let result = match ended {
            Ok(()) => Ok(()),
            // Already over on the server: nothing left to revoke.
            Err(e) if e.needs_login() => Ok(()),
            Err(e) => Err(e),
        };
        self.client.set_tokens(None).await;
        self.client.forget_persisted().await;
        result
    }
}

/// `/v1/me`: the account itself.
pub struct Me<'a> {
    client: &'a Client,
}

impl<'a> Me<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    pub async fn get(&self) -> Result<Account, ApiError> {
        dispatch!(self.client, account(), acctd => self.client.get_authed(paths::ME).await)
    }
}

/// `/v1/me/sessions`: every device signed in to the account.
pub struct Sessions<'a> {
    client: &'a Client,
}

impl<'a> Sessions<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// A page of sessions (services without pages answer them all at once).
    pub async fn list(&self, query: &PageQuery) -> Result<Page<Session>, ApiError> {
        self.client.require(Feature::Sessions).await?;
        let all = dispatch!(self.client, sessions(), acctd => {
            return self
                .client
                .get_authed(&with_query(paths::SESSIONS, query))
                .await;
        })?;
        let limit = query.limit.map_or(usize::MAX, |l| l as usize);
        Ok(Page {
            items: all.into_iter().take(limit).collect(),
            next_cursor: None,
        })
    }

    /// Every page, in order.
    pub async fn list_all(&self) -> Result<Vec<Session>, ApiError> {
        let mut query = PageQuery {
            limit: Some(acctl_api::MAX_PAGE_LIMIT),
            cursor: None,
        };
        let mut all = Vec::new();
        loop {
            let page = self.list(&query).await?;
            all.extend(page.items);
            match page.next_cursor {
                Some(cursor) => query.cursor = Some(cursor),
                None => return Ok(all),
            }
        }
    }

    pub async fn revoke(&self, id: &str) -> Result<(), ApiError> {
        self.client.require(Feature::Sessions).await?;
        dispatch!(self.client, revoke_session(id), acctd => {
            let response = self
                .client
                .send_authed(Method::DELETE, &paths::session(id), None)
                .await?;
            expect_success(response).await
        })
    }

    /// Signs out every session but this one.
    pub async fn revoke_others(&self) -> Result<RevokedSessions, ApiError> {
        self.client.require(Feature::Sessions).await?;
        dispatch!(self.client, revoke_other_sessions(), acctd => {
            let path = format!("{}?others=true", paths::SESSIONS);
            decode(self.client.send_authed(Method::DELETE, &path, None).await?).await
        })
    }
}

/// `/v1/me/security-events`: the security log, newest first.
pub struct SecurityEvents<'a> {
    client: &'a Client,
}

impl<'a> SecurityEvents<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    pub async fn list(
        &self,
        query: &PageQuery,
        kind: Option<SecurityEventKind>,
    ) -> Result<Page<SecurityEvent>, ApiError> {
        self.client.require(Feature::SecurityLog).await?;
        let kind = kind.and_then(|k| serde_json::to_value(k).ok());
        let kind = kind.as_ref().and_then(|v| v.as_str());
        self.client.get_authed(&events_path(query, kind)).await
    }
}

/// The query of the security log: a page, and optionally one kind.
#[derive(serde::Serialize)]
struct EventQuery<'a> {
    #[serde(flatten)]
    page: &'a PageQuery,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
}

fn events_path(query: &PageQuery, kind: Option<&str>) -> String {
    with_query(paths::SECURITY_EVENTS, &EventQuery { page: query, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_encoded() {
        let query = PageQuery {
            limit: Some(10),
            cursor: Some("a+b/c=".into()),
        };
        assert_eq!(
            events_path(&query, Some("login_failed")),
            "/v1/me/security-events?limit=10&cursor=a%2Bb%2Fc%3D&kind=login_failed"
        );
        assert_eq!(
            events_path(&PageQuery::default(), None),
            "/v1/me/security-events"
        );
    }
}
