//! acctl-client: the client of an account service. The HTTP transport with
//! one handler per resource (`client.sessions().list(..)`), typed errors,
//! access tokens that refresh themselves, the token stores (`tokens`), the
//! named profiles (`profiles`) and where they live (`dirs`), the
//! [`Capabilities`] a server offers, and the one function that makes a
//! server's text safe to show (`text`), which every answer passes. One
//! backend per [`ServiceKind`] (`backend`) maps acctd, django-allauth or
//! Better Auth to the same API.
//!
//! It depends on neither ratatui, crossterm nor acctd: the console and the
//! CLI build on it, never the other way round.

mod account;
mod admin;
mod answer;
mod backend;
mod billing;
mod capabilities;
pub mod dirs;
mod download;
mod error;
mod profile;
pub mod profiles;
mod raw;
mod refresh_lock;
mod resources;
mod security;
mod service;
pub mod text;
pub mod tokens;
mod transport;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;

pub use account::{Notifications, Privacy};
pub use admin::{Admin, AdminWrite, AuditQuery, UserQuery};
pub use answer::decode_answer;
pub use billing::Billing;
pub use capabilities::{Capabilities, Feature};
pub use download::Progress;
pub use error::ApiError;
pub use profile::{PreferencesApi, Profile, Versioned, image_type};
pub use raw::{RawRequest, RawResponse};
pub use resources::{Auth, LoginOutcome, Me, SecurityEvents, Sessions};
pub use security::Security;
pub use service::{Detected, ServiceKind, UnknownService, detect};

use crate::tokens::{StoredTokens, TokenStore};

/// Settings for a [`Client`].
#[derive(Clone, Debug)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Shown to the person in their session list, e.g. "acctl on laptop".
    pub device_name: String,
    /// The kind of service at the address (a profile remembers it).
    pub service: ServiceKind,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            device_name: default_device_name(),
            service: ServiceKind::default(),
        }
    }
}

/// "acctl on HOSTNAME", the name a session gets unless the user picks one.
pub fn default_device_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty());
    match host {
        Some(host) => format!("acctl on {host}"),
        None => "acctl".to_string(),
    }
}

/// Where refreshed tokens are written so the next run finds them.
#[derive(Clone)]
pub struct TokenPersistence {
    pub store: Arc<dyn TokenStore>,
    pub profile: String,
    /// Where processes of this profile take turns refreshing (the state
    /// dir); None to skip the lock, as with a store only this process sees.
    pub lock_dir: Option<std::path::PathBuf>,
}

impl TokenPersistence {
    /// Tokens of `profile` in `store`; refreshes take the profile's lock in
    /// the state dir when the store is shared with other processes.
    pub fn new(store: Arc<dyn TokenStore>, profile: &str) -> Self {
        let lock_dir = store.kind().is_persistent().then(dirs::state_dir).flatten();
        Self {
            store,
            profile: profile.to_string(),
            lock_dir,
        }
    }
}

/// A client of one account server. Cheap to clone; clones share the session.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Without a trailing slash, e.g. `http://127.0.0.1:8080`.
    base: String,
    options: ClientOptions,
    /// Held across a refresh so concurrent requests refresh once.
    session: Mutex<Option<StoredTokens>>,
    persistence: Option<TokenPersistence>,
    /// What the service offers, once asked ([`Client::capabilities`]).
    capabilities: tokio::sync::OnceCell<Capabilities>,
    /// What a Better Auth backend learns and keeps for this client's life.
    better_auth: backend::BetterAuthMemory,
}

impl Client {
    /// A client for the service at `base_url` (http or https): the root of
    /// its API, of the kind `options.service` names.
    pub fn new(base_url: &str, options: ClientOptions) -> Result<Self, ApiError> {
        Self::build(base_url, options, None)
    }

    /// Like [`Client::new`], but refreshed tokens are saved to `persistence`.
    pub fn with_persistence(
        base_url: &str,
        options: ClientOptions,
        persistence: TokenPersistence,
    ) -> Result<Self, ApiError> {
        Self::build(base_url, options, Some(persistence))
    }

    fn build(
        base_url: &str,
        options: ClientOptions,
        persistence: Option<TokenPersistence>,
    ) -> Result<Self, ApiError> {
        let base = normalize_base_url(base_url)?;
        let http = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .user_agent(concat!("acctl/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::InvalidServerUrl {
                url: base_url.to_string(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base,
                options,
                session: Mutex::new(None),
                persistence,
                capabilities: tokio::sync::OnceCell::new(),
                better_auth: backend::BetterAuthMemory::default(),
            }),
        })
    }

    /// The server address, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// Use these tokens for the requests that follow (or none: signed out).
    pub async fn set_tokens(&self, tokens: Option<StoredTokens>) {
        *self.inner.session.lock().await = tokens;
    }

    /// The tokens in use, if signed in.
    pub async fn tokens(&self) -> Option<StoredTokens> {
        self.inner.session.lock().await.clone()
    }

    pub fn auth(&self) -> Auth<'_> {
        Auth::new(self)
    }

    pub fn me(&self) -> Me<'_> {
        Me::new(self)
    }

    /// The profile (versioned) and the avatar.
    pub fn profile(&self) -> Profile<'_> {
        Profile::new(self)
    }

    pub fn preferences(&self) -> PreferencesApi<'_> {
        PreferencesApi::new(self)
    }

    pub fn sessions(&self) -> Sessions<'_> {
        Sessions::new(self)
    }

    pub fn security_events(&self) -> SecurityEvents<'_> {
        SecurityEvents::new(self)
    }

    /// Password, email and two-factor settings.
    pub fn security(&self) -> Security<'_> {
        Security::new(self)
    }

    /// The notification settings matrix and the inbox.
    pub fn notifications(&self) -> Notifications<'_> {
        Notifications::new(self)
    }

    /// Privacy settings, data exports and account deletion.
    pub fn privacy(&self) -> Privacy<'_> {
        Privacy::new(self)
    }

    /// `/v1/admin/`, for administrators of the service.
    pub fn admin(&self) -> Admin<'_> {
        Admin::new(self)
    }

    pub fn billing(&self) -> Billing<'_> {
        Billing::new(self)
    }

    /// `GET /v1/meta`: the server's name, version and features.
    pub async fn meta(&self) -> Result<acctl_api::Meta, ApiError> {
        self.get_public(acctl_api::paths::META).await
    }
}

/// Accepts `host:port`, `http://host`, `https://host/` and the like.
pub fn normalize_base_url(input: &str) -> Result<String, ApiError> {
    let trimmed = input.trim().trim_end_matches('/');
    let invalid = |reason: &str| ApiError::InvalidServerUrl {
        url: input.to_string(),
        reason: reason.to_string(),
    };
    if trimmed.is_empty() {
        return Err(invalid("it is empty"));
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("http://{trimmed}")
    };
    let url = reqwest::Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("only http and https are supported"));
    }
    if url.host_str().is_none() {
        return Err(invalid("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(invalid("it must not carry a query, fragment or user name"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalized() {
        assert_eq!(
            normalize_base_url("127.0.0.1:8080/").expect("valid"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalize_base_url(" https://acct.example.com/ ").expect("valid"),
            "https://acct.example.com"
        );
    }

    #[test]
    fn bad_base_urls_say_why() {
        let err = normalize_base_url("ftp://x").expect_err("ftp refused");
        assert!(err.to_string().contains("only http and https"), "{err}");
        assert!(normalize_base_url("").is_err());
        assert!(normalize_base_url("http://u:p@host").is_err());
    }
}
