//! The app around the Notifications and Privacy screens: the unread count
//! in the header, the deletion banner, the polls that follow an export.

use crate::screens::Screen as _;
use acctl_api::notifications::UnreadCount;
use acctl_api::privacy::{DataExport, DeletionStatus, ExportStatus};
use chrono::Duration;
use crossterm::event::KeyCode;

use super::testing::{Harness, fake_account, fake_notifications, fixed_now};

#[allow(unused_imports)]
use crate::action::{self, *};

fn asked_unread(sent: &[Request]) -> usize {
    sent.iter()
        .filter(|r| matches!(r, Request::Notifications(NotificationsRequest::LoadUnread)))
        .count()
}

#[test]
fn the_unread_count_is_asked_on_every_screen_change_and_shown_in_the_header() {
    let mut h = Harness::signed_in();
    assert_eq!(asked_unread(&h.sent()), 1);
    h.respond(
        NotificationsRequest::LoadUnread
            .answered(NotificationsDone::Unread(Ok(UnreadCount { unread: 3 }))),
    );
    assert!(
        h.render(80, 24)
            .lines()
            .next()
            .is_some_and(|l| l.contains("3 unread"))
    );
    h.press(KeyCode::Char('2'));
    assert_eq!(
        asked_unread(&h.sent()),
        1,
        "asked again on the way to Sessions"
    );
    h.respond(
        NotificationsRequest::LoadUnread
            .answered(NotificationsDone::Unread(Ok(UnreadCount { unread: 4 }))),
    );
    assert!(
        h.render(80, 24)
            .lines()
            .next()
            .is_some_and(|l| l.contains("4 unread"))
    );
    h.press(KeyCode::Char('5'));
    assert_eq!(asked_unread(&h.sent()), 1);
}

#[test]
fn reading_a_message_refreshes_the_count_and_marking_all_sets_it() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('5'));
    h.sent();
    h.respond(
        NotificationsRequest::LoadUnread
            .answered(NotificationsDone::Unread(Ok(UnreadCount { unread: 3 }))),
    );
    h.respond(
        NotificationsRequest::LoadInbox {
            cursor: None,
            unread: false,
        }
        .answered(NotificationsDone::Inbox(Ok(acctl_api::Page {
            items: fake_notifications(0, 3, fixed_now()),
            next_cursor: None,
        }))),
    );
    let mut read = fake_notifications(0, 1, fixed_now()).remove(0);
    read.read_at = Some(fixed_now());
    h.respond(
        NotificationsRequest::MarkRead {
            id: read.id.clone(),
        }
        .answered(NotificationsDone::MarkedRead(Ok(read))),
    );
    assert_eq!(asked_unread(&h.sent()), 1);
    h.respond(
        NotificationsRequest::LoadUnread
            .answered(NotificationsDone::Unread(Ok(UnreadCount { unread: 2 }))),
    );
    assert_eq!(h.app.unread(), Some(2));
    h.respond(
        NotificationsRequest::MarkAllRead.answered(NotificationsDone::MarkedAllRead(Ok(
            UnreadCount { unread: 0 },
        ))),
    );
    assert_eq!(h.app.unread(), Some(0));
    let sent = h.sent();
    assert!(
        sent.iter().any(|r| matches!(
            r,
            Request::Notifications(NotificationsRequest::LoadInbox { cursor: None, .. })
        )),
        "the inbox loads again: {sent:?}"
    );
}

#[test]
fn the_banner_follows_the_account_and_the_deletion() {
    let mut h = Harness::signed_in();
    let mut account = fake_account(fixed_now());
    account.deletion_scheduled_for = Some(fixed_now() + Duration::days(14));
    h.respond(AccountRequest::Load.answered(Ok(account)));
    let text = "This account will be deleted on 2025-03-15.";
    assert!(h.render(120, 40).contains(text));
    h.press(KeyCode::Char('6'));
    assert!(h.render(120, 40).contains(text), "on every screen");
    h.respond(PrivacyRequest::CancelDeletion.answered(PrivacyDone::DeletionCancelled(Ok(()))));
    assert_eq!(h.app.deletion_on(), None);
    assert!(!h.render(120, 40).contains("will be deleted"));
    h.respond(
        PrivacyRequest::ScheduleDeletion {
            password: acctl_api::SecretText::new(""),
            confirmation: String::new(),
            sign_out_others: false,
        }
        .answered(PrivacyDone::DeletionScheduled(Ok(DeletionStatus {
            scheduled_for: Some(fixed_now() + Duration::days(14)),
            requested_at: Some(fixed_now()),
            grace_days: 14,
        }))),
    );
    assert!(h.render(80, 24).contains("This account will be deleted on"));
}

fn running(percent: u8) -> DataExport {
    DataExport {
        id: "exp_9".into(),
        status: ExportStatus::Running,
        progress_percent: percent,
        created_at: fixed_now(),
        ready_at: None,
        expires_at: None,
        size_bytes: None,
    }
}

#[test]
fn a_running_export_is_polled_through_the_worker_until_it_stops() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('6'));
    h.sent();
    let polls = |sent: &[Request]| {
        sent.iter()
            .filter(|r| matches!(r, Request::Privacy(PrivacyRequest::PollExport { id }) if id == "exp_9"))
            .count()
    };
    h.respond(PrivacyRequest::StartExport.answered(PrivacyDone::ExportStarted(Ok(running(0)))));
    assert_eq!(polls(&h.sent()), 1);
    h.respond(
        PrivacyRequest::PollExport { id: String::new() }
            .answered(PrivacyDone::Export(Ok(running(50)))),
    );
    assert_eq!(polls(&h.sent()), 1);
    assert!(h.render(120, 40).contains("50%"));
    let mut ready = running(100);
    ready.status = ExportStatus::Ready;
    h.respond(
        PrivacyRequest::PollExport { id: String::new() }.answered(PrivacyDone::Export(Ok(ready))),
    );
    assert_eq!(polls(&h.sent()), 0, "no poll once ready");
    assert!(
        h.app.screens().privacy().takes_typing(),
        "the path is asked for"
    );
}

#[test]
fn a_settings_load_that_could_not_reach_the_server_is_tried_again() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('5'));
    h.sent();
    h.respond(
        NotificationsRequest::LoadSettings.answered(NotificationsDone::Settings(Err(
            acctl_client::ApiError::Unreachable {
                server: "http://127.0.0.1:9".into(),
                reason: "refused".into(),
            },
        ))),
    );
    let due = h.app.retry_deadline().expect("a retry is scheduled");
    h.app.retry_due(due + std::time::Duration::from_secs(1));
    let sent = h.sent();
    assert!(
        sent.iter().any(|r| matches!(
            r,
            Request::Notifications(NotificationsRequest::LoadSettings)
        )),
        "{sent:?}"
    );
}
