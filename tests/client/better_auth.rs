//! acctl-client against a real Better Auth service (tests/services/better-auth)
//! on 127.0.0.1: each journey through the client API acctd's tests use.

use std::sync::Arc;

use acctl_api::{ChangePasswordRequest, ErrorCode, LoginMfaRequest, ProfilePatch, SecretText};
use acctl_client::tokens::{MemoryStore, TokenStore};
use acctl_client::{
    ApiError, Client, ClientOptions, Feature, LoginOutcome, ServiceKind, TokenPersistence,
};

use crate::support::better_auth::{BetterAuth, totp_now};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

fn new_client(service: &BetterAuth) -> Client {
    let options = ClientOptions {
        service: ServiceKind::BetterAuth,
        ..ClientOptions::default()
    };
    Client::new(&format!("{}/api/auth", service.url), options).expect("client")
}

/// The code an authenticator app shows now for `secret`.
fn code(secret: &str) -> SecretText {
    SecretText::new(totp_now(secret))
}

async fn signed_in(service: &BetterAuth) -> Client {
    let client = new_client(service);
    let outcome = client.auth().login(EMAIL, SecretText::new(PASSWORD)).await;
    assert!(
        matches!(outcome, Ok(LoginOutcome::SignedIn(_))),
        "{outcome:?}"
    );
    client
}

/// Signing in to `EMAIL` with `password` is refused as wrong credentials
/// (`why` names the case); the error, to check its wording.
async fn sign_in_refused(service: &BetterAuth, password: &str, why: &str) -> ApiError {
    let refused = new_client(service)
        .auth()
        .login(EMAIL, SecretText::new(password))
        .await
        .expect_err(why);
    assert_eq!(refused.code(), Some(ErrorCode::InvalidCredentials), "{why}");
    refused
}

async fn token(client: &Client) -> String {
    let tokens = client.tokens().await.expect("signed in");
    tokens.access_token.expose().to_string()
}

/// The person's TOTP key, two-factor now on; and the backup codes.
async fn enrol(client: &Client) -> (String, Vec<String>) {
    let security = client.security();
    let enrolment = security
        .enroll_totp(SecretText::new(PASSWORD))
        .await
        .expect("enrolment");
    let secret = enrolment.secret_base32.expose().to_string();
    assert!(enrolment.otpauth_uri.expose().contains(&secret));
    let codes = security
        .confirm_totp(code(&secret))
        .await
        .expect("confirmed");
    let codes: Vec<String> = codes
        .recovery_codes
        .iter()
        .map(|c| c.expose().to_string())
        .collect();
    (secret, codes)
}

#[tokio::test]
async fn sign_in_with_a_totp_code_or_a_backup_code() {
    let Some(service) = BetterAuth::start() else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let client = signed_in(&service).await;
    let before = token(&client).await;
    let (secret, codes) = enrol(&client).await;
    assert_eq!(codes.len(), 10, "Better Auth makes ten backup codes");
    // Turning two-factor on replaced the session: the new token works.
    assert_ne!(token(&client).await, before);
    assert!(
        client
            .security()
            .mfa_status()
            .await
            .expect("status")
            .totp_enabled
    );

    let second = new_client(&service);
    let challenge = match second.auth().login(EMAIL, SecretText::new(PASSWORD)).await {
        Ok(LoginOutcome::MfaRequired(challenge)) => challenge,
        other => panic!("expected a second factor, got {other:?}"),
    };
    assert!(
        second.tokens().await.is_none(),
        "no session before the code"
    );
    let wrong = LoginMfaRequest {
        mfa_token: challenge.mfa_token.clone(),
        code: Some(SecretText::new("000000")),
        recovery_code: None,
    };
    let error = second
        .auth()
        .login_mfa(wrong)
        .await
        .expect_err("wrong code");
    assert!(
        error.field_errors().is_some_and(|f| f.contains_key("code")),
        "{error}"
    );
    let right = LoginMfaRequest {
        mfa_token: challenge.mfa_token,
        code: Some(code(&secret)),
        recovery_code: None,
    };
    let outcome = second.auth().login_mfa(right).await.expect("signed in");
    assert!(matches!(outcome, LoginOutcome::SignedIn(_)));
    assert_eq!(second.me().get().await.expect("account").email, EMAIL);

    let third = new_client(&service);
    let Ok(LoginOutcome::MfaRequired(challenge)) =
        third.auth().login(EMAIL, SecretText::new(PASSWORD)).await
    else {
        panic!("expected a second factor");
    };
    let backup = LoginMfaRequest {
        mfa_token: challenge.mfa_token,
        code: None,
        recovery_code: Some(SecretText::new(codes[0].clone())),
    };
    third
        .auth()
        .login_mfa(backup)
        .await
        .expect("a backup code signs in");
    assert!(third.me().get().await.expect("account").mfa_enabled);
}

#[tokio::test]
async fn sessions_are_listed_and_revoked_without_showing_their_tokens() {
    let Some(service) = BetterAuth::start() else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let laptop = signed_in(&service).await;
    let phone = signed_in(&service).await;
    let phone_token = token(&phone).await;
    let listed = laptop.sessions().list_all().await.expect("sessions");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed.iter().filter(|s| s.current).count(), 1);
    let shown = format!("{listed:?}");
    let bare = phone_token.split('.').next().expect("a token");
    assert!(
        !shown.contains(bare),
        "a session's token was in its listing"
    );

    let current = listed.iter().find(|s| s.current).expect("current");
    // Better Auth keeps the user agent, in which acctl put its device name.
    assert_eq!(current.device_name, laptop.options().device_name);
    let error = laptop
        .sessions()
        .revoke(&current.id)
        .await
        .expect_err("refused");
    assert_eq!(error.code(), Some(ErrorCode::CurrentSession));
    let other = listed.iter().find(|s| !s.current).expect("the phone");
    laptop.sessions().revoke(&other.id).await.expect("revoked");
    let error = phone.me().get().await.expect_err("the phone is signed out");
    assert!(error.needs_login(), "{error}");

    let _tablet = signed_in(&service).await;
    let _desk = signed_in(&service).await;
    let revoked = laptop
        .sessions()
        .revoke_others()
        .await
        .expect("others revoked");
    assert_eq!(revoked.revoked, 2);
    assert_eq!(
        laptop.sessions().list_all().await.expect("sessions").len(),
        1
    );
}

#[tokio::test]
async fn a_password_change_that_signs_out_the_others_saves_the_new_token() {
    let Some(service) = BetterAuth::start() else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let store: Arc<dyn TokenStore> = Arc::new(MemoryStore::default());
    let options = ClientOptions {
        service: ServiceKind::BetterAuth,
        ..ClientOptions::default()
    };
    let persistence = TokenPersistence::new(store.clone(), "ada");
    let url = format!("{}/api/auth", service.url);
    let client = Client::with_persistence(&url, options, persistence).expect("client");
    client
        .auth()
        .login(EMAIL, SecretText::new(PASSWORD))
        .await
        .expect("signed in");
    let other = signed_in(&service).await;
    let before = token(&client).await;

    let wrong = ChangePasswordRequest {
        current_password: SecretText::new("not my password"),
        new_password: SecretText::new("another fine secret 7"),
        sign_out_other_sessions: true,
    };
    let error = client
        .security()
        .change_password(&wrong)
        .await
        .expect_err("refused");
    assert!(
        error
            .field_errors()
            .is_some_and(|f| f.contains_key("current_password")),
        "{error}"
    );
    assert_eq!(error.to_string(), "Invalid password.");

    let change = ChangePasswordRequest {
        current_password: SecretText::new(PASSWORD),
        new_password: SecretText::new("another fine secret 7"),
        sign_out_other_sessions: true,
    };
    client
        .security()
        .change_password(&change)
        .await
        .expect("changed");
    let after = token(&client).await;
    assert_ne!(after, before, "Better Auth replaced the session");
    let saved = store.load("ada").expect("store").expect("saved");
    assert_eq!(
        saved.access_token.expose(),
        after,
        "the new token was saved"
    );
    assert!(client.me().get().await.is_ok(), "the new token works");
    assert!(
        other
            .me()
            .get()
            .await
            .expect_err("signed out")
            .needs_login()
    );

    sign_in_refused(&service, PASSWORD, "the old password").await;
}

#[tokio::test]
async fn totp_is_turned_off_and_backup_codes_made_anew() {
    let Some(service) = BetterAuth::start() else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let client = signed_in(&service).await;
    let (secret, first) = enrol(&client).await;
    let security = client.security();
    let again = security
        .regenerate_recovery_codes(SecretText::new(PASSWORD))
        .await
        .expect("new codes");
    assert_eq!(again.recovery_codes.len(), 10);
    assert!(
        again
            .recovery_codes
            .iter()
            .all(|c| !first.contains(&c.expose().to_string()))
    );

    let error = security
        .disable_totp(SecretText::new("wrong"), code(&secret))
        .await
        .expect_err("wrong password");
    assert!(
        error
            .field_errors()
            .is_some_and(|f| f.contains_key("password")),
        "{error}"
    );
    security
        .disable_totp(SecretText::new(PASSWORD), code(&secret))
        .await
        .expect("off");
    assert!(!security.mfa_status().await.expect("status").totp_enabled);
    let fresh = new_client(&service)
        .auth()
        .login(EMAIL, SecretText::new(PASSWORD))
        .await;
    assert!(
        matches!(fresh, Ok(LoginOutcome::SignedIn(_))),
        "no second factor now"
    );
}

#[tokio::test]
async fn the_email_changes_with_the_pasted_link() {
    let Some(service) = BetterAuth::start() else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let client = signed_in(&service).await;
    let security = client.security();
    let error = security
        .verify_email(SecretText::new("https://example.com/no-token"))
        .await
        .expect_err("no token in it");
    assert!(error.field_errors().is_some_and(|f| f.contains_key("code")));

    security
        .request_email_change("ada.new@example.com", SecretText::new(PASSWORD))
        .await
        .expect("link mailed");
    let account = client.me().get().await.expect("account");
    assert_eq!(
        account.pending_email.as_deref(),
        Some("ada.new@example.com")
    );
    let link = service.wait_for_link("ada.new@example.com");
    security
        .verify_email(SecretText::new(format!("  {link}\n")))
        .await
        .expect("verified");
    let account = client.me().get().await.expect("account");
    assert_eq!(account.email, "ada.new@example.com");
    assert_eq!(account.pending_email, None, "the change is done");
}

#[tokio::test]
async fn the_name_changes_and_the_account_is_deleted() {
    let Some(service) = BetterAuth::start() else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let client = signed_in(&service).await;
    let profile = client.profile().get().await.expect("profile");
    let patch = ProfilePatch {
        name: Some("Ada King".to_string()),
        ..ProfilePatch::default()
    };
    let saved = client
        .profile()
        .update(&patch, &profile.etag)
        .await
        .expect("saved");
    assert_eq!(saved.value.name, "Ada King");
    let bio = ProfilePatch {
        bio: Some("Analyst".to_string()),
        ..ProfilePatch::default()
    };
    let error = client
        .profile()
        .update(&bio, &saved.etag)
        .await
        .expect_err("no bio kept");
    assert!(
        matches!(
            error,
            ApiError::Unsupported {
                feature: Feature::ProfileDetails,
                ..
            }
        ),
        "{error}"
    );

    let privacy = client.privacy();
    let error = privacy
        .schedule_deletion(SecretText::new(PASSWORD), "delete", false)
        .await
        .expect_err("the word is DELETE");
    assert!(
        error
            .field_errors()
            .is_some_and(|f| f.contains_key("confirmation"))
    );
    let error = privacy
        .schedule_deletion(SecretText::new("wrong"), "DELETE", false)
        .await
        .expect_err("wrong password");
    assert!(
        error
            .field_errors()
            .is_some_and(|f| f.contains_key("password")),
        "{error}"
    );
    privacy
        .schedule_deletion(SecretText::new(PASSWORD), "DELETE", false)
        .await
        .expect("deleted");
    assert!(
        client.tokens().await.is_none(),
        "signed out with the account"
    );
    sign_in_refused(&service, PASSWORD, "an account deleted").await;
}

#[tokio::test]
async fn what_the_service_lacks_is_refused_and_then_hidden() {
    let Some(service) = BetterAuth::start_without(&["two-factor", "change-email", "delete-user"])
    else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let client = signed_in(&service).await;
    let unsupported = |e: ApiError, feature: Feature| match e {
        ApiError::Unsupported { feature: f, .. } => assert_eq!(f, feature),
        other => panic!("expected {feature:?} refused, got {other}"),
    };
    let error = client
        .security()
        .enroll_totp(SecretText::new(PASSWORD))
        .await;
    unsupported(error.expect_err("no two-factor"), Feature::Mfa);
    let error = client
        .security()
        .request_email_change("new@example.com", SecretText::new(PASSWORD))
        .await;
    unsupported(error.expect_err("no email change"), Feature::EmailChange);
    let error = client
        .privacy()
        .schedule_deletion(SecretText::new(PASSWORD), "DELETE", false)
        .await;
    unsupported(error.expect_err("no deletion"), Feature::AccountDeletion);
    let caps = client.capabilities().await.expect("capabilities");
    assert!(!caps.has(Feature::Mfa) && !caps.has(Feature::EmailChange));
    assert!(!caps.has(Feature::AccountDeletion));
    assert!(caps.has(Feature::Sessions), "{caps:?}");
    let message = client.unsupported(Feature::Mfa).to_string();
    assert!(
        message.starts_with("Better Auth at http://127.0.0.1:"),
        "{message}"
    );
}

#[tokio::test]
async fn a_wrong_password_reads_well() {
    let Some(service) = BetterAuth::start() else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let error = sign_in_refused(&service, "wrong", "a wrong password").await;
    assert_eq!(error.to_string(), "Invalid email or password.");
}

#[tokio::test]
async fn signing_up_signs_in() {
    let Some(service) = BetterAuth::start() else {
        return;
    };
    let client = new_client(&service);
    let outcome = client
        .auth()
        .signup(EMAIL, "Ada Lovelace", SecretText::new(PASSWORD))
        .await;
    assert!(
        matches!(outcome, Ok(LoginOutcome::SignedIn(_))),
        "{outcome:?}"
    );
    let account = client.me().get().await.expect("account");
    assert_eq!(
        (account.name.as_str(), account.email.as_str()),
        ("Ada Lovelace", EMAIL)
    );
    let again = new_client(&service)
        .auth()
        .signup(EMAIL, "Ada", SecretText::new(PASSWORD))
        .await
        .expect_err("taken");
    assert_eq!(again.code(), Some(ErrorCode::EmailTaken), "{again}");
}
