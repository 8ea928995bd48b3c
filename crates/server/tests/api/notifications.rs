//! Notification settings and the inbox, over HTTP against a real acctd.

use crate::common;

use std::time::Duration;

use acctd::Config;
use acctl_api::notifications::{
    LOCKED_REASON, Notification, NotificationCategory as Category, NotificationChannel as Channel,
    NotificationSettings, UnreadCount,
};
use acctl_api::{OutboxMessage, Page, paths};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const EMAIL: &str = "nia@example.com";

async fn dev_harness() -> Harness {
    Harness::start_with(
        Config::for_tests()
            .with_clock(manual_clock())
            .with_dev(true),
    )
    .await
}

async fn settings(h: &Harness, token: &str) -> NotificationSettings {
    serde_json::from_value(h.get_json(paths::NOTIFICATION_SETTINGS, token).await).expect("matrix")
}

fn enabled(matrix: &NotificationSettings, category: Category, channel: Channel) -> bool {
    matrix.get(category, channel).expect("every cell").enabled
}

async fn put_cells(h: &Harness, token: &str, cells: Value) -> reqwest::Response {
    let body = json!({ "settings": cells });
    send(h, Method::PUT, paths::NOTIFICATION_SETTINGS, token, body).await
}

/// The whole inbox, newest first, `unread` only if asked.
async fn inbox(h: &Harness, token: &str, unread: bool) -> Vec<Notification> {
    let path = format!("{}?limit=200&unread={unread}", paths::NOTIFICATIONS);
    let page: Page<Notification> =
        serde_json::from_value(h.get_json(&path, token).await).expect("page");
    assert_eq!(page.next_cursor, None);
    page.items
}

async fn unread(h: &Harness, token: &str) -> u32 {
    let count: UnreadCount =
        serde_json::from_value(h.get_json(paths::NOTIFICATIONS_UNREAD_COUNT, token).await)
            .expect("count");
    count.unread
}

fn titles(items: &[Notification]) -> Vec<&str> {
    items.iter().map(|n| n.title.as_str()).collect()
}

#[tokio::test]
async fn security_by_email_is_locked_and_a_request_turning_it_off_changes_nothing() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Nia").await.access_token;
    let token = token.expose();
    let matrix = settings(&h, token).await;
    assert_eq!(matrix.settings.len(), 20);
    let cell = matrix
        .get(Category::Security, Channel::Email)
        .expect("cell");
    assert!(cell.enabled && cell.locked);
    assert_eq!(cell.locked_reason.as_deref(), Some(LOCKED_REASON));
    let others_locked = matrix.settings.iter().filter(|s| s.locked).count();
    assert_eq!(others_locked, 1);
    assert!(!enabled(&matrix, Category::Marketing, Channel::Email));

    let response = put_cells(
        &h,
        token,
        json!([
            {"category": "marketing", "channel": "email", "enabled": true},
            {"category": "security", "channel": "email", "enabled": false},
        ]),
    )
    .await;
    let answer = expect_problem(response, "setting_locked").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.problem.errors["security.email"],
        [LOCKED_REASON.to_string()]
    );
    assert_eq!(settings(&h, token).await, matrix);
    assert_eq!(
        event_count(&h, token, "notification_settings_changed").await,
        0
    );
}

#[tokio::test]
async fn a_put_sets_only_the_cells_listed_and_logs_what_changed() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Nia").await.access_token;
    let token = token.expose();
    let before = settings(&h, token).await;
    let cells = json!([
        {"category": "marketing", "channel": "in_app", "enabled": true},
        {"category": "billing", "channel": "sms", "enabled": false},
        // Sent as it already is: not a change.
        {"category": "account", "channel": "push", "enabled": true},
    ]);
    let response = put_cells(&h, token, cells).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answered: NotificationSettings = response.json().await.expect("matrix");
    assert_eq!(answered, settings(&h, token).await);
    for cell in &before.settings {
        let now = enabled(&answered, cell.category, cell.channel);
        let toggled = matches!(
            (cell.category, cell.channel),
            (Category::Marketing, Channel::InApp) | (Category::Billing, Channel::Sms)
        );
        assert_eq!(now != cell.enabled, toggled, "{cell:?}");
    }
    let logged = events(&h, token, Some("notification_settings_changed")).await;
    assert_eq!(logged.len(), 1);
    assert_eq!(
        logged[0].detail.as_deref(),
        Some("Changed: marketing.in_app on, billing.sms off")
    );

    // Turning a locked cell on (it is on) is allowed and changes nothing.
    let again = json!([{"category": "security", "channel": "email", "enabled": true}]);
    assert_eq!(put_cells(&h, token, again).await.status(), StatusCode::OK);
    assert_eq!(
        event_count(&h, token, "notification_settings_changed").await,
        1
    );
    let unknown = json!([{"category": "gossip", "channel": "email", "enabled": true}]);
    expect_problem(put_cells(&h, token, unknown).await, "malformed_request").await;
}

#[tokio::test]
async fn real_events_fill_the_inbox_unless_in_app_is_off() {
    let h = dev_harness().await;
    let token = h.signup(EMAIL, "Nia").await.access_token;
    let token = token.expose();
    let signup = inbox(&h, token, false).await.len();
    // A second apart, so newest-first order is the order they happened in.
    h.advance(Duration::from_secs(1));
    h.login(EMAIL, "laptop").await;
    h.advance(Duration::from_secs(1));
    let body = json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"});
    let response = send(&h, Method::POST, paths::PASSWORD, token, body).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let items = inbox(&h, token, false).await;
    assert_eq!(
        titles(&items[..2]),
        ["Your password was changed", "New sign-in from laptop"]
    );
    assert_eq!(items.len(), signup + 2);
    assert!(items.iter().all(|n| n.category == Category::Security));
    assert!(
        items[1].body.contains("laptop signed in"),
        "{}",
        items[1].body
    );

    let off = json!([{"category": "security", "channel": "in_app", "enabled": false}]);
    assert_eq!(put_cells(&h, token, off).await.status(), StatusCode::OK);
    let response = h.login_as(EMAIL, "a brand new passphrase", "phone").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(inbox(&h, token, false).await.len(), signup + 2);
    // The email channel is its own: the sign-in was still mailed.
    let path = format!("{}?to={EMAIL}", paths::DEV_OUTBOX);
    let mail: Vec<OutboxMessage> =
        serde_json::from_value(h.get_json(&path, token).await).expect("outbox");
    assert!(mail.iter().any(|m| m.subject == "New sign-in from phone"));
}

#[tokio::test]
async fn turning_mfa_on_and_off_is_in_the_inbox() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Nia").await.access_token;
    let token = token.expose();
    h.advance(Duration::from_secs(1));
    let (secret, _) = enrolled(&h, token).await;
    h.advance(Duration::from_secs(30));
    let body = json!({"password": PASSWORD, "code": totp_code(&h, &secret)});
    let response = send(&h, Method::DELETE, paths::MFA_TOTP, token, body).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let items = inbox(&h, token, false).await;
    assert_eq!(
        titles(&items[..2]),
        [
            "Two-factor sign-in turned off",
            "Two-factor sign-in turned on"
        ]
    );
}

/// An account with `n` sign-in notices, one second apart, besides signup's.
async fn with_sign_ins(h: &Harness, n: usize) -> String {
    let token = h
        .signup(EMAIL, "Nia")
        .await
        .access_token
        .expose()
        .to_string();
    for i in 0..n {
        h.advance(Duration::from_secs(1));
        h.login(EMAIL, &format!("device {i}")).await;
    }
    token
}

#[tokio::test]
async fn read_one_read_all_and_the_unread_count() {
    let h = Harness::start().await;
    let token = with_sign_ins(&h, 3).await;
    let token = token.as_str();
    assert_eq!(unread(&h, token).await, 4);
    let newest = inbox(&h, token, false).await[0].clone();
    assert_eq!(newest.title, "New sign-in from device 2");
    assert_eq!(newest.read_at, None);

    h.advance(Duration::from_secs(5));
    let path = paths::notification_read(&newest.id);
    let response = send(&h, Method::POST, &path, token, json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let read: Notification = response.json().await.expect("notification");
    assert_eq!(read.read_at, Some(h.clock.now()));
    assert_eq!(unread(&h, token).await, 3);
    let unread_items = inbox(&h, token, true).await;
    assert_eq!(unread_items.len(), 3);
    assert!(unread_items.iter().all(|n| n.id != newest.id));

    let response = send(
        &h,
        Method::POST,
        paths::NOTIFICATIONS_READ_ALL,
        token,
        json!({}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let left: UnreadCount = response.json().await.expect("count");
    assert_eq!(left.unread, 0);
    assert_eq!(unread(&h, token).await, 0);
    assert!(inbox(&h, token, true).await.is_empty());
    // The first read time stays.
    let again = inbox(&h, token, false).await;
    assert_eq!(again[0].read_at, read.read_at);
}

#[tokio::test]
async fn pages_walk_the_inbox_newest_first_without_gaps() {
    let h = Harness::start().await;
    let token = with_sign_ins(&h, 4).await;
    let token = token.as_str();
    let all = inbox(&h, token, false).await;
    assert_eq!(all.len(), 5);
    let mut walked = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let after = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
        let path = format!("{}?limit=2{after}", paths::NOTIFICATIONS);
        let page: Page<Notification> =
            serde_json::from_value(h.get_json(&path, token).await).expect("page");
        assert!(page.items.len() <= 2);
        walked.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(walked, all);
    assert!(all.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    let bad = h
        .get(&format!("{}?cursor=nonsense", paths::NOTIFICATIONS), token)
        .await;
    expect_problem(bad, "malformed_request").await;
}

#[tokio::test]
async fn another_accounts_notification_is_not_found() {
    let h = Harness::start().await;
    let mine = h.signup(EMAIL, "Nia").await.access_token;
    let theirs = h.signup("omar@example.com", "Omar").await.access_token;
    let their_item = inbox(&h, theirs.expose(), false).await[0].clone();
    let path = paths::notification_read(&their_item.id);
    let response = send(&h, Method::POST, &path, mine.expose(), json!({})).await;
    expect_problem(response, "not_found").await;
    assert_eq!(unread(&h, theirs.expose()).await, 1);
    let path = paths::notification_read("no-such-id");
    let response = send(&h, Method::POST, &path, mine.expose(), json!({})).await;
    expect_problem(response, "not_found").await;
}

#[tokio::test]
async fn the_demo_inbox_has_read_and_unread_notices_of_several_kinds() {
    use secrecy::ExposeSecret as _;
    let h = Harness::start().await;
    let demo = h.server.seed_demo().await.expect("seeded");
    let response = h
        .login_as(&demo.email, demo.password.expose_secret(), "laptop")
        .await;
    let token = tokens(response).await.access_token;
    let token = token.expose();
    let items = inbox(&h, token, false).await;
    let read = items.iter().filter(|n| n.read_at.is_some()).count();
    let unread_items = inbox(&h, token, true).await;
    assert!(read >= 3, "{read} read");
    // Three seeded unread, and this sign-in's notice.
    assert_eq!(unread_items.len(), 4);
    assert_eq!(unread(&h, token).await, 4);
    let mut categories: Vec<_> = items.iter().map(|n| n.category).collect();
    categories.dedup();
    categories.sort();
    categories.dedup();
    assert_eq!(
        categories,
        [
            Category::Security,
            Category::Account,
            Category::Billing,
            Category::Product
        ]
    );
    let matrix = settings(&h, token).await;
    assert!(!enabled(&matrix, Category::Marketing, Channel::InApp));
    assert!(enabled(&matrix, Category::Billing, Channel::Email));
}
