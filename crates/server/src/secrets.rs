//! Reversible secrets at rest (TOTP keys): sealed with XChaCha20-Poly1305
//! under a key acctd is given, so a copy of the database alone (a backup,
//! a replica) cannot mint anyone's codes.
//!
//! A [`Keyring`] holds one or more keys: the first seals, every one opens,
//! which is how a key is rotated (see [`rotation`]). Each key is known by a
//! short id derived from it, stored beside every sealed value, so acctd can
//! tell at start whether it holds every key the database needs. A value is
//! bound to its place (table, column, row) as associated data, so sealed
//! values cannot be swapped between accounts.

mod keyfile;
pub mod rotation;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead as _, AeadCore as _, OsRng, Payload};
use chacha20poly1305::{KeyInit as _, XChaCha20Poly1305, XNonce};
use secrecy::SecretString;
use sha2::{Digest as _, Sha256};

use crate::store::StoredSecret;

pub use keyfile::{KeyFileError, KeyPlace, KeySource, new_key_line, read as read_key_file};
pub use rotation::{RotationReport, keyring_for};

/// Bytes of a key (XChaCha20-Poly1305 takes 256 bits).
const KEY_BYTES: usize = 32;
/// Bytes of a nonce, random for every value (192 bits: no collision worry).
const NONCE_BYTES: usize = 24;

/// A value sealed under the key `key_id`: nonce and ciphertext, base64.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub text: String,
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealed")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// Why a sealed value could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "a secret is sealed with the key {0}, which acctd was not given: add it back to the \
         secret key file"
    )]
    UnknownKey(String),
    #[error("a sealed secret does not open with its key: it was changed or moved in the database")]
    Damaged,
}

struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
}

/// The keys acctd was given; the first one seals. No key material is ever
/// shown: `Debug` lists the ids only.
pub struct Keyring {
    keys: Vec<Key>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").field("ids", &self.ids()).finish()
    }
}

/// The id of a key: the start of a hash of it, which tells keys apart
/// without telling anything about them.
fn key_id(key: &[u8; KEY_BYTES]) -> String {
    let digest = Sha256::new()
        .chain_update(b"acctd secret key id\0")
        .chain_update(key)
        .finalize();
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

impl Keyring {
    /// A keyring of these keys, the first one sealing; `None` without a key.
    fn from_keys(keys: &[[u8; KEY_BYTES]]) -> Option<Self> {
        let keys: Vec<Key> = keys
            .iter()
            .map(|key| Key {
                id: key_id(key),
                cipher: XChaCha20Poly1305::new(key.into()),
            })
            .collect();
        (!keys.is_empty()).then_some(Self { keys })
    }

    /// A key for this process only: for a database that lives no longer
    /// (in memory).
    pub fn ephemeral() -> Self {
        let key: [u8; KEY_BYTES] = XChaCha20Poly1305::generate_key(&mut OsRng).into();
        Self {
            keys: vec![Key {
                id: key_id(&key),
                cipher: XChaCha20Poly1305::new(&key.into()),
            }],
        }
    }

    /// The id of the key that seals.
    pub fn current_id(&self) -> &str {
        &self.keys[0].id
    }

    /// Every key's id, the sealing one first.
    pub fn ids(&self) -> Vec<String> {
        self.keys.iter().map(|key| key.id.clone()).collect()
    }

    pub fn knows(&self, key_id: &str) -> bool {
        self.keys.iter().any(|key| key.id == key_id)
    }

    /// Seals `clear` for the place `context` names (e.g. the row's table,
    /// column and id), under the current key.
    pub fn seal(&self, clear: &str, context: &str) -> Sealed {
        let key = &self.keys[0];
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: clear.as_bytes(),
            aad: context.as_bytes(),
        };
        // Encryption fails only for messages of gigabytes; a secret is bytes.
        let sealed = key
            .cipher
            .encrypt(&nonce, payload)
            .unwrap_or_else(|_| unreachable!("a short secret always seals"));
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Sealed {
            key_id: key.id.clone(),
            text: STANDARD.encode(bytes),
        }
    }

    /// Opens a value sealed for `context`.
    pub fn open(&self, sealed: &Sealed, context: &str) -> Result<SecretString, OpenError> {
        let key = self
            .keys
            .iter()
            .find(|key| key.id == sealed.key_id)
            .ok_or_else(|| OpenError::UnknownKey(sealed.key_id.clone()))?;
        let bytes = STANDARD
            .decode(&sealed.text)
            .map_err(|_| OpenError::Damaged)?;
        if bytes.len() < NONCE_BYTES {
            return Err(OpenError::Damaged);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let payload = Payload {
            msg: ciphertext,
            aad: context.as_bytes(),
        };
        let clear = key
            .cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| OpenError::Damaged)?;
        let clear = String::from_utf8(clear).map_err(|_| OpenError::Damaged)?;
        Ok(SecretString::from(clear))
    }
}

impl Keyring {
    /// The clear TOTP secret of a stored factor (one stored before sealing
    /// is clear already, until the next start seals it).
    pub fn open_totp(&self, stored: &StoredSecret) -> Result<SecretString, OpenError> {
        match stored.sealed() {
            Some(sealed) => self.open(&sealed, &totp_context(&stored.user_id)),
            None => Ok(SecretString::from(stored.secret.clone())),
        }
    }

    /// A new TOTP secret of `user_id`, sealed.
    pub fn seal_totp(&self, user_id: &str, secret_base32: &str) -> Sealed {
        self.seal(secret_base32, &totp_context(user_id))
    }
}

/// Where a TOTP secret lives, as the associated data of its sealing.
pub fn totp_context(user_id: &str) -> String {
    format!("totp_factors.secret:{user_id}")
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret as _;

    use super::*;

    fn keyring(keys: &[[u8; KEY_BYTES]]) -> Keyring {
        Keyring::from_keys(keys).expect("a key")
    }

    #[test]
    fn sealed_values_open_only_with_their_key_and_place() {
        let old = keyring(&[[1; KEY_BYTES]]);
        let sealed = old.seal("JBSWY3DPEHPK3PXP", &totp_context("u1"));
        assert!(!sealed.text.contains("JBSWY3DPEHPK3PXP"));
        let opened = old.open(&sealed, &totp_context("u1")).expect("opens");
        assert_eq!(opened.expose_secret(), "JBSWY3DPEHPK3PXP");
        assert!(matches!(
            old.open(&sealed, &totp_context("u2")),
            Err(OpenError::Damaged)
        ));
        // Rotated: the new key seals, the old one still opens.
        let both = keyring(&[[2; KEY_BYTES], [1; KEY_BYTES]]);
        assert_ne!(both.current_id(), old.current_id());
        assert!(both.open(&sealed, &totp_context("u1")).is_ok());
        assert_eq!(both.seal("x", "c").key_id, both.current_id());
        let new_only = keyring(&[[2; KEY_BYTES]]);
        assert!(matches!(
            new_only.open(&sealed, &totp_context("u1")),
            Err(OpenError::UnknownKey(id)) if id == old.current_id()
        ));
    }

    #[test]
    fn nothing_secret_in_debug() {
        let ring = keyring(&[[7; KEY_BYTES]]);
        let sealed = ring.seal("s3cret", "c");
        let shown = format!("{ring:?} {sealed:?}");
        assert!(shown.contains(ring.current_id()), "{shown}");
        assert!(!shown.contains(&sealed.text), "{shown}");
        assert!(!shown.contains(&STANDARD.encode([7; KEY_BYTES])), "{shown}");
    }
}
