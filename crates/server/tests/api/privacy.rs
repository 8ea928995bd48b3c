//! Privacy settings and data exports, over HTTP against a real acctd.

use crate::common;

use std::time::Duration;

use acctd::Config;
use acctl_api::notifications::{NotificationCategory, NotificationChannel};
use acctl_api::privacy::{
    DataExport, EXPORT_FORMAT_VERSION, EXPORT_TTL_DAYS, ExportDocument, ExportStatus,
    PrivacySettings, ProfileVisibility,
};
use acctl_api::{Page, SecurityEventKind, paths};
use common::exports::{finished, start_export};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const EMAIL: &str = "pia@example.com";

async fn privacy(h: &Harness, token: &str) -> PrivacySettings {
    serde_json::from_value(h.get_json(paths::PRIVACY, token).await).expect("privacy")
}

#[tokio::test]
async fn privacy_starts_private_and_a_patch_changes_only_what_it_names() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Pia").await.access_token;
    let token = token.expose();
    let start = privacy(&h, token).await;
    assert_eq!(
        start,
        PrivacySettings {
            profile_visibility: ProfileVisibility::Private,
            data_sharing: false,
            analytics: false,
            personalized_ads: false,
        }
    );
    let response = send(
        &h,
        Method::PATCH,
        paths::PRIVACY,
        token,
        json!({"analytics": true}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let after: PrivacySettings = response.json().await.expect("privacy");
    assert_eq!(
        after,
        PrivacySettings {
            analytics: true,
            ..start.clone()
        }
    );
    // A second later, so the log's newest-first order is the order of the patches.
    h.advance(Duration::from_secs(1));
    let body =
        json!({"profile_visibility": "contacts", "analytics": true, "personalized_ads": true});
    let response = send(&h, Method::PATCH, paths::PRIVACY, token, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let now = privacy(&h, token).await;
    assert_eq!(
        now,
        PrivacySettings {
            profile_visibility: ProfileVisibility::Contacts,
            data_sharing: false,
            analytics: true,
            personalized_ads: true,
        }
    );
    let logged = events(&h, token, Some("privacy_settings_changed")).await;
    let details: Vec<_> = logged.iter().filter_map(|e| e.detail.as_deref()).collect();
    assert_eq!(
        details,
        [
            "Changed: profile_visibility, personalized_ads",
            "Changed: analytics"
        ]
    );
}

#[tokio::test]
async fn bad_privacy_values_are_refused_and_change_nothing() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Pia").await.access_token;
    let token = token.expose();
    let before = privacy(&h, token).await;
    let body = json!({"profile_visibility": "everyone", "analytics": true});
    let response = send(&h, Method::PATCH, paths::PRIVACY, token, body).await;
    let errors = expect_field_error(response, "profile_visibility").await;
    assert!(errors["profile_visibility"][0].contains("private, contacts or public"));
    for body in [json!({"tracking": true}), json!({"analytics": "yes"})] {
        let response = send(&h, Method::PATCH, paths::PRIVACY, token, body).await;
        expect_problem(response, "malformed_request").await;
    }
    assert_eq!(privacy(&h, token).await, before);
    assert_eq!(event_count(&h, token, "privacy_settings_changed").await, 0);
}

/// A dev server on a database file the test can read behind its back.
async fn harness_on_file(dir: &tempfile::TempDir) -> (Harness, sqlx::SqlitePool) {
    let file = dir.path().join("acctd.db");
    let config = Config::for_tests()
        .with_clock(manual_clock())
        .with_database_file(&file)
        .with_dev(true);
    let h = Harness::start_with(config).await;
    let url = format!("sqlite://{}", file.display());
    let db = sqlx::SqlitePool::connect(&url)
        .await
        .expect("the same database");
    (h, db)
}

/// An account with a second session, two-factor sign-in, changed settings,
/// a pending email change and a paid plan: something of every kind to export.
async fn busy_account(h: &Harness) -> (String, Vec<String>) {
    let token = h
        .signup(EMAIL, "Pia")
        .await
        .access_token
        .expose()
        .to_string();
    h.login(EMAIL, "phone").await;
    let (_, codes) = enrolled(h, &token).await;
    let body =
        json!({"settings": [{"category": "marketing", "channel": "email", "enabled": true}]});
    let response = send(h, Method::PUT, paths::NOTIFICATION_SETTINGS, &token, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json!({"profile_visibility": "public"});
    assert_eq!(
        send(h, Method::PATCH, paths::PRIVACY, &token, body)
            .await
            .status(),
        StatusCode::OK
    );
    let body = json!({"new_email": "pia@new.example", "password": PASSWORD});
    assert_eq!(
        send(h, Method::POST, paths::EMAIL, &token, body)
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    common::billing::add_card(h, &token).await;
    common::billing::change_ok(h, &token, "pro", "month").await;
    (token, codes)
}

/// Every secret the database holds, as stored (hashes, the TOTP secret).
async fn stored_secrets(db: &sqlx::SqlitePool) -> Vec<String> {
    let mut secrets = Vec::new();
    for sql in [
        "SELECT password_hash FROM users",
        "SELECT secret FROM totp_factors",
        "SELECT code_hash FROM recovery_codes",
        "SELECT token_hash FROM access_tokens",
        "SELECT token_hash FROM refresh_tokens",
        "SELECT code_hash FROM email_changes",
        "SELECT token_hash FROM checkout_tokens",
    ] {
        let found: Vec<String> = sqlx::query_scalar(sql).fetch_all(db).await.expect(sql);
        assert!(!found.is_empty(), "nothing for {sql}");
        secrets.extend(found);
    }
    secrets
}

#[tokio::test]
async fn an_export_reaches_ready_and_holds_everything_but_secrets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (h, db) = harness_on_file(&dir).await;
    let (token, codes) = busy_account(&h).await;
    let token = token.as_str();
    let started = start_export(&h, token).await;
    let done = finished(&h, token, &started.id).await;
    assert_eq!(
        (done.status, done.progress_percent),
        (ExportStatus::Ready, 100)
    );
    let ready_at = done.ready_at.expect("ready_at");
    assert_eq!(
        done.expires_at,
        Some(ready_at + chrono::Duration::days(EXPORT_TTL_DAYS))
    );

    let response = h.get(&paths::export_download(&started.id), token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| common::header(&response, name).expect(name);
    assert_eq!(header("content-type"), "application/json");
    assert_eq!(
        header("content-length"),
        done.size_bytes.expect("size").to_string()
    );
    let disposition = header("content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"acctl-export-2030-01-02-"),
        "{disposition}"
    );
    let bytes = response.bytes().await.expect("body");
    let text = String::from_utf8(bytes.to_vec()).expect("utf-8");
    let document: ExportDocument = serde_json::from_str(&text).expect("an ExportDocument");

    assert_eq!(document.account.email, EMAIL);
    assert!(document.account.mfa_enabled);
    assert_eq!(document.sessions.len(), 2);
    let kinds: Vec<_> = document.security_events.iter().map(|e| e.kind).collect();
    for kind in [
        SecurityEventKind::AccountCreated,
        SecurityEventKind::LoginSucceeded,
        SecurityEventKind::MfaEnabled,
        SecurityEventKind::NotificationSettingsChanged,
        SecurityEventKind::PrivacySettingsChanged,
        SecurityEventKind::DataExportRequested,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} missing from {kinds:?}");
    }
    assert_eq!(document.notification_settings.settings.len(), 20);
    let marketing = document
        .notification_settings
        .get(NotificationCategory::Marketing, NotificationChannel::Email);
    assert!(marketing.expect("cell").enabled);
    let titles: Vec<_> = document
        .notifications
        .iter()
        .map(|n| n.title.as_str())
        .collect();
    assert!(titles.contains(&"New sign-in from phone"), "{titles:?}");
    assert_eq!(
        document.privacy.profile_visibility,
        ProfileVisibility::Public
    );
    let billing = document.billing.expect("the billing part");
    assert_eq!(billing.subscription.expect("subscription").plan, "pro");
    assert_eq!(billing.payment_method.expect("card").last4, "4242");
    assert_eq!(billing.invoices.len(), 1);
    assert!(!billing.invoices[0].lines.is_empty());
    assert_eq!(document.format_version, EXPORT_FORMAT_VERSION);

    for secret in stored_secrets(&db).await.iter().chain(&codes) {
        assert!(!text.contains(secret.as_str()), "a secret is in the export");
    }
    assert!(!text.contains(PASSWORD));
    // "Export ready" reached the inbox.
    let inbox = h.get_json(paths::NOTIFICATIONS, token).await;
    let ready = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|n| n["title"] == "Your data export is ready")
        .expect("an export-ready notice");
    assert_eq!(ready["category"], "account");
}

#[tokio::test]
async fn an_export_expires_after_seven_days_by_the_server_clock() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Pia").await.access_token;
    let token = token.expose();
    let started = start_export(&h, token).await;
    finished(&h, token, &started.id).await;
    let download = paths::export_download(&started.id);

    h.advance(Duration::from_secs(7 * 24 * 3600 - 1));
    // Access tokens last minutes; sign in again, as a person would.
    let token = h.login(EMAIL, "a week later").await.access_token;
    let token = token.expose();
    assert_eq!(h.get(&download, token).await.status(), StatusCode::OK);
    h.advance(Duration::from_secs(1));
    let answer = expect_problem(h.get(&download, token).await, "export_expired").await;
    assert_eq!(answer.status, StatusCode::GONE);
    let list: Page<DataExport> =
        serde_json::from_value(h.get_json(paths::EXPORTS, token).await).expect("page");
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].status, ExportStatus::Expired);

    // A new one is newest first.
    let again = start_export(&h, token).await;
    finished(&h, token, &again.id).await;
    let list: Page<DataExport> =
        serde_json::from_value(h.get_json(paths::EXPORTS, token).await).expect("page");
    let ids: Vec<_> = list.items.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, [again.id.as_str(), started.id.as_str()]);
    assert_eq!(event_count(&h, token, "data_export_requested").await, 2);
}

#[tokio::test]
async fn another_accounts_export_is_not_found() {
    let h = Harness::start().await;
    let mine = h.signup(EMAIL, "Pia").await.access_token;
    let theirs = h.signup("quinn@example.com", "Quinn").await.access_token;
    let export = start_export(&h, theirs.expose()).await;
    finished(&h, theirs.expose(), &export.id).await;
    for path in [
        paths::export(&export.id),
        paths::export_download(&export.id),
    ] {
        expect_problem(h.get(&path, mine.expose()).await, "not_found").await;
    }
    let list: Page<DataExport> =
        serde_json::from_value(h.get_json(paths::EXPORTS, mine.expose()).await).expect("page");
    assert!(list.items.is_empty());
}
