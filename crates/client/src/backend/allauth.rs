//! django-allauth headless, "app" client, mounted at `/_allauth/app/v1`:
//! the session token in `X-Session-Token`, no cookies, no CSRF. Each method
//! maps one operation of the client API (the handler of the same name says
//! what it does) to allauth's endpoints. What allauth does not offer
//! (profile editing, the security log, notifications, privacy, billing) is
//! refused before any request by [`AT_MOST`].

mod security;
mod sessions;
mod wire;

use acctl_api::privacy::DeletionStatus;
use acctl_api::{Account, LoginMfaRequest, MfaChallenge, ProfilePatch, SecretText};
use reqwest::Method;
use serde::Deserialize;

use crate::tokens::StoredTokens;
use crate::{ApiError, Capabilities, Client, Feature, LoginOutcome, Versioned};

/// The header that carries the session token (no cookies, no CSRF).
pub(super) const TOKEN_HEADER: &str = "x-session-token";

/// What django-allauth can offer at best; `/config` says what this site does.
pub(super) const AT_MOST: Capabilities = Capabilities::of(&[
    Feature::Sessions,
    Feature::Mfa,
    Feature::RecoveryCodes,
    Feature::RecoveryCodesLeft,
    Feature::EmailChange,
    Feature::EmailCode,
]);

/// How long the second step of a sign-in waits, as allauth's default
/// `ACCOUNT_LOGIN_TIMEOUT` (it does not say).
const MFA_STEP_SECONDS: u64 = 900;

pub(crate) struct Allauth<'a>(pub &'a Client);

/// `data.user` of `/auth/session`.
#[derive(Deserialize)]
struct User {
    id: serde_json::Value,
    #[serde(default)]
    display: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

/// One of `/account/email`.
#[derive(Deserialize)]
struct Address {
    email: String,
    verified: bool,
    primary: bool,
}

impl Allauth<'_> {
    fn lacks<T>(&self, feature: Feature) -> Result<T, ApiError> {
        Err(self.0.unsupported(feature))
    }

    /// From `GET /config`: sessions with `usersessions`, two-factor and
    /// recovery codes as `mfa.supported_types` lists them.
    pub async fn capabilities(&self) -> Result<Capabilities, ApiError> {
        let config = self.send_public(Method::GET, "/config", None, None).await?;
        if !config.is_success() {
            return Err(config.problem(&[]));
        }
        let types = config.data.pointer("/mfa/supported_types");
        let supports = |kind: &str| {
            types
                .and_then(|t| t.as_array())
                .is_some_and(|t| t.iter().any(|v| v == kind))
        };
        let mut caps = Capabilities::of(&[Feature::EmailChange, Feature::EmailCode]);
        if config.data.get("usersessions").is_some() {
            caps = caps.with(Feature::Sessions);
        }
        if supports("totp") {
            caps = caps.with(Feature::Mfa);
        }
        if supports("recovery_codes") {
            caps = caps
                .with(Feature::RecoveryCodes)
                .with(Feature::RecoveryCodesLeft);
        }
        Ok(caps.and(AT_MOST))
    }

    pub async fn signup(
        &self,
        _email: &str,
        _name: &str,
        _password: SecretText,
    ) -> Result<LoginOutcome, ApiError> {
        self.lacks(Feature::Signup)
    }

    pub async fn login(&self, email: &str, password: SecretText) -> Result<LoginOutcome, ApiError> {
        let body = serde_json::json!({ "email": email, "password": password.expose() });
        let answer = self
            .send_public(Method::POST, "/auth/login", Some(&body), None)
            .await?;
        self.finish_login(answer).await
    }

    /// The second step: the code (or a recovery code) with the token the
    /// first step gave.
    pub async fn login_mfa(&self, request: LoginMfaRequest) -> Result<LoginOutcome, ApiError> {
        let code = (request.code.or(request.recovery_code)).unwrap_or_else(|| SecretText::new(""));
        let body = serde_json::json!({ "code": code.expose().trim() });
        let answer = self
            .send_public(
                Method::POST,
                "/auth/2fa/authenticate",
                Some(&body),
                Some(&request.mfa_token),
            )
            .await?;
        if answer.status == 400 {
            // A wrong code lands where acctd puts it: on the field typed.
            let field = match request_was_recovery(&code) {
                true => "recovery_code",
                false => "code",
            };
            return Err(answer.problem(&[("code", field)]));
        }
        self.finish_login(answer).await
    }

    /// Signed in (a token), a second factor wanted (the pending token), or
    /// the errors.
    async fn finish_login(&self, answer: wire::Envelope) -> Result<LoginOutcome, ApiError> {
        let token = answer.meta.session_token.clone();
        if answer.is_success() {
            let token = token.ok_or_else(|| no_token(answer.status))?;
            let tokens = StoredTokens {
                access_token: token,
                refresh_token: SecretText::new(""),
                session_id: String::new(),
                access_expires_at: None,
            };
            self.0.set_tokens(Some(tokens)).await;
            let tokens = self.with_session_id().await?;
            return Ok(LoginOutcome::SignedIn(self.0.adopt(tokens).await?));
        }
        let pending = answer.pending_flow();
        let wants_mfa = pending.and_then(|f| f.get("id")) == Some(&"mfa_authenticate".into());
        match (wants_mfa, token) {
            (true, Some(token)) => Ok(LoginOutcome::MfaRequired(MfaChallenge {
                mfa_token: token,
                expires_in: MFA_STEP_SECONDS,
                methods: mfa_methods(pending),
            })),
            _ => Err(answer.problem(&[])),
        }
    }

    /// The tokens in use, with the id of their session when allauth lists
    /// sessions (`acctl status` shows it).
    async fn with_session_id(&self) -> Result<StoredTokens, ApiError> {
        let mut tokens = self.0.tokens().await.ok_or(ApiError::NotSignedIn)?;
        if self.0.require(Feature::Sessions).await.is_ok()
            && let Ok(sessions) = self.sessions().await
            && let Some(current) = sessions.into_iter().find(|s| s.current)
        {
            tokens.session_id = current.id;
        }
        Ok(tokens)
    }

    /// `DELETE /auth/session` answers 401 when it worked.
    pub async fn logout(&self) -> Result<(), ApiError> {
        let answer = self.send(Method::DELETE, "/auth/session", None).await;
        match answer {
            Ok(answer) if answer.is_success() || answer.status == 401 => Ok(()),
            Ok(answer) => Err(answer.problem(&[])),
            Err(error) => Err(error),
        }
    }

    /// Who is signed in, from the session, the addresses, the
    /// authenticators and the sessions. allauth keeps no sign-up date.
    pub async fn account(&self) -> Result<Account, ApiError> {
        let session = self.call(Method::GET, "/auth/session", None, &[]).await?;
        let user: User = serde_json::from_value(session.data["user"].clone()).map_err(|e| {
            ApiError::Unexpected {
                status: session.status,
                request_id: None,
                reason: format!("django-allauth sent no user ({e})"),
            }
        })?;
        let addresses: Vec<Address> = self
            .call(Method::GET, "/account/email", None, &[])
            .await?
            .data()?;
        let primary = addresses.iter().find(|a| a.primary);
        let email = primary
            .map(|a| a.email.clone())
            .or(user.email)
            .unwrap_or_default();
        let mfa_enabled = self.0.require(Feature::Mfa).await.is_ok()
            && self.mfa_status().await.is_ok_and(|s| s.totp_enabled);
        let active_sessions = match self.0.require(Feature::Sessions).await {
            Ok(()) => u32::try_from(self.sessions().await?.len()).unwrap_or(u32::MAX),
            Err(_) => 1,
        };
        Ok(Account {
            id: id_text(&user.id),
            name: user.display.unwrap_or_else(|| email.clone()),
            email_verified: primary.is_some_and(|a| a.verified),
            pending_email: addresses
                .iter()
                .find(|a| !a.primary && !a.verified)
                .map(|a| a.email.clone()),
            email,
            display_name: None,
            created_at: None,
            mfa_enabled,
            active_sessions,
            last_sign_in: None,
            phone: None,
            bio: None,
            has_avatar: false,
            deletion_scheduled_for: None,
            admin: false,
        })
    }

    pub async fn profile(&self) -> Result<Versioned<Account>, ApiError> {
        self.lacks(Feature::Profile)
    }

    pub async fn update_profile(
        &self,
        _patch: &ProfilePatch,
        _etag: &str,
    ) -> Result<Versioned<Account>, ApiError> {
        self.lacks(Feature::Profile)
    }

    pub async fn deletion(&self) -> Result<DeletionStatus, ApiError> {
        self.lacks(Feature::AccountDeletion)
    }

    pub async fn schedule_deletion(
        &self,
        _password: SecretText,
        _confirmation: &str,
        _sign_out_others: bool,
    ) -> Result<DeletionStatus, ApiError> {
        self.lacks(Feature::AccountDeletion)
    }

    pub async fn cancel_deletion(&self) -> Result<(), ApiError> {
        self.lacks(Feature::AccountDeletion)
    }
}

/// An id as text, whether allauth sent a number or a string.
pub(super) fn id_text(id: &serde_json::Value) -> String {
    match id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The pending flow's `types`, in the contract's words.
fn mfa_methods(flow: Option<&serde_json::Value>) -> Vec<String> {
    let types = flow
        .and_then(|f| f.get("types"))
        .and_then(|t| t.as_array())
        .cloned()
        .unwrap_or_default();
    types
        .iter()
        .filter_map(|t| t.as_str())
        .map(|t| match t {
            "recovery_codes" => "recovery_code".to_string(),
            other => other.to_string(),
        })
        .collect()
}

/// Anything but six to eight digits is a recovery code.
fn request_was_recovery(code: &SecretText) -> bool {
    let typed = code.expose().trim();
    !((6..=8).contains(&typed.len()) && typed.chars().all(|c| c.is_ascii_digit()))
}

fn no_token(status: u16) -> ApiError {
    ApiError::Unexpected {
        status,
        request_id: None,
        reason:
            "django-allauth signed in but sent no session token; is the \"app\" client enabled?"
                .to_string(),
    }
}

impl Allauth<'_> {
    /// Uses `token` from now on (and saves it), when it is a new one.
    async fn adopt_token(&self, token: SecretText) -> Result<(), ApiError> {
        let Some(current) = self.0.tokens().await else {
            return Ok(());
        };
        if current.access_token.expose() == token.expose() {
            return Ok(());
        }
        let tokens = StoredTokens {
            access_token: token,
            ..current
        };
        self.0.adopt(tokens).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_named_as_the_contract_names_them() {
        let flow =
            serde_json::json!({"id": "mfa_authenticate", "types": ["totp", "recovery_codes"]});
        assert_eq!(mfa_methods(Some(&flow)), ["totp", "recovery_code"]);
        assert!(request_was_recovery(&SecretText::new("ab12-cd34")));
        assert!(!request_was_recovery(&SecretText::new(" 123456 ")));
    }
}
