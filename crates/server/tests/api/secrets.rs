//! Two-factor secrets at rest: sealed in the database, keys rotated
//! without locking anyone out, and no start without the key they need.
//! On SQLite files, or on PostgreSQL when the run is on that engine.

use std::path::{Path, PathBuf};
use std::time::Duration;

use acctd::Config;
use acctd::secrets::new_key_line;
use acctl_api::LoginResponse;
use reqwest::StatusCode;
use secrecy::{ExposeSecret as _, SecretString};
use serde_json::json;
use sqlx::Connection as _;

use crate::common::Place;
use crate::common::engine::{TestDatabase, cluster, on_postgres};
use crate::common::{Harness, enrolled, manual_clock, mfa_challenge, second_step, totp_code};

impl Place {
    /// Writes a key file of these keys (the first seals) and answers its path.
    fn key_file(&self, name: &str, keys: &[&SecretString]) -> PathBuf {
        let path = self.dir.path().join(name);
        let lines: String = keys
            .iter()
            .map(|key| format!("{}\n", key.expose_secret()))
            .collect();
        std::fs::write(&path, format!("# test keys\n{lines}")).expect("key file");
        path
    }

    /// The stored secret and its key id, read straight from the table.
    async fn stored_secret(&self) -> (String, Option<String>) {
        let mut raw = self.raw().await;
        let row = sqlx::query_as("SELECT secret, secret_key_id FROM totp_factors")
            .fetch_one(&mut raw)
            .await
            .expect("one factor");
        let _ = raw.close().await;
        row
    }
}

fn key_id(file: &Path) -> String {
    let keyring = acctd::secrets::read_key_file(file).expect("a key file");
    keyring.current_id().to_string()
}

const EMAIL: &str = "tess@example.com";

/// Signs up and turns TOTP on; the secret.
async fn enrol(h: &Harness) -> String {
    let token = h.signup(EMAIL, "Tess").await.access_token;
    enrolled(h, token.expose()).await.0
}

/// Signs in with the password and a TOTP code of `secret`, a minute later
/// than before (so the code is not one already spent).
async fn sign_in_with_totp(h: &Harness, secret: &str) {
    h.advance(Duration::from_secs(60));
    let challenge = mfa_challenge(h, EMAIL).await;
    let answer = second_step(h, &challenge, json!({"code": totp_code(h, secret)})).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let signed_in: LoginResponse = answer.json().await.expect("tokens");
    assert!(matches!(signed_in, LoginResponse::Ok(_)));
}

#[tokio::test]
async fn totp_secrets_are_sealed_at_rest_and_rotation_keeps_sign_in() {
    let place = Place::new().await;
    let (old, new) = (new_key_line(), new_key_line());
    let old_file = place.key_file("old.key", &[&old]);
    let h = Harness::start_with(place.config().with_secret_key_file(&old_file)).await;
    let secret = enrol(&h).await;
    h.server.shutdown().await;

    let (stored, stored_key) = place.stored_secret().await;
    assert!(!stored.contains(&secret), "the secret is in the clear");
    assert!(!stored.to_uppercase().contains(&secret[..8]));
    assert_eq!(stored_key.as_deref(), Some(key_id(&old_file).as_str()));

    // Rotation: the new key first, the old one kept below it.
    let both = place.key_file("both.key", &[&new, &old]);
    let report = acctd::rotate_secrets(&place.config().with_secret_key_file(&both))
        .await
        .expect("rotated");
    assert_eq!(report.resealed, 1, "{report}");
    assert_eq!(report.unused, vec![key_id(&old_file)], "{report}");
    let (resealed, resealed_key) = place.stored_secret().await;
    assert_ne!(resealed, stored);
    assert_eq!(resealed_key.as_deref(), Some(key_id(&both).as_str()));

    // The old key retired: sign-in with TOTP still works.
    let new_only = place.key_file("new.key", &[&new]);
    let h = Harness::start_with(place.config().with_secret_key_file(&new_only)).await;
    sign_in_with_totp(&h, &secret).await;
    h.server.shutdown().await;

    // With only the retired key, acctd says which key it lacks.
    let refused = acctd::start(place.config().with_secret_key_file(&old_file))
        .await
        .expect_err("refused without the key in use");
    let said = format!("{refused:#}");
    assert!(said.contains(&key_id(&new_only)), "{said}");
    assert!(said.contains("lacks"), "{said}");
}

#[tokio::test]
async fn acctd_refuses_to_start_without_the_key_its_secrets_need() {
    let place = Place::new().await;
    let given = place.key_file("given.key", &[&new_key_line()]);
    // On SQLite the key would be made beside the database; give one to
    // both engines, then take it away.
    let h = Harness::start_with(place.config().with_secret_key_file(&given)).await;
    enrol(&h).await;
    h.server.shutdown().await;
    let refused = acctd::start(place.config())
        .await
        .expect_err("refused without a key");
    let said = format!("{refused:#}");
    assert!(said.contains("--secret-key-file"), "{said}");
    assert!(said.contains(&key_id(&given)), "{said}");
    assert!(said.contains("no secret key file"), "{said}");
}

#[tokio::test]
async fn secrets_stored_clear_before_are_sealed_at_the_next_start() {
    let place = Place::new().await;
    let file = place.key_file("acctd.key", &[&new_key_line()]);
    let config = || place.config().with_secret_key_file(&file);
    let h = Harness::start_with(config()).await;
    let secret = enrol(&h).await;
    h.server.shutdown().await;
    // As a database from before sealing holds it.
    let mut raw = place.raw().await;
    sqlx::query("UPDATE totp_factors SET secret = $1, secret_key_id = NULL")
        .bind(&secret)
        .execute(&mut raw)
        .await
        .expect("made clear");
    let _ = raw.close().await;

    let h = Harness::start_with(config()).await;
    let (stored, stored_key) = place.stored_secret().await;
    assert!(!stored.contains(&secret), "still clear");
    assert_eq!(stored_key.as_deref(), Some(key_id(&file).as_str()));
    sign_in_with_totp(&h, &secret).await;
}

#[tokio::test]
async fn the_default_key_file_is_made_beside_a_sqlite_database_and_kept() {
    if on_postgres() {
        return; // PostgreSQL has no default key: see the refusal test.
    }
    let place = Place::new().await;
    let h = Harness::start_with(place.config()).await;
    let secret = enrol(&h).await;
    h.server.shutdown().await;
    let beside = place.dir.path().join("acctd.db.key");
    let made = std::fs::read_to_string(&beside).expect("a key file beside the database");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&beside)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let printed = place.config().printable();
    assert!(printed.contains(&key_id(&beside)), "{printed}");
    let key = made.lines().find(|l| !l.starts_with('#')).expect("a key");
    assert!(!printed.contains(key), "{printed}");

    let h = Harness::start_with(place.config()).await;
    sign_in_with_totp(&h, &secret).await;
    let kept = std::fs::read_to_string(&beside).expect("still there");
    assert_eq!(kept, made, "the key file was replaced");
}

#[tokio::test]
async fn copy_data_moves_sealed_secrets_as_they_are() {
    let Some(cluster) = cluster("copy-data of sealed secrets") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("acctd.db");
    let keys = dir.path().join("secret.key");
    let line = format!("{}\n", new_key_line().expose_secret());
    std::fs::write(&keys, line).expect("key file");
    let config = Config::for_tests()
        .with_clock(manual_clock())
        .with_secret_key_file(&keys);
    let h = Harness::start_with(config.clone().with_database_file(&file)).await;
    let secret = enrol(&h).await;
    h.server.shutdown().await;

    let database = TestDatabase::create(&cluster).await;
    let from = format!("sqlite://{}", file.display());
    acctd::copy_data(&from, &database.url)
        .await
        .expect("copied");
    let h = Harness::start_with(config.with_database(database.url.clone())).await;
    sign_in_with_totp(&h, &secret).await;
}

/// The command line: a new key is a key-file line, `--print-config` names
/// the file and the key ids but never a key, `rotate-secrets` reports.
#[test]
fn the_key_commands_show_ids_never_keys() {
    let acctd = env!("CARGO_BIN_EXE_acctd");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(acctd)
            .args(args)
            .env("RUST_LOG", "warn")
            .env_remove("ACCTD_SECRET_KEY_FILE")
            .output()
            .expect("acctd runs");
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8(output.stdout).expect("text")
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("secret.key");
    let key = run(&["new-secret-key"]);
    std::fs::write(&file, &key).expect("key file");
    let file_arg = file.to_str().expect("a UTF-8 path");
    let database = format!("sqlite://{}", dir.path().join("acctd.db").display());
    let printed = run(&[
        "serve",
        "--database",
        &database,
        "--secret-key-file",
        file_arg,
        "--print-config",
    ]);
    assert!(
        printed.contains(&format!("secret_key_file = {file_arg}")),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("secret_key_ids = {}", key_id(&file))),
        "{printed}"
    );
    assert!(!printed.contains(key.trim()), "{printed}");
    let rotated = run(&[
        "rotate-secrets",
        "--database",
        &database,
        "--secret-key-file",
        file_arg,
    ]);
    assert!(
        rotated.starts_with("Re-encrypted 0 two-factor secrets"),
        "{rotated}"
    );
}
