//! The secret key file: one key a line (base64 of 32 bytes), `#` comments;
//! the first key seals, every key opens. Where it is when none is given.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::OsRng;
use chacha20poly1305::{KeyInit as _, XChaCha20Poly1305};
use secrecy::{ExposeSecret as _, SecretString};

use super::{KEY_BYTES, Keyring};

/// Where acctd takes its secret keys from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum KeySource {
    /// By the database: beside a SQLite file (made there if missing), a
    /// key for this run only for a database in memory, and none at all for
    /// PostgreSQL (whose instances must share a key file given to each).
    #[default]
    Automatic,
    /// This file (`--secret-key-file`), which must exist.
    File(PathBuf),
}

/// Where the keys are for one database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyPlace {
    Given(PathBuf),
    /// `<database file>.key`, made on first start.
    BesideDatabase(PathBuf),
    /// A database in memory: a key as short-lived as it.
    ForThisRun,
    /// PostgreSQL without `--secret-key-file`.
    Missing,
}

impl KeySource {
    pub fn place_for(&self, database_url: &str) -> KeyPlace {
        match self {
            Self::File(path) => KeyPlace::Given(path.clone()),
            Self::Automatic => match sqlite_file(database_url) {
                _ if is_memory(database_url) => KeyPlace::ForThisRun,
                Some(file) => {
                    let mut name = file.into_os_string();
                    name.push(".key");
                    KeyPlace::BesideDatabase(PathBuf::from(name))
                }
                None => KeyPlace::Missing,
            },
        }
    }
}

impl KeySource {
    /// Where the keys are read from, as `--print-config` tells it.
    pub fn printable_file(&self, database_url: &str) -> String {
        match self.place_for(database_url) {
            KeyPlace::Given(path) => path.display().to_string(),
            KeyPlace::BesideDatabase(path) => format!("{} (beside the database)", path.display()),
            KeyPlace::ForThisRun => "none: a key for this run (the database is in memory)".into(),
            KeyPlace::Missing => "none: required on PostgreSQL (--secret-key-file)".into(),
        }
    }

    /// The ids of the keys in the key file, the sealing one first: never
    /// the keys themselves.
    pub fn printable_ids(&self, database_url: &str) -> String {
        let path = match self.place_for(database_url) {
            KeyPlace::Given(path) => path,
            KeyPlace::BesideDatabase(path) if path.exists() => path,
            KeyPlace::BesideDatabase(_) => return "(made at first start)".into(),
            KeyPlace::ForThisRun | KeyPlace::Missing => return String::new(),
        };
        match read(&path) {
            Ok(keyring) => keyring.ids().join(", "),
            Err(error) => format!("(unreadable: {:#})", anyhow::Error::from(error)),
        }
    }
}

fn is_memory(url: &str) -> bool {
    url.starts_with("sqlite:") && (url.contains(":memory:") || url.contains("mode=memory"))
}

/// The file of a `sqlite://PATH?options` or `sqlite:PATH` URL.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty()).then(|| PathBuf::from(path))
}

/// What is wrong with a key file. Never holds any of its contents.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error(
        "cannot read the secret key file {path} (make one with \
         `(umask 077; acctd new-secret-key > {path})`)"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the secret key file {path}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the secret key file {path} holds no key: add a line that `acctd new-secret-key` prints"
    )]
    Empty { path: PathBuf },
    #[error(
        "line {line} of the secret key file {path} is not a key: each line is base64 of 32 \
         random bytes, as `acctd new-secret-key` prints"
    )]
    BadLine { path: PathBuf, line: usize },
}

/// A new key, as a line of a key file.
pub fn new_key_line() -> SecretString {
    let key = XChaCha20Poly1305::generate_key(&mut OsRng);
    SecretString::from(STANDARD.encode(key))
}

/// The keys of the file at `path`, the first one sealing.
pub fn read(path: &Path) -> Result<Keyring, KeyFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyFileError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = SecretString::from(text);
    warn_if_others_can_read(path);
    let mut keys = Vec::new();
    for (n, line) in text.expose_secret().lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || KeyFileError::BadLine {
            path: path.to_path_buf(),
            line: n + 1,
        };
        let bytes = STANDARD.decode(line).map_err(|_| bad())?;
        let key: [u8; KEY_BYTES] = bytes.try_into().map_err(|_| bad())?;
        keys.push(key);
    }
    Keyring::from_keys(&keys).ok_or_else(|| KeyFileError::Empty {
        path: path.to_path_buf(),
    })
}

/// Makes a key file at `path` readable by its owner only, unless one is
/// there already (another instance may have just made it); then reads it.
pub fn read_or_create(path: &Path) -> Result<Keyring, KeyFileError> {
    let created = create(path);
    match created {
        Ok(()) => tracing::info!(path = %path.display(), "made a secret key file"),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(source) => {
            return Err(KeyFileError::Create {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    read(path)
}

fn create(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    let text = format!(
        "# acctd's secret keys (two-factor secrets are encrypted with them).\n\
         # The first key encrypts; every key decrypts. Keep this file out of\n\
         # the database's backups, and keep a copy of it somewhere safe.\n{}\n",
        new_key_line().expose_secret()
    );
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(unix)]
fn warn_if_others_can_read(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            path = %path.display(),
            "the secret key file can be read by other users: chmod 600 it"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_others_can_read(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_place_follows_the_database() {
        let auto = KeySource::Automatic;
        assert_eq!(
            auto.place_for("sqlite:///var/lib/acctd/acctd.db?mode=rwc"),
            KeyPlace::BesideDatabase("/var/lib/acctd/acctd.db.key".into())
        );
        assert_eq!(auto.place_for("sqlite::memory:"), KeyPlace::ForThisRun);
        assert_eq!(auto.place_for("postgres://a@h/d"), KeyPlace::Missing);
        let given = KeySource::File("/etc/acctd/keys".into());
        assert_eq!(
            given.place_for("postgres://a@h/d"),
            KeyPlace::Given("/etc/acctd/keys".into())
        );
    }

    #[test]
    fn key_files_are_made_private_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("acctd.db.key");
        let made = read_or_create(&path).expect("made");
        let again = read_or_create(&path).expect("kept");
        assert_eq!(made.ids(), again.ids(), "the same key, not a new one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "# rotated\nnot a key\n").expect("write");
        let refused = read(&path).expect_err("a bad line");
        assert!(refused.to_string().contains("line 2"), "{refused}");
        assert!(!refused.to_string().contains("not a key\n"), "{refused}");
        std::fs::write(&path, "# nothing\n").expect("write");
        assert!(matches!(read(&path), Err(KeyFileError::Empty { .. })));
    }
}
