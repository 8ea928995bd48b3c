//! Account deletion: scheduling, canceling, and the purge after the grace
//! period, over HTTP against a real acctd with a manual clock.

use crate::common;

use std::time::Duration;

use acctd::Config;
use acctl_api::privacy::{DEFAULT_DELETION_GRACE_DAYS, DeletionStatus};
use acctl_api::{Account, OutboxMessage, paths};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const EMAIL: &str = "dee@example.com";
const DAY: Duration = Duration::from_secs(24 * 3600);

async fn dev_harness(config: Config) -> Harness {
    Harness::start_with(config.with_clock(manual_clock()).with_dev(true)).await
}

async fn schedule(h: &Harness, token: &str, password: &str, word: &str) -> reqwest::Response {
    let body = json!({"password": password, "confirmation": word});
    send(h, Method::POST, paths::DELETION, token, body).await
}

/// Schedules with "also sign out my other devices" ticked.
async fn schedule_signing_out(h: &Harness, token: &str) -> reqwest::Response {
    let body = json!({"password": PASSWORD, "confirmation": "DELETE", "sign_out_others": true});
    send(h, Method::POST, paths::DELETION, token, body).await
}

async fn status(h: &Harness, token: &str) -> DeletionStatus {
    serde_json::from_value(h.get_json(paths::DELETION, token).await).expect("status")
}

async fn me(h: &Harness, token: &str) -> Account {
    serde_json::from_value(h.get_json(paths::ME, token).await).expect("account")
}

#[tokio::test]
async fn a_wrong_password_or_word_lands_on_its_field_and_schedules_nothing() {
    let h = dev_harness(Config::for_tests()).await;
    let token = h.signup(EMAIL, "Dee").await.access_token;
    let token = token.expose();
    let response = schedule(&h, token, "not my password", "DELETE").await;
    expect_field_error(response, "password").await;
    for word in ["delete", "DELETE ", ""] {
        let response = schedule(&h, token, PASSWORD, word).await;
        let errors = expect_field_error(response, "confirmation").await;
        assert!(
            errors["confirmation"][0].contains("Type DELETE"),
            "{errors:?}"
        );
    }
    let now = status(&h, token).await;
    assert_eq!((now.scheduled_for, now.requested_at), (None, None));
    assert_eq!(now.grace_days, DEFAULT_DELETION_GRACE_DAYS);
    assert_eq!(event_count(&h, token, "deletion_scheduled").await, 0);
}

#[tokio::test]
async fn scheduling_keeps_other_sessions_unless_asked_and_canceling_changes_none() {
    let h = dev_harness(Config::for_tests()).await;
    let token = h.signup(EMAIL, "Dee").await.access_token;
    let token = token.expose();
    let other = h.login(EMAIL, "phone").await.access_token;

    let response = schedule(&h, token, PASSWORD, "DELETE").await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(
        h.get(paths::ME, other.expose()).await.status(),
        StatusCode::OK
    );
    assert_eq!(event_count(&h, token, "session_revoked").await, 0);
    let sessions = h.get_json(paths::SESSIONS, token).await;
    assert_eq!(sessions["items"].as_array().map(Vec::len), Some(2));

    let canceled = h.delete(paths::DELETION, token).await;
    assert_eq!(canceled.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        h.get(paths::ME, other.expose()).await.status(),
        StatusCode::OK
    );
    assert_eq!(event_count(&h, token, "session_revoked").await, 0);
}

#[tokio::test]
async fn scheduling_can_end_other_sessions_and_sign_in_keeps_working() {
    let h = dev_harness(Config::for_tests()).await;
    let token = h.signup(EMAIL, "Dee").await.access_token;
    let token = token.expose();
    let other = h.login(EMAIL, "phone").await.access_token;
    h.advance(Duration::from_secs(1));

    let response = schedule_signing_out(&h, token).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let scheduled: DeletionStatus = response.json().await.expect("status");
    let due = h.clock.now() + chrono::Duration::days(14);
    assert_eq!(scheduled.scheduled_for, Some(due));
    assert_eq!(scheduled.requested_at, Some(h.clock.now()));
    assert_eq!(status(&h, token).await, scheduled);

    let revoked = h.get(paths::ME, other.expose()).await;
    expect_problem(revoked, "session_revoked").await;
    assert_eq!(me(&h, token).await.deletion_scheduled_for, Some(due));
    let again = h.login(EMAIL, "laptop").await.access_token;
    assert_eq!(
        me(&h, again.expose()).await.deletion_scheduled_for,
        Some(due)
    );

    let logged = events(&h, token, Some("deletion_scheduled")).await;
    assert_eq!(logged.len(), 1);
    let detail = logged[0].detail.as_deref().unwrap_or_default();
    assert!(
        detail.contains(&due.format("%Y-%m-%d").to_string()),
        "{detail}"
    );
    let inbox = h.get_json(paths::NOTIFICATIONS, token).await;
    let notice = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|n| n["title"] == "Your account is scheduled for deletion")
        .expect("a deletion notice");
    assert_eq!(notice["title"], "Your account is scheduled for deletion");
    assert_eq!(notice["category"], "security");
    let path = format!("{}?to={EMAIL}", paths::DEV_OUTBOX);
    let mail: Vec<OutboxMessage> =
        serde_json::from_value(h.get_json(&path, token).await).expect("outbox");
    assert!(
        mail.iter()
            .any(|m| m.subject == "Your account is scheduled for deletion")
    );

    assert_eq!(event_count(&h, token, "session_revoked").await, 1);
    let twice = schedule(&h, token, PASSWORD, "DELETE").await;
    let answer = expect_problem(twice, "deletion_scheduled").await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn canceling_removes_the_date_and_cancel_without_one_is_a_conflict() {
    let h = dev_harness(Config::for_tests()).await;
    let token = h.signup(EMAIL, "Dee").await.access_token;
    let token = token.expose();
    assert_eq!(
        schedule(&h, token, PASSWORD, "DELETE").await.status(),
        StatusCode::ACCEPTED
    );
    h.advance(Duration::from_secs(1));
    let response = h.delete(paths::DELETION, token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(status(&h, token).await.scheduled_for, None);
    assert_eq!(me(&h, token).await.deletion_scheduled_for, None);
    assert_eq!(event_count(&h, token, "deletion_canceled").await, 1);
    let inbox = h.get_json(paths::NOTIFICATIONS, token).await;
    assert_eq!(inbox["items"][0]["title"], "Account deletion canceled");

    let again = h.delete(paths::DELETION, token).await;
    expect_problem(again, "conflict").await;
    // Canceled means the purge leaves it alone, however late.
    h.advance(DAY * 30);
    assert_eq!(h.server.purge_due().await.expect("purge"), 0);
    h.login(EMAIL, "later").await;
}

#[tokio::test]
async fn the_purge_waits_for_the_grace_period_then_removes_everything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("acctd.db");
    let config = Config::for_tests()
        .with_database_file(&file)
        .with_deletion_grace(DAY * 3);
    let h = dev_harness(config).await;
    let pair = h.signup(EMAIL, "Dee").await;
    let token = pair.access_token.expose();
    enrolled(&h, token).await;
    let body = json!({"profile_visibility": "public"});
    send(&h, Method::PATCH, paths::PRIVACY, token, body).await;
    common::billing::add_card(&h, token).await;
    common::billing::change_ok(&h, token, "pro", "month").await;
    assert_eq!(status(&h, token).await.grace_days, 3);
    assert_eq!(
        schedule(&h, token, PASSWORD, "DELETE").await.status(),
        StatusCode::ACCEPTED
    );

    h.advance(DAY * 3 - Duration::from_secs(60));
    assert_eq!(h.server.purge_due().await.expect("purge"), 0);
    let early = h.login_as(EMAIL, PASSWORD, "still here").await;
    assert_eq!(early.status(), StatusCode::OK);

    h.advance(Duration::from_secs(60));
    assert_eq!(h.server.purge_due().await.expect("purge"), 1);
    let url = format!("sqlite://{}", file.display());
    let db = sqlx::SqlitePool::connect(&url).await.expect("database");
    for table in [
        "users",
        "sessions",
        "access_tokens",
        "refresh_tokens",
        "security_events",
        "totp_factors",
        "recovery_codes",
        "mfa_challenges",
        "notifications",
        "privacy_settings",
        "deletions",
        "outbox",
        "subscriptions",
        "payment_methods",
        "checkout_tokens",
    ] {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let left: i64 = sqlx::query_scalar(&sql)
            .fetch_one(&db)
            .await
            .expect("count");
        assert_eq!(left, 0, "{table} still has rows");
    }
    // The invoice stays for the books, with nothing that names the person.
    let kept: Vec<(Option<String>, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT user_id, customer_name, customer_email FROM invoices")
            .fetch_all(&db)
            .await
            .expect("invoices");
    assert_eq!(kept, [(None, None, None)]);
    expect_problem(h.get(paths::ME, token).await, "unauthenticated").await;
    let refresh = json!({"refresh_token": pair.refresh_token.expose()});
    let refused = h.post(paths::REFRESH, refresh).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let login = h.login_as(EMAIL, PASSWORD, "after").await;
    expect_problem(login, "invalid_credentials").await;
    let fresh = h.signup(EMAIL, "Dee again").await.access_token;
    assert_eq!(me(&h, fresh.expose()).await.name, "Dee again");
}
