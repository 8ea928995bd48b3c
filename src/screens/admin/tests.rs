//! The Admin screen's state: the debounced search, paging, opening.

use acctl_api::Page;
use acctl_api::admin::{AccountStatus, AdminUser};
use crossterm::event::KeyCode;

use super::*;
use crate::app::testing::{fixed_now, key};
use crate::keymap::{self, Keymap};

fn keymap() -> Keymap {
    keymap::load("default", None).0
}

pub fn user(i: usize) -> AdminUser {
    AdminUser {
        id: format!("usr_{i}"),
        email: format!("user{i}@example.com"),
        name: format!("User {i}"),
        status: AccountStatus::Active,
        mfa_enabled: i.is_multiple_of(2),
        admin: false,
        last_sign_in_at: None,
        created_at: fixed_now(),
    }
}

fn page(n: usize, next: Option<&str>) -> Result<Page<AdminUser>, acctl_client::ApiError> {
    Ok(Page {
        items: (0..n).map(user).collect(),
        next_cursor: next.map(str::to_string),
    })
}

/// Sends what the screen asks for back to it, as the app does.
fn sent(screen: &mut AdminScreen, action: Option<Action>) -> Option<AdminRequest> {
    let Some(Action::Request(Request::Admin(r))) = action else {
        return None;
    };
    screen.update(&Action::Request(Request::Admin(r.clone())));
    Some(r)
}

/// A key, and the request it sends (seen by the screen as sent).
fn press(screen: &mut AdminScreen, keys: &Keymap, code: KeyCode) -> Option<AdminRequest> {
    let action = screen.handle_key(key(code), keys);
    sent(screen, action)
}

fn answer(screen: &mut AdminScreen, request: AdminRequest, done: AdminDone) -> Vec<Action> {
    screen.update(&Action::Response(request.answered(done)))
}

#[test]
fn typing_waits_for_a_pause_and_only_the_last_one_searches() {
    let keys = keymap();
    let mut s = AdminScreen::default();
    let first = s.on_enter();
    assert!(matches!(
        first.as_slice(),
        [Action::Request(Request::Admin(AdminRequest::Users { query, cursor: None }))] if query.is_empty()
    ));
    s.handle_key(key(KeyCode::Char('f')), &keys);
    assert!(s.is_typing() && s.takes_typing());
    let mut pauses = Vec::new();
    for c in "ana".chars() {
        let action = s.handle_key(key(KeyCode::Char(c)), &keys);
        match sent(&mut s, action) {
            Some(pause @ AdminRequest::Pause { .. }) => pauses.push(pause),
            other => panic!("a key sends a pause, not {other:?}"),
        }
    }
    // The first two pauses end after a later key: nothing is sent.
    for pause in &pauses[..2] {
        assert!(answer(&mut s, pause.clone(), AdminDone::Paused).is_empty());
    }
    let last = answer(&mut s, pauses[2].clone(), AdminDone::Paused);
    assert!(matches!(
        last.as_slice(),
        [Action::Request(Request::Admin(AdminRequest::Users { query, cursor: None }))] if query == "ana"
    ));
    assert_eq!(s.query(), Some("ana"));
}

#[test]
fn an_answer_for_an_older_query_is_not_shown() {
    let keys = keymap();
    let mut s = AdminScreen::default();
    s.handle_key(key(KeyCode::Char('f')), &keys);
    s.handle_key(key(KeyCode::Char('a')), &keys);
    let a = press(&mut s, &keys, KeyCode::Enter);
    // Enter searched at once (no pause) and left the box.
    let a = a.expect("Enter searches now");
    assert!(!s.is_typing());
    s.handle_key(key(KeyCode::Char('f')), &keys);
    s.handle_key(key(KeyCode::Char('n')), &keys);
    let an = press(&mut s, &keys, KeyCode::Enter).expect("searches");
    answer(&mut s, a, AdminDone::Users(page(5, None)));
    assert!(
        s.users.items.value().is_none(),
        "the answer for \"a\" is dropped"
    );
    answer(&mut s, an, AdminDone::Users(page(2, None)));
    assert_eq!(s.users.items.value().map(Vec::len), Some(2));
    assert_eq!(s.search_text(), "an", "what was typed stays");
}

#[test]
fn the_next_page_is_asked_near_the_end_and_enter_opens_an_account() {
    let keys = keymap();
    let mut s = AdminScreen::default();
    let first = s.on_enter().into_iter().next();
    let first = sent(&mut s, first).expect("the first page");
    answer(&mut s, first, AdminDone::Users(page(12, Some("c1"))));
    let mut next = None;
    for _ in 0..11 {
        next = next.or(press(&mut s, &keys, KeyCode::Down));
    }
    assert!(
        matches!(&next, Some(AdminRequest::Users { cursor: Some(c), .. }) if c == "c1"),
        "{next:?}"
    );
    let Some(Action::Batch(load)) = s.handle_key(key(KeyCode::Enter), &keys) else {
        panic!("Enter loads the account");
    };
    assert_eq!(load.len(), 3, "details, sessions and the security log");
    let opened = s.opened.as_ref().expect("opened");
    assert_eq!(opened.id, "usr_11");
    s.handle_key(key(KeyCode::Esc), &keys);
    assert!(s.opened.is_none(), "Esc goes back to the list");
    assert_eq!(s.users.table.selected(), Some(11), "where it was");
}
