//! What the signed-in commands share: the profile, the token store, and a
//! client that refreshes its tokens into that store.

use std::sync::Arc;

use acctl_client::profiles::{self, Profile};
use acctl_client::tokens::{OpenedStore, StoreError, StoredTokens, TokenStore};
use acctl_client::{Client, Feature, TokenPersistence, normalize_base_url};

use super::{CliError, Exit, Invocation};

/// Opens the token store `config` asks for. Probing blocks (on threads of
/// its own, with a deadline), so it runs off the async workers.
pub(super) async fn open_store(inv: &Invocation) -> OpenedStore {
    let keyring = inv.config.keyring_settings();
    let config_dir = inv.config_dir.clone();
    let profile = inv.profile.clone();
    match tokio::task::spawn_blocking(move || {
        acctl_client::tokens::open_store_for(&keyring, config_dir.as_deref(), Some(&profile))
    })
    .await
    {
        Ok(opened) => opened,
        Err(_) => OpenedStore {
            store: Arc::new(acctl_client::tokens::MemoryStore::default()),
            notice: Some(
                "the keyring could not be opened; tokens are kept in memory for this run only"
                    .into(),
            ),
        },
    }
}

/// The same store for another profile's checks (`status --all`).
pub(super) fn share_store(opened: &OpenedStore) -> OpenedStore {
    OpenedStore {
        store: opened.store.clone(),
        notice: opened.notice.clone(),
    }
}

pub(super) async fn load_tokens(
    store: &Arc<dyn TokenStore>,
    profile: &str,
) -> Result<Option<StoredTokens>, StoreError> {
    let (store, profile) = (store.clone(), profile.to_string());
    tokio::task::spawn_blocking(move || store.load(&profile))
        .await
        .unwrap_or_else(|_| Ok(None))
}

pub(super) fn load_profile(inv: &Invocation) -> Result<Option<Profile>, CliError> {
    match &inv.config_dir {
        Some(dir) => Ok(profiles::load(dir, &inv.profile)?),
        None => Ok(None),
    }
}

/// The profile and store of a command that needs to be signed in.
pub(super) struct ProfileSession {
    pub profile: Option<Profile>,
    pub opened: OpenedStore,
}

impl ProfileSession {
    pub async fn open(inv: &Invocation) -> Result<Self, CliError> {
        let profile = load_profile(inv)?;
        if let (Some(profile), Some(flag)) = (&profile, &inv.server_flag) {
            check_same_server(&inv.profile, profile, flag)?;
        }
        let opened = open_store(inv).await;
        Ok(Self { profile, opened })
    }

    pub fn server(&self) -> Option<&str> {
        self.profile.as_ref().map(|p| p.server.as_str())
    }

    /// A client with the profile's stored tokens in use.
    pub async fn client(&self, inv: &Invocation) -> Result<Client, CliError> {
        let Some(profile) = &self.profile else {
            let mut message = format!("not signed in: there is no profile '{}' yet", inv.profile);
            if let Some(known) = inv
                .config_dir
                .as_deref()
                .and_then(super::status_all::known_profiles)
            {
                message.push_str(&format!(" ({known})"));
            }
            return Err(CliError::new(Exit::AuthNeeded, message));
        };
        let store = self.opened.store.clone();
        let persistence = TokenPersistence::new(store.clone(), &inv.profile);
        let mut options = inv.config.client_options();
        options.service = profile.service;
        let client = Client::with_persistence(&profile.server, options, persistence)?;
        match load_tokens(&store, &inv.profile).await? {
            Some(tokens) => client.set_tokens(Some(tokens)).await,
            None => return Err(self.no_tokens(inv)),
        }
        Ok(client)
    }

    /// [`ProfileSession::client`] for a command about `feature`: a
    /// service that does not offer it is told (exit 7) before anything is
    /// asked or sent.
    pub async fn client_offering(
        &self,
        inv: &Invocation,
        feature: Feature,
    ) -> Result<Client, CliError> {
        let client = self.client(inv).await?;
        client.require(feature).await?;
        Ok(client)
    }

    fn no_tokens(&self, inv: &Invocation) -> CliError {
        let message = match &self.opened.notice {
            Some(notice) => format!(
                "not signed in (profile '{}'): acctl cannot keep tokens between commands \
                 here. {notice}",
                inv.profile
            ),
            None => format!(
                "not signed in (profile '{}', no tokens in the {})",
                inv.profile,
                self.opened.store.kind()
            ),
        };
        CliError::new(Exit::AuthNeeded, message)
    }
}

/// Tokens belong to the server that issued them: `--server` may not send a
/// profile's tokens anywhere else.
fn check_same_server(name: &str, profile: &Profile, flag: &str) -> Result<(), CliError> {
    let wanted = normalize_base_url(flag)?;
    if is_profiles_server(profile, &wanted) {
        return Ok(());
    }
    Err(CliError::new(
        Exit::Usage,
        format!(
            "profile '{name}' is for {}, not {wanted}; pass --profile with another name, \
             or sign in there with `acctl --profile {name} login --server {wanted}`",
            profile.server
        ),
    ))
}

/// True when `address` is the profile's server: its API root as kept, or
/// the site it is mounted on (`https://example.com` for a django-allauth
/// profile kept as `https://example.com/_allauth/app/v1`).
pub(super) fn is_profiles_server(profile: &Profile, address: &str) -> bool {
    let Ok(kept) = normalize_base_url(&profile.server) else {
        return false;
    };
    let Ok(address) = normalize_base_url(address) else {
        return false;
    };
    kept == address || kept == format!("{address}{}", profile.service.default_mount())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_never_sent_to_another_server() {
        let profile = Profile {
            server: "http://127.0.0.1:8080".into(),
            email: None,
            service: Default::default(),
        };
        assert!(check_same_server("default", &profile, "127.0.0.1:8080/").is_ok());
        let err =
            check_same_server("default", &profile, "https://evil.example").expect_err("refused");
        assert_eq!(err.exit, Exit::Usage);
        let site = Profile {
            server: "http://127.0.0.1:8000/_allauth/app/v1".into(),
            email: None,
            service: acctl_client::ServiceKind::Allauth,
        };
        assert!(check_same_server("default", &site, "http://127.0.0.1:8000").is_ok());
        assert!(check_same_server("default", &site, &site.server).is_ok());
        assert!(check_same_server("default", &site, "http://127.0.0.1:8001").is_err());
        assert!(
            err.message.contains("is for http://127.0.0.1:8080"),
            "{}",
            err.message
        );
    }
}
