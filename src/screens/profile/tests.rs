use crate::action::{ProfileDone, ProfileRequest};
use acctl_api::{ErrorCode, Preferences, Problem};
use crossterm::event::KeyCode;

use super::*;
use crate::app::testing::{fake_account, fixed_now, key};
use crate::keymap::default_keymap;

fn prefs() -> Versioned<Preferences> {
    Versioned {
        value: Preferences {
            theme: "system".into(),
            language: "en".into(),
            timezone: "UTC".into(),
        },
        etag: "\"0\"".into(),
    }
}

/// A screen with the profile (version 3) and preferences loaded.
fn screen() -> ProfileScreen {
    let mut s = ProfileScreen::default();
    for action in s.on_enter() {
        if let Action::Request(r) = &action {
            s.update(&Action::Request(r.clone()));
        }
    }
    answer(
        &mut s,
        ProfileRequest::Load.answered(ProfileDone::Loaded(Ok(Versioned {
            value: fake_account(fixed_now()),
            etag: "\"3\"".into(),
        }))),
    );
    answer(
        &mut s,
        ProfileRequest::LoadPreferences.answered(ProfileDone::Preferences(Ok(prefs()))),
    );
    assert!(!s.is_editing(), "it opens moving between fields");
    press(&mut s, KeyCode::Enter);
    assert!(s.is_editing());
    s
}

fn answer(s: &mut ProfileScreen, answer: Response) {
    s.update(&Action::Response(answer));
}

fn press(s: &mut ProfileScreen, code: KeyCode) -> Option<Action> {
    let action = s.handle_key(key(code), &default_keymap());
    if let Some(a @ Action::Request(_)) = &action {
        s.update(a);
    }
    action
}

fn type_text(s: &mut ProfileScreen, text: &str) {
    for c in text.chars() {
        press(s, KeyCode::Char(c));
    }
}

/// Empties the focused field and types `text`.
fn retype(s: &mut ProfileScreen, text: &str) {
    for _ in 0..200 {
        press(s, KeyCode::Backspace);
    }
    type_text(s, text);
}

fn sent_profile(action: Option<Action>) -> Option<ProfileRequest> {
    match action? {
        Action::Request(Request::Profile(r)) => Some(r),
        _ => None,
    }
}

#[test]
fn only_the_changed_fields_are_sent_with_the_version_they_were_made_to() {
    let mut s = screen();
    assert_eq!(s.value("name"), "Ada Lovelace");
    assert!(!s.has_unsaved());
    retype(&mut s, "Ada King");
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    retype(&mut s, "+44 1632 960 000");
    assert_eq!(s.changed_fields(), ["name", "phone"]);
    assert!(s.has_unsaved());
    let Some(ProfileRequest::Save { patch, etag }) = sent_profile(press(&mut s, KeyCode::Enter))
    else {
        panic!("a save");
    };
    assert_eq!(etag, "\"3\"");
    assert_eq!(patch.name.as_deref(), Some("Ada King"));
    assert_eq!(patch.phone.as_deref(), Some("+44 1632 960 000"));
    assert_eq!((patch.display_name, patch.bio), (None, None));

    let mut saved = fake_account(fixed_now());
    saved.name = "Ada King".into();
    saved.phone = Some("+441632960000".into());
    answer(
        &mut s,
        ProfileRequest::Save {
            patch: Default::default(),
            etag: String::new(),
        }
        .answered(ProfileDone::Saved(Ok(Versioned {
            value: saved,
            etag: "\"4\"".into(),
        }))),
    );
    assert!(!s.has_unsaved());
    assert_eq!(s.value("phone"), "+441632960000", "as the server keeps it");
    assert_eq!(s.note, None, "the app's toast says it, once");
}

#[test]
fn mistakes_are_explained_on_their_field_before_anything_is_sent() {
    let mut s = screen();
    retype(&mut s, "");
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    retype(&mut s, "01632 960961");
    press(&mut s, KeyCode::Tab);
    retype(&mut s, &"x".repeat(501));
    assert!(sent_profile(press(&mut s, KeyCode::Enter)).is_none());
    assert!(
        s.error("name")
            .is_some_and(|e| e.contains("cannot be empty"))
    );
    assert!(s.error("phone").is_some_and(|e| e.contains("+44")));
    assert!(s.error("bio").is_some_and(|e| e.contains("501")));
    assert_eq!(s.focus_index(), 0, "focus on the first mistake");
    assert_eq!(s.value("phone"), "01632 960961", "nothing typed is lost");
}

#[test]
fn a_server_refusal_lands_on_its_field_and_keeps_what_was_typed() {
    let mut s = screen();
    retype(&mut s, "Ada\u{7}");
    assert!(sent_profile(press(&mut s, KeyCode::Enter)).is_some());
    let problem = Problem::new(ErrorCode::ValidationFailed, "Check the form")
        .with_field("name", "Remove the control characters");
    answer(
        &mut s,
        ProfileRequest::Save {
            patch: Default::default(),
            etag: String::new(),
        }
        .answered(ProfileDone::Saved(Err(ApiError::Problem {
            problem: Box::new(problem),
        }))),
    );
    assert_eq!(s.error("name"), Some("Remove the control characters."));
    assert_eq!(s.value("name"), "Ada\u{7}");
    assert!(s.has_unsaved());
}

fn conflict_error() -> ApiError {
    ApiError::Problem {
        problem: Box::new(Problem::new(
            ErrorCode::PreconditionFailed,
            "Changed meanwhile",
        )),
    }
}

/// Edits the bio, saves, and is told someone renamed the account meanwhile.
fn in_conflict() -> ProfileScreen {
    let mut s = screen();
    for _ in 0..3 {
        press(&mut s, KeyCode::Tab);
    }
    retype(&mut s, "Mine");
    press(&mut s, KeyCode::Enter);
    answer(
        &mut s,
        ProfileRequest::Save {
            patch: Default::default(),
            etag: String::new(),
        }
        .answered(ProfileDone::Saved(Err(conflict_error()))),
    );
    assert!(
        matches!(
            s.follow_up().as_slice(),
            [Request::Profile(ProfileRequest::Load)]
        ),
        "the current version is fetched"
    );
    s.update(&Action::Request(Request::Profile(ProfileRequest::Load)));
    let mut theirs = fake_account(fixed_now());
    theirs.name = "Countess Lovelace".into();
    answer(
        &mut s,
        ProfileRequest::Load.answered(ProfileDone::Loaded(Ok(Versioned {
            value: theirs,
            etag: "\"4\"".into(),
        }))),
    );
    s
}

#[test]
fn a_stale_save_shows_what_changed_elsewhere_and_keeping_mine_keeps_only_my_edits() {
    let mut s = in_conflict();
    let conflict = s.conflict.as_ref().expect("a conflict");
    assert_eq!(conflict.fields, ["name"]);
    assert_eq!(s.value("bio"), "Mine", "the edit stays");
    assert!(
        press(&mut s, KeyCode::Char('x')).is_none(),
        "other keys wait"
    );
    assert!(s.conflict.is_some());
    let Some(ProfileRequest::Save { patch, etag }) =
        sent_profile(press(&mut s, KeyCode::Char('o')))
    else {
        panic!("overwrite sends a save");
    };
    assert_eq!(etag, "\"4\"", "made to their version");
    assert_eq!(patch.bio.as_deref(), Some("Mine"));
    assert_eq!(
        patch.name, None,
        "the name was not edited here: theirs stays"
    );
    assert_eq!(s.value("name"), "Countess Lovelace");
}

#[test]
fn keeping_mine_does_not_undo_a_field_changed_only_elsewhere() {
    // Edit Name; meanwhile another terminal changes Name and Bio.
    let mut s = screen();
    retype(&mut s, "Ada K.");
    press(&mut s, KeyCode::Enter);
    answer(
        &mut s,
        ProfileRequest::Save {
            patch: Default::default(),
            etag: String::new(),
        }
        .answered(ProfileDone::Saved(Err(conflict_error()))),
    );
    s.update(&Action::Request(Request::Profile(ProfileRequest::Load)));
    let mut theirs = fake_account(fixed_now());
    theirs.name = "Countess Lovelace".into();
    theirs.bio = Some("Their new bio".into());
    answer(
        &mut s,
        ProfileRequest::Load.answered(ProfileDone::Loaded(Ok(Versioned {
            value: theirs,
            etag: "\"5\"".into(),
        }))),
    );
    let conflict = s.conflict.as_ref().expect("a conflict");
    assert_eq!(conflict.fields, ["name", "bio"]);
    let Some(ProfileRequest::Save { patch, etag }) =
        sent_profile(press(&mut s, KeyCode::Char('o')))
    else {
        panic!("keep mine sends a save");
    };
    assert_eq!(etag, "\"5\"");
    assert_eq!(patch.name.as_deref(), Some("Ada K."), "my edit is kept");
    assert_eq!(patch.bio, None, "their bio is not overwritten");
    assert_eq!(s.value("bio"), "Their new bio");
}

#[test]
fn going_on_editing_after_a_conflict_shows_their_other_fields() {
    let mut s = in_conflict();
    assert!(press(&mut s, KeyCode::Esc).is_none());
    assert!(s.conflict.is_none());
    assert_eq!(s.value("bio"), "Mine", "my edit stays");
    assert_eq!(s.value("name"), "Countess Lovelace");
    assert_eq!(s.changed_fields(), ["bio"]);
}

#[test]
fn taking_theirs_fills_the_form_with_their_version() {
    let mut s = in_conflict();
    assert!(press(&mut s, KeyCode::Char('t')).is_none());
    assert!(s.conflict.is_none());
    assert_eq!(s.value("name"), "Countess Lovelace");
    assert!(!s.has_unsaved());
    assert_eq!(s.profile.value().map(|v| v.etag.as_str()), Some("\"4\""));
}

/// Moves focus to stop `index` (fields first, then theme and time zone).
fn focus(s: &mut ProfileScreen, index: usize) {
    while s.focus_index() != index {
        press(s, KeyCode::Down);
    }
}

#[test]
fn the_theme_is_tried_out_while_choosing_and_kept_when_chosen() {
    let mut s = screen();
    let stop = s.theme_stop();
    focus(&mut s, stop);
    assert_eq!(s.wanted_theme(), Some("system"));
    press(&mut s, KeyCode::Enter);
    assert!(s.is_picking());
    press(&mut s, KeyCode::Down);
    assert_eq!(s.wanted_theme(), Some("default"), "shown at once");
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.wanted_theme(), Some("system"), "given up: back as it was");
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "high");
    let Some(ProfileRequest::SavePreferences { patch, etag }) =
        sent_profile(press(&mut s, KeyCode::Enter))
    else {
        panic!("a preference saved");
    };
    assert_eq!(patch.theme.as_deref(), Some("high-contrast"));
    assert_eq!(etag, "\"0\"");
}

#[test]
fn the_time_zone_is_found_by_typing_part_of_its_name() {
    let mut s = screen();
    let stop = s.theme_stop() + 1;
    focus(&mut s, stop);
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "tokyo");
    let Some(ProfileRequest::SavePreferences { patch, .. }) =
        sent_profile(press(&mut s, KeyCode::Enter))
    else {
        panic!("a preference saved");
    };
    assert_eq!(patch.timezone.as_deref(), Some("Asia/Tokyo"));
}

#[test]
fn a_wrong_language_tag_is_explained_and_a_right_one_saved() {
    let mut s = screen();
    focus(&mut s, 5);
    retype(&mut s, "english");
    assert!(sent_profile(press(&mut s, KeyCode::Enter)).is_none());
    assert!(s.error("language").is_some_and(|e| e.contains("en-GB")));
    retype(&mut s, "en-GB");
    let Some(ProfileRequest::SavePreferences { patch, .. }) =
        sent_profile(press(&mut s, KeyCode::Enter))
    else {
        panic!("a preference saved");
    };
    assert_eq!(patch.language.as_deref(), Some("en-GB"));
}

#[test]
fn the_picture_is_set_from_a_path_and_a_bad_file_is_explained_on_the_field() {
    let mut s = screen();
    focus(&mut s, 4);
    assert!(sent_profile(press(&mut s, KeyCode::Enter)).is_none());
    assert!(s.error("avatar").is_some_and(|e| e.contains("PNG or JPEG")));
    type_text(&mut s, "/tmp/me.png");
    let Some(ProfileRequest::SetAvatar { path }) = sent_profile(press(&mut s, KeyCode::Enter))
    else {
        panic!("an upload");
    };
    assert_eq!(path, std::path::PathBuf::from("/tmp/me.png"));
    answer(
        &mut s,
        ProfileRequest::RemoveAvatar.answered(ProfileDone::AvatarChanged(Err(
            AvatarFailure::File(crate::action::PictureFileError::NotAPicture(
                "/tmp/me.png".into(),
            )),
        ))),
    );
    assert!(s.error("avatar").is_some_and(|e| e.contains("not a PNG")));
    assert_eq!(s.value("avatar"), "/tmp/me.png");
    let mut with = fake_account(fixed_now());
    with.has_avatar = true;
    answer(
        &mut s,
        ProfileRequest::RemoveAvatar.answered(ProfileDone::AvatarChanged(Ok(with))),
    );
    assert_eq!(s.value("avatar"), "");
    assert!(
        matches!(
            s.follow_up().as_slice(),
            [Request::Profile(ProfileRequest::LoadAvatar)]
        ),
        "the new picture is fetched to be drawn"
    );
    // With a picture, Enter on the empty path asks to remove it.
    assert!(matches!(
        press(&mut s, KeyCode::Enter),
        Some(Action::Confirm {
            on_confirm: Request::Profile(ProfileRequest::RemoveAvatar),
            ..
        })
    ));
}

#[test]
fn leaving_edits_behind_is_known_and_discarding_restores_what_was_loaded() {
    let mut s = screen();
    retype(&mut s, "Someone else");
    assert!(s.has_unsaved());
    s.discard_edits();
    assert!(!s.has_unsaved());
    assert_eq!(s.value("name"), "Ada Lovelace");
}

#[test]
fn esc_stops_editing_so_the_other_screens_are_one_key_away() {
    let mut s = screen();
    type_text(&mut s, "2");
    assert_eq!(
        s.value("name"),
        "Ada Lovelace2",
        "while editing, 2 is typed"
    );
    press(&mut s, KeyCode::Esc);
    assert!(!s.is_editing());
    assert!(matches!(
        press(&mut s, KeyCode::Char('2')),
        Some(Action::Command(Command::GoSessions))
    ));
    assert_eq!(s.value("name"), "Ada Lovelace2", "what was typed stays");
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    assert!(s.is_editing());
    type_text(&mut s, "!");
    assert_eq!(s.value("display_name"), "Ada!");
}
