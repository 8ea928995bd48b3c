use crossterm::event::KeyCode;

use super::*;
use crate::action::{SessionsDone, SessionsRequest};
use crate::app::testing::{fake_sessions, fixed_now, key};
use crate::keymap::default_keymap;

fn loaded(n: usize) -> SessionsScreen {
    let mut s = SessionsScreen::default();
    s.update(&Action::Request(Request::Sessions(SessionsRequest::List)));
    let mut list = fake_sessions(n, fixed_now());
    list.reverse();
    s.update(&Action::Response(
        SessionsRequest::List.answered(SessionsDone::List(Ok(list))),
    ));
    s
}

fn press(s: &mut SessionsScreen, code: KeyCode) -> Option<Action> {
    s.handle_key(key(code), &default_keymap())
}

#[test]
fn rows_are_sorted_by_activity_and_the_current_one_is_selected() {
    let s = loaded(4);
    let list = s.sessions.value().expect("loaded");
    assert!(
        list.windows(2)
            .all(|w| w[0].last_active_at >= w[1].last_active_at)
    );
    assert!(s.selected().expect("selected").current);
}

#[test]
fn keys_move_the_selection_within_bounds() {
    let mut s = loaded(30);
    press(&mut s, KeyCode::Char('j'));
    press(&mut s, KeyCode::Down);
    assert_eq!(s.selected().map(|x| x.id.as_str()), Some("ses_2"));
    press(&mut s, KeyCode::Up);
    assert_eq!(s.selected().map(|x| x.id.as_str()), Some("ses_1"));
    press(&mut s, KeyCode::End);
    assert_eq!(s.selected().map(|x| x.id.as_str()), Some("ses_29"));
    press(&mut s, KeyCode::PageDown);
    assert_eq!(s.selected().map(|x| x.id.as_str()), Some("ses_29"));
    press(&mut s, KeyCode::Home);
    press(&mut s, KeyCode::PageUp);
    assert_eq!(s.selected().map(|x| x.id.as_str()), Some("ses_0"));
}

#[test]
fn revoking_the_current_session_is_refused_with_the_way_out() {
    let mut s = loaded(3);
    let action = press(&mut s, KeyCode::Char('d'));
    let Some(Action::Notice(dialog)) = action else {
        panic!("expected a refusal, got {action:?}");
    };
    assert!(dialog.body.join(" ").contains("sign out"), "{dialog:?}");
}

#[test]
fn revoking_another_session_asks_first() {
    let mut s = loaded(3);
    press(&mut s, KeyCode::Down);
    let action = press(&mut s, KeyCode::Delete);
    let Some(Action::Confirm {
        dialog,
        on_confirm: Request::Sessions(SessionsRequest::Revoke { id }),
    }) = action
    else {
        panic!("expected a confirmation, got {action:?}");
    };
    assert_eq!(id, "ses_1");
    assert!(!dialog.confirm_focused, "focus starts on Cancel");
    assert!(dialog.body[0].contains("Safari on iPhone"));
}

#[test]
fn signing_out_the_others_says_how_many() {
    let mut s = loaded(4);
    let action = press(&mut s, KeyCode::Char('O'));
    let Some(Action::Confirm {
        dialog,
        on_confirm: Request::Sessions(SessionsRequest::RevokeOthers),
    }) = action
    else {
        panic!("expected a confirmation, got {action:?}");
    };
    assert!(
        dialog.body[0].contains("Sign out 3 other sessions"),
        "{dialog:?}"
    );
    let mut alone = loaded(1);
    assert!(matches!(
        press(&mut alone, KeyCode::Char('O')),
        Some(Action::Notice(_))
    ));
}

#[test]
fn a_revoked_session_leaves_the_list_and_the_selection_stays_in_range() {
    let mut s = loaded(3);
    press(&mut s, KeyCode::End);
    s.update(&Action::Response(
        SessionsRequest::Revoke { id: "ses_2".into() }.answered(SessionsDone::Revoke(Ok(()))),
    ));
    assert_eq!(s.sessions.value().map(Vec::len), Some(2));
    assert_eq!(s.selected().map(|x| x.id.as_str()), Some("ses_1"));
}
