//! Opaque bearer tokens: 32 random bytes, base64url, with a prefix that says
//! what they are. Only their SHA-256 hashes are stored.

use std::time::Duration;

use acctl_api::{SecretText, TokenPair};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::clock::duration_ms;
use crate::store::NewTokens;

pub const ACCESS_PREFIX: &str = "acc_";
pub const REFRESH_PREFIX: &str = "ref_";

/// A new random token with `prefix`.
pub fn generate(prefix: &str) -> SecretText {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    SecretText::new(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The stored form of a token: lowercase hex SHA-256.
pub fn hash(token: &str) -> String {
    // Every signed-in request hashes its token: a table, not `write!` per
    // byte, which cost more than the SHA-256 itself.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(token.as_bytes());
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// A token pair: the secrets for the client, the hashes for the store.
pub struct IssuedPair {
    pub access: SecretText,
    pub refresh: SecretText,
    pub stored: NewTokens,
    pub access_ttl: Duration,
}

impl IssuedPair {
    pub fn new(now_ms: i64, access_ttl: Duration) -> Self {
        let access = generate(ACCESS_PREFIX);
        let refresh = generate(REFRESH_PREFIX);
        let stored = NewTokens {
            access_hash: hash(access.expose()),
            access_expires_at: now_ms.saturating_add(duration_ms(access_ttl)),
            refresh_hash: hash(refresh.expose()),
            issued_at: now_ms,
        };
        Self {
            access,
            refresh,
            stored,
            access_ttl,
        }
    }

    /// What the client receives.
    pub fn into_wire(self, session_id: &str) -> TokenPair {
        TokenPair {
            access_token: self.access,
            refresh_token: self.refresh,
            token_type: "Bearer".to_string(),
            expires_in: self.access_ttl.as_secs(),
            session_id: session_id.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_hashed() {
        let a = generate(ACCESS_PREFIX);
        let b = generate(ACCESS_PREFIX);
        assert_ne!(a.expose(), b.expose());
        assert!(a.expose().starts_with("acc_"));
        assert_eq!(a.expose().len(), 4 + 43);
        assert_eq!(hash("abc").len(), 64);
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
