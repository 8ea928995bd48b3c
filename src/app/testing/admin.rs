//! Hand-made accounts for the Admin screen's tests and snapshots.

use acctl_api::admin::{AccountStatus, AdminUser, AdminUserDetail};
use acctl_api::{Page, SignInRecord};
use chrono::Duration;

use super::{Harness, fake_account, fake_security_events, fake_sessions, fixed_now};
use crate::action::{AccountRequest, AdminDone, AdminRequest, Request, ScreenId};

const PEOPLE: [(&str, &str); 4] = [
    ("ana@example.com", "Ana Lima"),
    ("bob@example.com", "Bob Stone"),
    (
        "carla.de.la.cruz-fernandez@example.org",
        "Carla de la Cruz Fernández",
    ),
    ("dev@example.net", "Dev Patel"),
];

pub fn users(n: usize) -> Vec<AdminUser> {
    let now = fixed_now();
    (0..n)
        .map(|i| {
            let (email, name) = PEOPLE[i % PEOPLE.len()];
            let email = match i < PEOPLE.len() {
                true => email.to_string(),
                false => format!("{i}.{email}"),
            };
            AdminUser {
                id: format!("usr_{i}"),
                email,
                name: name.to_string(),
                status: match i % 3 {
                    1 => AccountStatus::Disabled,
                    2 if i % 4 == 2 => AccountStatus::DeletionScheduled,
                    _ => AccountStatus::Active,
                },
                mfa_enabled: i.is_multiple_of(2),
                admin: i == 0,
                last_sign_in_at: (i != 3).then(|| now - Duration::hours(i as i64 * 7 + 2)),
                created_at: now - Duration::days(200),
            }
        })
        .collect()
}

pub fn detail() -> AdminUserDetail {
    let now = fixed_now();
    AdminUserDetail {
        id: "usr_0".into(),
        email: "ana@example.com".into(),
        email_verified: true,
        name: "Ana Lima".into(),
        display_name: Some("Ana".into()),
        phone: None,
        status: AccountStatus::Active,
        disabled_at: None,
        admin: false,
        mfa_enabled: true,
        recovery_codes_remaining: 8,
        active_sessions: 3,
        last_sign_in: Some(SignInRecord {
            at: now - Duration::hours(2),
            ip: Some("203.0.113.9".into()),
            device_name: Some("Firefox on Linux".into()),
        }),
        plan: "pro".into(),
        deletion_scheduled_for: None,
        created_at: now - Duration::days(200),
    }
}

/// Signed in as an administrator (or not), on the overview.
pub fn signed_in(admin: bool) -> Harness {
    let mut h = Harness::signed_in();
    let mut account = fake_account(fixed_now());
    account.admin = admin;
    h.respond(AccountRequest::Load.answered(Ok(account)));
    h.sent();
    h
}

/// On the Admin screen with `n` accounts listed.
pub fn listed(n: usize) -> Harness {
    let mut h = signed_in(true);
    h.app
        .update(crate::action::Action::Navigate(ScreenId::Admin));
    let first = AdminRequest::Users {
        query: String::new(),
        cursor: None,
    };
    let next = (n >= 50).then(|| "c1".to_string());
    h.respond(first.answered(AdminDone::Users(Ok(Page {
        items: users(n),
        next_cursor: next,
    }))));
    h.sent();
    h
}

/// [`listed`], then the first account opened and all of it answered.
pub fn opened() -> Harness {
    let mut h = listed(4);
    h.press(crossterm::event::KeyCode::Enter);
    let requests: Vec<AdminRequest> = h
        .sent()
        .into_iter()
        .filter_map(|r| match r {
            Request::Admin(r) => Some(r),
            _ => None,
        })
        .collect();
    let now = fixed_now();
    for request in requests {
        let done = match &request {
            AdminRequest::User { .. } => AdminDone::User(Ok(detail())),
            AdminRequest::Sessions { .. } => AdminDone::Sessions(Ok(Page {
                items: fake_sessions(3, now),
                next_cursor: None,
            })),
            AdminRequest::Events { .. } => AdminDone::Events(Ok(Page {
                items: fake_security_events(0, 12, now),
                next_cursor: Some("e1".into()),
            })),
            _ => continue,
        };
        h.respond(request.answered(done));
    }
    h
}

/// `n` audit entries, newest first, an hour apart.
pub fn audit_entries(n: usize) -> Vec<acctl_api::admin::AuditEntry> {
    use acctl_api::admin::{AuditAction, AuditEntry};
    let now = fixed_now();
    let actions = [
        AuditAction::DisableAccount,
        AuditAction::MfaReset,
        AuditAction::PasswordReset,
        AuditAction::EnableAccount,
    ];
    (0..n)
        .map(|i| AuditEntry {
            id: format!("aud_{i}"),
            at: now - Duration::hours(i as i64 + 1),
            actor_id: (i != 3).then(|| "usr_root".to_string()),
            actor_email: (i != 3).then(|| "root@example.com".to_string()),
            action: actions[i % actions.len()],
            target_id: format!("usr_{i}"),
            target_email: PEOPLE[i % PEOPLE.len()].0.to_string(),
            reason: "asked by phone, ID checked".into(),
            request_id: Some(format!("req_{i}")),
            detail: None,
        })
        .collect()
}
