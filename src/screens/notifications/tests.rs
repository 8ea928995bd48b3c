use crate::action::{NotificationsDone, NotificationsRequest};
use acctl_api::notifications::{
    LOCKED_REASON, Notification, NotificationCategory as Cat, NotificationChannel as Ch,
    NotificationSettings, UnreadCount,
};
use acctl_api::{ErrorCode, Page, Problem};
use crossterm::event::KeyCode;

use super::*;
use crate::app::testing::{fake_notification_settings, fake_notifications, fixed_now, key};
use crate::keymap::default_keymap;
use acctl_client::ApiError;

fn settings() -> NotificationSettings {
    fake_notification_settings()
}

fn messages(from: usize, n: usize) -> Vec<Notification> {
    fake_notifications(from, n, fixed_now())
}

fn respond(s: &mut NotificationsScreen, answer: Response) {
    s.update(&Action::Response(answer));
}

/// Presses `code`; requests it makes go out (the app forwards them).
fn press(s: &mut NotificationsScreen, code: KeyCode) -> Vec<NotificationsRequest> {
    let action = s.handle_key(key(code), &default_keymap());
    let mut sent = Vec::new();
    let mut actions: Vec<Action> = action.into_iter().collect();
    while let Some(a) = actions.pop() {
        match a {
            Action::Batch(more) => actions.extend(more),
            Action::Request(Request::Notifications(r)) => {
                s.update(&Action::Request(Request::Notifications(r.clone())));
                sent.push(r);
            }
            _ => {}
        }
    }
    sent
}

fn inbox_page(items: Vec<Notification>, next: Option<&str>, cursor: Option<&str>) -> Response {
    NotificationsRequest::LoadInbox {
        cursor: cursor.map(str::to_string),
        unread: false,
    }
    .answered(NotificationsDone::Inbox(Ok(Page {
        items,
        next_cursor: next.map(str::to_string),
    })))
}

pub fn loaded() -> NotificationsScreen {
    let mut s = NotificationsScreen::default();
    for a in s.on_enter() {
        s.update(&a);
    }
    assert!(s.grid.settings.is_loading() && s.inbox.pages.items.is_loading());
    respond(
        &mut s,
        NotificationsRequest::LoadSettings.answered(NotificationsDone::Settings(Ok(settings()))),
    );
    respond(&mut s, inbox_page(messages(0, 40), Some("c40"), None));
    s
}

fn locked_error() -> ApiError {
    let problem = Problem::new(ErrorCode::ValidationFailed, "That setting is locked")
        .with_field("security.email", LOCKED_REASON);
    ApiError::Problem {
        problem: Box::new(problem),
    }
}

#[test]
fn arrows_and_hjkl_move_in_the_grid_and_stop_at_its_edges() {
    let mut s = loaded();
    assert_eq!(s.grid.focused(), (Cat::Security, Ch::Email));
    press(&mut s, KeyCode::Char('l'));
    press(&mut s, KeyCode::Right);
    press(&mut s, KeyCode::Char('j'));
    assert_eq!(s.grid.focused(), (Cat::Account, Ch::Sms));
    for _ in 0..9 {
        press(&mut s, KeyCode::Right);
        press(&mut s, KeyCode::Down);
    }
    assert_eq!(s.grid.focused(), (Cat::Marketing, Ch::InApp));
    press(&mut s, KeyCode::Char('h'));
    press(&mut s, KeyCode::Up);
    assert_eq!(s.grid.focused(), (Cat::Product, Ch::Sms));
}

#[test]
fn space_sends_one_cell_which_shows_pending_until_the_answer() {
    let mut s = loaded();
    press(&mut s, KeyCode::Right);
    let sent = press(&mut s, KeyCode::Char(' '));
    assert!(matches!(
        sent.as_slice(),
        [NotificationsRequest::Set {
            category: Cat::Security,
            channel: Ch::Push,
            enabled: false
        }]
    ));
    let cell = (Cat::Security, Ch::Push);
    assert!(s.grid.is_pending(cell));
    assert_eq!(
        s.grid.shown(cell),
        Some(false),
        "the new value shows at once"
    );
    assert!(
        press(&mut s, KeyCode::Char(' ')).is_empty(),
        "not sent twice"
    );
    let mut after = settings();
    if let Some(c) = after
        .settings
        .iter_mut()
        .find(|c| (c.category, c.channel) == cell)
    {
        c.enabled = false;
    }
    respond(
        &mut s,
        NotificationsRequest::Set {
            category: Cat::Security,
            channel: Ch::Push,
            enabled: false,
        }
        .answered(NotificationsDone::Set(Ok(after))),
    );
    assert!(!s.grid.is_pending(cell));
    assert_eq!(s.grid.shown(cell), Some(false));
}

#[test]
fn the_locked_cell_says_why_instead_of_sending() {
    let mut s = loaded();
    assert!(press(&mut s, KeyCode::Char(' ')).is_empty());
    match &s.grid.note {
        Some(Note::Info(text)) => assert!(text.contains(LOCKED_REASON), "{text}"),
        other => panic!("expected the reason, got {other:?}"),
    }
    assert_eq!(s.grid.shown((Cat::Security, Ch::Email)), Some(true));
}

#[test]
fn a_refused_toggle_is_put_back_with_the_reason() {
    let mut s = loaded();
    press(&mut s, KeyCode::Down);
    let cell = (Cat::Account, Ch::Email);
    press(&mut s, KeyCode::Char(' '));
    assert_eq!(s.grid.shown(cell), Some(false));
    respond(
        &mut s,
        NotificationsRequest::Set {
            category: Cat::Account,
            channel: Ch::Email,
            enabled: false,
        }
        .answered(NotificationsDone::Set(Err(locked_error()))),
    );
    assert_eq!(s.grid.shown(cell), Some(true), "back as the server has it");
    match &s.grid.note {
        Some(Note::Error(text)) => {
            assert!(
                text.starts_with("Not saved; Account by Email is still on."),
                "{text}"
            );
            assert!(text.ends_with("That setting is locked."), "{text}");
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn enter_opens_a_message_and_marks_it_read_once() {
    let mut s = loaded();
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.pane, Pane::Inbox);
    let sent = press(&mut s, KeyCode::Enter);
    assert!(matches!(sent.as_slice(), [NotificationsRequest::MarkRead { id }] if id == "n_0"));
    assert_eq!(s.inbox.opened().map(|n| n.id.as_str()), Some("n_0"));
    let mut read = messages(0, 1).remove(0);
    read.read_at = Some(fixed_now());
    respond(
        &mut s,
        NotificationsRequest::MarkRead { id: "n_0".into() }
            .answered(NotificationsDone::MarkedRead(Ok(read))),
    );
    assert!(s.inbox.opened().is_some_and(|n| n.read_at.is_some()));
    press(&mut s, KeyCode::Esc);
    assert!(s.inbox.opened().is_none(), "Esc closes the message");
    press(&mut s, KeyCode::Down);
    let sent = press(&mut s, KeyCode::Enter);
    assert!(sent.is_empty(), "n_1 was read already: nothing to mark");
}

#[test]
fn mark_all_read_then_the_inbox_loads_again() {
    let mut s = loaded();
    let sent = press(&mut s, KeyCode::Char('m'));
    assert!(matches!(
        sent.as_slice(),
        [NotificationsRequest::MarkAllRead]
    ));
    let follow = s.update(&Action::Response(
        NotificationsRequest::MarkAllRead.answered(NotificationsDone::MarkedAllRead(Ok(
            UnreadCount { unread: 0 },
        ))),
    ));
    assert!(matches!(
        follow.as_slice(),
        [
            Action::Request(Request::Notifications(NotificationsRequest::LoadInbox {
                cursor: None,
                unread: false
            })),
            Action::Toast(_)
        ]
    ));
}

#[test]
fn unread_only_asks_for_a_new_list_and_drops_answers_for_the_old_one() {
    let mut s = loaded();
    let sent = press(&mut s, KeyCode::Char('f'));
    assert!(matches!(
        sent.as_slice(),
        [NotificationsRequest::LoadInbox {
            cursor: None,
            unread: true
        }]
    ));
    assert!(s.inbox.unread_only && s.inbox.pages.items.value().is_none());
    respond(&mut s, inbox_page(messages(0, 3), None, None));
    assert!(
        s.inbox.pages.items.value().is_none(),
        "an answer for 'all' is not shown"
    );
    respond(
        &mut s,
        NotificationsRequest::LoadInbox {
            cursor: None,
            unread: true,
        }
        .answered(NotificationsDone::Inbox(Ok(Page {
            items: messages(0, 1),
            next_cursor: None,
        }))),
    );
    assert_eq!(s.inbox.pages.items.value().map(Vec::len), Some(1));
}

#[test]
fn older_pages_load_as_the_selection_nears_the_end() {
    let mut s = loaded();
    press(&mut s, KeyCode::Tab);
    for _ in 0..20 {
        assert!(press(&mut s, KeyCode::Down).is_empty());
    }
    let mut asked = Vec::new();
    for _ in 0..15 {
        asked.extend(press(&mut s, KeyCode::Down));
    }
    assert!(
        matches!(
            asked.as_slice(),
            [NotificationsRequest::LoadInbox { cursor: Some(c), unread: false }] if c == "c40"
        ),
        "{asked:?}"
    );
    respond(&mut s, inbox_page(messages(40, 5), None, Some("c40")));
    assert_eq!(s.inbox.pages.items.value().map(Vec::len), Some(45));
    assert!(!s.inbox.pages.has_more());
}
