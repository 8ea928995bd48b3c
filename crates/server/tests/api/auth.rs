//! Signing up, in, refreshing and out against a real server.

use crate::common;

use std::time::Duration;

use acctl_api::{Account, Page, SecurityEvent, SecurityEventKind, TokenPair, paths};
use common::{Harness, PASSWORD, expect_problem, manual_clock, tokens};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn signup_then_login_then_me() {
    let h = Harness::start().await;
    let signed_up = h.signup("  Ann@Example.com ", "Ann Example").await;
    assert_eq!(signed_up.token_type, "Bearer");
    assert_eq!(signed_up.expires_in, 900);
    assert!(signed_up.access_token.expose().starts_with("acc_"));
    assert!(signed_up.refresh_token.expose().starts_with("ref_"));

    let me: Account =
        serde_json::from_value(h.get_json(paths::ME, signed_up.access_token.expose()).await)
            .expect("account");
    assert_eq!(me.email, "Ann@Example.com");
    assert!(!me.email_verified);
    assert!(!me.mfa_enabled);
    assert_eq!(me.active_sessions, 1);
    assert_eq!(me.last_sign_in, None, "the only sign-in is the current one");

    h.advance(Duration::from_secs(60));
    // Emails compare case-insensitively.
    let pair = h.login("ann@EXAMPLE.com", "laptop").await;
    let me: Account =
        serde_json::from_value(h.get_json(paths::ME, pair.access_token.expose()).await)
            .expect("account");
    assert_eq!(me.active_sessions, 2);
    let previous = me.last_sign_in.expect("the signup's sign-in");
    assert_eq!(previous.at, manual_clock().now());
    assert_eq!(previous.ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(previous.device_name.as_deref(), Some("acctd-tests"));
}

#[tokio::test]
async fn signup_reports_each_invalid_field() {
    let h = Harness::start().await;
    let response = h
        .post(
            paths::SIGNUP,
            json!({"email": "not-an-email", "password": "short", "name": "a\u{7}b"}),
        )
        .await;
    let answer = expect_problem(response, "validation_failed").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = answer.problem.errors;
    assert!(errors["email"][0].contains("name@example.com"));
    assert!(errors["password"][0].contains("10"));
    assert!(errors.contains_key("name"));

    let response = h
        .post(
            paths::SIGNUP,
            json!({"email": "ann@example.com", "password": "ANN@example.com", "name": "x".repeat(101)}),
        )
        .await;
    let errors = expect_problem(response, "validation_failed")
        .await
        .problem
        .errors;
    assert!(errors["password"].iter().any(|m| m.contains("email")));
    assert!(errors.contains_key("name"));
    assert!(!errors.contains_key("email"));

    let response = h
        .post(
            paths::SIGNUP,
            json!({"email": "ann@example.com", "password": PASSWORD, "name": "Ann", "device_name": "x".repeat(5000)}),
        )
        .await;
    let errors = expect_problem(response, "validation_failed")
        .await
        .problem
        .errors;
    assert!(errors.contains_key("device_name"));
}

#[tokio::test]
async fn a_taken_email_is_refused_whatever_its_case() {
    let h = Harness::start().await;
    h.signup("ann@example.com", "Ann").await;
    let response = h
        .post(
            paths::SIGNUP,
            json!({"email": " ANN@example.com", "password": PASSWORD, "name": "Other Ann"}),
        )
        .await;
    let answer = expect_problem(response, "email_taken").await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert!(
        h.server
            .add_user("Ann@Example.com", "Ann", PASSWORD)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_email_answer_alike() {
    let h = Harness::start().await;
    h.signup("ann@example.com", "Ann").await;
    let wrong = expect_problem(
        h.login_as("ann@example.com", "not the password", "d").await,
        "invalid_credentials",
    )
    .await;
    let unknown = expect_problem(
        h.login_as("nobody@example.com", "not the password", "d")
            .await,
        "invalid_credentials",
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let without_id = |mut p: acctl_api::Problem| {
        p.request_id = None;
        p
    };
    assert_eq!(without_id(wrong.problem), without_id(unknown.problem));

    // The failure is in the account's log.
    let pair = h.login("ann@example.com", "d").await;
    let page: Page<SecurityEvent> = serde_json::from_value(
        h.get_json(
            &format!("{}?kind=login_failed", paths::SECURITY_EVENTS),
            pair.access_token.expose(),
        )
        .await,
    )
    .expect("events");
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].kind, SecurityEventKind::LoginFailed);
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_until_the_window_passes() {
    let h = Harness::start().await;
    h.signup("ann@example.com", "Ann").await;
    for _ in 0..5 {
        let response = h.login_as("ann@example.com", "wrong password", "d").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now.
    let limited = expect_problem(
        h.login_as("ann@example.com", PASSWORD, "d").await,
        "rate_limited",
    )
    .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited
        .retry_after
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert_eq!(retry, 15 * 60);
    assert!(
        limited
            .problem
            .detail
            .expect("detail")
            .contains(&retry.to_string())
    );

    h.advance(Duration::from_secs(retry - 60));
    let still = expect_problem(
        h.login_as("ann@example.com", PASSWORD, "d").await,
        "rate_limited",
    )
    .await;
    assert_eq!(still.retry_after.as_deref(), Some("60"));
    h.advance(Duration::from_secs(60));
    h.login("ann@example.com", "d").await;
}

#[tokio::test]
async fn one_address_failing_with_many_emails_is_limited_too() {
    let mut config = acctd::Config::for_tests().with_clock(manual_clock());
    config.login_limits.per_ip = 3;
    let h = Harness::start_with(config).await;
    for n in 0..3 {
        let response = h
            .login_as(&format!("nobody{n}@example.com"), "wrong password", "d")
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    expect_problem(
        h.login_as("someone-else@example.com", "wrong password", "d")
            .await,
        "rate_limited",
    )
    .await;
}

/// A failed sign-in as if through a proxy that says the client is `client`.
async fn failed_login_from(h: &Harness, client: &str, n: usize) -> reqwest::Response {
    h.request(Method::POST, paths::LOGIN, None)
        .header("x-forwarded-for", format!("{client}, 127.0.0.1"))
        .json(&json!({"email": format!("nobody{n}@example.com"), "password": "wrong", "device_name": "d"}))
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_address_limit() {
    let mut config = acctd::Config::for_tests()
        .with_clock(manual_clock())
        .with_trusted_proxies("127.0.0.1".parse().expect("a proxy list"));
    config.login_limits.per_ip = 3;
    let h = Harness::start_with(config).await;
    for n in 0..3 {
        let response = failed_login_from(&h, "198.51.100.1", n).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    expect_problem(
        failed_login_from(&h, "198.51.100.1", 3).await,
        "rate_limited",
    )
    .await;
    // Another client behind the same proxy is not locked out.
    let other = failed_login_from(&h, "198.51.100.2", 4).await;
    assert_eq!(other.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_addresses_are_ignored() {
    let mut config = acctd::Config::for_tests().with_clock(manual_clock());
    config.login_limits.per_ip = 3;
    let h = Harness::start_with(config).await;
    for (n, client) in ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
        .iter()
        .enumerate()
    {
        let response = failed_login_from(&h, client, n).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // All from 127.0.0.1 whatever the header claims.
    expect_problem(
        failed_login_from(&h, "198.51.100.4", 3).await,
        "rate_limited",
    )
    .await;
}

async fn refresh(h: &Harness, token: &str) -> reqwest::Response {
    h.post(paths::REFRESH, json!({"refresh_token": token}))
        .await
}

#[tokio::test]
async fn refresh_rotates_and_reuse_ends_the_session() {
    let h = Harness::start().await;
    let first = h.signup("ann@example.com", "Ann").await;
    let response = refresh(&h, first.refresh_token.expose()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let second: TokenPair = response.json().await.expect("pair");
    assert_eq!(second.session_id, first.session_id);
    assert_ne!(second.refresh_token.expose(), first.refresh_token.expose());
    assert_eq!(
        h.get(paths::ME, second.access_token.expose())
            .await
            .status(),
        StatusCode::OK
    );

    // The used token comes back: the session ends, for every token of it.
    expect_problem(
        refresh(&h, first.refresh_token.expose()).await,
        "invalid_refresh_token",
    )
    .await;
    expect_problem(
        h.get(paths::ME, second.access_token.expose()).await,
        "session_revoked",
    )
    .await;
    expect_problem(
        refresh(&h, second.refresh_token.expose()).await,
        "invalid_refresh_token",
    )
    .await;
    expect_problem(refresh(&h, "ref_made_up").await, "invalid_refresh_token").await;

    let other = h.login("ann@example.com", "d").await;
    let page: Page<SecurityEvent> = serde_json::from_value(
        h.get_json(
            &format!("{}?kind=refresh_token_reused", paths::SECURITY_EVENTS),
            other.access_token.expose(),
        )
        .await,
    )
    .expect("events");
    assert_eq!(page.items.len(), 1);
}

#[tokio::test]
async fn access_tokens_expire_and_refresh_brings_a_new_one() {
    let h = Harness::start().await;
    let pair = h.signup("ann@example.com", "Ann").await;
    h.advance(Duration::from_secs(15 * 60 - 1));
    assert_eq!(
        h.get(paths::ME, pair.access_token.expose()).await.status(),
        StatusCode::OK
    );
    h.advance(Duration::from_secs(1));
    let expired = expect_problem(
        h.get(paths::ME, pair.access_token.expose()).await,
        "token_expired",
    )
    .await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    let fresh: TokenPair = refresh(&h, pair.refresh_token.expose())
        .await
        .json()
        .await
        .expect("pair");
    assert_eq!(
        h.get(paths::ME, fresh.access_token.expose()).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let h = Harness::start().await;
    let pair = h.signup("ann@example.com", "Ann").await;
    let response = h
        .request(
            Method::POST,
            paths::LOGOUT,
            Some(pair.access_token.expose()),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    expect_problem(
        h.get(paths::ME, pair.access_token.expose()).await,
        "session_revoked",
    )
    .await;
    expect_problem(
        refresh(&h, pair.refresh_token.expose()).await,
        "invalid_refresh_token",
    )
    .await;
    expect_problem(h.get(paths::ME, "acc_garbage").await, "unauthenticated").await;
    let missing = h
        .request(Method::GET, paths::ME, None)
        .send()
        .await
        .expect("sent");
    expect_problem(missing, "unauthenticated").await;
}

#[tokio::test]
async fn signup_answers_with_a_usable_login_response() {
    let h = Harness::start().await;
    let response = h
        .post(paths::SIGNUP, json!({"email": "bo@example.com", "password": PASSWORD, "name": "Bo", "device_name": "Bo's laptop"}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let pair = tokens(response).await;
    let sessions = h
        .get_json(paths::SESSIONS, pair.access_token.expose())
        .await;
    assert_eq!(sessions["items"][0]["device_name"], "Bo's laptop");
    assert_eq!(sessions["items"][0]["current"], true);
}
