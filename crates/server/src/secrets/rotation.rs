//! The keys a database needs: found at start (or refused, saying what to
//! do), and moved onto the current key by `acctd rotate-secrets`.

use std::fmt;
use std::path::PathBuf;

use anyhow::bail;
use secrecy::ExposeSecret as _;

use super::keyfile::{self, KeyPlace, KeySource};
use super::{Keyring, totp_context};
use crate::store::Store;

/// The keyring for `store`, from `source`: refuses to go on when the
/// database holds secrets sealed under keys it would not have, and seals
/// any secret still stored clear.
pub async fn keyring_for(
    source: &KeySource,
    database_url: &str,
    store: &Store,
) -> anyhow::Result<Keyring> {
    let in_use = store.secret_key_ids().await?;
    let place = source.place_for(database_url);
    let keyring = match &place {
        KeyPlace::Given(path) => keyfile::read(path)?,
        KeyPlace::BesideDatabase(path) => {
            if !path.exists() {
                refuse_if_sealed(&in_use, Some(path))?;
            }
            keyfile::read_or_create(path)?
        }
        KeyPlace::ForThisRun => Keyring::ephemeral(),
        KeyPlace::Missing => {
            refuse_if_sealed(&in_use, None)?;
            bail!(
                "acctd encrypts two-factor secrets with a key, which on PostgreSQL must be \
                 given: make a key file once with `(umask 077; acctd new-secret-key > \
                 /etc/acctd/secret.key)` and pass it to every instance with --secret-key-file \
                 (or ACCTD_SECRET_KEY_FILE)"
            );
        }
    };
    let missing: Vec<&str> = in_use
        .iter()
        .map(String::as_str)
        .filter(|id| !keyring.knows(id))
        .collect();
    if !missing.is_empty() {
        bail!(
            "the database holds two-factor secrets encrypted with the key(s) {}, which the \
             secret key file {} lacks (it has {}): give acctd the key file that holds them \
             (keep an old key in the file, below the new one, until `acctd rotate-secrets` \
             has run)",
            missing.join(", "),
            place_name(&place),
            keyring.ids().join(", ")
        );
    }
    let sealed = seal_again(store, &keyring, true).await?;
    if sealed > 0 {
        tracing::info!(
            sealed,
            "two-factor secrets stored in clear are now encrypted"
        );
    }
    Ok(keyring)
}

fn refuse_if_sealed(in_use: &[String], looked_at: Option<&PathBuf>) -> anyhow::Result<()> {
    if in_use.is_empty() {
        return Ok(());
    }
    let looked = looked_at
        .map(|path| format!(" (there is none at {})", path.display()))
        .unwrap_or_default();
    bail!(
        "the database holds two-factor secrets encrypted with the key(s) {}, and acctd was \
         given no secret key file{looked}: pass --secret-key-file FILE (or \
         ACCTD_SECRET_KEY_FILE) naming the file that holds the key; without it no one with \
         two-factor sign-in could sign in",
        in_use.join(", ")
    )
}

fn place_name(place: &KeyPlace) -> String {
    match place {
        KeyPlace::Given(path) | KeyPlace::BesideDatabase(path) => path.display().to_string(),
        KeyPlace::ForThisRun => "(a key for this run only)".to_string(),
        KeyPlace::Missing => "(none given)".to_string(),
    }
}

/// Seals with the current key every secret stored clear and (unless
/// `clear_only`) every one sealed under another key; how many.
async fn seal_again(store: &Store, keyring: &Keyring, clear_only: bool) -> anyhow::Result<u64> {
    let mut sealed = 0;
    loop {
        let batch = store
            .secrets_to_seal(keyring.current_id(), clear_only)
            .await?;
        if batch.is_empty() {
            return Ok(sealed);
        }
        for stored in &batch {
            let context = totp_context(&stored.user_id);
            let clear = match stored.sealed() {
                Some(old) => keyring.open(&old, &context)?,
                None => stored.secret.clone().into(),
            };
            let new = keyring.seal(clear.expose_secret(), &context);
            if store.reseal_secret(stored, &new).await? {
                sealed += 1;
            }
        }
    }
}

/// What `acctd rotate-secrets` did.
#[derive(Debug)]
pub struct RotationReport {
    pub resealed: u64,
    pub key_id: String,
    /// Keys of the file no stored secret uses any more.
    pub unused: Vec<String>,
    pub file: String,
}

impl fmt::Display for RotationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Re-encrypted {} two-factor secrets with the key {}.",
            self.resealed, self.key_id
        )?;
        if !self.unused.is_empty() {
            writeln!(
                f,
                "No secret uses the key(s) {} any more: once every instance runs with the new \
                 key first, they can be removed from {}.",
                self.unused.join(", "),
                self.file
            )?;
        }
        Ok(())
    }
}

/// Seals every stored secret again under the current (first) key.
pub async fn rotate(
    source: &KeySource,
    database_url: &str,
    store: &Store,
) -> anyhow::Result<RotationReport> {
    let keyring = keyring_for(source, database_url, store).await?;
    let resealed = seal_again(store, &keyring, false).await?;
    let in_use = store.secret_key_ids().await?;
    let unused = keyring
        .ids()
        .into_iter()
        .filter(|id| id != keyring.current_id() && !in_use.contains(id))
        .collect();
    Ok(RotationReport {
        resealed,
        key_id: keyring.current_id().to_string(),
        unused,
        file: place_name(&source.place_for(database_url)),
    })
}
