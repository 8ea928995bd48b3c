//! What both benches build: the console holding the big data set of issue 7.
//! (A folder, not `benches/common.rs`, so cargo does not take it for a bench.)

use acctl::action::{AccountRequest, Action, Request, ScreenId, SecurityDone, SecurityRequest};
use acctl::app::testing::{Harness, fake_account, fake_security_events, fixed_now};
use acctl_api::{MfaStatus, Page};
use crossterm::event::KeyCode;

/// Sessions in the big data set.
pub const SESSIONS: usize = 10_000;
/// Security events in the big data set.
pub const EVENTS: usize = 100_000;
/// Events per page, as the console asks for them (the worker's limit).
const PAGE: usize = 50;

/// Opens Security → Security log and loads `events` events the way the
/// console pages them: the first page answers the log's own request; then,
/// page after page, End takes the selection to the last loaded row, the log
/// asks for the next page with the cursor it was given, and that page is the
/// answer (`Response::SecurityEvents`, 50 events, through `App::update`).
/// Ends with the whole log loaded and the first event selected (Home).
pub fn open_security_log(h: &mut Harness, events: usize) {
    h.app.update(Action::Navigate(ScreenId::Security));
    h.respond(AccountRequest::Load.answered(Ok(fake_account(fixed_now()))));
    h.respond(
        SecurityRequest::LoadMfaStatus.answered(SecurityDone::MfaStatus(Ok(MfaStatus {
            totp_enabled: false,
            totp_pending: false,
            recovery_codes_remaining: 0,
        }))),
    );
    h.sent();
    // The log is the fifth entry of the Security menu.
    for _ in 0..4 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    let mut cursor = log_request(h);
    assert_eq!(cursor, None, "opening the log asks for its first page");
    loop {
        let from = cursor.as_deref().map_or(0, |c| {
            c.parse::<usize>()
                .expect("a cursor this function handed out")
        });
        let n = PAGE.min(events - from);
        let next = (from + n < events).then(|| (from + n).to_string());
        h.respond(SecurityRequest::LoadEvents { cursor, kind: None }.answered(
            SecurityDone::Events(Ok(Page {
                items: fake_security_events(from, n, fixed_now()),
                next_cursor: next.clone(),
            })),
        ));
        if next.is_none() {
            break;
        }
        h.press(KeyCode::End);
        cursor = log_request(h);
        assert_eq!(cursor, next, "the end of the list asks for the next page");
    }
    h.press(KeyCode::Home);
    let log = &h.app.screens().security().log.events.items;
    let loaded = log.value().map_or(0, Vec::len);
    assert_eq!(loaded, events, "the whole log is loaded");
    assert!(h.sent().is_empty(), "nothing more is asked for");
}

/// The cursor of the one log page asked for since the last look.
fn log_request(h: &mut Harness) -> Option<String> {
    let sent = h.sent();
    let cursors: Vec<_> = sent
        .iter()
        .filter_map(|r| match r {
            Request::Security(SecurityRequest::LoadEvents { cursor, kind: None }) => {
                Some(cursor.clone())
            }
            _ => None,
        })
        .collect();
    match cursors.as_slice() {
        [one] => one.clone(),
        _ => panic!("expected one request for a page of the log: {sent:?}"),
    }
}
