//! argon2id password hashes (crate default parameters, random salt). The
//! work runs on the blocking pool so it never stalls other requests.

use std::sync::OnceLock;

use acctl_api::SecretText;
use anyhow::Context;
use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use rand::RngCore as _;
use rand::rngs::OsRng;

/// Hashes a password.
pub async fn hash_password(password: SecretText) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_now(password.expose()))
        .await
        .context("password hashing stopped")?
}

/// Checks a password against a stored hash. With no hash (unknown email) it
/// checks against a dummy hash anyway, so both cases take the same time.
pub async fn verify_password(password: SecretText, stored: Option<String>) -> bool {
    let checked = tokio::task::spawn_blocking(move || match stored {
        Some(hash) => verify_now(password.expose(), &hash),
        None => {
            let _ = verify_now(password.expose(), dummy_hash());
            false
        }
    })
    .await;
    checked.unwrap_or(false)
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(hash.to_string())
}

fn verify_now(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Makes the dummy hash in the background, so even the first unknown-email
/// sign-in takes no longer than a wrong password does.
pub fn warm_up() {
    drop(tokio::task::spawn_blocking(dummy_hash));
}

/// A hash of a random password, made once per process.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let password = crate::auth::tokens::generate("dummy_");
        hash_now(password.expose()).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let hash = hash_password(SecretText::new("correct horse"))
            .await
            .expect("hashes");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(SecretText::new("correct horse"), Some(hash.clone())).await);
        assert!(!verify_password(SecretText::new("wrong horse"), Some(hash)).await);
        assert!(!verify_password(SecretText::new("correct horse"), None).await);
    }
}
