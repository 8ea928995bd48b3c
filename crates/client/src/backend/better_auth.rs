//! Better Auth (plugins bearer and twoFactor), its API at `/api/auth`.
//!
//! The credential is the `set-auth-token` of a sign-in, sent as a bearer
//! token; there is no refresh token. Some calls (TOTP activation, disabling
//! two-factor, a password change that signs out the others) end the session
//! they were made with and answer with a new `set-auth-token`: every answer
//! is read for one, adopted and saved to the keyring. The second factor at
//! sign-in is proven with the short-lived cookie the sign-in set, sent back
//! with an `Origin` equal to the service's own. The service has no
//! capabilities endpoint: a 404 or a `*_DISABLED` answer shows a feature is
//! missing, and it stays hidden for this client's life.
//!
//! The sessions list carries every session's bearer token: they are kept in
//! memory only ([`Memory`]), to revoke by the session's id, and never shown,
//! logged or stored.

mod errors;
mod memory;
mod redact;
mod security;
mod sessions;
mod sign_in;
mod wire;

use acctl_api::{Account, ErrorCode, Problem, ProfilePatch, SecretText};
use reqwest::header::{HeaderValue, USER_AGENT};
use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;

pub(crate) use memory::Memory;
pub(crate) use redact::redact;

use crate::answer::decode;
use crate::transport::Payload;
use crate::{ApiError, Capabilities, Client, Feature, Versioned};

/// What Better Auth can offer at best (with every plugin acctl speaks to).
pub(super) const AT_MOST: Capabilities = Capabilities::of(&[
    Feature::Signup,
    Feature::Sessions,
    Feature::Mfa,
    Feature::RecoveryCodes,
    Feature::EmailChange,
    Feature::Profile,
    Feature::AccountDeletion,
]);

/// The answer header that carries a session's bearer token.
const AUTH_TOKEN_HEADER: &str = "set-auth-token";

pub(crate) struct BetterAuth<'a>(pub &'a Client);

/// What a call is for: the feature it belongs to (a 404 or `*_DISABLED`
/// hides that feature) and the form field a wrong password is shown on.
#[derive(Clone, Copy)]
struct Call {
    feature: Feature,
    password_field: &'static str,
}

impl Call {
    const fn of(feature: Feature) -> Self {
        Self {
            feature,
            password_field: "password",
        }
    }
}

impl BetterAuth<'_> {
    fn memory(&self) -> &Memory {
        &self.0.inner.better_auth
    }

    /// Everything it can offer but what it was found to lack.
    pub async fn capabilities(&self) -> Result<Capabilities, ApiError> {
        Ok(self.memory().offered(AT_MOST))
    }

    /// Sends with the session's token; adopts a rotated token; reads an
    /// error as the problem it stands for.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
        call: Call,
    ) -> Result<Response, ApiError> {
        let payload = body.as_ref().map_or(Payload::None, Payload::Json);
        let agent = [(USER_AGENT, self.agent())];
        let response = self
            .0
            .send_authed_full(method, path, payload, None, &agent)
            .await?;
        if !response.status().is_success() {
            return Err(self.error(response, call).await);
        }
        self.adopt_rotated(&response).await?;
        Ok(response)
    }

    /// What Better Auth records as the device of a session it makes
    /// (sign-in, and the replacements of rotated sessions).
    fn agent(&self) -> HeaderValue {
        HeaderValue::from_str(&self.0.device_agent())
            .unwrap_or_else(|_| HeaderValue::from_static("acctl"))
    }

    async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
        call: Call,
    ) -> Result<T, ApiError> {
        decode(self.send(method, path, body, call).await?).await
    }

    /// A token in the answer other than ours replaced ours on the server.
    pub(crate) async fn adopt_rotated(&self, response: &Response) -> Result<(), ApiError> {
        let Some(token) = auth_token(response) else {
            return Ok(());
        };
        let Some(mut tokens) = self.0.tokens().await else {
            return Ok(());
        };
        if tokens.access_token.expose() == token.expose() {
            return Ok(());
        }
        tokens.access_token = token;
        self.0.adopt(tokens).await?;
        Ok(())
    }

    /// The error an answer stands for. A refused token ends the session
    /// here too; a missing feature is remembered and refused from now on.
    async fn error(&self, response: Response, call: Call) -> ApiError {
        let status = response.status().as_u16();
        let body: wire::ErrorBody = crate::answer::decode_any_status(response)
            .await
            .map_or_else(|_| wire::ErrorBody::default(), |(_, body)| body);
        let code = body.code.as_deref();
        if let Some(feature) = errors::missing_feature(status, code, call.feature) {
            self.memory().lacks(feature);
            return self.0.unsupported(feature);
        }
        if status == 401 && matches!(code, None | Some("UNAUTHORIZED" | "SESSION_EXPIRED")) {
            return self.0.signed_out_elsewhere().await;
        }
        ApiError::Problem {
            problem: Box::new(errors::problem(status, body, call.password_field)),
        }
    }

    /// `GET /get-session`: the session in use and its user.
    async fn session(&self) -> Result<wire::SessionAnswer, ApiError> {
        let answer: Option<wire::SessionAnswer> = self
            .json(
                Method::GET,
                "/get-session",
                None,
                Call::of(Feature::Profile),
            )
            .await?;
        match answer {
            Some(answer) => Ok(answer),
            // `null`: the token names no live session (signed out elsewhere).
            None => Err(self.0.signed_out_elsewhere().await),
        }
    }

    pub async fn account(&self) -> Result<Account, ApiError> {
        let answer = self.session().await?;
        self.account_of(answer).await
    }

    /// The account of a session answer, with the count of sessions.
    /// (One after the other: each answer may rotate the token.)
    async fn account_of(&self, answer: wire::SessionAnswer) -> Result<Account, ApiError> {
        let sessions = self.sessions().await.map(|s| s.len()).unwrap_or(1);
        let mut account = answer
            .user
            .into_account(u32::try_from(sessions).unwrap_or(u32::MAX));
        // Better Auth does not say a change waits; this client knows when
        // it asked for one.
        account.pending_email = self
            .memory()
            .pending_email()
            .filter(|pending| *pending != account.email);
        Ok(account)
    }

    /// The account, versioned by when it last changed.
    pub async fn profile(&self) -> Result<Versioned<Account>, ApiError> {
        let answer = self.session().await?;
        let etag = answer.user.updated_at.to_rfc3339();
        let account = self.account_of(answer).await?;
        Ok(Versioned {
            value: account,
            etag,
        })
    }

    /// The name is all of acctl's profile that Better Auth keeps.
    pub async fn update_profile(
        &self,
        patch: &ProfilePatch,
        etag: &str,
    ) -> Result<Versioned<Account>, ApiError> {
        let unkept = [
            ("display_name", patch.display_name.is_some()),
            ("phone", patch.phone.is_some()),
            ("bio", patch.bio.is_some()),
        ];
        let mut refused = Problem::new(
            ErrorCode::ValidationFailed,
            "Better Auth keeps only a name.",
        );
        for (field, _) in unkept.iter().filter(|(_, given)| *given) {
            refused = refused.with_field(field, "Better Auth does not keep this; leave it empty.");
        }
        if !refused.errors.is_empty() {
            return Err(ApiError::Problem {
                problem: Box::new(refused),
            });
        }
        if self.profile().await?.etag != etag {
            return Err(problem(
                ErrorCode::PreconditionFailed,
                "The profile changed meanwhile; reload it and make the change again.",
            ));
        }
        if let Some(name) = &patch.name {
            let body = serde_json::json!({ "name": name });
            self.send(
                Method::POST,
                "/update-user",
                Some(body),
                Call::of(Feature::Profile),
            )
            .await?;
        }
        self.profile().await
    }
}

/// The bearer token an answer carries, if any.
fn auth_token(response: &Response) -> Option<SecretText> {
    response
        .headers()
        .get(AUTH_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map(SecretText::new)
}

fn problem(code: ErrorCode, detail: &str) -> ApiError {
    ApiError::Problem {
        problem: Box::new(Problem::new(code, detail)),
    }
}

fn unexpected(reason: &str) -> ApiError {
    ApiError::Unexpected {
        status: StatusCode::OK.as_u16(),
        request_id: None,
        reason: reason.to_string(),
    }
}
