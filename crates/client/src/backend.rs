//! The seam between the client API and the kinds of service behind it.
//!
//! The handlers (`client.sessions()`, `client.security()`, ...) keep their
//! signatures and the contract types of `acctl-api`. Each operation another
//! kind of service can do goes through [`dispatch!`]: acctd's own code, or
//! the same-named method of [`Allauth`] or [`BetterAuth`], a struct per
//! backend that maps that service's wire format to the contract. An
//! operation a kind never offers is refused by [`Client::require`] before
//! anything is sent, with [`ApiError::Unsupported`].
//!
//! A new backend: a `ServiceKind` variant, its detection probe
//! (`service.rs`), a struct here with every method [`Allauth`] has, an arm
//! in `dispatch!` and in the few `match`es on the kind in this file.

mod allauth;
mod better_auth;

use acctl_api::SecretText;
use reqwest::RequestBuilder;

pub(crate) use allauth::Allauth;
pub(crate) use better_auth::{
    BetterAuth, Memory as BetterAuthMemory, redact as redact_better_auth,
};

use crate::{ApiError, Capabilities, Client, Feature, ServiceKind};

/// Runs `acctd` for acctd, else `$op(args)` on the client's backend.
macro_rules! dispatch {
    ($client:expr, $op:ident($($arg:expr),*), acctd => $acctd:expr) => {{
        let client: &$crate::Client = $client;
        match client.service() {
            $crate::ServiceKind::Acctd => $acctd,
            $crate::ServiceKind::Allauth => {
                $crate::backend::Allauth(client).$op($($arg),*).await
            }
            $crate::ServiceKind::BetterAuth => {
                $crate::backend::BetterAuth(client).$op($($arg),*).await
            }
        }
    }};
}
pub(crate) use dispatch;

impl ServiceKind {
    /// What this kind of service can offer at best, known without asking
    /// it: a feature outside this is refused without a request.
    pub fn offers_at_most(self) -> Capabilities {
        match self {
            ServiceKind::Acctd => Capabilities::ALL,
            ServiceKind::Allauth => allauth::AT_MOST,
            ServiceKind::BetterAuth => better_auth::AT_MOST,
        }
    }
}

impl Client {
    /// The kind of service this client speaks to ([`crate::ClientOptions::service`]).
    pub fn service(&self) -> ServiceKind {
        self.inner.options.service
    }

    /// What the service offers: acctd's `/v1/meta` features, the others'
    /// configuration. Asked once per client, then remembered; Better Auth,
    /// which has no such answer, learns on use what it lacks.
    pub async fn capabilities(&self) -> Result<Capabilities, ApiError> {
        if self.service() == ServiceKind::BetterAuth {
            return BetterAuth(self).capabilities().await;
        }
        let caps = self
            .inner
            .capabilities
            .get_or_try_init(|| async {
                match self.service() {
                    ServiceKind::Acctd => {
                        Ok(Capabilities::from_features(&self.meta().await?.features))
                    }
                    ServiceKind::Allauth => Allauth(self).capabilities().await,
                    ServiceKind::BetterAuth => BetterAuth(self).capabilities().await,
                }
            })
            .await?;
        Ok(*caps)
    }

    /// Refuses, before anything is sent, what the service does not offer.
    /// acctd is not asked (it answers for itself); the others by their
    /// kind, then by their configuration once it is known.
    pub async fn require(&self, feature: Feature) -> Result<(), ApiError> {
        let kind = self.service();
        if kind == ServiceKind::Acctd {
            return Ok(());
        }
        let offered = match kind.offers_at_most().has(feature) {
            false => false,
            true => self.capabilities().await?.has(feature),
        };
        match offered {
            true => Ok(()),
            false => Err(self.unsupported(feature)),
        }
    }

    /// The User-Agent a service records for a session this client starts
    /// (allauth and Better Auth keep no device name): the device name the
    /// person sees in their session list, then acctl's version.
    pub(crate) fn device_agent(&self) -> String {
        format!(
            "{} (acctl/{})",
            self.options().device_name,
            env!("CARGO_PKG_VERSION")
        )
    }

    /// The service no longer knows the session (allauth's 410, Better
    /// Auth's `null`): forgets it here; the error every caller returns.
    pub(crate) async fn signed_out_elsewhere(&self) -> ApiError {
        self.set_tokens(None).await;
        self.forget_persisted().await;
        ApiError::SessionEnded {
            reason: format!(
                "{} no longer knows this sign-in: signed out elsewhere, or it expired",
                self.service().name()
            ),
        }
    }

    /// "django-allauth at URL offers no security log".
    pub fn unsupported(&self, feature: Feature) -> ApiError {
        ApiError::Unsupported {
            service: self.service(),
            server: self.base_url().to_string(),
            feature,
        }
    }

    /// Adds the session's credential the way this kind of service takes it.
    pub(crate) fn authorize(&self, request: RequestBuilder, token: &SecretText) -> RequestBuilder {
        match self.service() {
            ServiceKind::Allauth => request.header(allauth::TOKEN_HEADER, token.expose()),
            ServiceKind::Acctd | ServiceKind::BetterAuth => request.bearer_auth(token.expose()),
        }
    }
}

/// The device name acctl put in its User-Agent ("acctl on laptop
/// (acctl/0.1.0)" is "acctl on laptop"); another program's agent whole.
pub(crate) fn device_name(agent: &str) -> String {
    match agent.rsplit_once(" (acctl/") {
        Some((name, _)) if !name.is_empty() => name.to_string(),
        _ => agent.to_string(),
    }
}
