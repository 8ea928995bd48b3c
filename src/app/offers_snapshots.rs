//! The console on a service that offers less than acctd (django-allauth):
//! the sidebar, the footer, the help and the Security menu leave out what
//! it lacks, a key for a missing screen says so, and nothing it lacks is
//! asked for.

use acctl_client::{Capabilities, Client, ClientOptions, Feature, ServiceKind};
use crossterm::event::KeyCode;

use super::testing::{Harness, fake_account, fake_context, fixed_now, test_config};
use crate::action::{
    AccountRequest, ChangeDone, NotificationsRequest, PrivacyDone, PrivacyRequest, ProfileDone,
    ProfileRequest, Request, ScreenId, SecurityDone, SecurityRequest,
};

const API: &str = "http://127.0.0.1:9/_allauth/app/v1";

/// Signed in to a django-allauth site, the account loaded on the overview.
fn on_allauth() -> Harness {
    let mut ctx = fake_context(test_config());
    let options = ClientOptions {
        service: ServiceKind::Allauth,
        ..ClientOptions::default()
    };
    ctx.client = Client::new(API, options).expect("a valid address");
    ctx.offers = Capabilities::of(&[
        Feature::Sessions,
        Feature::Mfa,
        Feature::RecoveryCodes,
        Feature::RecoveryCodesLeft,
        Feature::EmailChange,
        Feature::EmailCode,
    ]);
    let mut h = Harness::with_context(ctx, true);
    let account = acctl_api::Account {
        created_at: None,
        ..fake_account(fixed_now())
    };
    h.respond(AccountRequest::Load.answered(Ok(account)));
    h
}

fn snap(name: &str, h: &Harness) {
    for (w, ht) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{ht}"), h.render(w, ht));
    }
}

#[test]
fn allauth_overview_lists_only_what_it_offers() {
    let h = on_allauth();
    snap("allauth_overview", &h);
    let text = h.render(80, 24);
    for hidden in [
        "Profile",
        "Notifications",
        "Privacy",
        "Billing",
        "Member since",
    ] {
        assert!(!text.contains(hidden), "{hidden}:\n{text}");
    }
    assert!(text.contains("1,2,4 screens"), "{text}");
}

#[test]
fn allauth_help_leaves_out_the_missing_screens_keys() {
    let mut h = on_allauth();
    h.press(KeyCode::Char('?'));
    snap("allauth_help", &h);
    let text = h.render(120, 40);
    assert!(
        text.contains("Go to Sessions") || text.contains("Sessions"),
        "{text}"
    );
    for hidden in ["Billing", "Privacy", "Notifications"] {
        assert!(!text.contains(hidden), "{hidden}:\n{text}");
    }
}

#[test]
fn allauth_security_has_no_log_section() {
    let mut h = on_allauth();
    h.sent();
    h.press(KeyCode::Char('4'));
    snap("allauth_security", &h);
    let sent = h.sent();
    assert!(
        sent.iter()
            .any(|r| matches!(r, Request::Security(SecurityRequest::LoadMfaStatus))),
        "{sent:?}"
    );
    assert!(!h.render(80, 24).contains("Security log"));
}

#[test]
fn a_key_for_what_allauth_lacks_says_so_and_asks_nothing() {
    let mut h = on_allauth();
    h.sent();
    h.press(KeyCode::Char('7'));
    assert_eq!(h.app.screen(), ScreenId::Overview);
    snap("allauth_no_billing", &h);
    assert!(
        h.render(120, 40)
            .contains(&format!("django-allauth at {API} offers no billing.")),
        "{}",
        h.render(120, 40)
    );
    h.press(KeyCode::Char('2'));
    assert_eq!(h.app.screen(), ScreenId::Sessions);
    let sent = h.sent();
    assert!(
        !sent.iter().any(|r| matches!(
            r,
            Request::Notifications(NotificationsRequest::LoadUnread)
                | Request::Profile(ProfileRequest::LoadPreferences)
        )),
        "nothing allauth lacks is asked: {sent:?}"
    );
}

/// Signed in to a Better Auth service with two-factor sign-in on.
fn on_better_auth() -> Harness {
    let mut ctx = fake_context(test_config());
    let options = ClientOptions {
        service: ServiceKind::BetterAuth,
        ..ClientOptions::default()
    };
    ctx.client = Client::new("http://127.0.0.1:9/api/auth", options).expect("a valid address");
    ctx.offers = ServiceKind::BetterAuth.offers_at_most();
    let mut h = Harness::with_context(ctx, true);
    h.respond(AccountRequest::Load.answered(Ok(fake_account(fixed_now()))));
    h
}

#[test]
fn better_auth_security_does_not_count_the_backup_codes() {
    let mut h = on_better_auth();
    h.sent();
    h.press(KeyCode::Char('4'));
    // Better Auth does not tell the count: the backend's 0 means nothing.
    let status = acctl_api::MfaStatus {
        totp_enabled: true,
        totp_pending: false,
        recovery_codes_remaining: 0,
    };
    h.respond(SecurityRequest::LoadMfaStatus.answered(SecurityDone::MfaStatus(Ok(status))));
    snap("better_auth_security", &h);
    let text = h.render(80, 24);
    assert!(text.contains("Made with two-factor sign-in"), "{text}");
    assert!(
        !text.contains("0 unused") && !text.contains("Security log"),
        "{text}"
    );
    for hidden in ["Notifications", "Billing"] {
        assert!(!text.contains(hidden), "{hidden}:\n{text}");
    }
    for key in [KeyCode::Down, KeyCode::Down, KeyCode::Down, KeyCode::Enter] {
        h.press(key);
    }
    snap("better_auth_recovery_codes", &h);
    let text = h.render(120, 40);
    assert!(
        text.contains("does not say how many you have left"),
        "{text}"
    );
}

#[test]
fn better_auth_email_change_asks_for_the_mailed_link() {
    let mut h = on_better_auth();
    h.press(KeyCode::Char('4'));
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    h.type_text("ada.new@example.com");
    h.press(KeyCode::Tab);
    h.type_text("correct horse battery");
    h.press(KeyCode::Enter);
    let change = h
        .sent()
        .into_iter()
        .find_map(|r| match r {
            Request::Security(SecurityRequest::Change(change)) => Some(change),
            _ => None,
        })
        .expect("the change was asked for");
    let done = ChangeDone::EmailChangeRequested {
        new_email: "ada.new@example.com".into(),
        result: Ok(()),
        demo_mail: None,
    };
    h.respond(SecurityRequest::Change(change).answered(SecurityDone::Change(done)));
    snap("better_auth_email_link", &h);
    let text = h.render(80, 24);
    assert!(
        text.contains("A link was sent to ada.new@example.com"),
        "{text}"
    );
    assert!(text.contains("Link") && !text.contains("6-digit"), "{text}");
}

#[test]
fn what_better_auth_turns_out_to_lack_leaves_the_sidebar() {
    let mut h = on_better_auth();
    assert!(h.render(80, 24).contains("6 Privacy"));
    let lacking = acctl_client::ApiError::Unsupported {
        service: ServiceKind::BetterAuth,
        server: "http://127.0.0.1:9/api/auth".into(),
        feature: Feature::AccountDeletion,
    };
    h.respond(PrivacyRequest::LoadDeletion.answered(PrivacyDone::Deletion(Err(lacking))));
    let text = h.render(80, 24);
    assert!(!text.contains("Privacy"), "{text}");
    assert!(text.contains("1,2,3,4 screens"), "{text}");
}

#[test]
fn better_auth_privacy_is_deletion_at_once() {
    let mut h = on_better_auth();
    h.sent();
    h.press(KeyCode::Char('6'));
    let sent = h.sent();
    assert!(
        !sent.iter().any(|r| matches!(
            r,
            Request::Privacy(PrivacyRequest::Load | PrivacyRequest::LoadExports)
        )),
        "nothing Better Auth lacks is asked: {sent:?}"
    );
    let status = acctl_api::privacy::DeletionStatus {
        scheduled_for: None,
        requested_at: None,
        grace_days: 0,
    };
    h.respond(PrivacyRequest::LoadDeletion.answered(PrivacyDone::Deletion(Ok(status.clone()))));
    snap("better_auth_privacy", &h);
    let text = h.render(80, 24);
    assert!(text.contains("Deleted at once when you ask"), "{text}");
    assert!(
        !text.contains("Export") && !text.contains("Settings"),
        "{text}"
    );
    h.press(KeyCode::Enter);
    snap("better_auth_deletion_page", &h);
    assert!(h.render(120, 40).contains("cannot be undone"));

    let deleted = acctl_api::privacy::DeletionStatus {
        scheduled_for: Some(fixed_now()),
        requested_at: Some(fixed_now()),
        grace_days: 0,
    };
    let request = PrivacyRequest::ScheduleDeletion {
        password: acctl_api::SecretText::new("correct horse battery"),
        confirmation: "DELETE".into(),
        sign_out_others: false,
    };
    h.respond(request.answered(PrivacyDone::DeletionScheduled(Ok(deleted))));
    assert_eq!(h.app.screen(), ScreenId::Login);
    let text = h.render(120, 40);
    assert!(text.contains("Your account was deleted"), "{text}");
}

#[test]
fn better_auth_profile_is_the_name() {
    let mut h = on_better_auth();
    h.sent();
    h.press(KeyCode::Char('3'));
    let sent = h.sent();
    assert!(
        !sent.iter().any(|r| matches!(
            r,
            Request::Profile(ProfileRequest::LoadPreferences | ProfileRequest::LoadAvatar)
        )),
        "nothing Better Auth lacks is asked: {sent:?}"
    );
    let loaded = acctl_client::Versioned {
        value: acctl_api::Account {
            display_name: None,
            phone: None,
            bio: None,
            ..fake_account(fixed_now())
        },
        etag: "2026-12-07T10:00:00+00:00".into(),
    };
    h.respond(ProfileRequest::Load.answered(ProfileDone::Loaded(Ok(loaded))));
    snap("better_auth_profile", &h);
    let text = h.render(120, 40);
    assert!(
        text.contains("Name") && text.contains("Ada Lovelace"),
        "{text}"
    );
    for hidden in [
        "Display name",
        "Phone",
        "Bio",
        "Picture",
        "Preferences",
        "Time zone",
    ] {
        assert!(!text.contains(hidden), "{hidden}:\n{text}");
    }
}

#[test]
fn better_auth_overview_has_no_display_name() {
    let h = on_better_auth();
    snap("better_auth_overview", &h);
    let text = h.render(80, 24);
    assert!(!text.contains("Display name"), "{text}");
    assert!(
        text.contains("Member since"),
        "Better Auth says when: {text}"
    );
}
