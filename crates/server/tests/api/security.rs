//! TOTP and recovery codes, and signing in with a second factor, against a
//! real server with a manual clock (codes computed from the returned secret).

use crate::common;

use std::time::Duration;

use acctl_api::{
    Account, MfaChallenge, MfaStatus, RecoveryCodes, TokenPair, TotpEnrollment, paths,
};
use common::{
    Harness, PASSWORD, enrolled, event_count, expect_field_error, expect_problem, mfa_challenge,
    second_step, send, totp_code as code,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

const EMAIL: &str = "ann@example.com";

async fn challenge(h: &Harness) -> MfaChallenge {
    mfa_challenge(h, EMAIL).await
}

async fn mfa_status(h: &Harness, token: &str) -> MfaStatus {
    serde_json::from_value(h.get_json(paths::MFA, token).await).expect("status")
}

#[tokio::test]
async fn totp_enrolment_then_login_with_a_code_used_once() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let token = token.expose();
    assert!(!mfa_status(&h, token).await.totp_enabled);

    let wrong = send(
        &h,
        Method::POST,
        paths::MFA_TOTP,
        token,
        json!({"password": "nope nope nope"}),
    )
    .await;
    let errors = expect_problem(wrong, "validation_failed")
        .await
        .problem
        .errors;
    assert!(errors.contains_key("password"));

    let response = send(
        &h,
        Method::POST,
        paths::MFA_TOTP,
        token,
        json!({"password": PASSWORD}),
    )
    .await;
    let enrolment: TotpEnrollment = response.json().await.expect("enrolment");
    let uri = enrolment.otpauth_uri.expose();
    assert!(
        uri.starts_with("otpauth://totp/") && uri.contains("issuer=acctd"),
        "{uri}"
    );
    let pending = mfa_status(&h, token).await;
    assert!(pending.totp_pending && !pending.totp_enabled);
    let bad = send(
        &h,
        Method::POST,
        paths::MFA_TOTP_CONFIRM,
        token,
        json!({"code": "000000"}),
    )
    .await;
    expect_field_error(bad, "code").await;

    let secret = enrolment.secret_base32.expose().to_string();
    let used = code(&h, &secret);
    let response = send(
        &h,
        Method::POST,
        paths::MFA_TOTP_CONFIRM,
        token,
        json!({"code": used}),
    )
    .await;
    let codes: RecoveryCodes = response.json().await.expect("codes");
    assert_eq!(codes.recovery_codes.len(), 10);
    let status = mfa_status(&h, token).await;
    assert!(status.totp_enabled && !status.totp_pending);
    assert_eq!(status.recovery_codes_remaining, 10);
    let me: Account = serde_json::from_value(h.get_json(paths::ME, token).await).expect("me");
    assert!(me.mfa_enabled);

    // The password alone no longer signs in, and the code of this step is spent.
    let challenge = challenge(&h).await;
    assert_eq!(challenge.methods, ["totp", "recovery_code"]);
    let replay = second_step(&h, &challenge, json!({"code": used})).await;
    expect_field_error(replay, "code").await;
    h.advance(Duration::from_secs(30));
    let response = second_step(&h, &challenge, json!({"code": code(&h, &secret)})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let pair: TokenPair = response.json().await.expect("tokens");
    let me: Account =
        serde_json::from_value(h.get_json(paths::ME, pair.access_token.expose()).await)
            .expect("me");
    assert_eq!(me.active_sessions, 2);
    let used_up = second_step(&h, &challenge, json!({"code": code(&h, &secret)})).await;
    expect_problem(used_up, "invalid_credentials").await;
    assert_eq!(event_count(&h, token, "mfa_enabled").await, 1);
    assert_eq!(event_count(&h, token, "mfa_failed").await, 1);
}

#[tokio::test]
async fn recovery_codes_work_once_and_regenerating_voids_them() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let token = token.expose();
    let (_, codes) = enrolled(&h, token).await;

    let challenge1 = challenge(&h).await;
    let ok = second_step(
        &h,
        &challenge1,
        json!({"recovery_code": codes[0].to_uppercase()}),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let challenge2 = challenge(&h).await;
    let again = second_step(&h, &challenge2, json!({"recovery_code": codes[0]})).await;
    let errors = expect_problem(again, "validation_failed")
        .await
        .problem
        .errors;
    assert!(errors.contains_key("recovery_code"));
    assert_eq!(mfa_status(&h, token).await.recovery_codes_remaining, 9);
    assert_eq!(event_count(&h, token, "recovery_code_used").await, 1);

    let response = send(
        &h,
        Method::POST,
        paths::MFA_RECOVERY_CODES,
        token,
        json!({"password": PASSWORD}),
    )
    .await;
    let fresh: RecoveryCodes = response.json().await.expect("codes");
    let old = second_step(&h, &challenge2, json!({"recovery_code": codes[1]})).await;
    expect_problem(old, "validation_failed").await;
    let new_code = fresh.recovery_codes[0].expose();
    let ok = second_step(&h, &challenge2, json!({"recovery_code": new_code})).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(
        event_count(&h, token, "recovery_codes_regenerated").await,
        1
    );
}

#[tokio::test]
async fn wrong_codes_lock_the_second_step() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let (secret, _) = enrolled(&h, token.expose()).await;
    h.advance(Duration::from_secs(30));
    let challenge = challenge(&h).await;
    for _ in 0..5 {
        let wrong = second_step(&h, &challenge, json!({"code": "000000"})).await;
        expect_problem(wrong, "validation_failed").await;
    }
    let right = second_step(&h, &challenge, json!({"code": code(&h, &secret)})).await;
    let answer = expect_problem(right, "rate_limited").await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(answer.retry_after.is_some());
    assert_eq!(event_count(&h, token.expose(), "mfa_failed").await, 5);
}

#[tokio::test]
async fn disabling_totp_needs_password_and_code() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let token = token.expose();
    let (secret, _) = enrolled(&h, token).await;
    h.advance(Duration::from_secs(30));
    let body = json!({"password": "wrong password!", "code": code(&h, &secret)});
    let wrong = send(&h, Method::DELETE, paths::MFA_TOTP, token, body).await;
    expect_field_error(wrong, "password").await;
    let body = json!({"password": PASSWORD, "code": code(&h, &secret)});
    let response = send(&h, Method::DELETE, paths::MFA_TOTP, token, body).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let status = mfa_status(&h, token).await;
    assert!(!status.totp_enabled && !status.totp_pending);
    assert_eq!(status.recovery_codes_remaining, 0);
    h.login(EMAIL, "laptop").await;
    assert_eq!(event_count(&h, token, "mfa_disabled").await, 1);
}

#[tokio::test]
async fn racing_second_steps_spend_only_the_winning_code() {
    let h = Harness::start().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let token = token.expose();
    let (_, codes) = enrolled(&h, token).await;
    let challenge = challenge(&h).await;
    let (a, b) = tokio::join!(
        second_step(&h, &challenge, json!({"recovery_code": codes[0]})),
        second_step(&h, &challenge, json!({"recovery_code": codes[1]})),
    );
    let statuses = [a.status(), b.status()];
    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(won, 1, "{statuses:?}");
    // The loser's code was not spent on a sign-in that did not happen.
    assert_eq!(mfa_status(&h, token).await.recovery_codes_remaining, 9);
    assert_eq!(event_count(&h, token, "recovery_code_used").await, 1);
}
