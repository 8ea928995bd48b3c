use acctl_api::privacy::{
    DataExport, DeletionStatus, ExportStatus, PrivacySettings, ProfileVisibility,
};
use acctl_api::{ErrorCode, Page, Problem};
use chrono::Duration;
use crossterm::event::KeyCode;

use super::*;
use crate::action::{PrivacyDone, Response};
use crate::app::testing::{fake_deletion, fake_export, fake_privacy, fixed_now, key};
use crate::keymap::default_keymap;
use acctl_client::{ApiError, Progress};

fn privacy() -> PrivacySettings {
    fake_privacy()
}

fn export(status: ExportStatus, percent: u8) -> DataExport {
    fake_export(status, percent, fixed_now())
}

fn not_scheduled() -> DeletionStatus {
    fake_deletion(false, fixed_now())
}

/// Gives the screen an answer; the requests that follow from it.
fn respond(s: &mut PrivacyScreen, done: PrivacyDone) -> Vec<Request> {
    let out = s.update(&Action::Response(Response::Privacy(done)));
    out.into_iter()
        .filter_map(|a| match a {
            Action::Request(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// What a key led to: the requests sent (as the app forwards them) and
/// any other action.
fn press(s: &mut PrivacyScreen, code: KeyCode) -> (Vec<PrivacyRequest>, Vec<Action>) {
    let action = s.handle_key(key(code), &default_keymap());
    let (mut sent, mut other) = (Vec::new(), Vec::new());
    let mut actions: Vec<Action> = action.into_iter().collect();
    while let Some(a) = actions.pop() {
        match a {
            Action::Batch(more) => actions.extend(more),
            Action::Request(Request::Privacy(r)) => {
                s.update(&Action::Request(Request::Privacy(r.clone())));
                sent.push(r);
            }
            a => other.push(a),
        }
    }
    (sent, other)
}

fn type_text(s: &mut PrivacyScreen, text: &str) {
    for c in text.chars() {
        press(s, KeyCode::Char(c));
    }
}

fn loaded() -> PrivacyScreen {
    let mut s = PrivacyScreen::default();
    let enter = s.on_enter();
    assert_eq!(enter.len(), 3, "settings, exports, deletion");
    for a in &enter {
        s.update(a);
    }
    respond(&mut s, PrivacyDone::Settings(Ok(privacy())));
    respond(
        &mut s,
        PrivacyDone::Exports(Ok(Page {
            items: vec![],
            next_cursor: None,
        })),
    );
    respond(&mut s, PrivacyDone::Deletion(Ok(not_scheduled())));
    s
}

fn field_errors(fields: &[(&str, &str)]) -> ApiError {
    let mut problem = Problem::new(ErrorCode::ValidationFailed, "Check the form");
    for (name, message) in fields {
        problem = problem.with_field(name, *message);
    }
    ApiError::Problem {
        problem: Box::new(problem),
    }
}

#[test]
fn a_switch_is_sent_at_once_and_put_back_on_failure() {
    let mut s = loaded();
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Down);
    let (sent, _) = press(&mut s, KeyCode::Char(' '));
    let [PrivacyRequest::Save(patch)] = sent.as_slice() else {
        panic!("expected one save, got {sent:?}");
    };
    assert_eq!(patch.analytics, Some(false));
    assert_eq!(patch.data_sharing, None, "only the field changed");
    assert_eq!(s.settings.shown().map(|p| p.analytics), Some(false));
    assert!(s.settings.is_pending("analytics"));
    respond(
        &mut s,
        PrivacyDone::Saved {
            patch: patch.clone(),
            result: Err(ApiError::Unreachable {
                server: "x".into(),
                reason: "refused".into(),
            }),
        },
    );
    assert_eq!(
        s.settings.shown().map(|p| p.analytics),
        Some(true),
        "put back"
    );
    let note = s.settings.note.clone().unwrap_or_default();
    assert!(note.starts_with("Could not change analytics"), "{note}");
}

#[test]
fn visibility_is_chosen_from_a_list_that_explains_each_choice() {
    let mut s = loaded();
    press(&mut s, KeyCode::Enter);
    assert!(s.settings.picker.is_some() && s.takes_typing());
    press(&mut s, KeyCode::Down);
    let (sent, _) = press(&mut s, KeyCode::Enter);
    let [PrivacyRequest::Save(patch)] = sent.as_slice() else {
        panic!("expected one save, got {sent:?}");
    };
    assert_eq!(patch.profile_visibility, Some(ProfileVisibility::Contacts));
    let mut after = privacy();
    after.profile_visibility = ProfileVisibility::Contacts;
    respond(
        &mut s,
        PrivacyDone::Saved {
            patch: patch.clone(),
            result: Ok(after),
        },
    );
    assert_eq!(
        s.settings.shown().map(|p| p.profile_visibility),
        Some(ProfileVisibility::Contacts)
    );
}

fn to_export_row(s: &mut PrivacyScreen) {
    for _ in 0..4 {
        press(s, KeyCode::Down);
    }
    assert_eq!(s.selected(), Row::Export);
}

#[test]
fn an_export_is_followed_until_ready_then_saved_where_asked() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut s = loaded();
    s.export.dir = dir.path().to_path_buf();
    to_export_row(&mut s);
    let (sent, _) = press(&mut s, KeyCode::Enter);
    assert!(matches!(sent.as_slice(), [PrivacyRequest::StartExport]));
    let polls = respond(
        &mut s,
        PrivacyDone::ExportStarted(Ok(export(ExportStatus::Running, 0))),
    );
    assert!(matches!(s.export.state, ExportState::Running(_)));
    assert!(
        matches!(polls.as_slice(), [Request::Privacy(PrivacyRequest::PollExport { id })] if id == "exp_1")
    );
    let polls = respond(
        &mut s,
        PrivacyDone::Export(Ok(export(ExportStatus::Running, 40))),
    );
    assert!(matches!(&s.export.state, ExportState::Running(e) if e.progress_percent == 40));
    assert_eq!(
        polls.len(),
        1,
        "polled again while running, once per answer"
    );
    let polls = respond(
        &mut s,
        PrivacyDone::Export(Ok(export(ExportStatus::Ready, 100))),
    );
    assert!(polls.is_empty(), "no more polls once ready");
    let ExportState::Choosing { form, .. } = &s.export.state else {
        panic!("the path is asked for once ready: {:?}", s.export.state);
    };
    let expected = dir.path().join("acctl-export-2025-03-01.json");
    assert_eq!(form.value(export::PATH), expected.display().to_string());
    let (sent, _) = press(&mut s, KeyCode::Enter);
    assert!(matches!(
        sent.as_slice(),
        [PrivacyRequest::Download { path, replace: false, .. }] if *path == expected
    ));
    s.update(&Action::DownloadProgress(Progress {
        received: 10_240,
        total: Some(40_960),
    }));
    assert!(matches!(
        &s.export.state,
        ExportState::Downloading { progress: Some(p), .. } if p.percent() == Some(25)
    ));
    respond(
        &mut s,
        PrivacyDone::Downloaded {
            path: expected.clone(),
            result: Ok(40_960),
        },
    );
    assert!(
        matches!(&s.export.state, ExportState::Done { path, bytes: 40_960 } if *path == expected)
    );
}

#[test]
fn an_existing_file_is_replaced_only_if_confirmed() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let taken = dir.path().join("acctl-export-2025-03-01.json");
    std::fs::write(&taken, "mine").expect("writes");
    let mut s = loaded();
    s.export.dir = dir.path().to_path_buf();
    respond(
        &mut s,
        PrivacyDone::Exports(Ok(Page {
            items: vec![export(ExportStatus::Ready, 100)],
            next_cursor: None,
        })),
    );
    assert!(
        matches!(s.export.state, ExportState::Ready(_)),
        "a ready export is offered"
    );
    to_export_row(&mut s);
    press(&mut s, KeyCode::Enter);
    let (sent, other) = press(&mut s, KeyCode::Enter);
    assert!(sent.is_empty(), "nothing downloads before the answer");
    assert!(matches!(
        other.as_slice(),
        [Action::Confirm {
            on_confirm: Request::Privacy(PrivacyRequest::Download { replace: true, .. }),
            ..
        }]
    ));
    assert_eq!(
        std::fs::read_to_string(&taken).ok().as_deref(),
        Some("mine")
    );
}

#[test]
fn a_failed_download_keeps_the_path_and_says_why_on_it() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut s = loaded();
    s.export.dir = dir.path().to_path_buf();
    respond(
        &mut s,
        PrivacyDone::ExportStarted(Ok(export(ExportStatus::Ready, 100))),
    );
    press(&mut s, KeyCode::Backspace);
    type_text(&mut s, "x");
    let (sent, _) = press(&mut s, KeyCode::Enter);
    let [PrivacyRequest::Download { path, .. }] = sent.as_slice() else {
        panic!("expected a download, got {sent:?}");
    };
    let path = path.clone();
    respond(
        &mut s,
        PrivacyDone::Downloaded {
            path: path.clone(),
            result: Err(ApiError::Unreachable {
                server: "x".into(),
                reason: "refused".into(),
            }),
        },
    );
    let ExportState::Choosing { form, .. } = &s.export.state else {
        panic!("back to the form: {:?}", s.export.state);
    };
    assert!(form.value(export::PATH).ends_with(".jsox"));
    assert!(form.error(export::PATH).is_some());
}

#[test]
fn a_failed_export_says_so_and_enter_starts_again() {
    let mut s = loaded();
    to_export_row(&mut s);
    press(&mut s, KeyCode::Enter);
    respond(
        &mut s,
        PrivacyDone::ExportStarted(Ok(export(ExportStatus::Running, 10))),
    );
    respond(
        &mut s,
        PrivacyDone::Export(Ok(export(ExportStatus::Failed, 10))),
    );
    assert!(matches!(&s.export.state, ExportState::Failed(why) if why.contains("failed")));
    let (sent, _) = press(&mut s, KeyCode::Enter);
    assert!(matches!(sent.as_slice(), [PrivacyRequest::StartExport]));
}

fn open_deletion(s: &mut PrivacyScreen) {
    for _ in 0..5 {
        press(s, KeyCode::Down);
    }
    press(s, KeyCode::Enter);
    assert!(s.is_deleting());
}

#[test]
fn deletion_checks_the_form_first_then_asks_once_more() {
    let mut s = loaded();
    open_deletion(&mut s);
    type_text(&mut s, "hunter22");
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "delete");
    let (sent, other) = press(&mut s, KeyCode::Enter);
    assert!(sent.is_empty() && other.is_empty());
    assert!(s.deletion.form.error(deletion::CONFIRMATION).is_some());
    assert_eq!(
        s.deletion.form.value(deletion::PASSWORD),
        "hunter22",
        "nothing lost"
    );
    for _ in 0..6 {
        press(&mut s, KeyCode::Backspace);
    }
    type_text(&mut s, "DELETE");
    let (_, other) = press(&mut s, KeyCode::Enter);
    let [Action::Confirm { on_confirm, dialog }] = other.as_slice() else {
        panic!("expected a confirmation, got {other:?}");
    };
    assert!(dialog.body.iter().any(|l| l.contains("14 days")));
    assert!(
        dialog
            .body
            .iter()
            .any(|l| l == "Your other devices stay signed in."),
        "{:?}",
        dialog.body
    );
    assert!(matches!(
        on_confirm,
        Request::Privacy(PrivacyRequest::ScheduleDeletion { confirmation, sign_out_others: false, .. }) if confirmation == "DELETE"
    ));
}

#[test]
fn other_devices_are_signed_out_only_when_ticked_and_the_dialog_says_so() {
    let mut s = loaded();
    open_deletion(&mut s);
    type_text(&mut s, "hunter22");
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "DELETE");
    press(&mut s, KeyCode::Tab);
    assert!(s.deletion.on_checkbox());
    assert!(!s.deletion.sign_out_others, "off by default");
    press(&mut s, KeyCode::Char(' '));
    assert!(s.deletion.sign_out_others);
    assert_eq!(s.deletion.form.value(deletion::CONFIRMATION), "DELETE");
    let (_, other) = press(&mut s, KeyCode::Enter);
    let [Action::Confirm { on_confirm, dialog }] = other.as_slice() else {
        panic!("expected a confirmation, got {other:?}");
    };
    assert!(
        dialog
            .body
            .iter()
            .any(|l| l.contains("Every other device") && l.contains("does not sign them back in")),
        "{:?}",
        dialog.body
    );
    assert!(matches!(
        on_confirm,
        Request::Privacy(PrivacyRequest::ScheduleDeletion {
            sign_out_others: true,
            ..
        })
    ));
}

#[test]
fn server_field_errors_land_on_their_fields_and_keep_the_input() {
    let mut s = loaded();
    open_deletion(&mut s);
    type_text(&mut s, "wrong");
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "DELETE");
    let (_, other) = press(&mut s, KeyCode::Enter);
    let Some(Action::Confirm { on_confirm, .. }) = other.into_iter().next() else {
        panic!("expected a confirmation");
    };
    s.update(&Action::Request(on_confirm));
    assert!(s.deletion.busy);
    respond(
        &mut s,
        PrivacyDone::DeletionScheduled(Err(field_errors(&[(
            "password",
            "That is not your password",
        )]))),
    );
    assert!(!s.deletion.busy);
    assert_eq!(
        s.deletion.form.error(deletion::PASSWORD),
        Some("That is not your password.")
    );
    assert_eq!(s.deletion.form.value(deletion::PASSWORD), "wrong");
    assert_eq!(s.deletion.form.value(deletion::CONFIRMATION), "DELETE");
}

#[test]
fn once_scheduled_the_page_shows_the_date_and_cancels_after_asking() {
    let mut s = loaded();
    open_deletion(&mut s);
    let scheduled = DeletionStatus {
        scheduled_for: Some(fixed_now() + Duration::days(14)),
        requested_at: Some(fixed_now()),
        grace_days: 14,
    };
    respond(&mut s, PrivacyDone::DeletionScheduled(Ok(scheduled)));
    assert!(s.deletion.scheduled().is_some() && !s.takes_typing());
    assert_eq!(
        s.deletion.form.value(deletion::PASSWORD),
        "",
        "the password is not kept"
    );
    let (_, other) = press(&mut s, KeyCode::Enter);
    assert!(matches!(
        other.as_slice(),
        [Action::Confirm {
            on_confirm: Request::Privacy(PrivacyRequest::CancelDeletion),
            ..
        }]
    ));
    respond(&mut s, PrivacyDone::DeletionCancelled(Ok(())));
    assert!(s.deletion.scheduled().is_none());
    assert!(!s.is_deleting(), "back on the list, not an empty form");
}
