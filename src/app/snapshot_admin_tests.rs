//! What the Admin screen looks like in each of its states, at 80x24 and
//! 120x40, with a fixed clock and the mono theme (no colour, as NO_COLOR).

use crossterm::event::KeyCode;

use super::testing::Harness;
use super::testing::admin::{listed, opened, signed_in};
use crate::action::{AdminDone, AdminRequest, Request, ScreenId};
use acctl_api::Page;
use acctl_client::ApiError;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, h: &Harness) {
    for (w, ht) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{ht}"), h.render(w, ht));
    }
}

fn search(query: &str) -> AdminRequest {
    AdminRequest::Users {
        query: query.into(),
        cursor: None,
    }
}

#[test]
fn admin_is_not_there_for_an_account_that_is_not_an_administrator() {
    let mut h = signed_in(false);
    let screen = h.render(80, 24);
    assert!(!screen.contains("Admin"), "{screen}");
    h.press(KeyCode::Char('?'));
    let help = h.render(80, 60);
    assert!(!help.contains("Admin"), "{help}");
    h.press(KeyCode::Esc);
    h.press(KeyCode::Char('8'));
    assert_eq!(h.app.screen(), ScreenId::Overview);
    let text = h.render(80, 24);
    assert!(text.contains("this account is not one"), "{text}");
    // An administrator sees it in the sidebar, the help and on its key.
    let mut h = signed_in(true);
    assert!(h.render(80, 24).contains(" 8 Admin"));
    h.press(KeyCode::Char('?'));
    assert!(h.render(80, 60).contains("Admin"));
    h.press(KeyCode::Esc);
    h.press(KeyCode::Char('8'));
    assert_eq!(h.app.screen(), ScreenId::Admin);
}

#[test]
fn admin_loading_results_and_more() {
    let mut h = signed_in(true);
    h.press(KeyCode::Char('8'));
    let sent = h.sent();
    assert!(
        sent.iter().any(
            |r| matches!(r, Request::Admin(AdminRequest::Users { query, .. }) if query.is_empty())
        ),
        "{sent:?}"
    );
    snap("admin_loading", &h);
    snap("admin_results", &listed(4));
    snap("admin_results_more", &listed(60));
}

#[test]
fn admin_typing_filters_after_a_pause() {
    let mut h = listed(4);
    h.press(KeyCode::Char('f'));
    h.type_text("ana");
    let pauses: Vec<AdminRequest> = h
        .sent()
        .into_iter()
        .filter_map(|r| match r {
            Request::Admin(p @ AdminRequest::Pause { .. }) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(pauses.len(), 3, "one pause a key, no search yet");
    snap("admin_typing", &h);
    for p in pauses {
        h.respond(p.answered(AdminDone::Paused));
    }
    let searches: Vec<Request> = h.sent();
    assert!(
        matches!(searches.as_slice(), [Request::Admin(AdminRequest::Users { query, .. })] if query == "ana"),
        "one search, for the last text: {searches:?}"
    );
    snap("admin_searching", &h);
    let items = super::testing::admin::users(1);
    h.respond(search("ana").answered(AdminDone::Users(Ok(Page {
        items,
        next_cursor: None,
    }))));
    snap("admin_typing_results", &h);
    h.press(KeyCode::Enter);
    assert!(!h.app.screens().admin().is_typing());
    snap("admin_filtered", &h);
}

#[test]
fn admin_empty_and_failed() {
    let mut h = listed(4);
    h.press(KeyCode::Char('f'));
    h.type_text("zz");
    h.press(KeyCode::Enter);
    h.respond(search("zz").answered(AdminDone::Users(Ok(Page {
        items: Vec::new(),
        next_cursor: None,
    }))));
    snap("admin_empty", &h);

    let mut h = signed_in(true);
    h.press(KeyCode::Char('8'));
    let problem =
        acctl_api::Problem::new(acctl_api::ErrorCode::AdminRequired, "Administrators only");
    let forbidden = ApiError::Problem {
        problem: Box::new(problem),
    };
    h.respond(search("").answered(AdminDone::Users(Err(forbidden))));
    snap("admin_failed", &h);
}

#[test]
fn admin_opened_account() {
    let mut h = listed(4);
    h.press(KeyCode::Enter);
    snap("admin_detail_loading", &h);
    let mut h = opened();
    snap("admin_detail", &h);
    for _ in 0..30 {
        h.press(KeyCode::Down);
    }
    snap("admin_detail_scrolled", &h);
    h.press(KeyCode::Esc);
    assert!(h.app.screens().admin().opened.is_none());
}
