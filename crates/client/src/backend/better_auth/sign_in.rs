//! Signing in and out of Better Auth: the bearer token of `set-auth-token`,
//! and the second factor proven with the cookie the sign-in set.

use acctl_api::{ErrorCode, LoginMfaRequest, MfaChallenge, SecretText};
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE, USER_AGENT};
use reqwest::{Method, Response};

use super::{BetterAuth, Call, auth_token, errors, problem, unexpected, wire};
use crate::answer::decode;
use crate::tokens::StoredTokens;
use crate::{ApiError, Feature, LoginOutcome};

/// The cookie a sign-in sets while it waits for the second factor (a
/// `__Secure-` prefix on https).
const TWO_FACTOR_COOKIE: &str = "better-auth.two_factor";
/// How long that cookie lives by default, in seconds.
const TWO_FACTOR_SECONDS: u64 = 600;

impl BetterAuth<'_> {
    pub async fn signup(
        &self,
        email: &str,
        name: &str,
        password: SecretText,
    ) -> Result<LoginOutcome, ApiError> {
        let body = serde_json::json!({
            "email": email, "name": name, "password": password.expose(),
        });
        let response = self
            .public(Method::POST, "/sign-up/email", &body, Some(Feature::Signup))
            .await?;
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
        let response = self
            .public(Method::POST, "/sign-in/email", &body, None)
            .await?;
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
            .header(USER_AGENT, self.agent())
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
    /// Sign-up names its feature: switched off (404 or `*_DISABLED`), it is
    /// refused as not offered.
    async fn public(
        &self,
        method: Method,
        path: &str,
        body: &serde_json::Value,
        feature: Option<Feature>,
    ) -> Result<Response, ApiError> {
        let request = self
            .0
            .request(method, path)
            .header(USER_AGENT, self.agent());
        let response = self.0.send(request.json(body)).await?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status().as_u16();
        let body: wire::ErrorBody = crate::answer::decode_any_status(response)
            .await
            .map_or_else(|_| wire::ErrorBody::default(), |(_, body)| body);
        let missing =
            feature.and_then(|f| errors::missing_feature(status, body.code.as_deref(), f));
        if let Some(feature) = missing {
            self.memory().lacks(feature);
            return Err(self.0.unsupported(feature));
        }
        Err(ApiError::Problem {
            problem: Box::new(errors::problem(status, body, "password")),
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
