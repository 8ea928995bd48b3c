//! What the Notifications and Privacy screens look like in each state, at
//! 80x24 and 120x40, with the fixed clock and the mono theme.

use acctl_api::notifications::{NotificationCategory, NotificationChannel, UnreadCount};
use acctl_api::privacy::{DataExport, ExportStatus};
use acctl_api::{ErrorCode, Page, Problem};
use chrono::Duration;
use crossterm::event::KeyCode;

use super::testing::{
    Harness, fake_account, fake_deletion, fake_export, fake_notification_settings,
    fake_notifications, fake_privacy, fixed_now,
};
use crate::action::Response;
#[allow(unused_imports)]
use crate::action::{self, *};
use acctl_client::{ApiError, Progress};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, h: &Harness) {
    for (w, ht) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{ht}"), h.render(w, ht));
    }
}

fn unreachable() -> ApiError {
    ApiError::Unreachable {
        server: "http://127.0.0.1:9".into(),
        reason: "Connection refused (os error 111)".into(),
    }
}

fn notices(h: &mut Harness, answer: Response) {
    h.respond(answer);
}

fn privacy_done(h: &mut Harness, answer: Response) {
    h.respond(answer);
}

fn inbox(items: Vec<acctl_api::notifications::Notification>, next: Option<&str>) -> Response {
    NotificationsRequest::LoadInbox {
        cursor: None,
        unread: false,
    }
    .answered(NotificationsDone::Inbox(Ok(Page {
        items,
        next_cursor: next.map(str::to_string),
    })))
}

/// Signed in, the account loaded, on Notifications.
fn on_notifications() -> Harness {
    let mut h = Harness::signed_in();
    h.respond(AccountRequest::Load.answered(Ok(fake_account(fixed_now()))));
    h.press(KeyCode::Char('5'));
    notices(
        &mut h,
        NotificationsRequest::LoadUnread
            .answered(NotificationsDone::Unread(Ok(UnreadCount { unread: 3 }))),
    );
    h
}

fn notifications_loaded() -> Harness {
    let mut h = on_notifications();
    notices(
        &mut h,
        NotificationsRequest::LoadSettings.answered(NotificationsDone::Settings(Ok(
            fake_notification_settings(),
        ))),
    );
    notices(
        &mut h,
        inbox(fake_notifications(0, 6, fixed_now()), Some("c6")),
    );
    h.sent();
    h
}

#[test]
fn notifications_states() {
    let mut h = on_notifications();
    snap("notifications_loading", &h);
    notices(
        &mut h,
        NotificationsRequest::LoadSettings
            .answered(NotificationsDone::Settings(Err(unreachable()))),
    );
    let problem = Problem {
        request_id: Some("req_7".into()),
        ..Problem::new(ErrorCode::Internal, "The database is unavailable")
    };
    notices(
        &mut h,
        NotificationsRequest::LoadInbox {
            cursor: None,
            unread: false,
        }
        .answered(NotificationsDone::Inbox(Err(ApiError::Problem {
            problem: Box::new(problem),
        }))),
    );
    snap("notifications_failed", &h);

    let mut h = notifications_loaded();
    // The locked cell has the focus at first; Space says why it stays on.
    h.press(KeyCode::Char(' '));
    snap("notifications_locked_cell", &h);
    h.press(KeyCode::Right);
    snap("notifications_loaded", &h);
    h.press(KeyCode::Down);
    h.press(KeyCode::Char(' '));
    snap("notifications_toggle_pending", &h);
    notices(
        &mut h,
        NotificationsRequest::Set {
            category: NotificationCategory::Account,
            channel: NotificationChannel::Push,
            enabled: false,
        }
        .answered(NotificationsDone::Set(Err(unreachable()))),
    );
    snap("notifications_toggle_failed", &h);
}

#[test]
fn notifications_inbox() {
    let mut h = on_notifications();
    notices(
        &mut h,
        NotificationsRequest::LoadSettings.answered(NotificationsDone::Settings(Ok(
            fake_notification_settings(),
        ))),
    );
    notices(&mut h, inbox(Vec::new(), None));
    snap("notifications_empty_inbox", &h);

    let mut h = notifications_loaded();
    h.press(KeyCode::Tab);
    h.press(KeyCode::Down);
    snap("notifications_inbox_focused", &h);
    h.press(KeyCode::Enter);
    snap("notifications_message_open", &h);
}

fn export(status: ExportStatus, percent: u8) -> acctl_api::privacy::DataExport {
    fake_export(status, percent, fixed_now())
}

fn deletion(scheduled: bool) -> acctl_api::privacy::DeletionStatus {
    fake_deletion(scheduled, fixed_now())
}

/// Signed in, on Privacy, nothing answered yet.
fn on_privacy() -> Harness {
    on_privacy_in(Harness::signed_in())
}

fn on_privacy_in(mut h: Harness) -> Harness {
    h.respond(AccountRequest::Load.answered(Ok(fake_account(fixed_now()))));
    // A folder that exists, so the path is accepted; nothing is written.
    h.app.screens_mut().privacy_mut().export.dir = "/tmp".into();
    h.press(KeyCode::Char('6'));
    h
}

fn privacy_loaded(exports: Vec<DataExport>) -> Harness {
    privacy_loaded_in(Harness::signed_in(), exports)
}

fn privacy_loaded_in(h: Harness, exports: Vec<DataExport>) -> Harness {
    let mut h = on_privacy_in(h);
    privacy_done(
        &mut h,
        PrivacyRequest::Load.answered(PrivacyDone::Settings(Ok(fake_privacy()))),
    );
    privacy_done(
        &mut h,
        PrivacyRequest::LoadExports.answered(PrivacyDone::Exports(Ok(Page {
            items: exports,
            next_cursor: None,
        }))),
    );
    privacy_done(
        &mut h,
        PrivacyRequest::LoadDeletion.answered(PrivacyDone::Deletion(Ok(deletion(false)))),
    );
    h.sent();
    h
}

#[test]
fn privacy_states() {
    let mut h = on_privacy();
    snap("privacy_loading", &h);
    privacy_done(
        &mut h,
        PrivacyRequest::Load.answered(PrivacyDone::Settings(Err(unreachable()))),
    );
    snap("privacy_failed", &h);
    let mut h = privacy_loaded(Vec::new());
    snap("privacy_loaded", &h);
    h.press(KeyCode::Enter);
    snap("privacy_visibility_picker", &h);
}

#[test]
fn privacy_export_flow() {
    let mut h = privacy_loaded(Vec::new());
    for _ in 0..4 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    privacy_done(
        &mut h,
        PrivacyRequest::StartExport.answered(PrivacyDone::ExportStarted(Ok(export(
            ExportStatus::Running,
            40,
        )))),
    );
    snap("privacy_export_running", &h);
    privacy_done(
        &mut h,
        PrivacyRequest::PollExport { id: String::new() }
            .answered(PrivacyDone::Export(Ok(export(ExportStatus::Ready, 100)))),
    );
    snap("privacy_export_choose_path", &h);
    h.press(KeyCode::Enter);
    let request = Request::Privacy(PrivacyRequest::Download {
        id: "exp_1".into(),
        path: "/tmp/acctl-export-2025-03-01.json".into(),
        replace: false,
    });
    let progress = Progress {
        received: 10_240,
        total: Some(40_960),
    };
    h.app.update(Action::Progress { request, progress });
    snap("privacy_export_downloading", &h);
    let path = std::path::PathBuf::from("/tmp/acctl-export-2025-03-01.json");
    privacy_done(
        &mut h,
        PrivacyRequest::Download {
            id: String::new(),
            path,
            replace: false,
        }
        .answered(PrivacyDone::Downloaded(Ok(40_960))),
    );
    snap("privacy_export_done", &h);

    let h = privacy_loaded(vec![export(ExportStatus::Ready, 100)]);
    snap("privacy_export_ready", &h);

    let mut h = privacy_loaded(vec![export(ExportStatus::Running, 10)]);
    privacy_done(
        &mut h,
        PrivacyRequest::PollExport { id: String::new() }
            .answered(PrivacyDone::Export(Ok(export(ExportStatus::Failed, 10)))),
    );
    snap("privacy_export_failed", &h);
}

#[test]
fn privacy_deletion() {
    let mut h = privacy_loaded(Vec::new());
    for _ in 0..5 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    h.type_text("hunter22");
    h.press(KeyCode::Tab);
    h.type_text("delete");
    h.press(KeyCode::Enter);
    snap("privacy_deletion_form_errors", &h);
    for _ in 0..6 {
        h.press(KeyCode::Backspace);
    }
    h.type_text("DELETE");
    h.press(KeyCode::Enter);
    snap("privacy_deletion_confirm", &h);
    // Tab to the confirming button, Enter: sent.
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    let problem = Problem::new(ErrorCode::ValidationFailed, "Check the form")
        .with_field("password", "That is not your password");
    privacy_done(
        &mut h,
        PrivacyRequest::ScheduleDeletion {
            password: acctl_api::SecretText::new(""),
            confirmation: String::new(),
            sign_out_others: false,
        }
        .answered(PrivacyDone::DeletionScheduled(Err(ApiError::Problem {
            problem: Box::new(problem),
        }))),
    );
    snap("privacy_deletion_server_error", &h);
    privacy_done(
        &mut h,
        PrivacyRequest::ScheduleDeletion {
            password: acctl_api::SecretText::new(""),
            confirmation: String::new(),
            sign_out_others: false,
        }
        .answered(PrivacyDone::DeletionScheduled(Ok(deletion(true)))),
    );
    snap("privacy_deletion_scheduled", &h);
}

#[test]
fn privacy_deletion_signing_out_other_devices() {
    let mut h = privacy_loaded(Vec::new());
    for _ in 0..5 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    h.type_text("hunter22");
    h.press(KeyCode::Tab);
    h.type_text("DELETE");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Char(' '));
    snap("privacy_deletion_ticked", &h);
    h.press(KeyCode::Enter);
    snap("privacy_deletion_confirm_ticked", &h);
}

#[test]
fn the_deletion_banner_shows_on_every_screen() {
    let mut h = Harness::signed_in();
    let mut account = fake_account(fixed_now());
    account.deletion_scheduled_for = Some(fixed_now() + Duration::days(14));
    h.respond(AccountRequest::Load.answered(Ok(account)));
    snap("banner_overview", &h);
    h.press(KeyCode::Char('2'));
    snap("banner_sessions", &h);
}

#[test]
fn privacy_deletion_in_the_demo_says_the_password() {
    let mut ctx = super::testing::fake_context(super::testing::test_config());
    ctx.demo = Some(crate::context::DemoLogin {
        email: "demo@acctl.dev".into(),
        password: "river-7-lantern".into(),
    });
    let mut h = privacy_loaded_in(Harness::with_context(ctx, true), Vec::new());
    for _ in 0..5 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    assert!(
        h.render(80, 24)
            .contains("Demo: the password is river-7-lantern")
    );
    snap("privacy_deletion_demo", &h);
}
