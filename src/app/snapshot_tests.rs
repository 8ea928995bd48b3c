//! What the screens look like, as text: every screen in each state at 80x24
//! and 120x40, with a fixed clock and the mono theme. The last line of each
//! snapshot says where the terminal cursor is (screen readers follow it).

use acctl_api::{
    ErrorCode, MfaChallenge, MfaStatus, Problem, RecoveryCodes, SecretText, TotpEnrollment,
};
use crossterm::event::{KeyCode, KeyModifiers};

use super::testing::{Harness, fake_account, fake_sessions, fixed_now};
#[allow(unused_imports)]
use crate::action::{self, *};
use acctl_client::ApiError;

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

#[test]
fn login_empty() {
    snap("login_empty", &Harness::signed_out());
}

#[test]
fn login_signing_in() {
    let mut h = Harness::signed_out();
    h.type_text("ada@example.com");
    h.press(KeyCode::Tab);
    h.type_text("hunter22");
    h.press(KeyCode::Enter);
    snap("login_signing_in", &h);
}

#[test]
fn login_with_field_errors() {
    let mut h = Harness::signed_out();
    h.type_text("ada@example");
    h.press(KeyCode::Tab);
    h.type_text("short");
    h.press(KeyCode::Enter);
    let problem = Problem::new(ErrorCode::ValidationFailed, "Check the form")
        .with_field("email", "Enter an email address like name@example.com")
        .with_field("password", "Use at least 12 characters");
    h.respond(Response::Login(Err(ApiError::Problem {
        problem: Box::new(problem),
    })));
    snap("login_field_errors", &h);
}

#[test]
fn login_server_unreachable() {
    let mut h = Harness::signed_out();
    h.type_text("ada@example.com");
    h.press(KeyCode::Tab);
    h.type_text("hunter22");
    h.press(KeyCode::Enter);
    h.respond(Response::Login(Err(unreachable())));
    snap("login_unreachable", &h);
}

#[test]
fn login_session_ended() {
    let mut h = Harness::with_sessions(3);
    h.press(KeyCode::Char('r'));
    h.respond(Response::Sessions(Err(ApiError::SessionEnded {
        reason: "the session was revoked".into(),
    })));
    snap("login_session_ended", &h);
}

#[test]
fn login_mfa_step() {
    let mut h = Harness::signed_out();
    h.type_text("ada@example.com");
    h.press(KeyCode::Tab);
    h.type_text("hunter22");
    h.press(KeyCode::Enter);
    h.respond(Response::Login(Ok(LoginDone::MfaRequired(MfaChallenge {
        mfa_token: SecretText::new("t"),
        expires_in: 300,
        methods: vec!["totp".into(), "recovery_code".into()],
    }))));
    h.type_text("123");
    snap("login_mfa", &h);
}

#[test]
fn overview_states() {
    let mut h = Harness::signed_in();
    snap("overview_loading", &h);
    h.respond(Response::Account(Err(unreachable())));
    snap("overview_failed", &h);
    h.press(KeyCode::Char('r'));
    h.respond(Response::Account(Ok(fake_account(fixed_now()))));
    snap("overview_loaded", &h);
    // The server goes away: what was loaded stays, with the failure above it.
    h.press(KeyCode::Char('r'));
    h.respond(Response::Account(Err(unreachable())));
    snap("overview_stale", &h);
}

#[test]
fn sessions_states() {
    let mut h = Harness::signed_in();
    h.respond(Response::Account(Ok(fake_account(fixed_now()))));
    h.press(KeyCode::Char('2'));
    snap("sessions_loading", &h);
    let problem = Problem {
        request_id: Some("req_42".into()),
        ..Problem::new(ErrorCode::Internal, "The database is unavailable")
    };
    h.respond(Response::Sessions(Err(ApiError::Problem {
        problem: Box::new(problem),
    })));
    snap("sessions_failed", &h);
    h.press(KeyCode::Char('r'));
    h.respond(Response::Sessions(Ok(Vec::new())));
    snap("sessions_empty", &h);
    h.press(KeyCode::Char('r'));
    h.respond(Response::Sessions(Ok(fake_sessions(4, fixed_now()))));
    snap("sessions_loaded", &h);
    h.press(KeyCode::Char('r'));
    h.respond(Response::Sessions(Err(unreachable())));
    snap("sessions_stale", &h);
    h.press(KeyCode::Char('r'));
    h.respond(Response::Sessions(Ok(fake_sessions(4, fixed_now()))));
    h.press(KeyCode::Down);
    snap("sessions_other_selected", &h);
}

#[test]
fn sessions_many_rows_scrolled() {
    let mut h = Harness::with_sessions(10_000);
    for _ in 0..25 {
        h.press(KeyCode::Down);
    }
    snap("sessions_scrolled", &h);
}

#[test]
fn dialogs() {
    let mut h = Harness::with_sessions(4);
    h.press(KeyCode::Down);
    h.press(KeyCode::Char('d'));
    snap("confirm_revoke", &h);
    h.press(KeyCode::Esc);
    h.press(KeyCode::Char('O'));
    h.press(KeyCode::Tab);
    snap("confirm_revoke_others_focused", &h);
    h.press(KeyCode::Esc);
    h.press(KeyCode::Home);
    h.press(KeyCode::Char('d'));
    snap("refuse_current", &h);
}

#[test]
fn help_overlay() {
    let mut h = Harness::with_sessions(4);
    h.press(KeyCode::Char('?'));
    snap("help", &h);
}

#[test]
fn a_toast_over_a_screen_that_is_loading() {
    let mut h = Harness::with_sessions(2);
    h.press(KeyCode::Char('7'));
    // An answer for the screen left comes while billing loads.
    h.respond(Response::Revoked {
        id: "ses_1".into(),
        result: Ok(()),
    });
    snap("toast_over_billing_loading", &h);
}

#[test]
fn too_small() {
    let h = Harness::signed_in();
    insta::assert_snapshot!("too_small_60x20", h.render(60, 20));
    insta::assert_snapshot!("too_small_20x5", h.render(20, 5));
}

/// Signed in, on Security with the account and two-factor status loaded.
fn security(mfa_on: bool) -> Harness {
    let mut h = Harness::signed_in();
    h.respond(Response::Account(Ok(fake_account(fixed_now()))));
    h.press(KeyCode::Char('4'));
    h.respond(Response::Account(Ok(fake_account(fixed_now()))));
    h.respond(Response::MfaStatus(Ok(MfaStatus {
        totp_enabled: mfa_on,
        totp_pending: false,
        recovery_codes_remaining: if mfa_on { 7 } else { 0 },
    })));
    h.sent();
    h
}

fn security_done(h: &mut Harness, done: action::SecurityDone) {
    h.respond(Response::Security(done));
}

#[test]
fn security_menu() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('4'));
    snap("security_loading", &h);
    snap("security_menu", &security(false));
    let mut on = security(true);
    on.press(KeyCode::Down);
    on.press(KeyCode::Down);
    snap("security_menu_two_factor_on", &on);
}

#[test]
fn security_password() {
    let mut h = security(false);
    h.press(KeyCode::Enter);
    snap("security_password_empty", &h);
    h.type_text("old password");
    h.press(KeyCode::Tab);
    h.type_text("summer2024");
    snap("security_password_weak", &h);
    h.type_text("-otter-lumen");
    h.press(KeyCode::Tab);
    h.type_text("summer2024-otter-lumen");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Char(' '));
    snap("security_password_strong", &h);
    h.press(KeyCode::Enter);
    snap("security_password_saving", &h);
    let problem = Problem::new(ErrorCode::ValidationFailed, "Check the form")
        .with_field("current_password", "This is not your current password");
    security_done(
        &mut h,
        action::SecurityDone::PasswordChanged(Err(ApiError::Problem {
            problem: Box::new(problem),
        })),
    );
    snap("security_password_rejected", &h);
}

#[test]
fn security_email() {
    let mut h = security(false);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    h.type_text("ada.new@example.com");
    h.press(KeyCode::Enter);
    snap("security_email_missing_password", &h);
    h.type_text("the password");
    h.press(KeyCode::Enter);
    security_done(
        &mut h,
        action::SecurityDone::EmailChangeRequested {
            new_email: "ada.new@example.com".into(),
            result: Ok(()),
            demo_mail: None,
        },
    );
    h.type_text("12345");
    snap("security_email_code", &h);
}

fn enrolment() -> TotpEnrollment {
    TotpEnrollment {
        secret_base32: SecretText::new("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        otpauth_uri: SecretText::new(
            "otpauth://totp/acctd:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=acctd",
        ),
    }
}

#[test]
fn security_two_factor() {
    let mut h = security(false);
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    snap("security_two_factor_off", &h);
    h.type_text("the password");
    h.press(KeyCode::Enter);
    security_done(&mut h, action::SecurityDone::TotpEnrolled(Ok(enrolment())));
    h.type_text("123");
    snap("security_qr", &h);
    h.press(KeyCode::Char('i'));
    insta::assert_snapshot!("security_qr_inverted_80x24", h.render(80, 24));
    h.type_text("456");
    h.press(KeyCode::Enter);
    let codes = RecoveryCodes {
        recovery_codes: (0..10)
            .map(|i| SecretText::new(format!("k7q2-{i:04}-x9mf")))
            .collect(),
    };
    security_done(&mut h, action::SecurityDone::TotpConfirmed(Ok(codes)));
    snap("security_recovery_codes_shown", &h);
    h.press(KeyCode::Esc);
    h.press(KeyCode::Char('s'));
    snap("security_recovery_codes_saving", &h);
}

#[test]
fn security_qr_too_big_for_the_terminal() {
    let mut h = security(false);
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    h.type_text("the password");
    h.press(KeyCode::Enter);
    let long = TotpEnrollment {
        otpauth_uri: SecretText::new(
            "otpauth://totp/acctd:ada.augusta.king.lovelace%40analytical-engines.example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=acctd",
        ),
        ..enrolment()
    };
    security_done(&mut h, action::SecurityDone::TotpEnrolled(Ok(long)));
    // At 80x24 it says so, with the key to type instead; larger, it draws.
    insta::assert_snapshot!("security_qr_note_80x24", h.render(80, 24));
    let wide = h.render(120, 40);
    assert!(wide.contains("██"), "drawn at 120x40:\n{wide}");
}

#[test]
fn security_two_factor_on() {
    let mut h = security(true);
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    snap("security_two_factor_on", &h);
    h.press(KeyCode::Esc);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    snap("security_recovery_page", &h);
}

/// The Security screen with the log open and its first page asked for.
fn security_log() -> Harness {
    let mut h = security(true);
    for _ in 0..4 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    let sent = h.sent();
    assert!(
        sent.iter().any(|r| matches!(
            r,
            Request::LoadSecurityEvents {
                cursor: None,
                kind: None
            }
        )),
        "{sent:?}"
    );
    h
}

fn events_page(from: usize, n: usize, next: Option<&str>) -> Response {
    Response::SecurityEvents {
        cursor: (from > 0).then(|| format!("c{from}")),
        kind: None,
        result: Ok(acctl_api::Page {
            items: super::testing::fake_security_events(from, n, fixed_now()),
            next_cursor: next.map(str::to_string),
        }),
    }
}

#[test]
fn security_log_states() {
    let mut h = security_log();
    snap("security_log_loading", &h);
    h.respond(Response::SecurityEvents {
        cursor: None,
        kind: None,
        result: Err(unreachable()),
    });
    snap("security_log_failed", &h);

    let mut h = security_log();
    h.respond(events_page(0, 50, Some("c50")));
    snap("security_log_loaded", &h);
    h.press(KeyCode::End);
    let sent = h.sent();
    assert!(
        sent.iter().any(|r| matches!(
            r,
            Request::LoadSecurityEvents { cursor: Some(c), .. } if c == "c50"
        )),
        "the end of the list asks for older events: {sent:?}"
    );
    snap("security_log_loading_more", &h);
    h.respond(events_page(50, 10, None));
    snap("security_log_whole", &h);
}

#[test]
fn security_log_filter() {
    let mut h = security_log();
    h.respond(events_page(0, 50, Some("c50")));
    h.press(KeyCode::Char('f'));
    h.type_text("code");
    snap("security_log_picker", &h);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    let sent = h.sent();
    let kind = sent.iter().find_map(|r| match r {
        Request::LoadSecurityEvents { cursor: None, kind } => *kind,
        _ => None,
    });
    assert_eq!(kind, Some(acctl_api::SecurityEventKind::RecoveryCodeUsed));
    h.respond(Response::SecurityEvents {
        cursor: None,
        kind,
        result: Ok(acctl_api::Page {
            items: Vec::new(),
            next_cursor: None,
        }),
    });
    snap("security_log_filtered_empty", &h);
}

#[test]
fn security_two_factor_status_unknown() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('4'));
    h.respond(Response::Account(Ok(fake_account(fixed_now()))));
    h.respond(Response::MfaStatus(Err(unreachable())));
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    snap("security_two_factor_unknown", &h);
    // Not a trap: Esc goes back to the menu.
    h.press(KeyCode::Esc);
    assert!(h.render(80, 24).contains("> Two-factor"));
}

fn profile_done(h: &mut Harness, done: action::ProfileDone) {
    h.respond(Response::Profile(done));
}

fn versioned<T>(value: T, etag: &str) -> acctl_client::Versioned<T> {
    acctl_client::Versioned {
        value,
        etag: etag.into(),
    }
}

/// The Profile screen, loaded: account version 3, preferences in Paris.
fn profile(with_picture: bool) -> Harness {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('3'));
    let mut account = fake_account(fixed_now());
    account.has_avatar = with_picture;
    profile_done(
        &mut h,
        action::ProfileDone::Loaded(Ok(versioned(account, "\"3\""))),
    );
    let prefs = acctl_api::Preferences {
        theme: "system".into(),
        language: "en-GB".into(),
        timezone: "Europe/Paris".into(),
    };
    profile_done(
        &mut h,
        action::ProfileDone::Preferences(Ok(versioned(prefs, "\"1\""))),
    );
    if with_picture {
        let picture = crate::widgets::avatar::Picture::from_png(&quartered_png()).expect("png");
        profile_done(&mut h, action::ProfileDone::Avatar(Ok(Some(picture))));
    }
    h.sent();
    h
}

/// A 64x64 PNG: dark top-left and bottom-right quarters, light others.
fn quartered_png() -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 64, 64);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().expect("header");
    let data: Vec<u8> = (0..64u32)
        .flat_map(|y| {
            (0..64u32).flat_map(move |x| match (x < 32) == (y < 32) {
                true => [20u8, 20, 60],
                false => [230u8, 200, 120],
            })
        })
        .collect();
    writer.write_image_data(&data).expect("pixels");
    drop(writer);
    out
}

#[test]
fn profile_states() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('3'));
    snap("profile_loading", &h);
    snap("profile_loaded", &profile(false));
    snap("profile_with_picture", &profile(true));

    let mut h = profile(false);
    h.press(KeyCode::Enter);
    h.type_text(" King");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    for _ in 0..20 {
        h.press(KeyCode::Backspace);
    }
    h.type_text("01632 960961");
    snap("profile_edited", &h);
    h.press(KeyCode::Enter);
    snap("profile_field_errors", &h);
    for _ in 0..20 {
        h.press(KeyCode::Backspace);
    }
    h.type_text("+44 1632 960000");
    h.press(KeyCode::Enter);
    assert!(
        h.sent()
            .iter()
            .any(|r| matches!(r, Request::Profile(action::ProfileRequest::Save { .. }))),
        "a good phone is sent"
    );
    snap("profile_saving", &h);
}

#[test]
fn profile_conflict() {
    let mut h = profile(false);
    h.press(KeyCode::Enter);
    h.type_text(" King");
    h.press(KeyCode::Enter);
    let stale = ApiError::Problem {
        problem: Box::new(Problem::new(
            ErrorCode::PreconditionFailed,
            "Changed meanwhile",
        )),
    };
    profile_done(&mut h, action::ProfileDone::Saved(Err(stale)));
    let sent = h.sent();
    assert!(
        sent.iter()
            .any(|r| matches!(r, Request::Profile(action::ProfileRequest::Load))),
        "the current version is fetched: {sent:?}"
    );
    let mut theirs = fake_account(fixed_now());
    theirs.bio = Some("Poetical scientist.".into());
    theirs.phone = None;
    profile_done(
        &mut h,
        action::ProfileDone::Loaded(Ok(versioned(theirs, "\"4\""))),
    );
    snap("profile_conflict", &h);
}

#[test]
fn profile_time_zone_picker_and_times_in_the_chosen_zone() {
    let mut h = profile(false);
    for _ in 0..7 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    h.type_text("new y");
    snap("profile_timezone_picker", &h);
    // The theme picker, trying out the light theme before it is kept.
    let mut h = profile(false);
    for _ in 0..6 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    h.type_text("light");
    assert_eq!(h.app.theme_name, "light", "tried out at once");
    snap("profile_theme_picker", &h);
    h.press(KeyCode::Esc);
    assert_eq!(h.app.theme_name, "mono", "given up: as it was");
    // The sessions' absolute times follow the account's zone (Paris: UTC+1).
    let mut h = profile(false);
    h.press(KeyCode::Char('2'));
    h.respond(Response::Sessions(Ok(fake_sessions(3, fixed_now()))));
    let wide = h.render(120, 40);
    assert!(wide.contains("13:00"), "Paris time, not UTC:\n{wide}");
}

#[test]
fn profile_multi_line_bio() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('3'));
    let mut account = fake_account(fixed_now());
    account.bio = Some("Line one\nLine two\nLine three\nLine four".into());
    profile_done(
        &mut h,
        action::ProfileDone::Loaded(Ok(versioned(account, "\"3\""))),
    );
    h.sent();
    // Browsing: the first lines, and a mark that more follows.
    snap("profile_bio_browsing", &h);
    for _ in 0..3 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    // Editing at the end: the view follows the cursor to the last line.
    h.press(KeyCode::End);
    h.key(KeyCode::Enter, KeyModifiers::ALT);
    h.type_text("Line five");
    snap("profile_bio_editing", &h);
    let (buffer, cursor) = h.draw(80, 24);
    let text = super::testing::buffer_to_string(&buffer);
    let row = cursor.map(|(_, y)| usize::from(y)).expect("a cursor");
    let line = text.lines().nth(row).unwrap_or_default();
    assert!(line.contains("Line five"), "cursor on row {row}:\n{text}");
}

#[test]
fn tab_with_several_matching_pictures_names_them() {
    let dir = tempfile::tempdir().expect("a temp dir");
    for name in ["me-old.png", "me-new.png"] {
        std::fs::write(dir.path().join(name), b"").expect("a file");
    }
    let mut h = profile(false);
    for _ in 0..4 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    h.type_text(&format!("{}/me", dir.path().display()));
    h.press(KeyCode::Tab);
    let screen = h.render(80, 24);
    assert!(
        screen.contains("2 matches: me-new.png  me-old.png"),
        "{screen}"
    );
}
