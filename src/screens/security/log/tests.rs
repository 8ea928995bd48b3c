use crate::action::{SecurityDone, SecurityRequest};
use acctl_api::{Page, SecurityEvent, SecurityEventKind};
use crossterm::event::KeyCode;

use super::*;
use crate::app::testing::{fake_security_events, fixed_now, key};
use crate::keymap::default_keymap;

fn events(from: usize, n: usize) -> Vec<SecurityEvent> {
    fake_security_events(from, n, fixed_now())
}

fn page(items: Vec<SecurityEvent>, next: Option<&str>) -> Result<Page<SecurityEvent>, ApiError> {
    Ok(Page {
        items,
        next_cursor: next.map(str::to_string),
    })
}

fn answer(
    log: &mut SecurityLog,
    cursor: Option<&str>,
    kind: Option<SecurityEventKind>,
    result: Result<Page<SecurityEvent>, ApiError>,
) {
    log.update(&Action::Response(
        SecurityRequest::LoadEvents {
            cursor: cursor.map(str::to_string),
            kind,
        }
        .answered(SecurityDone::Events(result)),
    ));
}

/// Presses `code`; a request it makes goes out (the app forwards it).
fn press(log: &mut SecurityLog, code: KeyCode) -> Option<Action> {
    let action = log.handle_key(key(code), &default_keymap());
    if let Some(a @ Action::Request(_)) = &action {
        log.update(a);
    }
    action
}

fn asked(action: &Option<Action>) -> Option<(Option<String>, Option<SecurityEventKind>)> {
    match action.as_ref()? {
        Action::Request(Request::Security(SecurityRequest::LoadEvents { cursor, kind })) => {
            Some((cursor.clone(), *kind))
        }
        _ => None,
    }
}

/// A log with the first page (20 events, more to come) loaded.
fn loaded() -> SecurityLog {
    let mut log = SecurityLog::default();
    let first = log.on_enter();
    assert_eq!(asked(&first), Some((None, None)));
    if let Some(a) = &first {
        log.update(a);
    }
    assert!(log.events.items.is_loading());
    answer(&mut log, None, None, page(events(0, 20), Some("c20")));
    log
}

#[test]
fn older_pages_load_as_the_selection_nears_the_end() {
    let mut log = loaded();
    assert_eq!(log.events.items.value().map(Vec::len), Some(20));
    // The page height before the first draw is 10 rows.
    for _ in 0..9 {
        assert!(press(&mut log, KeyCode::Down).is_none(), "far from the end");
    }
    let more = press(&mut log, KeyCode::Down);
    assert_eq!(asked(&more), Some((Some("c20".into()), None)));
    assert!(log.events.loading_more);
    assert!(
        press(&mut log, KeyCode::Down).is_none(),
        "one older page at a time"
    );
    answer(&mut log, Some("c20"), None, page(events(20, 20), None));
    assert_eq!(log.events.items.value().map(Vec::len), Some(40));
    assert!(!log.events.has_more());
    press(&mut log, KeyCode::End);
    assert_eq!(log.selected().map(|e| e.id), Some("ev_39".to_string()));
    assert!(
        press(&mut log, KeyCode::Up).is_none(),
        "the whole log is loaded"
    );
}

#[test]
fn an_older_page_that_failed_is_asked_for_again_on_the_next_move() {
    let mut log = loaded();
    assert!(asked(&press(&mut log, KeyCode::End)).is_some());
    let down = acctl_client::ApiError::Unreachable {
        server: "http://127.0.0.1:9".into(),
        reason: "refused".into(),
    };
    answer(&mut log, Some("c20"), None, Err(down));
    assert!(log.events.more_failed.is_some(), "the failure is shown");
    assert_eq!(
        log.events.items.value().map(Vec::len),
        Some(20),
        "nothing lost"
    );
    let again = press(&mut log, KeyCode::Up);
    assert_eq!(asked(&again), Some((Some("c20".into()), None)));
    assert!(log.events.more_failed.is_none());
}

#[test]
fn the_filter_shows_only_the_chosen_kind_from_the_first_page() {
    let mut log = loaded();
    assert!(
        press(&mut log, KeyCode::Char('f')).is_none(),
        "the picker opens"
    );
    for c in "fail".chars() {
        assert!(
            press(&mut log, KeyCode::Char(c)).is_none(),
            "typed in the filter"
        );
    }
    let chosen = press(&mut log, KeyCode::Enter);
    assert_eq!(
        asked(&chosen),
        Some((None, Some(SecurityEventKind::LoginFailed)))
    );
    assert_eq!(log.kind, Some(SecurityEventKind::LoginFailed));
    assert!(
        log.events.items.value().is_none(),
        "no event of all kinds stays"
    );
    assert!(log.events.items.is_loading());
    answer(
        &mut log,
        None,
        Some(SecurityEventKind::LoginFailed),
        page(events(0, 1), None),
    );
    assert_eq!(log.events.items.value().map(Vec::len), Some(1));
    // Back to every kind: the first row of the picker.
    press(&mut log, KeyCode::Char('f'));
    press(&mut log, KeyCode::Home);
    assert_eq!(asked(&press(&mut log, KeyCode::Enter)), Some((None, None)));
}

#[test]
fn an_answer_for_the_previous_filter_is_dropped_and_the_current_one_asked_for() {
    let mut log = loaded();
    // Reloading, then changing the filter before the reload answers: the
    // app sends one load of the log at a time, so the second waits.
    assert!(asked(&press(&mut log, KeyCode::Char('r'))).is_some());
    press(&mut log, KeyCode::Char('f'));
    for c in "revoked".chars() {
        press(&mut log, KeyCode::Char(c));
    }
    // The app holds this back until the reload answers, then sends it.
    let chosen = press(&mut log, KeyCode::Enter);
    let revoked = Some(SecurityEventKind::SessionRevoked);
    assert_eq!(asked(&chosen), Some((None, revoked)));
    answer(&mut log, None, None, page(events(0, 20), None));
    assert!(
        log.events.items.value().is_none(),
        "events of every kind not shown"
    );
    assert!(log.events.items.is_loading());
    answer(&mut log, None, revoked, page(Vec::new(), None));
    assert_eq!(log.events.items.value().map(Vec::len), Some(0));
}

#[test]
fn esc_goes_back_and_other_screens_stay_one_key_away() {
    let mut log = loaded();
    assert!(matches!(
        press(&mut log, KeyCode::Esc),
        Some(Action::Command(Command::Back))
    ));
    assert!(matches!(
        press(&mut log, KeyCode::Char('2')),
        Some(Action::Command(Command::GoSessions))
    ));
    // Esc in the picker closes only the picker.
    press(&mut log, KeyCode::Char('f'));
    assert!(press(&mut log, KeyCode::Esc).is_none());
    assert!(matches!(
        press(&mut log, KeyCode::Esc),
        Some(Action::Command(Command::Back))
    ));
}

#[test]
fn a_change_elsewhere_reloads_the_log_on_entry_and_a_cancel_keeps_what_was_shown() {
    let mut log = loaded();
    assert!(log.on_enter().is_none(), "fresh: not asked again");
    log.mark_stale();
    let again = log.on_enter();
    assert_eq!(asked(&again), Some((None, None)));
    if let Some(a) = &again {
        log.update(a);
    }
    let cancelled = Request::Security(SecurityRequest::LoadEvents {
        cursor: None,
        kind: None,
    });
    log.update(&Action::Cancelled(cancelled));
    assert_eq!(log.events.items.value().map(Vec::len), Some(20));
}

#[test]
fn enter_shows_the_selected_event_in_full_in_the_accounts_time_zone() {
    let mut log = SecurityLog::default();
    log.update(&Action::TimeZone(chrono_tz::Tz::Asia__Tokyo));
    log.on_enter();
    let mut long = events(0, 1);
    long[0].detail =
        Some("a detail far longer than two rows of the table could ever show".repeat(3));
    answer(&mut log, None, None, page(long.clone(), None));
    let Some(Action::Notice(dialog)) = press(&mut log, KeyCode::Enter) else {
        panic!("a notice");
    };
    let body = dialog.body.join("\n");
    assert!(
        body.contains(long[0].detail.as_deref().unwrap_or_default()),
        "{body}"
    );
    assert!(body.contains("JST"), "in the account's zone: {body}");
}
