//! Keys in, Actions and state out: the app as a whole, without a terminal.

use crate::app::testing::{login_request, security_change};
use crate::screens::Screen as _;
use crossterm::event::{KeyCode, KeyModifiers};

use super::testing::{Harness, fake_account, fake_sessions, fixed_now, test_config};
use super::*;
#[allow(unused_imports)]
use crate::action::{self, *};
use acctl_client::ApiError;

fn ended() -> ApiError {
    ApiError::SessionEnded {
        reason: "refresh token revoked".into(),
    }
}

#[test]
fn a_signed_in_start_loads_the_account_once() {
    let mut h = Harness::signed_in();
    assert_eq!(h.app.screen(), ScreenId::Overview);
    let sent = h.sent();
    let accounts = sent
        .iter()
        .filter(|r| matches!(r, Request::Account(AccountRequest::Load)))
        .count();
    assert_eq!(accounts, 1, "{sent:?}");
    // Theme and time zone follow the account: its preferences come first.
    assert!(
        sent.iter()
            .any(|r| matches!(r, Request::Profile(action::ProfileRequest::LoadPreferences))),
        "{sent:?}"
    );
    // And the unread count, for the header.
    assert!(
        sent.iter().any(|r| matches!(
            r,
            Request::Notifications(action::NotificationsRequest::LoadUnread)
        )),
        "{sent:?}"
    );
    assert_eq!(sent.len(), 3, "{sent:?}");
}

#[test]
fn ten_refreshes_cost_one_request() {
    let mut h = Harness::with_sessions(5);
    for _ in 0..10 {
        h.press(KeyCode::Char('r'));
    }
    let sent = h.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        h.app
            .dispatcher()
            .is_in_flight(&Request::Sessions(SessionsRequest::List).key())
    );
}

fn inbox_page(cursor: Option<&str>) -> NotificationsRequest {
    NotificationsRequest::LoadInbox {
        cursor: cursor.map(str::to_string),
        unread: false,
    }
}

#[test]
fn a_page_asked_for_while_another_loads_is_sent_once_that_one_answers_and_the_newest_wins() {
    let mut h = Harness::signed_in();
    h.sent();
    for cursor in [None, Some("a"), Some("b")] {
        h.app
            .update(Action::Request(Request::Notifications(inbox_page(cursor))));
    }
    let sent = h.sent();
    assert_eq!(sent.len(), 1, "one page at a time: {sent:?}");
    let page = acctl_api::Page {
        items: Vec::new(),
        next_cursor: None,
    };
    h.respond(inbox_page(None).answered(NotificationsDone::Inbox(Ok(page))));
    let sent = h.sent();
    assert!(
        matches!(
            sent.as_slice(),
            [Request::Notifications(NotificationsRequest::LoadInbox { cursor: Some(c), .. })]
                if c == "b"
        ),
        "the newest of those that waited, and only it: {sent:?}"
    );
}

#[test]
fn number_keys_switch_screens_and_q_quits() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('2'));
    assert_eq!(h.app.screen(), ScreenId::Sessions);
    assert!(
        h.sent()
            .iter()
            .any(|r| matches!(r, Request::Sessions(SessionsRequest::List)))
    );
    h.press(KeyCode::Char('5'));
    assert_eq!(h.app.screen(), ScreenId::Notifications);
    h.press(KeyCode::Char('1'));
    assert_eq!(h.app.screen(), ScreenId::Overview);
    h.press(KeyCode::Char('q'));
    assert!(h.app.should_quit());
}

#[test]
fn while_typing_q_is_a_letter_and_ctrl_c_still_quits() {
    let mut h = Harness::signed_out();
    h.type_text("q2");
    assert_eq!(
        h.app
            .screens()
            .login()
            .value(crate::screens::login::LoginField::Server),
        "http://127.0.0.1:9"
    );
    assert_eq!(
        h.app
            .screens()
            .login()
            .value(crate::screens::login::LoginField::Email),
        "q2"
    );
    assert!(!h.app.should_quit());
    assert_eq!(h.app.screen(), ScreenId::Login);
    h.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(h.app.should_quit());
}

#[test]
fn the_current_session_is_refused_and_esc_closes_the_notice() {
    let mut h = Harness::with_sessions(4);
    h.press(KeyCode::Delete);
    assert!(matches!(
        h.app.overlay(),
        Some(Overlay::Dialog {
            on_confirm: None,
            ..
        })
    ));
    h.press(KeyCode::Esc);
    assert!(h.app.overlay().is_none());
    assert!(h.sent().is_empty());
}

#[test]
fn esc_in_the_confirmation_revokes_nothing_and_confirming_does() {
    let mut h = Harness::with_sessions(4);
    h.press(KeyCode::Down);
    h.press(KeyCode::Char('d'));
    assert!(matches!(
        h.app.overlay(),
        Some(Overlay::Dialog {
            on_confirm: Some(_),
            ..
        })
    ));
    h.press(KeyCode::Enter);
    assert!(
        h.app.overlay().is_none(),
        "Enter on the default button cancels"
    );
    h.press(KeyCode::Char('d'));
    h.press(KeyCode::Esc);
    assert!(h.app.overlay().is_none());
    assert!(h.sent().is_empty(), "nothing revoked");

    h.press(KeyCode::Char('d'));
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    let sent = h.sent();
    assert!(
        matches!(sent.as_slice(), [Request::Sessions(SessionsRequest::Revoke { id })] if id == "ses_1"),
        "{sent:?}"
    );
    h.respond(
        SessionsRequest::Revoke { id: "ses_1".into() }.answered(SessionsDone::Revoke(Ok(()))),
    );
    assert!(
        h.app
            .toast_on_show()
            .is_some_and(|t| t.text.contains("revoked"))
    );
    assert!(
        matches!(
            h.sent().as_slice(),
            [Request::Sessions(SessionsRequest::List)]
        ),
        "the list reloads"
    );
}

#[test]
fn an_ended_session_returns_to_sign_in_and_then_back_to_the_same_screen() {
    let mut h = Harness::with_sessions(3);
    h.press(KeyCode::Char('r'));
    h.sent();
    h.respond(SessionsRequest::List.answered(SessionsDone::List(Err(ended()))));
    assert_eq!(h.app.screen(), ScreenId::Login);
    assert_eq!(
        h.app.screens().login().banner().map(|b| b.text.as_str()),
        Some(SESSION_ENDED)
    );
    use crate::screens::login::LoginField;
    assert_eq!(
        h.app.screens().login().value(LoginField::Email),
        fake_account(fixed_now()).email
    );
    assert_eq!(h.app.screens().login().focused(), LoginField::Password);

    h.type_text("hunter22");
    // A late answer from before must not wipe what is being typed.
    h.respond(AccountRequest::Load.answered(Err(ended())));
    assert_eq!(
        h.app.screens().login().value(LoginField::Password),
        "hunter22"
    );
    h.press(KeyCode::Enter);
    assert!(matches!(
        h.sent().as_slice(),
        [Request::Auth(AuthRequest::Login { .. })]
    ));
    h.respond(
        login_request().answered(AuthDone::Login(Ok(LoginDone::SignedIn {
            server: "http://127.0.0.1:9".into(),
            email: "ada@example.com".into(),
            profile_warning: None,
            offers: acctl_client::Capabilities::ALL,
            service: acctl_client::ServiceKind::Acctd,
        }))),
    );
    assert_eq!(h.app.screen(), ScreenId::Sessions);
    assert!(matches!(
        h.sent().as_slice(),
        [Request::Sessions(SessionsRequest::List)]
    ));
}

#[test]
fn a_change_refused_because_the_session_ended_keeps_the_typed_form_for_after_sign_in() {
    let mut h = Harness::signed_in();
    h.respond(AccountRequest::Load.answered(Ok(fake_account(fixed_now()))));
    h.press(KeyCode::Char('4'));
    h.press(KeyCode::Enter);
    h.type_text("old password");
    h.press(KeyCode::Tab);
    h.type_text("cedar-otter-lumen-4821");
    h.press(KeyCode::Tab);
    h.type_text("cedar-otter-lumen-4821");
    h.press(KeyCode::Enter);
    h.sent();
    h.respond(security_change(ChangeDone::PasswordChanged(Err(ended()))));
    assert_eq!(h.app.screen(), ScreenId::Login);

    h.type_text("hunter22");
    h.press(KeyCode::Enter);
    h.respond(
        login_request().answered(AuthDone::Login(Ok(LoginDone::SignedIn {
            server: "http://127.0.0.1:9".into(),
            email: "ada@example.com".into(),
            profile_warning: None,
            offers: acctl_client::Capabilities::ALL,
            service: acctl_client::ServiceKind::Acctd,
        }))),
    );
    assert_eq!(h.app.screen(), ScreenId::Security);
    let form = &h.app.screens().security().password.form;
    assert_eq!(form.value("current_password"), "old password");
    assert_eq!(form.value("new_password"), "cedar-otter-lumen-4821");
    assert_eq!(form.value("confirm"), "cedar-otter-lumen-4821");
    assert_eq!(form.banner, None, "no stale error on the form");
    assert!(!h.app.screens().security().is_busy(), "can be sent again");
}

#[test]
fn help_opens_with_question_mark_and_closes_with_esc() {
    let mut h = Harness::signed_in();
    // Short enough that the help scrolls.
    h.app.update(Action::Resize(80, 12));
    h.press(KeyCode::Char('?'));
    assert!(matches!(h.app.overlay(), Some(Overlay::Help { .. })));
    h.press(KeyCode::Down);
    assert!(matches!(h.app.overlay(), Some(Overlay::Help { offset: 1 })));
    h.press(KeyCode::Esc);
    assert!(h.app.overlay().is_none());
}

#[test]
fn sign_out_asks_first_and_lands_on_the_form() {
    let mut h = Harness::with_sessions(2);
    h.press(KeyCode::Char('L'));
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    assert!(matches!(
        h.sent().as_slice(),
        [Request::Auth(AuthRequest::Logout)]
    ));
    h.respond(AuthRequest::Logout.answered(AuthDone::Logout(Ok(()))));
    assert_eq!(h.app.screen(), ScreenId::Login);
    assert_eq!(
        h.app.screens().login().banner().map(|b| b.text.as_str()),
        Some("Signed out.")
    );
}

#[test]
fn signing_out_of_the_demo_tells_how_to_sign_back_in() {
    let mut ctx = crate::app::testing::fake_context(crate::app::testing::test_config());
    ctx.demo = Some(crate::context::DemoLogin {
        email: "demo@acctl.dev".into(),
        password: "river-7-lantern".into(),
    });
    let mut h = Harness::with_context(ctx, true);
    h.press(KeyCode::Char('L'));
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    h.respond(AuthRequest::Logout.answered(AuthDone::Logout(Ok(()))));
    let banner = h.app.screens().login().banner().map(|b| b.text.clone());
    assert!(
        banner
            .as_deref()
            .is_some_and(|b| b.contains("river-7-lantern")),
        "{banner:?}"
    );
}

#[test]
fn nothing_panics_at_any_size() {
    let mut states = vec![
        Harness::signed_out(),
        Harness::signed_in(),
        Harness::with_sessions(50),
    ];
    let mut help = Harness::with_sessions(3);
    help.press(KeyCode::Char('?'));
    states.push(help);
    let mut dialog = Harness::with_sessions(3);
    dialog.press(KeyCode::Char('O'));
    states.push(dialog);
    let mut enrolling = Harness::signed_in();
    enrolling.press(KeyCode::Char('4'));
    enrolling.respond(
        SecurityRequest::LoadMfaStatus.answered(SecurityDone::MfaStatus(Ok(
            acctl_api::MfaStatus {
                totp_enabled: false,
                totp_pending: false,
                recovery_codes_remaining: 0,
            },
        ))),
    );
    enrolling.press(KeyCode::Down);
    enrolling.press(KeyCode::Down);
    enrolling.press(KeyCode::Enter);
    enrolling.type_text("pw");
    enrolling.press(KeyCode::Enter);
    enrolling.respond(security_change(crate::action::ChangeDone::TotpEnrolled(
        Ok(acctl_api::TotpEnrollment {
            secret_base32: acctl_api::SecretText::new("JBSWY3DPEHPK3PXP"),
            otpauth_uri: acctl_api::SecretText::new("otpauth://totp/a:b?secret=JBSWY3DPEHPK3PXP"),
        }),
    )));
    assert!(enrolling.app.screens().security().wants_full_body());
    states.push(enrolling);
    for h in &states {
        for width in (1..=130).step_by(7).chain([79, 80, 81]) {
            for height in (1..=45).step_by(4).chain([23, 24, 25]) {
                h.draw(width, height);
            }
        }
    }
}

#[test]
fn a_small_terminal_says_what_it_needs() {
    let h = Harness::signed_in();
    let text = h.render(79, 24);
    assert!(
        text.contains("acctl needs at least 80x24; this terminal is 79x24"),
        "{text}"
    );
}

#[test]
fn mono_draws_without_any_colour() {
    let h = Harness::with_sessions(10);
    let (buffer, _) = h.draw(100, 30);
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "{cell:?}");
    }
}

#[test]
fn a_missing_theme_falls_back_with_a_warning_toast() {
    let mut config = test_config();
    config.ui.theme = "sparkly".into();
    let h = Harness::new(config, true);
    let toast = h.app.toast_on_show().expect("a warning");
    assert!(
        toast.text.contains("no theme named 'sparkly'"),
        "{}",
        toast.text
    );
}

#[test]
fn ten_thousand_sessions_draw_only_what_is_visible() {
    let mut h = Harness::with_sessions(10_000);
    h.press(KeyCode::End);
    let text = h.render(120, 40);
    assert!(text.contains("10000 signed in"));
    assert!(text.contains("> "), "selection marker shown");
}

#[test]
fn a_user_keymap_rebinds_keys_and_the_footer_follows() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("keymap.toml"),
        "[list]\n\"delete\" = \"none\"\n\"d\" = \"none\"\n\"x\" = \"revoke\"\n",
    )
    .expect("write");
    let mut ctx = super::testing::fake_context(test_config());
    ctx.config_dir = Some(dir.path().to_path_buf());
    let mut h = Harness::with_context(ctx, true);
    h.respond(AccountRequest::Load.answered(Ok(fake_account(fixed_now()))));
    h.press(KeyCode::Char('2'));
    h.respond(SessionsRequest::List.answered(SessionsDone::List(Ok(
        super::testing::fake_sessions(3, fixed_now()),
    ))));
    let screen = h.render(80, 24);
    assert!(screen.contains("x revoke"), "{screen}");
    h.press(KeyCode::Down);
    h.press(KeyCode::Char('d'));
    assert!(h.app.overlay().is_none(), "d no longer revokes");
    h.press(KeyCode::Char('x'));
    assert!(h.app.overlay().is_some(), "x does");
}

#[test]
fn a_broken_user_keymap_keeps_the_defaults_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("keymap.toml"), "[list\n").expect("write");
    let mut ctx = super::testing::fake_context(test_config());
    ctx.config_dir = Some(dir.path().to_path_buf());
    let h = Harness::with_context(ctx, true);
    let toast = h.app.toast_on_show().expect("a warning");
    assert!(toast.text.contains("keymap.toml ignored"), "{}", toast.text);
    assert_eq!(h.app.keymap(), &crate::keymap::default_keymap());
}

#[test]
fn every_built_in_theme_draws_every_screen() {
    for (name, _) in crate::theme::BUILTIN {
        let mut config = test_config();
        config.ui.theme = (*name).to_string();
        let mut h = Harness::new(config, true);
        assert!(h.app.toast_on_show().is_none(), "{name} loads cleanly");
        h.respond(AccountRequest::Load.answered(Ok(fake_account(fixed_now()))));
        h.render(80, 24);
        h.press(KeyCode::Char('2'));
        h.respond(
            SessionsRequest::List.answered(SessionsDone::List(Ok(fake_sessions(5, fixed_now())))),
        );
        h.press(KeyCode::Char('?'));
        let text = h.render(120, 40);
        assert!(text.contains("Keys"), "{name}");
    }
}

fn unreachable() -> ApiError {
    ApiError::Unreachable {
        server: "http://127.0.0.1:9".into(),
        reason: "Connection refused".into(),
    }
}

#[test]
fn a_read_that_could_not_reach_the_server_is_tried_again_later_and_later() {
    let mut h = Harness::with_sessions(2);
    h.press(KeyCode::Char('r'));
    h.sent();
    h.respond(SessionsRequest::List.answered(SessionsDone::List(Err(unreachable()))));
    let first = h.app.retry_deadline().expect("a retry is planned");
    h.app.retry_due(first);
    assert!(matches!(
        h.sent().as_slice(),
        [Request::Sessions(SessionsRequest::List)]
    ));
    assert!(
        h.app.screens().sessions().sessions.is_loading(),
        "shown as on its way"
    );
    let before = std::time::Instant::now();
    h.respond(SessionsRequest::List.answered(SessionsDone::List(Err(unreachable()))));
    let second = h.app.retry_deadline().expect("planned again");
    assert!(
        second >= before + std::time::Duration::from_secs(2),
        "waits longer"
    );
    // The server is back: the list is fresh and nothing more is planned.
    h.app.retry_due(second);
    h.respond(
        SessionsRequest::List.answered(SessionsDone::List(Ok(fake_sessions(3, fixed_now())))),
    );
    assert_eq!(
        h.app.screens().sessions().sessions.value().map(Vec::len),
        Some(3)
    );
    assert_eq!(h.app.retry_deadline(), None);
}

#[test]
fn refused_reads_and_changes_are_not_retried_by_themselves() {
    let mut h = Harness::with_sessions(2);
    let problem = acctl_api::Problem::new(acctl_api::ErrorCode::NotFound, "gone");
    h.press(KeyCode::Char('r'));
    h.respond(
        SessionsRequest::List.answered(SessionsDone::List(Err(ApiError::Problem {
            problem: Box::new(problem),
        }))),
    );
    assert_eq!(h.app.retry_deadline(), None, "a 404 will not heal itself");
    h.respond(
        SessionsRequest::Revoke { id: "ses_1".into() }
            .answered(SessionsDone::Revoke(Err(unreachable()))),
    );
    assert_eq!(
        h.app.retry_deadline(),
        None,
        "a change is never repeated unasked"
    );
}

#[test]
fn a_retry_for_a_screen_left_behind_waits_for_the_way_back() {
    let mut h = Harness::with_sessions(2);
    h.press(KeyCode::Char('r'));
    h.respond(SessionsRequest::List.answered(SessionsDone::List(Err(unreachable()))));
    let due = h.app.retry_deadline().expect("planned");
    h.press(KeyCode::Char('1'));
    h.sent();
    h.app.retry_due(due);
    assert!(
        !h.sent()
            .iter()
            .any(|r| matches!(r, Request::Sessions(SessionsRequest::List))),
        "not loaded while another screen is on show"
    );
    h.press(KeyCode::Char('2'));
    assert!(
        h.sent()
            .iter()
            .any(|r| matches!(r, Request::Sessions(SessionsRequest::List)))
    );
}

#[test]
fn esc_stops_waiting_for_a_slow_load_and_its_late_answer_is_dropped() {
    let mut h = Harness::with_sessions(2);
    h.press(KeyCode::Char('r'));
    assert!(h.app.screens().sessions().sessions.is_loading());
    h.press(KeyCode::Esc);
    assert!(
        !h.app.screens().sessions().sessions.is_loading(),
        "no longer shown loading"
    );
    assert_eq!(
        h.app.screens().sessions().sessions.value().map(Vec::len),
        Some(2),
        "kept"
    );
    assert!(
        h.app
            .toast_on_show()
            .is_some_and(|t| t.text.contains("Canceled"))
    );
    h.respond(
        SessionsRequest::List.answered(SessionsDone::List(Ok(fake_sessions(5, fixed_now())))),
    );
    assert_eq!(
        h.app.screens().sessions().sessions.value().map(Vec::len),
        Some(2),
        "dropped"
    );
    h.sent();
    h.press(KeyCode::Char('r'));
    assert!(
        matches!(
            h.sent().as_slice(),
            [Request::Sessions(SessionsRequest::List)]
        ),
        "asks again"
    );
    h.respond(
        SessionsRequest::List.answered(SessionsDone::List(Ok(fake_sessions(5, fixed_now())))),
    );
    assert_eq!(
        h.app.screens().sessions().sessions.value().map(Vec::len),
        Some(5)
    );
}

#[test]
fn esc_cancels_a_sign_in_that_hangs_and_keeps_what_was_typed() {
    use crate::screens::login::LoginField;
    let mut h = Harness::signed_out();
    h.type_text("ada@example.com");
    h.press(KeyCode::Tab);
    h.type_text("hunter22");
    h.press(KeyCode::Enter);
    assert!(h.app.screens().login().is_busy());
    h.press(KeyCode::Esc);
    assert!(!h.app.screens().login().is_busy());
    assert_eq!(
        h.app.screens().login().value(LoginField::Password),
        "hunter22"
    );
    assert!(
        h.app
            .screens()
            .login()
            .banner()
            .is_some_and(|b| b.text.contains("canceled"))
    );
    // Its answer arrives after all: dropped, not signed in behind one's back.
    h.respond(
        login_request().answered(AuthDone::Login(Ok(LoginDone::SignedIn {
            server: "http://127.0.0.1:9".into(),
            email: "ada@example.com".into(),
            profile_warning: None,
            offers: acctl_client::Capabilities::ALL,
            service: acctl_client::ServiceKind::Acctd,
        }))),
    );
    assert_eq!(h.app.screen(), ScreenId::Login);
}

#[test]
fn ctrl_c_over_unsaved_recovery_codes_warns_once_then_quits() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('4'));
    h.app.screens_mut().security_mut().shown_codes =
        Some(crate::screens::security::ShownCodes::new(
            vec![acctl_api::SecretText::new("aaaa-bbbb")],
            "Two-factor sign-in is on",
            "ada@example.com",
        ));
    h.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!h.app.should_quit(), "the codes are shown only once");
    assert!(h.render(80, 24).contains("Ctrl-C again quits"));
    h.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(h.app.should_quit());
}

#[test]
fn a_log_page_asked_for_while_another_loads_is_sent_when_that_one_answers() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('4'));
    for _ in 0..4 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    h.sent();
    // A filter chosen while the first page is on its way.
    h.press(KeyCode::Char('f'));
    h.type_text("password changed");
    h.press(KeyCode::Enter);
    assert!(
        !h.sent()
            .iter()
            .any(|r| matches!(r, Request::Security(SecurityRequest::LoadEvents { .. }))),
        "one load of the log at a time"
    );
    h.respond(
        SecurityRequest::LoadEvents {
            cursor: None,
            kind: None,
        }
        .answered(SecurityDone::Events(Ok(acctl_api::Page {
            items: super::testing::fake_security_events(0, 5, fixed_now()),
            next_cursor: None,
        }))),
    );
    let sent = h.sent();
    assert!(
        sent.iter().any(|r| matches!(
            r,
            Request::Security(SecurityRequest::LoadEvents {
                cursor: None,
                kind: Some(acctl_api::SecurityEventKind::PasswordChanged)
            })
        )),
        "{sent:?}"
    );
    assert!(
        !h.render(80, 24).contains("Firefox on Linux"),
        "events of every kind are not shown under the filter"
    );
}

fn preferences(theme: &str) -> Response {
    ProfileRequest::LoadPreferences.answered(ProfileDone::Preferences(Ok(
        acctl_client::Versioned {
            value: acctl_api::Preferences {
                theme: theme.into(),
                language: "en".into(),
                timezone: "Asia/Tokyo".into(),
            },
            etag: "\"2\"".into(),
        },
    )))
}

#[test]
fn the_accounts_theme_and_zone_apply_unless_this_terminal_forced_a_theme() {
    let mut h = Harness::signed_in();
    h.respond(preferences("light"));
    assert_eq!(h.app.theme_name, "light");
    assert_eq!(h.app.ui().tz, chrono_tz::Tz::Asia__Tokyo);
    h.respond(preferences("system"));
    assert_eq!(
        h.app.theme_name, h.app.ctx.config.ui.theme,
        "system: the config's"
    );

    let mut config = test_config();
    config.ui.theme_forced = true;
    let forced = config.ui.theme.clone();
    let mut h = Harness::new(config, true);
    h.respond(preferences("light"));
    assert_eq!(h.app.theme_name, forced, "NO_COLOR or --theme wins");
}

#[test]
fn leaving_the_profile_with_unsaved_edits_asks_and_discarding_leaves() {
    let mut h = Harness::signed_in();
    h.press(KeyCode::Char('3'));
    h.respond(
        ProfileRequest::Load.answered(ProfileDone::Loaded(Ok(acctl_client::Versioned {
            value: fake_account(fixed_now()),
            etag: "\"1\"".into(),
        }))),
    );
    h.respond(preferences("system"));
    h.press(KeyCode::Enter);
    h.type_text(" King");
    h.press(KeyCode::Esc);
    h.press(KeyCode::Char('2'));
    assert_eq!(h.app.screen(), ScreenId::Profile, "not left yet");
    assert!(h.render(80, 24).contains("Unsaved changes"));
    h.press(KeyCode::Esc);
    assert_eq!(h.app.screen(), ScreenId::Profile, "Esc stays");
    assert_eq!(
        h.app.screens().profile().value("name"),
        "Ada Lovelace King",
        "edits kept"
    );
    h.press(KeyCode::Char('2'));
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    assert_eq!(h.app.screen(), ScreenId::Sessions);
    assert_eq!(
        h.app.screens().profile().value("name"),
        "Ada Lovelace",
        "discarded"
    );
}

#[test]
fn while_too_small_only_quitting_works() {
    let mut h = Harness::with_sessions(3);
    assert!(h.render(60, 20).contains("press q to quit"));
    // Revoking a session, going elsewhere, pasting: none acts unseen.
    h.press(KeyCode::Down);
    h.press(KeyCode::Char('d'));
    h.press(KeyCode::Char('1'));
    h.app.update(Action::Paste("typed blind".into()));
    assert_eq!(h.app.screen(), ScreenId::Sessions);
    assert!(h.app.overlay.is_none(), "no dialog opened unseen");
    assert!(h.sent().is_empty());
    // Large enough again, keys act as before.
    h.render(100, 30);
    h.press(KeyCode::Char('1'));
    assert_eq!(h.app.screen(), ScreenId::Overview);
    h.render(60, 20);
    h.press(KeyCode::Char('q'));
    assert!(h.app.should_quit());
}

#[test]
fn signing_out_after_an_email_change_prefills_the_new_address() {
    use crate::screens::login::LoginField;
    let mut h = Harness::signed_out();
    sign_in_through_the_form(&mut h);
    let mut account = fake_account(fixed_now());
    account.email = "ada@new.example".into();
    // The change went through elsewhere (the Security screen reloads it).
    h.respond(AccountRequest::Load.answered(Ok(account)));
    h.respond(AuthRequest::Logout.answered(AuthDone::Logout(Ok(()))));
    assert_eq!(h.app.screen(), ScreenId::Login);
    assert_eq!(
        h.app.screens().login().value(LoginField::Email),
        "ada@new.example"
    );
    assert_eq!(h.app.screens().login().focused(), LoginField::Password);
}

#[test]
fn help_names_the_keys_of_the_screen_in_view_first() {
    let mut h = Harness::with_sessions(3);
    h.press(KeyCode::Char('?'));
    let help = h.render(100, 40);
    let at = |text: &str| help.find(text).unwrap_or_else(|| panic!("{text}:\n{help}"));
    assert!(at("On this screen: Sessions") < at("Everywhere"));
    assert!(at("Revoke") < at("Everywhere"));
    // Keys that act only elsewhere are not offered here.
    assert!(!help.contains("Open the saved file"), "{help}");
}

#[test]
fn the_footer_keeps_help_and_quit_when_hints_do_not_fit() {
    // Billing's hints do not all fit in 80 columns (Sessions' do).
    let h = super::testing::billing::loaded(3, false);
    let footer = |screen: &str| screen.lines().rev().nth(1).unwrap_or_default().to_string();
    let wide = footer(&h.render(200, 30));
    assert!(
        wide.contains("c cancel plan") && wide.contains("sign out"),
        "{wide}"
    );
    let narrow = footer(&h.render(80, 24));
    assert!(
        !narrow.contains("c cancel plan"),
        "something had to go: {narrow}"
    );
    assert!(
        narrow.contains("? help") && narrow.contains("q quit"),
        "{narrow}"
    );
}

#[test]
fn a_long_header_cuts_the_server_address_with_an_ellipsis_and_keeps_the_token_note() {
    use super::testing::fake_context;
    let mut ctx = fake_context(test_config());
    let options = acctl_client::ClientOptions::default();
    ctx.client = acctl_client::Client::new(
        "https://accounts.internal.a-rather-long-company-name.example:8443",
        options,
    )
    .expect("a valid address");
    let h = Harness::with_context(ctx, true);
    let screen = h.render(80, 24);
    let header = screen.lines().next().unwrap_or_default();
    assert!(header.contains('…'), "{header}");
    assert!(header.ends_with("Warning: memory-only tokens"), "{header}");
    assert!(header.chars().count() <= 80, "{header}");
}

#[test]
fn a_message_about_one_screen_does_not_follow_to_the_next() {
    let mut h = Harness::with_sessions(3);
    h.respond(
        SessionsRequest::Revoke { id: "ses_1".into() }.answered(SessionsDone::Revoke(Ok(()))),
    );
    assert!(h.app.toasts.current().is_some(), "the revocation is told");
    h.press(KeyCode::Char('3'));
    assert!(
        h.app.toasts.current().is_none(),
        "{:?}",
        h.app.toasts.current()
    );
    // A toast raised together with the move (signing in) stays.
    let mut h = Harness::signed_out();
    sign_in_through_the_form(&mut h);
    assert_eq!(h.app.screen(), ScreenId::Overview);
    assert!(
        h.app
            .toasts
            .current()
            .is_some_and(|t| t.text.starts_with("Signed in"))
    );
}

#[test]
fn a_long_message_takes_more_rows_instead_of_being_cut() {
    let mut h = Harness::with_sessions(2);
    let text = "The server could not be told that this device signed out, so the \
                session may stay listed elsewhere until it expires tomorrow morning";
    h.app.toast(crate::widgets::toast::Toast::warning(text));
    let screen = h.render(80, 24);
    assert!(screen.contains("expires tomorrow morning"), "{screen}");
    assert!(
        screen.contains("Warning: The server could not be told"),
        "{screen}"
    );
    // The footer is still there, under the message.
    let footer = screen.lines().rev().nth(1).unwrap_or_default();
    assert!(footer.contains("? help"), "{screen}");
}

/// Types ada's email and a password into the sign-in form, sends it, and
/// answers that it went through.
fn sign_in_through_the_form(h: &mut Harness) {
    h.type_text("ada@example.com");
    h.press(KeyCode::Tab);
    h.type_text("hunter22hunter22");
    h.press(KeyCode::Enter);
    h.respond(
        login_request().answered(AuthDone::Login(Ok(LoginDone::SignedIn {
            server: "http://127.0.0.1:9".into(),
            email: "ada@example.com".into(),
            profile_warning: None,
            offers: acctl_client::Capabilities::ALL,
            service: acctl_client::ServiceKind::Acctd,
        }))),
    );
}
