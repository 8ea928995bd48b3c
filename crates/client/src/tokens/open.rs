//! Choosing where tokens live: the first keyring that proves it works
//! (see [`KeyringStore::probe_for`]), else memory for this run with a
//! notice that says so.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use keyring_core::CredentialStore;

use super::bounded::bounded;
use super::{KeyringStore, MemoryStore, StoreError, StoreKind, TokenStore};

/// Which store `keyring.backend` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The first platform keyring that works, else memory.
    Auto,
    SecretService,
    Keyutils,
    Memory,
}

impl Backend {
    pub const NAMES: &'static [&'static str] = &["auto", "secret-service", "keyutils", "memory"];
}

/// A `keyring.backend` that names no store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown keyring backend '{name}'; use one of: {}", Backend::NAMES.join(", "))]
pub struct UnknownBackend {
    pub name: String,
}

impl FromStr for Backend {
    type Err = UnknownBackend;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "auto" => Ok(Self::Auto),
            "secret-service" => Ok(Self::SecretService),
            "keyutils" => Ok(Self::Keyutils),
            "memory" => Ok(Self::Memory),
            other => Err(UnknownBackend {
                name: other.to_string(),
            }),
        }
    }
}

/// Which keyring to use and how long each may take to prove itself: plain
/// data the console's settings produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyringSettings {
    /// A name from [`Backend::NAMES`]; an unknown one falls back to memory
    /// with a notice.
    pub backend: String,
    pub timeout: Duration,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Self::Auto => "auto",
            Self::SecretService => "secret-service",
            Self::Keyutils => "keyutils",
            Self::Memory => "memory",
        };
        f.write_str(name)
    }
}

/// The store chosen for this run, and what the person should be told about it.
pub struct OpenedStore {
    pub store: Arc<dyn TokenStore>,
    /// Set when tokens will not outlive this run although a keyring was
    /// wanted: say it plainly (CLI stderr, TUI status bar, `acctl status`).
    pub notice: Option<String>,
}

type Connect = Box<dyn FnOnce() -> keyring_core::Result<Arc<CredentialStore>> + Send>;

/// A keyring to try: its kind and how to open it.
pub struct Candidate {
    pub kind: StoreKind,
    pub connect: Connect,
}

impl Candidate {
    pub fn new(
        kind: StoreKind,
        connect: impl FnOnce() -> keyring_core::Result<Arc<CredentialStore>> + Send + 'static,
    ) -> Self {
        Self {
            kind,
            connect: Box::new(connect),
        }
    }
}

/// Opens the store `settings` asks for, its entries named for `config_dir`
/// (see [`super::entry_user`]). Never fails and never hangs: each keyring
/// gets `settings.timeout` (at least a second) to prove itself.
pub fn open_store(settings: &KeyringSettings, config_dir: Option<&Path>) -> OpenedStore {
    open_store_for(settings, config_dir, None)
}

/// [`open_store`] for `profile`: a keyring that already holds its entry
/// and reads it back needs no test write (see [`KeyringStore::probe_for`]).
pub fn open_store_for(
    settings: &KeyringSettings,
    config_dir: Option<&Path>,
    profile: Option<&str>,
) -> OpenedStore {
    let timeout = settings.timeout.max(Duration::from_secs(1));
    match settings.backend.parse::<Backend>() {
        Ok(Backend::Memory) => OpenedStore {
            store: Arc::new(MemoryStore::default()),
            notice: None,
        },
        Ok(backend) => {
            let place = Place {
                config_dir,
                profile,
            };
            open_candidates(candidates(backend), backend, timeout, place)
        }
        Err(reason) => memory_with_notice(format!(
            "{reason}. Tokens are kept in memory for this run only."
        )),
    }
}

/// Tries `candidates` in order; the first that passes the probe wins.
pub fn open_store_with(
    candidates: Vec<Candidate>,
    backend: Backend,
    timeout: Duration,
    config_dir: Option<&Path>,
) -> OpenedStore {
    let place = Place {
        config_dir,
        profile: None,
    };
    open_candidates(candidates, backend, timeout, place)
}

/// Whose entries the store is opened for.
#[derive(Clone, Copy)]
struct Place<'a> {
    config_dir: Option<&'a Path>,
    profile: Option<&'a str>,
}

fn open_candidates(
    candidates: Vec<Candidate>,
    backend: Backend,
    timeout: Duration,
    place: Place<'_>,
) -> OpenedStore {
    let mut failures = Vec::new();
    for candidate in candidates {
        let kind = candidate.kind;
        match try_candidate(candidate, timeout, place) {
            Ok(store) => {
                tracing::info!(store = %kind, "token store chosen");
                return OpenedStore {
                    store: Arc::new(store),
                    notice: None,
                };
            }
            Err(error) => {
                tracing::warn!(store = %kind, %error, "token store does not work here");
                failures.push(error.to_string());
            }
        }
    }
    memory_with_notice(fallback_notice(backend, &failures))
}

fn try_candidate(
    candidate: Candidate,
    timeout: Duration,
    place: Place<'_>,
) -> Result<KeyringStore, StoreError> {
    let Candidate { kind, connect } = candidate;
    // Opening can hang too (a D-Bus that never answers), so it is bounded.
    let opened = bounded(kind, timeout, move || {
        connect().map_err(|error| StoreError::Unavailable {
            kind,
            reason: error.to_string(),
        })
    })?;
    let store = KeyringStore::new(opened, kind, timeout, place.config_dir);
    store.probe_for(place.profile)?;
    Ok(store)
}

fn memory_with_notice(notice: String) -> OpenedStore {
    OpenedStore {
        store: Arc::new(MemoryStore::default()),
        notice: Some(notice),
    }
}

fn fallback_notice(backend: Backend, failures: &[String]) -> String {
    let why = if failures.is_empty() {
        "none is available on this system".to_string()
    } else {
        failures.join("; ")
    };
    let head = match backend {
        Backend::Auto => format!("No keyring works here ({why})."),
        other => format!("The requested keyring backend '{other}' does not work here ({why})."),
    };
    format!(
        "{head} Tokens are kept in memory for this run only. To keep them, run a Secret \
         Service such as gnome-keyring in your D-Bus session, or use a kernel session \
         keyring (`keyctl session`); see keyring.backend in the config."
    )
}

/// The platform keyrings `backend` may use, in order of preference.
fn candidates(backend: Backend) -> Vec<Candidate> {
    platform_candidates()
        .into_iter()
        .filter(|c| match backend {
            Backend::Auto => true,
            Backend::SecretService => c.kind == StoreKind::SecretService,
            Backend::Keyutils => c.kind == StoreKind::KernelKeyutils,
            Backend::Memory => false,
        })
        .collect()
}

#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
))]
fn secret_service() -> Candidate {
    Candidate::new(StoreKind::SecretService, || {
        let store = zbus_secret_service_keyring_store::Store::new()?;
        Ok(store as Arc<CredentialStore>)
    })
}

#[cfg(target_os = "linux")]
fn platform_candidates() -> Vec<Candidate> {
    let keyutils = Candidate::new(StoreKind::KernelKeyutils, || {
        session_keyring_of_this_login()?;
        let store = linux_keyutils_keyring_store::Store::new()?;
        Ok(store as Arc<CredentialStore>)
    });
    vec![secret_service(), keyutils]
}

/// Without a session keyring of its own (a plain shell in a container, a
/// cron job) a process falls back to the user-session keyring `_uid_ses.N`:
/// a key added there goes to a throw-away keyring, and the link the store
/// also makes into the persistent keyring cannot be read back, so each try
/// would leave an unreadable key behind. Reading the keyring's name tells,
/// with nothing written.
#[cfg(target_os = "linux")]
fn session_keyring_of_this_login() -> keyring_core::Result<()> {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    let denied = |why: String| keyring_core::Error::NoStorageAccess(why.into());
    let session = KeyRing::from_special_id(KeyRingIdentifier::Session, false)
        .map_err(|e| denied(format!("no session keyring ({e})")))?;
    let description = session
        .metadata()
        .map_err(|e| denied(format!("the session keyring cannot be read ({e})")))?
        .get_description()
        .to_string();
    if description.starts_with("_uid_ses.") {
        return Err(denied(
            "this login has no session keyring of its own (an SSH login gets one; \
             here, run acctl inside `keyctl session`)"
                .into(),
        ));
    }
    Ok(())
}

#[cfg(any(target_os = "freebsd", target_os = "openbsd", target_os = "netbsd"))]
fn platform_candidates() -> Vec<Candidate> {
    vec![secret_service()]
}

#[cfg(target_os = "macos")]
fn platform_candidates() -> Vec<Candidate> {
    vec![Candidate::new(StoreKind::MacosKeychain, || {
        let store = apple_native_keyring_store::keychain::Store::new()?;
        Ok(store as Arc<CredentialStore>)
    })]
}

#[cfg(target_os = "windows")]
fn platform_candidates() -> Vec<Candidate> {
    vec![Candidate::new(StoreKind::WindowsCredentialManager, || {
        let store = windows_native_keyring_store::Store::new()?;
        Ok(store as Arc<CredentialStore>)
    })]
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "macos",
    target_os = "windows"
)))]
fn platform_candidates() -> Vec<Candidate> {
    Vec::new()
}

#[cfg(test)]
#[path = "open_tests.rs"]
mod tests;
