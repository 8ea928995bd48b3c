//! `client.auth()`: signing in (with a second step when the account asks
//! for a code) and out. A sign-in also remembers the server and email in
//! the profile for next time.

use acctl_api::{LoginMfaRequest, MfaChallenge, SecretText};
use acctl_client::profiles::{self, Profile};
use acctl_client::{ApiError, LoginOutcome};

use super::{Call, Outcome, RequestKey, Worker};

#[derive(Debug, Clone)]
pub enum AuthRequest {
    /// Sign in; a different `server` than the current one switches servers.
    Login {
        server: String,
        email: String,
        password: SecretText,
    },
    /// The second step of a login that asked for a code.
    LoginMfa {
        email: String,
        mfa_token: SecretText,
        code: SecretText,
        recovery: bool,
    },
    Logout,
}

/// A login that went through.
#[derive(Debug, Clone)]
pub enum LoginDone {
    SignedIn {
        /// The server signed in to, normalised.
        server: String,
        email: String,
        /// Saving the profile failed; the sign-in itself worked.
        profile_warning: Option<String>,
        /// What the service offers (asked once signed in), and its kind.
        offers: acctl_client::Capabilities,
        service: acctl_client::ServiceKind,
    },
    MfaRequired(MfaChallenge),
}

/// The answers: both steps of a login answer as [`AuthDone::Login`].
#[derive(Debug)]
pub enum AuthDone {
    Login(Result<LoginDone, ApiError>),
    Logout(Result<(), ApiError>),
}

impl Call for AuthRequest {
    fn key(&self) -> RequestKey {
        match self {
            // Either step: one sign-in at a time.
            Self::Login { .. } | Self::LoginMfa { .. } => RequestKey::of("auth.login"),
            Self::Logout => RequestKey::of("auth.logout"),
        }
    }

    fn is_cancellable(&self) -> bool {
        !matches!(self, Self::Logout)
    }
}

impl Outcome for AuthDone {
    fn error(&self) -> Option<&ApiError> {
        match self {
            Self::Login(r) => r.error(),
            Self::Logout(r) => r.error(),
        }
    }
}

pub(super) async fn run(worker: &Worker, request: &AuthRequest) -> AuthDone {
    let auth = worker.client.auth();
    match request {
        AuthRequest::Login {
            email, password, ..
        } => {
            let outcome = auth.login(email, password.clone()).await;
            AuthDone::Login(signed_in(worker, email, outcome).await)
        }
        AuthRequest::LoginMfa {
            email,
            mfa_token,
            code,
            recovery,
        } => {
            let body = LoginMfaRequest {
                mfa_token: mfa_token.clone(),
                code: (!recovery).then(|| code.clone()),
                recovery_code: recovery.then(|| code.clone()),
            };
            let outcome = auth.login_mfa(body).await;
            AuthDone::Login(signed_in(worker, email, outcome).await)
        }
        AuthRequest::Logout => AuthDone::Logout(auth.logout().await),
    }
}

async fn signed_in(
    worker: &Worker,
    email: &str,
    outcome: Result<LoginOutcome, ApiError>,
) -> Result<LoginDone, ApiError> {
    match outcome? {
        LoginOutcome::MfaRequired(challenge) => Ok(LoginDone::MfaRequired(challenge)),
        LoginOutcome::SignedIn(_) => {
            let server = worker.client.base_url().to_string();
            let profile_warning = save_profile(worker, &server, email).await;
            let offers = worker
                .client
                .capabilities()
                .await
                .unwrap_or_else(|_| worker.client.service().offers_at_most());
            Ok(LoginDone::SignedIn {
                server,
                email: email.to_string(),
                profile_warning,
                offers,
                service: worker.client.service(),
            })
        }
    }
}

/// Remembers server and email for next time; a failure is only a warning.
async fn save_profile(worker: &Worker, server: &str, email: &str) -> Option<String> {
    let dir = worker.config_dir.clone()?;
    let name = worker.profile.clone();
    let profile = Profile {
        server: server.to_string(),
        email: Some(email.to_string()),
        service: worker.client.service(),
    };
    let saved = tokio::task::spawn_blocking(move || profiles::save(&dir, &name, &profile)).await;
    match saved {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!("signed in, but the profile was not saved: {e}")),
        Err(e) => Some(format!("signed in, but the profile was not saved: {e}")),
    }
}
