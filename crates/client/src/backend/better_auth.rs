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

mod memory;
mod security;
mod sessions;
mod wire;

use acctl_api::{
    Account, ErrorCode, LoginMfaRequest, MfaChallenge, Problem, ProfilePatch, SecretText,
};
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};
use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;

pub(crate) use memory::Memory;

use crate::answer::decode;
use crate::tokens::StoredTokens;
use crate::{ApiError, Capabilities, Client, Feature, LoginOutcome, Versioned};

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
/// The cookie a sign-in sets while it waits for the second factor (a
/// `__Secure-` prefix on https).
const TWO_FACTOR_COOKIE: &str = "better-auth.two_factor";
/// How long that cookie lives by default, in seconds.
const TWO_FACTOR_SECONDS: u64 = 600;

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
        let response = self.0.send_authed(method, path, body.as_ref()).await?;
        if !response.status().is_success() {
            return Err(self.error(response, call).await);
        }
        self.adopt_rotated(&response).await?;
        Ok(response)
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
    async fn adopt_rotated(&self, response: &Response) -> Result<(), ApiError> {
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
        let body: wire::ErrorBody = response.json().await.unwrap_or_default();
        let code = body.code.as_deref();
        if let Some(feature) = wire::missing_feature(status, code, call.feature) {
            self.memory().lacks(feature);
            return self.0.unsupported(feature);
        }
        if status == 401 && matches!(code, None | Some("UNAUTHORIZED" | "SESSION_EXPIRED")) {
            return self.session_over().await;
        }
        ApiError::Problem {
            problem: Box::new(wire::problem(status, body, call.password_field)),
        }
    }

    async fn session_over(&self) -> ApiError {
        self.0.set_tokens(None).await;
        self.0.forget_persisted().await;
        ApiError::SessionEnded {
            reason: "Better Auth no longer knows this session".to_string(),
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
            None => Err(self.session_over().await),
        }
    }

    pub async fn signup(
        &self,
        email: &str,
        name: &str,
        password: SecretText,
    ) -> Result<LoginOutcome, ApiError> {
        let body = serde_json::json!({
            "email": email, "name": name, "password": password.expose(),
        });
        let response = self.public(Method::POST, "/sign-up/email", &body).await?;
        match auth_token(&response) {
            Some(token) => self.signed_in(token).await,
            None => Err(problem(
                ErrorCode::Forbidden,
                "Signed up; confirm the address with the link Better Auth mailed, then sign in.",
            )),
        }
    }

    pub async fn login(&self, email: &str, password: SecretText) -> Result<LoginOutcome, ApiError> {
        let body = serde_json::json!({
            "email": email, "password": password.expose(), "rememberMe": true,
        });
        let response = self.public(Method::POST, "/sign-in/email", &body).await?;
        let cookie = two_factor_cookie(&response);
        // A sign-in waiting for its second factor also sends a token, of a
        // session it already deleted: only the cookie counts then.
        let token = auth_token(&response);
        let answer: wire::SignInAnswer = decode(response).await?;
        if answer.two_factor_redirect {
            let mfa_token =
                cookie.ok_or_else(|| unexpected("no two-factor cookie came with the sign-in"))?;
            let mut methods: Vec<String> = answer
                .two_factor_methods
                .into_iter()
                .filter(|m| m == "totp")
                .collect();
            methods.push("recovery_code".to_string());
            return Ok(LoginOutcome::MfaRequired(MfaChallenge {
                mfa_token,
                expires_in: TWO_FACTOR_SECONDS,
                methods,
            }));
        }
        let token = token.ok_or_else(|| unexpected("the sign-in sent no token"))?;
        self.signed_in(token).await
    }

    /// The second factor, proven with the cookie the sign-in set (kept as
    /// the challenge's `mfa_token`) and this service's own `Origin`.
    pub async fn login_mfa(&self, request: LoginMfaRequest) -> Result<LoginOutcome, ApiError> {
        let (path, code) = match (&request.code, &request.recovery_code) {
            (Some(code), _) => ("/two-factor/verify-totp", code),
            (None, Some(code)) => ("/two-factor/verify-backup-code", code),
            (None, None) => return Err(problem(ErrorCode::ValidationFailed, "Type a code.")),
        };
        let body = serde_json::json!({ "code": code.expose() });
        let request = self
            .0
            .request(Method::POST, path)
            .header(COOKIE, request.mfa_token.expose())
            .header(ORIGIN, origin(self.0.base_url()))
            .json(&body);
        let response = self.0.send(request).await?;
        if !response.status().is_success() {
            return Err(self.error(response, Call::of(Feature::Mfa)).await);
        }
        let token =
            auth_token(&response).ok_or_else(|| unexpected("the verification sent no token"))?;
        self.signed_in(token).await
    }

    /// Without a token (sign-up, sign-in); an error as its problem.
    async fn public(
        &self,
        method: Method,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<Response, ApiError> {
        let response = self.0.send(self.0.request(method, path).json(body)).await?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status().as_u16();
        let body: wire::ErrorBody = response.json().await.unwrap_or_default();
        Err(ApiError::Problem {
            problem: Box::new(wire::problem(status, body, "password")),
        })
    }

    /// Uses `token` from now on, and saves it with its session's id.
    async fn signed_in(&self, token: SecretText) -> Result<LoginOutcome, ApiError> {
        let mut tokens = StoredTokens {
            access_token: token,
            refresh_token: SecretText::new(""),
            session_id: String::new(),
            access_expires_at: None,
        };
        self.0.set_tokens(Some(tokens.clone())).await;
        tokens.session_id = self.session().await?.session.id;
        Ok(LoginOutcome::SignedIn(self.0.adopt(tokens).await?))
    }

    /// Ends the session on the server (the handler forgets it here).
    pub async fn logout(&self) -> Result<(), ApiError> {
        let body = serde_json::json!({});
        self.send(
            Method::POST,
            "/sign-out",
            Some(body),
            Call::of(Feature::Profile),
        )
        .await
        .map(drop)
    }

    pub async fn account(&self) -> Result<Account, ApiError> {
        let answer = self.session().await?;
        let sessions = self.sessions().await.map(|s| s.len()).unwrap_or(1);
        Ok(answer
            .user
            .into_account(u32::try_from(sessions).unwrap_or(u32::MAX)))
    }

    /// The account, versioned by when it last changed.
    pub async fn profile(&self) -> Result<Versioned<Account>, ApiError> {
        let answer = self.session().await?;
        let etag = answer.user.updated_at.to_rfc3339();
        let account = self.account().await?;
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

/// `NAME=VALUE` of the two-factor cookie the answer sets, to send back.
fn two_factor_cookie(response: &Response) -> Option<SecretText> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| {
            pair.split_once('=')
                .is_some_and(|(name, value)| name.ends_with(TWO_FACTOR_COOKIE) && !value.is_empty())
        })
        .map(SecretText::new)
}

/// `scheme://host[:port]` of the API's address, as a browser would send.
fn origin(base_url: &str) -> String {
    reqwest::Url::parse(base_url)
        .map(|url| url.origin().ascii_serialization())
        .unwrap_or_else(|_| base_url.to_string())
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
