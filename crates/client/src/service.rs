//! The kinds of account service acctl speaks to, and telling which one
//! answers at an address.
//!
//! A client's base URL is the root of the service's API: the site for acctd
//! (its paths start with `/v1`), the mount point for the others
//! (`…/_allauth/app/v1` for django-allauth, `…/api/auth` for Better Auth),
//! so a site that mounts them elsewhere works once its address is given.

use std::str::FromStr;

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

use crate::{ApiError, ClientOptions, normalize_base_url};

/// Which kind of service a profile is signed in to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    /// acctd, the reference service: the whole API.
    #[default]
    Acctd,
    /// django-allauth's headless API, "app" client.
    Allauth,
    /// Better Auth with the bearer and twoFactor plugins.
    BetterAuth,
}

impl ServiceKind {
    pub const ALL: [ServiceKind; 3] = [Self::Acctd, Self::Allauth, Self::BetterAuth];

    /// As typed after `--service` and kept in profiles.toml.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Acctd => "acctd",
            Self::Allauth => "allauth",
            Self::BetterAuth => "better-auth",
        }
    }

    /// As people call it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Acctd => "acctd",
            Self::Allauth => "django-allauth",
            Self::BetterAuth => "Better Auth",
        }
    }

    /// Where the API sits below a site's address by default.
    pub fn default_mount(self) -> &'static str {
        match self {
            Self::Acctd => "",
            Self::Allauth => "/_allauth/app/v1",
            Self::BetterAuth => "/api/auth",
        }
    }

    /// The path below the API root that only this kind answers.
    fn probe_path(self) -> &'static str {
        match self {
            Self::Acctd => acctl_api::paths::META,
            Self::Allauth => "/config",
            Self::BetterAuth => "/ok",
        }
    }

    /// Whether a 200 answer to [`ServiceKind::probe_path`] is this kind's.
    fn recognises(self, body: &serde_json::Value) -> bool {
        match self {
            Self::Acctd => body.get("features").is_some_and(|f| f.is_array()),
            Self::Allauth => body.pointer("/data/account").is_some(),
            Self::BetterAuth => body.get("ok") == Some(&serde_json::Value::Bool(true)),
        }
    }
}

impl std::fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not a kind of service acctl knows: use acctd, allauth or better-auth")]
pub struct UnknownService(pub String);

impl FromStr for ServiceKind {
    type Err = UnknownService;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "acctd" => Ok(Self::Acctd),
            "allauth" | "django-allauth" => Ok(Self::Allauth),
            "better-auth" | "betterauth" | "better_auth" => Ok(Self::BetterAuth),
            _ => Err(UnknownService(s.to_string())),
        }
    }
}

/// A service found at an address: its kind and the root of its API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    pub kind: ServiceKind,
    pub base_url: String,
}

/// Finds which service answers at `server` (only `only`'s kind, if given):
/// each kind's probe at the address itself, then below its default mount.
pub async fn detect(
    server: &str,
    only: Option<ServiceKind>,
    options: &ClientOptions,
) -> Result<Detected, ApiError> {
    let given = normalize_base_url(server)?;
    let http = reqwest::Client::builder()
        .connect_timeout(options.connect_timeout)
        .timeout(options.request_timeout)
        .user_agent(concat!("acctl/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ApiError::InvalidServerUrl {
            url: server.to_string(),
            reason: e.to_string(),
        })?;
    let kinds: Vec<ServiceKind> = match only {
        Some(kind) => vec![kind],
        None => ServiceKind::ALL.to_vec(),
    };
    let mut tried = Vec::new();
    for kind in kinds {
        for base in candidates(&given, kind) {
            let url = format!("{base}{}", kind.probe_path());
            if probe(&http, &url, kind, &given).await? {
                return Ok(Detected {
                    kind,
                    base_url: base,
                });
            }
            tried.push(url);
        }
    }
    Err(ApiError::NoService {
        server: given,
        tried,
    })
}

/// The API roots to try for `kind`: the address as given, then with the
/// default mount added (unless it ends with it already).
fn candidates(given: &str, kind: ServiceKind) -> Vec<String> {
    let mount = kind.default_mount();
    let mut roots = vec![given.to_string()];
    if !mount.is_empty() && !given.ends_with(mount) {
        roots.push(format!("{given}{mount}"));
    }
    roots
}

/// True when `url` answers as `kind` does; only a connection that fails
/// outright is an error (nothing else would answer either).
async fn probe(
    http: &reqwest::Client,
    url: &str,
    kind: ServiceKind,
    server: &str,
) -> Result<bool, ApiError> {
    let response = match http.get(url).send().await {
        Ok(response) => response,
        Err(e) if e.is_timeout() => {
            return Err(ApiError::Timeout {
                server: server.to_string(),
            });
        }
        Err(e) if e.is_connect() => {
            return Err(ApiError::Unreachable {
                server: server.to_string(),
                reason: root_cause(&e),
            });
        }
        Err(_) => return Ok(false),
    };
    if response.status() != StatusCode::OK {
        return Ok(false);
    }
    let body: serde_json::Value = match response.json().await {
        Ok(body) => body,
        Err(_) => return Ok(false),
    };
    Ok(kind.recognises(&body))
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_what_people_type() {
        for kind in ServiceKind::ALL {
            assert_eq!(kind.as_str().parse::<ServiceKind>().ok(), Some(kind));
        }
        assert_eq!(
            "django-allauth".parse::<ServiceKind>().ok(),
            Some(ServiceKind::Allauth)
        );
        let err = "keycloak".parse::<ServiceKind>().expect_err("unknown");
        assert!(err.to_string().contains("acctd, allauth or better-auth"));
    }

    #[test]
    fn candidates_add_the_default_mount_once() {
        assert_eq!(
            candidates("http://h", ServiceKind::Allauth),
            ["http://h", "http://h/_allauth/app/v1"]
        );
        assert_eq!(
            candidates("http://h/api/auth", ServiceKind::BetterAuth),
            ["http://h/api/auth"]
        );
        assert_eq!(candidates("http://h", ServiceKind::Acctd), ["http://h"]);
    }

    #[test]
    fn answers_are_recognised_by_their_shape() {
        let meta = serde_json::json!({"name": "acctd", "version": "1", "features": []});
        let config = serde_json::json!({"status": 200, "data": {"account": {}}});
        let ok = serde_json::json!({"ok": true});
        assert!(ServiceKind::Acctd.recognises(&meta));
        assert!(ServiceKind::Allauth.recognises(&config));
        assert!(ServiceKind::BetterAuth.recognises(&ok));
        assert!(!ServiceKind::Acctd.recognises(&ok));
        assert!(!ServiceKind::Allauth.recognises(&meta));
        assert!(!ServiceKind::BetterAuth.recognises(&config));
    }
}
