//! Where tokens live between runs: the OS keyring when one works, memory for
//! this run when none does. Never a plaintext file.

mod bounded;
mod keyring;
mod memory;
mod open;

use std::fmt;

use acctl_api::SecretText;
use chrono::{DateTime, Utc};

pub use keyring::KeyringStore;
pub use memory::MemoryStore;
pub use open::{
    Backend, Candidate, KeyringSettings, OpenedStore, UnknownBackend, open_store, open_store_for,
    open_store_with,
};

/// The keyring service name every acctl entry is filed under.
pub const KEYRING_SERVICE: &str = "acctl";

/// The keyring user name of a profile's entry: `profile:<NAME> in <DIR>`.
///
/// Keyrings are per OS user, shared by every acctl of that user; two config
/// dirs (say, `ACCTL_CONFIG_DIR` for a second setup) each have a `default`
/// profile, often on different servers. Naming the dir keeps their tokens
/// apart, so one never signs the other out nor sends its token elsewhere.
pub fn entry_user(profile: &str, config_dir: Option<&std::path::Path>) -> String {
    match config_dir {
        Some(dir) => {
            let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
            format!("profile:{profile} in {}", dir.display())
        }
        None => format!("profile:{profile}"),
    }
}

/// The tokens of one signed-in profile.
#[derive(Clone, Debug)]
pub struct StoredTokens {
    pub access_token: SecretText,
    pub refresh_token: SecretText,
    pub session_id: String,
    /// When the access token stops working, as the server told us at issue.
    pub access_expires_at: Option<DateTime<Utc>>,
}

impl StoredTokens {
    /// Tokens from a login or refresh answer, stamped with their expiry.
    pub fn from_pair(pair: acctl_api::TokenPair, now: DateTime<Utc>) -> Self {
        let ttl = chrono::Duration::seconds(i64::try_from(pair.expires_in).unwrap_or(i64::MAX));
        Self {
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
            session_id: pair.session_id,
            access_expires_at: now.checked_add_signed(ttl),
        }
    }

    /// True when the access token is past its expiry, with a little slack so
    /// a request is not sent with a token that dies on the way.
    pub fn access_expired(&self, now: DateTime<Utc>) -> bool {
        self.access_expires_at
            .is_some_and(|at| at - chrono::Duration::seconds(10) <= now)
    }
}

/// Which kind of store holds the tokens, for `acctl status` and the status bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    SecretService,
    KernelKeyutils,
    MacosKeychain,
    WindowsCredentialManager,
    /// Nothing persistent worked: tokens live for this run only.
    Memory,
}

impl StoreKind {
    pub fn describe(self) -> &'static str {
        match self {
            Self::SecretService => "Secret Service keyring",
            Self::KernelKeyutils => "kernel keyring (keyutils)",
            Self::MacosKeychain => "macOS Keychain",
            Self::WindowsCredentialManager => "Windows Credential Manager",
            Self::Memory => "memory only (this run)",
        }
    }

    pub fn is_persistent(self) -> bool {
        self != Self::Memory
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the {kind} could not be read or written: {reason}")]
    Unavailable { kind: StoreKind, reason: String },
    #[error("the {kind} did not answer within {seconds} seconds")]
    TimedOut { kind: StoreKind, seconds: u64 },
    #[error("the stored tokens are damaged ({reason}); sign in again with `acctl login`")]
    Corrupt { reason: String },
}

/// A place to keep tokens, one entry per profile. Calls may block (a keyring
/// talks to a daemon), so async code runs them with `spawn_blocking`.
pub trait TokenStore: Send + Sync + 'static {
    fn kind(&self) -> StoreKind;
    fn load(&self, profile: &str) -> Result<Option<StoredTokens>, StoreError>;
    fn save(&self, profile: &str, tokens: &StoredTokens) -> Result<(), StoreError>;
    fn clear(&self, profile: &str) -> Result<(), StoreError>;
}
