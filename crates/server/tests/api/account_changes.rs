//! Changing the password and the email address against a real server.

use crate::common;

use acctd::Config;
use acctl_api::{Account, OutboxMessage, paths};
use common::{
    Harness, PASSWORD, event_count, expect_field_error, expect_problem, manual_clock, send,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

const EMAIL: &str = "ann@example.com";

#[tokio::test]
async fn password_change_checks_each_field_and_can_sign_out_others() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let token = token.expose();
    let other = h.login(EMAIL, "phone").await;
    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new, "sign_out_other_sessions": true});
    let wrong = send(
        &h,
        Method::POST,
        paths::PASSWORD,
        token,
        change("nope nope", "a much better secret 42"),
    )
    .await;
    let errors = expect_problem(wrong, "validation_failed")
        .await
        .problem
        .errors;
    assert!(errors.contains_key("current_password") && !errors.contains_key("new_password"));
    for weak in ["qwertyuiop", "aaaaaaaaaaaa", "Ann@Example.com", "short"] {
        let response = send(
            &h,
            Method::POST,
            paths::PASSWORD,
            token,
            change(PASSWORD, weak),
        )
        .await;
        expect_field_error(response, "new_password").await;
    }
    let new = "a much better secret 42";
    let response = send(
        &h,
        Method::POST,
        paths::PASSWORD,
        token,
        change(PASSWORD, new),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let ended = h.get(paths::ME, other.access_token.expose()).await;
    expect_problem(ended, "session_revoked").await;
    h.get_json(paths::ME, token).await;
    let old = h.login_as(EMAIL, PASSWORD, "laptop").await;
    expect_problem(old, "invalid_credentials").await;
    assert_eq!(
        h.login_as(EMAIL, new, "laptop").await.status(),
        StatusCode::OK
    );
    assert_eq!(event_count(&h, token, "password_changed").await, 1);
}

async fn outbox(h: &Harness, to: &str) -> Vec<OutboxMessage> {
    let response = h
        .http
        .get(h.url(paths::DEV_OUTBOX))
        .query(&[("to", to)])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("messages")
}

#[tokio::test]
async fn email_change_goes_through_the_outbox() {
    let h = Harness::start_with(
        Config::for_tests()
            .with_clock(manual_clock())
            .with_dev(true),
    )
    .await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let token = token.expose();
    h.signup("bo@example.com", "Bo").await;
    let taken = send(
        &h,
        Method::POST,
        paths::EMAIL,
        token,
        json!({"new_email": "BO@example.com", "password": PASSWORD}),
    )
    .await;
    expect_problem(taken, "email_taken").await;
    let wrong = send(
        &h,
        Method::POST,
        paths::EMAIL,
        token,
        json!({"new_email": "ann@new.example", "password": "wrong one!"}),
    )
    .await;
    expect_field_error(wrong, "password").await;

    let body = json!({"new_email": "Ann@New.example", "password": PASSWORD});
    let response = send(&h, Method::POST, paths::EMAIL, token, body).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let me: Account = serde_json::from_value(h.get_json(paths::ME, token).await).expect("me");
    assert_eq!(me.pending_email.as_deref(), Some("Ann@New.example"));
    let mail = outbox(&h, "ann@new.example").await;
    assert_eq!(mail.len(), 1);
    let code: String = mail[0]
        .body
        .split(": ")
        .nth(1)
        .expect("code")
        .chars()
        .take(6)
        .collect();
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{code}");

    let wrong = send(
        &h,
        Method::POST,
        paths::EMAIL_VERIFY,
        token,
        json!({"code": "abcdef"}),
    )
    .await;
    expect_field_error(wrong, "code").await;
    let response = send(
        &h,
        Method::POST,
        paths::EMAIL_VERIFY,
        token,
        json!({"code": code}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let me: Account = serde_json::from_value(h.get_json(paths::ME, token).await).expect("me");
    assert_eq!(
        (me.email.as_str(), me.email_verified),
        ("Ann@New.example", true)
    );
    assert_eq!(me.pending_email, None);
    // The old address also has sign-in notices; the change notice is among them.
    let notice = outbox(&h, EMAIL).await;
    assert!(notice.iter().any(|m| m.body.contains("Ann@New.example")));
    assert_eq!(
        h.login_as("ann@new.example", PASSWORD, "x").await.status(),
        StatusCode::OK
    );
    assert_eq!(event_count(&h, token, "email_change_requested").await, 1);
    assert_eq!(event_count(&h, token, "email_changed").await, 1);
}

#[tokio::test]
async fn the_outbox_exists_only_on_dev_servers() {
    let h = Harness::start().await;
    let response = h
        .http
        .get(h.url(&format!("{}?to={EMAIL}", paths::DEV_OUTBOX)))
        .send()
        .await
        .expect("sent");
    assert_eq!(
        expect_problem(response, "not_found").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn wrong_current_passwords_count_toward_the_login_limit() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let body =
        json!({"current_password": "not it at all", "new_password": "a much better secret 42"});
    for _ in 0..5 {
        let wrong = send(
            &h,
            Method::POST,
            paths::PASSWORD,
            token.expose(),
            body.clone(),
        )
        .await;
        expect_problem(wrong, "validation_failed").await;
    }
    let login = h.login_as(EMAIL, PASSWORD, "laptop").await;
    let answer = expect_problem(login, "rate_limited").await;
    assert!(answer.retry_after.is_some());
}
