//! A [`TokenStore`] over any keyring-core credential store: Secret Service,
//! kernel keyutils, macOS Keychain, Windows Credential Manager.
//!
//! One entry per profile (service `acctl`, user `profile:<NAME> in <DIR>`,
//! see [`entry_user`]) holding a small JSON document with both tokens, the
//! session id and the expiry.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use acctl_api::SecretText;
use chrono::{DateTime, Utc};
use keyring_core::{CredentialStore, Entry};
use secrecy::zeroize::Zeroizing;
use serde::{Deserialize, Serialize};

use super::bounded::bounded;
use super::{KEYRING_SERVICE, StoreError, StoreKind, StoredTokens, TokenStore, entry_user};

/// Tokens of each profile in one OS keyring. Every call is bounded in time.
pub struct KeyringStore {
    store: StoreHandle,
    kind: StoreKind,
    timeout: Duration,
    /// The config dir whose profiles these are (see [`entry_user`]).
    config_dir: Option<PathBuf>,
}

/// Holds the keyring and lets it go on a plain thread: the Secret Service
/// connection blocks on a runtime of its own when dropped, which panics on a
/// tokio worker (say, at the end of `main`).
struct StoreHandle(Option<Arc<CredentialStore>>);

impl Drop for StoreHandle {
    fn drop(&mut self) {
        if let Some(store) = self.0.take() {
            let _ = std::thread::Builder::new()
                .name("acctl-keyring-close".into())
                .spawn(move || drop(store));
        }
    }
}

/// What the keyring entry holds. Private so its layout can change with a
/// version bump without touching the rest of acctl.
#[derive(Serialize, Deserialize)]
struct SecretBlob {
    version: u32,
    access_token: SecretText,
    refresh_token: SecretText,
    session_id: String,
    access_expires_at: Option<DateTime<Utc>>,
}

const BLOB_VERSION: u32 = 1;

impl KeyringStore {
    /// Wraps `store` for the profiles of `config_dir`; each call gives up
    /// after `timeout`.
    pub fn new(
        store: Arc<CredentialStore>,
        kind: StoreKind,
        timeout: Duration,
        config_dir: Option<&Path>,
    ) -> Self {
        Self {
            config_dir: config_dir.map(Path::to_path_buf),
            store: StoreHandle(Some(store)),
            kind,
            timeout,
        }
    }

    /// Runs `op` on the profile's entry, on its own thread, within the timeout.
    fn with_entry<T, F>(&self, user: String, op: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Entry) -> keyring_core::Result<T> + Send + 'static,
    {
        let kind = self.kind;
        let Some(store) = self.store.0.clone() else {
            return Err(StoreError::Unavailable {
                kind,
                reason: "it was closed".into(),
            });
        };
        bounded(kind, self.timeout, move || {
            let entry = store
                .build(KEYRING_SERVICE, &user, None)
                .map_err(|e| unavailable(kind, &e))?;
            op(&entry).map_err(|e| unavailable(kind, &e))
        })
    }

    fn entry_user(&self, profile: &str) -> String {
        entry_user(profile, self.config_dir.as_deref())
    }

    /// Proof that the store works here, leaving nothing behind.
    pub fn probe(&self) -> Result<(), StoreError> {
        self.probe_for(None)
    }

    /// [`KeyringStore::probe`], reading `profile`'s entry first: one that
    /// is there and reads back proves the store works (it was written and
    /// read before), with no write and so no unlock prompt. Otherwise a
    /// throw-away entry is looked up (a store that cannot even do that
    /// fails here, before anything is written), then written, read back
    /// and deleted.
    pub fn probe_for(&self, profile: Option<&str>) -> Result<(), StoreError> {
        if let Some(profile) = profile
            && self.load_secret(profile)?.is_some()
        {
            return Ok(());
        }
        let user = format!("probe:{}", std::process::id());
        let kind = self.kind;
        self.with_entry(user, |entry| {
            match entry.get_password() {
                Ok(_) | Err(keyring_core::Error::NoEntry) => {}
                Err(e) => return Err(e),
            }
            entry.set_password("probe")?;
            let read = entry.get_password();
            // Clean up even when the read failed.
            let deleted = entry.delete_credential();
            let read = read?;
            deleted?;
            Ok(read)
        })
        .and_then(|read| match read.as_str() {
            "probe" => Ok(()),
            _ => Err(StoreError::Unavailable {
                kind,
                reason: "it gave back something other than what was written".into(),
            }),
        })
    }

    fn load_secret(&self, profile: &str) -> Result<Option<Zeroizing<String>>, StoreError> {
        self.with_entry(self.entry_user(profile), |entry| {
            match entry.get_password() {
                Ok(secret) => Ok(Some(Zeroizing::new(secret))),
                Err(keyring_core::Error::NoEntry) => Ok(None),
                Err(e) => Err(e),
            }
        })
    }
}

fn unavailable(kind: StoreKind, error: &keyring_core::Error) -> StoreError {
    StoreError::Unavailable {
        kind,
        reason: error.to_string(),
    }
}

impl TokenStore for KeyringStore {
    fn kind(&self) -> StoreKind {
        self.kind
    }

    fn load(&self, profile: &str) -> Result<Option<StoredTokens>, StoreError> {
        let secret = self.load_secret(profile)?;
        secret.map(|s| decode(&s)).transpose()
    }

    fn save(&self, profile: &str, tokens: &StoredTokens) -> Result<(), StoreError> {
        let secret = encode(tokens)?;
        self.with_entry(self.entry_user(profile), move |entry| {
            entry.set_password(&secret)
        })
    }

    fn clear(&self, profile: &str) -> Result<(), StoreError> {
        self.with_entry(self.entry_user(profile), |entry| {
            match entry.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
                Err(e) => Err(e),
            }
        })
    }
}

fn encode(tokens: &StoredTokens) -> Result<Zeroizing<String>, StoreError> {
    let blob = SecretBlob {
        version: BLOB_VERSION,
        access_token: tokens.access_token.clone(),
        refresh_token: tokens.refresh_token.clone(),
        session_id: tokens.session_id.clone(),
        access_expires_at: tokens.access_expires_at,
    };
    serde_json::to_string(&blob)
        .map(Zeroizing::new)
        .map_err(|e| StoreError::Corrupt {
            reason: format!("could not encode the tokens ({:?})", e.classify()),
        })
}

/// Parses an entry. The error names where it broke, never what it read:
/// serde's messages can quote values, and values here are tokens.
fn decode(secret: &str) -> Result<StoredTokens, StoreError> {
    let blob: SecretBlob = serde_json::from_str(secret).map_err(|e| StoreError::Corrupt {
        reason: format!(
            "unreadable entry: {:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ),
    })?;
    if blob.version != BLOB_VERSION {
        return Err(StoreError::Corrupt {
            reason: format!("entry format {} is not one this acctl knows", blob.version),
        });
    }
    Ok(StoredTokens {
        access_token: blob.access_token,
        refresh_token: blob.refresh_token,
        session_id: blob.session_id,
        access_expires_at: blob.access_expires_at,
    })
}

#[cfg(test)]
#[path = "keyring_tests.rs"]
mod tests;
