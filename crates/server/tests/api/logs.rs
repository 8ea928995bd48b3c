//! Logs never hold tokens or passwords. Alone in its binary because it
//! installs a global subscriber.

use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use acctl_api::{LoginResponse, paths};
use common::{Harness, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

/// Collects everything logged.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_never_hold_tokens_or_passwords() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // Global, and alone in this test binary: a thread-local subscriber can
    // miss events when other tests register the same callsites meanwhile.
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    let h = Harness::start().await;
    let pair = h.signup("ann@example.com", "Ann").await;
    let response = h
        .post(
            paths::REFRESH,
            json!({"refresh_token": pair.refresh_token.expose()}),
        )
        .await;
    let fresh: acctl_api::TokenPair = response.json().await.expect("pair");
    h.get(paths::ME, fresh.access_token.expose()).await;
    let wrong = h.login_as("ann@example.com", "a wrong password", "x").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let login = h
        .post(
            paths::LOGIN,
            json!({"email": "ann@example.com", "password": PASSWORD}),
        )
        .await;
    assert!(matches!(
        login.json::<LoginResponse>().await.expect("json"),
        LoginResponse::Ok(_)
    ));
    let handoff = common::billing::handoff(&h, fresh.access_token.expose()).await;
    let page = h
        .http
        .get(&handoff.url)
        .send()
        .await
        .expect("checkout page");
    assert_eq!(page.status(), StatusCode::OK);
    let checkout_token = handoff
        .url
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(checkout_token.starts_with("chk_"));
    h.server.shutdown().await;

    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(logs.contains("request_id="), "logs were captured: {logs}");
    for secret in [
        pair.access_token.expose(),
        pair.refresh_token.expose(),
        fresh.access_token.expose(),
        fresh.refresh_token.expose(),
        PASSWORD,
        "a wrong password",
        &checkout_token,
    ] {
        assert!(!logs.contains(secret), "a secret leaked into the logs");
    }
}
