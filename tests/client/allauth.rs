//! The client against a real django-allauth site (tests/services/allauth):
//! the same calls as on acctd, mapped by the allauth backend.

use std::collections::HashSet;

use acctl_api::{ChangePasswordRequest, ErrorCode, LoginMfaRequest, PageQuery, SecretText};
use acctl_client::{
    ApiError, Capabilities, Client, ClientOptions, Feature, LoginOutcome, ServiceKind,
};

use super::allauth_site::{AllauthServer, available};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

fn site() -> Option<AllauthServer> {
    if !available() {
        return None;
    }
    let server = AllauthServer::start();
    server.add_user(EMAIL, PASSWORD);
    Some(server)
}

fn client(server: &AllauthServer, device: &str) -> Client {
    let options = ClientOptions {
        device_name: device.to_string(),
        service: ServiceKind::Allauth,
        ..ClientOptions::default()
    };
    Client::new(&server.api(), options).expect("client")
}

async fn signed_in(server: &AllauthServer, device: &str, password: &str) -> Client {
    let client = client(server, device);
    let outcome = client
        .auth()
        .login(EMAIL, SecretText::new(password))
        .await
        .expect("signs in");
    assert!(matches!(outcome, LoginOutcome::SignedIn(_)), "{outcome:?}");
    client
}

fn fresh_code(secret: &str, used: &mut HashSet<u64>) -> SecretText {
    SecretText::new(super::allauth_site::fresh_code(secret, used))
}

#[tokio::test]
async fn detection_finds_allauth_at_the_site_and_at_its_mount() {
    let Some(server) = site() else { return };
    let options = ClientOptions::default();
    for address in [server.url.clone(), server.api()] {
        let found = acctl_client::detect(&address, None, &options)
            .await
            .expect("found");
        assert_eq!(found.kind, ServiceKind::Allauth, "{address}");
        assert_eq!(found.base_url, server.api(), "{address}");
    }
    let forced = acctl_client::detect(&server.url, Some(ServiceKind::BetterAuth), &options)
        .await
        .expect_err("no Better Auth here");
    assert!(
        forced.to_string().contains("/api/auth/ok"),
        "says where it looked: {forced}"
    );
}

#[tokio::test]
async fn sessions_are_listed_and_revoked_one_or_all_others() {
    let Some(server) = site() else { return };
    let laptop = signed_in(&server, "acctl on laptop", PASSWORD).await;
    let phone = signed_in(&server, "acctl on phone", PASSWORD).await;
    let tablet = signed_in(&server, "acctl on tablet", PASSWORD).await;

    let caps = laptop.capabilities().await.expect("config");
    assert_eq!(
        caps,
        Capabilities::of(&[
            Feature::Sessions,
            Feature::Mfa,
            Feature::RecoveryCodes,
            Feature::RecoveryCodesLeft,
            Feature::EmailChange,
            Feature::EmailCode,
        ])
    );
    let account = laptop.me().get().await.expect("account");
    assert_eq!(account.email, EMAIL);
    assert!(account.email_verified);
    assert_eq!(account.active_sessions, 3);
    assert_eq!(account.created_at, None, "allauth does not say");

    let sessions = laptop
        .sessions()
        .list(&PageQuery::default())
        .await
        .expect("list");
    assert_eq!(sessions.items.len(), 3);
    let current: Vec<_> = sessions.items.iter().filter(|s| s.current).collect();
    assert_eq!(current.len(), 1);
    assert!(
        current[0].device_name.starts_with("acctl on laptop"),
        "{current:?}"
    );
    let phone_id = phone.tokens().await.expect("tokens").session_id;
    assert!(
        sessions
            .items
            .iter()
            .any(|s| s.id == phone_id && !s.current)
    );

    let refused = laptop
        .sessions()
        .revoke(&current[0].id)
        .await
        .expect_err("own");
    assert_eq!(refused.code(), Some(ErrorCode::CurrentSession));
    laptop.sessions().revoke(&phone_id).await.expect("revoked");
    let ended = phone.me().get().await.expect_err("signed out elsewhere");
    assert!(matches!(ended, ApiError::SessionEnded { .. }), "{ended:?}");
    assert!(phone.tokens().await.is_none(), "forgotten here too");

    let revoked = laptop.sessions().revoke_others().await.expect("others");
    assert_eq!(revoked.revoked, 1);
    assert!(tablet.me().get().await.is_err_and(|e| e.needs_login()));
    assert_eq!(
        laptop.me().get().await.expect("still in").active_sessions,
        1
    );

    laptop.auth().logout().await.expect("signed out");
    assert!(laptop.tokens().await.is_none());
}

#[tokio::test]
async fn what_allauth_lacks_is_refused_without_a_request() {
    let Some(server) = site() else { return };
    let client = signed_in(&server, "acctl", PASSWORD).await;
    let error = client
        .security_events()
        .list(&PageQuery::default(), None)
        .await
        .expect_err("no log");
    assert!(matches!(error, ApiError::Unsupported { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!("django-allauth at {} offers no security log", server.api())
    );
    assert!(matches!(
        client.billing().plans().await,
        Err(ApiError::Unsupported {
            feature: Feature::Billing,
            ..
        })
    ));
    assert!(matches!(
        client.profile().get().await,
        Err(ApiError::Unsupported {
            feature: Feature::Profile,
            ..
        })
    ));
    assert!(matches!(
        client.privacy().deletion().await,
        Err(ApiError::Unsupported { .. })
    ));
}

#[tokio::test]
async fn a_password_change_adopts_the_new_token_and_ends_the_others() {
    let Some(server) = site() else { return };
    let laptop = signed_in(&server, "acctl on laptop", PASSWORD).await;
    let phone = signed_in(&server, "acctl on phone", PASSWORD).await;
    let before = laptop.tokens().await.expect("tokens").access_token;

    let wrong = ChangePasswordRequest {
        current_password: SecretText::new("not my password"),
        new_password: SecretText::new("another fine secret 7"),
        sign_out_other_sessions: true,
    };
    let error = laptop
        .security()
        .change_password(&wrong)
        .await
        .expect_err("wrong");
    let problem = error.problem().expect("a problem");
    assert_eq!(problem.code, "validation_failed");
    assert!(
        problem.errors.contains_key("current_password"),
        "{problem:?}"
    );

    let right = ChangePasswordRequest {
        current_password: SecretText::new(PASSWORD),
        ..wrong
    };
    laptop
        .security()
        .change_password(&right)
        .await
        .expect("changed");
    let after = laptop.tokens().await.expect("tokens").access_token;
    assert_ne!(before.expose(), after.expose(), "a new token, adopted");
    laptop.me().get().await.expect("still signed in with it");
    assert!(phone.me().get().await.is_err_and(|e| e.needs_login()));

    let old = client(&server, "acctl")
        .auth()
        .login(EMAIL, SecretText::new(PASSWORD))
        .await
        .expect_err("old password");
    assert_eq!(old.code(), Some(ErrorCode::InvalidCredentials));
    assert!(old.to_string().contains("not correct"), "{old}");
    signed_in(&server, "acctl", "another fine secret 7").await;
}

#[tokio::test]
async fn totp_enrolment_sign_in_with_codes_and_recovery_codes_then_off() {
    let Some(server) = site() else { return };
    let client = signed_in(&server, "acctl", PASSWORD).await;
    let security = client.security();
    let mut used = HashSet::new();

    let wrong = security
        .enroll_totp(SecretText::new("nope"))
        .await
        .expect_err("wrong password");
    assert!(
        wrong
            .field_errors()
            .is_some_and(|f| f.contains_key("password")),
        "{wrong:?}"
    );
    let enrolment = security
        .enroll_totp(SecretText::new(PASSWORD))
        .await
        .expect("offered");
    let secret = enrolment.secret_base32.expose().to_string();
    assert!(
        enrolment
            .otpauth_uri
            .expose()
            .starts_with("otpauth://totp/")
    );
    assert!(enrolment.otpauth_uri.expose().contains(&secret));
    let bad = security
        .confirm_totp(SecretText::new("000000"))
        .await
        .expect_err("wrong code");
    assert!(
        bad.field_errors().is_some_and(|f| f.contains_key("code")),
        "{bad:?}"
    );
    let codes = security
        .confirm_totp(fresh_code(&secret, &mut used))
        .await
        .expect("on")
        .recovery_codes;
    assert!(codes.len() >= 5, "{}", codes.len());
    let status = security.mfa_status().await.expect("status");
    assert!(status.totp_enabled);
    assert_eq!(status.recovery_codes_remaining as usize, codes.len());
    assert!(client.me().get().await.expect("account").mfa_enabled);

    // Signing in now asks for a code, then takes one from the app...
    let second = self::client(&server, "acctl two");
    let LoginOutcome::MfaRequired(challenge) = second
        .auth()
        .login(EMAIL, SecretText::new(PASSWORD))
        .await
        .expect("first step")
    else {
        panic!("no second step");
    };
    let mut methods = challenge.methods.clone();
    methods.sort();
    assert_eq!(methods, ["recovery_code", "totp"]);
    let wrong = second
        .auth()
        .login_mfa(LoginMfaRequest {
            mfa_token: challenge.mfa_token.clone(),
            code: Some(SecretText::new("000000")),
            recovery_code: None,
        })
        .await
        .expect_err("wrong code");
    assert!(
        wrong.field_errors().is_some_and(|f| f.contains_key("code")),
        "{wrong:?}"
    );
    let done = second
        .auth()
        .login_mfa(LoginMfaRequest {
            mfa_token: challenge.mfa_token,
            code: Some(fresh_code(&secret, &mut used)),
            recovery_code: None,
        })
        .await
        .expect("second step");
    assert!(matches!(done, LoginOutcome::SignedIn(_)));
    second.me().get().await.expect("signed in");

    // ...or a recovery code, once.
    let third = self::client(&server, "acctl three");
    let LoginOutcome::MfaRequired(challenge) = third
        .auth()
        .login(EMAIL, SecretText::new(PASSWORD))
        .await
        .expect("first step")
    else {
        panic!("no second step");
    };
    let done = third
        .auth()
        .login_mfa(LoginMfaRequest {
            mfa_token: challenge.mfa_token,
            code: None,
            recovery_code: Some(codes[0].clone()),
        })
        .await
        .expect("recovery code");
    assert!(matches!(done, LoginOutcome::SignedIn(_)));
    let left = security
        .mfa_status()
        .await
        .expect("status")
        .recovery_codes_remaining;
    assert_eq!(left as usize, codes.len() - 1);

    let fresh = security
        .regenerate_recovery_codes(SecretText::new(PASSWORD))
        .await
        .expect("new codes")
        .recovery_codes;
    assert!(fresh.iter().all(|c| c.expose() != codes[1].expose()));
    assert_eq!(
        security
            .mfa_status()
            .await
            .expect("status")
            .recovery_codes_remaining as usize,
        fresh.len()
    );

    let refused = security
        .disable_totp(SecretText::new(PASSWORD), SecretText::new("000000"))
        .await
        .expect_err("wrong code");
    assert!(
        refused
            .field_errors()
            .is_some_and(|f| f.contains_key("code")),
        "{refused:?}"
    );
    security
        .disable_totp(SecretText::new(PASSWORD), fresh_code(&secret, &mut used))
        .await
        .expect("off");
    assert!(!security.mfa_status().await.expect("status").totp_enabled);
    let plain = signed_in(&server, "acctl four", PASSWORD).await;
    plain.me().get().await.expect("no second step any more");
}

#[tokio::test]
async fn the_email_changes_once_the_mailed_code_is_given() {
    let Some(server) = site() else { return };
    let client = signed_in(&server, "acctl", PASSWORD).await;
    let security = client.security();
    let new = "ada.new@example.com";
    let wrong = security
        .request_email_change(new, SecretText::new("nope"))
        .await
        .expect_err("wrong password");
    assert!(
        wrong
            .field_errors()
            .is_some_and(|f| f.contains_key("password")),
        "{wrong:?}"
    );
    let bad = security
        .request_email_change("not an address", SecretText::new(PASSWORD))
        .await
        .expect_err("not an address");
    assert!(
        bad.field_errors()
            .is_some_and(|f| f.contains_key("new_email")),
        "{bad:?}"
    );

    security
        .request_email_change(new, SecretText::new(PASSWORD))
        .await
        .expect("code sent");
    let account = client.me().get().await.expect("account");
    assert_eq!(account.pending_email.as_deref(), Some(new));
    assert_eq!(account.email, EMAIL);
    let wrong = security
        .verify_email(SecretText::new("AAAA-AAAA"))
        .await
        .expect_err("wrong code");
    assert!(
        wrong.field_errors().is_some_and(|f| f.contains_key("code")),
        "{wrong:?}"
    );
    let code = server.mail_code(new);
    security
        .verify_email(SecretText::new(code))
        .await
        .expect("verified");
    let account = client.me().get().await.expect("account");
    assert_eq!(account.email, new);
    assert_eq!(account.pending_email, None);
    assert!(account.email_verified);
}
