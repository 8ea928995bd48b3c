//! The security handler of the real `Client` against a real acctd: TOTP
//! enrolment, then a login that needs the second factor.

use std::time::Duration;

use acctl_api::{ChangePasswordRequest, LoginMfaRequest, SecretText};
use acctl_client::{Client, ClientOptions, LoginOutcome};
use chrono::Utc;
use totp_rs::{Algorithm, Builder, Secret};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

/// The code an authenticator app shows at the server's `clock`.
fn code(clock: &acctd::Clock, secret: &str) -> SecretText {
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_secret(Secret::try_from_base32(secret).expect("base32"))
        .build()
        .expect("totp");
    let now = u64::try_from(clock.now().timestamp()).expect("after 1970");
    SecretText::new(totp.generate(now).to_string())
}

async fn login(client: &Client) -> LoginOutcome {
    client
        .auth()
        .login(EMAIL, SecretText::new(PASSWORD))
        .await
        .expect("login answers")
}

#[tokio::test]
async fn enrol_totp_then_sign_in_with_a_code() {
    let clock = acctd::Clock::manual(Utc::now());
    let config = acctd::Config::for_tests().with_clock(clock.clone());
    let server = acctd::start(config).await.expect("acctd starts");
    server
        .add_user(EMAIL, "Ada Lovelace", PASSWORD)
        .await
        .expect("user added");
    let client = Client::new(&server.base_url(), ClientOptions::default()).expect("client");
    assert!(matches!(login(&client).await, LoginOutcome::SignedIn(_)));

    let security = client.security();
    let wrong = ChangePasswordRequest {
        current_password: SecretText::new("not my password"),
        new_password: SecretText::new("another fine secret 7"),
        sign_out_other_sessions: false,
    };
    let error = security.change_password(&wrong).await.expect_err("refused");
    let problem = error.problem().expect("a problem");
    assert!(problem.errors.contains_key("current_password"));

    let enrolment = security
        .enroll_totp(SecretText::new(PASSWORD))
        .await
        .expect("enrolment");
    let secret = enrolment.secret_base32.expose().to_string();
    assert!(security.mfa_status().await.expect("status").totp_pending);
    let codes = security
        .confirm_totp(code(&clock, &secret))
        .await
        .expect("confirmed");
    assert_eq!(codes.recovery_codes.len(), 10);
    let status = security.mfa_status().await.expect("status");
    assert!(status.totp_enabled);
    assert_eq!(status.recovery_codes_remaining, 10);

    // The code of the confirmation is spent; the next step's works.
    clock.advance(Duration::from_secs(30));
    let LoginOutcome::MfaRequired(challenge) = login(&client).await else {
        panic!("the password alone signed in");
    };
    let request = LoginMfaRequest {
        mfa_token: challenge.mfa_token,
        code: Some(code(&clock, &secret)),
        recovery_code: None,
    };
    let outcome = client.auth().login_mfa(request).await.expect("second step");
    assert!(matches!(outcome, LoginOutcome::SignedIn(_)));
    assert!(client.me().get().await.expect("me").mfa_enabled);
    server.shutdown().await;
}

/// The form was open longer than the access token lives: saving refreshes
/// first, and the change goes through.
#[tokio::test]
async fn a_change_saved_after_the_access_token_expired_refreshes_and_succeeds() {
    let clock = acctd::Clock::manual(Utc::now());
    let config = acctd::Config::for_tests().with_clock(clock.clone());
    let server = acctd::start(config).await.expect("acctd starts");
    server
        .add_user(EMAIL, "Ada Lovelace", PASSWORD)
        .await
        .expect("user added");
    let client = Client::new(&server.base_url(), ClientOptions::default()).expect("client");
    assert!(matches!(login(&client).await, LoginOutcome::SignedIn(_)));
    let before = client.tokens().await.expect("tokens");

    clock.advance(std::time::Duration::from_secs(20 * 60));
    let change = ChangePasswordRequest {
        current_password: SecretText::new(PASSWORD),
        new_password: SecretText::new("cedar-otter-lumen-4821"),
        sign_out_other_sessions: false,
    };
    client
        .security()
        .change_password(&change)
        .await
        .expect("saved after a refresh");
    let after = client.tokens().await.expect("still signed in");
    assert_ne!(
        before.refresh_token.expose(),
        after.refresh_token.expose(),
        "the tokens were refreshed on the way"
    );
}
