use crate::app::testing::security_change;
use acctl_api::{ErrorCode, MfaStatus, Problem, RecoveryCodes, SecretText, TotpEnrollment};
use crossterm::event::KeyCode;

use super::*;
use crate::action::{
    AccountRequest, ChangeDone, FilesRequest, SecurityChange, SecurityDone, SecurityRequest,
};
use crate::app::testing::{fake_account, fixed_now, key};
use crate::keymap::default_keymap;

const STRONG: &str = "cedar-otter-lumen-4821";

fn screen(mfa_on: bool) -> SecurityScreen {
    let mut s = SecurityScreen::default();
    for action in s.on_enter() {
        s.update(&action);
    }
    s.update(&Action::Response(
        AccountRequest::Load.answered(Ok(fake_account(fixed_now()))),
    ));
    s.update(&Action::Response(SecurityRequest::LoadMfaStatus.answered(
        SecurityDone::MfaStatus(Ok(MfaStatus {
            totp_enabled: mfa_on,
            totp_pending: false,
            recovery_codes_remaining: if mfa_on { 10 } else { 0 },
        })),
    )));
    s
}

fn press(s: &mut SecurityScreen, code: KeyCode) -> Option<Action> {
    let action = s.handle_key(key(code), &default_keymap());
    // What the app would do: requests go out and come back through update.
    if let Some(a @ Action::Request(_)) = &action {
        s.update(a);
    }
    action
}

fn type_text(s: &mut SecurityScreen, text: &str) {
    for c in text.chars() {
        press(s, KeyCode::Char(c));
    }
}

fn open(s: &mut SecurityScreen, section: Section) {
    let index = SECTIONS
        .iter()
        .position(|x| *x == section)
        .expect("a section");
    press(s, KeyCode::Home);
    for _ in 0..index {
        press(s, KeyCode::Down);
    }
    press(s, KeyCode::Enter);
    assert_eq!(s.open_section(), Some(section));
}

fn field_error(field: &str, message: &str) -> acctl_client::ApiError {
    let problem =
        Problem::new(ErrorCode::ValidationFailed, "Check the form").with_field(field, message);
    acctl_client::ApiError::Problem {
        problem: Box::new(problem),
    }
}

fn respond(s: &mut SecurityScreen, done: ChangeDone) {
    s.update(&Action::Response(security_change(done)));
}

#[test]
fn entering_loads_account_and_two_factor_status_once() {
    let mut s = SecurityScreen::default();
    let first = s.on_enter();
    assert_eq!(first.len(), 2, "{first:?}");
    for action in first {
        s.update(&action);
    }
    let s = screen(false);
    let mut s2 = s;
    assert!(s2.on_enter().is_empty(), "loaded: nothing to ask");
}

#[test]
fn the_menu_moves_opens_and_esc_returns() {
    let mut s = screen(false);
    assert_eq!(s.selected(), Section::Password);
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Down);
    assert_eq!(s.selected(), Section::TwoFactor);
    press(&mut s, KeyCode::End);
    assert_eq!(s.selected(), Section::Log);
    press(&mut s, KeyCode::Home);
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.open_section(), Some(Section::Password));
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.open_section(), None);
    // Number keys on the menu are the app's (other screens).
    assert!(matches!(
        press(&mut s, KeyCode::Char('2')),
        Some(Action::Command(Command::GoSessions))
    ));
}

#[test]
fn a_weak_or_mismatched_password_is_explained_on_its_field_and_kept() {
    let mut s = screen(false);
    open(&mut s, Section::Password);
    type_text(&mut s, "old password here");
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "password123");
    assert!(
        s.password.strength.as_ref().is_some_and(|a| !a.accepted()),
        "the meter follows typing"
    );
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "password123");
    assert!(press(&mut s, KeyCode::Enter).is_none(), "not sent");
    let error = s.password.form.error("new_password").expect("an error");
    assert!(error.contains("common"), "{error}");
    assert_eq!(s.password.form.focused(), Some("new_password"));
    assert_eq!(
        s.password.form.value("current_password"),
        "old password here"
    );

    // Fix the new one; the repeat no longer matches.
    for _ in 0.."password123".len() {
        press(&mut s, KeyCode::Backspace);
    }
    type_text(&mut s, STRONG);
    assert!(s.password.strength.as_ref().is_some_and(|a| a.accepted()));
    assert!(press(&mut s, KeyCode::Enter).is_none());
    assert!(
        s.password
            .form
            .error("confirm")
            .is_some_and(|e| e.contains("does not match"))
    );
}

#[test]
fn a_good_password_change_is_sent_with_the_checkbox_and_server_errors_land_on_fields() {
    let mut s = screen(false);
    open(&mut s, Section::Password);
    type_text(&mut s, "old password here");
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, STRONG);
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, STRONG);
    press(&mut s, KeyCode::Tab);
    assert!(s.password.on_checkbox());
    press(&mut s, KeyCode::Char(' '));
    assert!(s.password.sign_out_others);
    let sent = press(&mut s, KeyCode::Enter);
    let Some(Action::Request(Request::Security(SecurityRequest::Change(
        SecurityChange::ChangePassword {
            current,
            new,
            sign_out_others: true,
        },
    )))) = sent
    else {
        panic!("expected a password change, got {sent:?}");
    };
    assert_eq!(
        (current.expose(), new.expose()),
        ("old password here", STRONG)
    );
    assert!(s.is_busy());
    assert!(
        press(&mut s, KeyCode::Enter).is_none(),
        "one change at a time"
    );

    respond(
        &mut s,
        ChangeDone::PasswordChanged(Err(field_error(
            "current_password",
            "this is not your current password",
        ))),
    );
    assert!(!s.is_busy());
    assert_eq!(
        s.password.form.error("current_password"),
        Some("This is not your current password.")
    );
    assert_eq!(s.password.form.value("new_password"), STRONG, "kept");

    respond(&mut s, ChangeDone::PasswordChanged(Ok(())));
    assert_eq!(
        s.password.form.value("new_password"),
        "",
        "cleared once done"
    );
    assert!(
        s.password
            .note
            .as_deref()
            .is_some_and(|n| n.contains("other sessions"))
    );
}

#[test]
fn an_email_change_goes_from_address_to_code_and_back() {
    let mut s = screen(false);
    open(&mut s, Section::Email);
    type_text(&mut s, "new@example.com");
    press(&mut s, KeyCode::Enter);
    assert_eq!(
        s.email.address.error("password"),
        Some("Enter your password to confirm.")
    );
    type_text(&mut s, "the password");
    let sent = press(&mut s, KeyCode::Enter);
    assert!(matches!(
        sent,
        Some(Action::Request(Request::Security(SecurityRequest::Change(SecurityChange::RequestEmailChange { ref new_email, .. })))) if new_email == "new@example.com"
    ));
    respond(
        &mut s,
        ChangeDone::EmailChangeRequested {
            new_email: "new@example.com".into(),
            result: Ok(()),
            demo_mail: None,
        },
    );
    assert_eq!(
        s.email.step,
        EmailStep::Code {
            to: "new@example.com".into()
        }
    );
    assert_eq!(
        s.email.address.value("password"),
        "",
        "the password is not kept"
    );
    type_text(&mut s, "123456");
    let sent = press(&mut s, KeyCode::Enter);
    assert!(matches!(
        sent,
        Some(Action::Request(Request::Security(SecurityRequest::Change(
            SecurityChange::VerifyEmail { .. }
        ))))
    ));
    respond(
        &mut s,
        ChangeDone::EmailVerified(Err(field_error("code", "that code is not right"))),
    );
    assert_eq!(s.email.code.error("code"), Some("That code is not right."));
    assert_eq!(s.email.code.value("code"), "123456");
    // Esc: back to the address, which is still there.
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.email.step, EmailStep::Address);
    assert_eq!(s.email.address.value("new_email"), "new@example.com");
}

#[test]
fn a_pending_change_opens_at_the_code() {
    let mut s = screen(false);
    let mut account = fake_account(fixed_now());
    account.pending_email = Some("later@example.com".into());
    s.update(&Action::Response(
        AccountRequest::Load.answered(Ok(account)),
    ));
    open(&mut s, Section::Email);
    assert_eq!(
        s.email.step,
        EmailStep::Code {
            to: "later@example.com".into()
        }
    );
}

fn enrolment() -> TotpEnrollment {
    TotpEnrollment {
        secret_base32: SecretText::new("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        otpauth_uri: SecretText::new(
            "otpauth://totp/acctd:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=acctd",
        ),
    }
}

fn codes() -> RecoveryCodes {
    RecoveryCodes {
        recovery_codes: (0..10)
            .map(|i| SecretText::new(format!("abcd-{i:04}")))
            .collect(),
    }
}

/// Opens Two-factor, enters the password and gets the QR step.
fn enrolling() -> SecurityScreen {
    let mut s = screen(false);
    open(&mut s, Section::TwoFactor);
    type_text(&mut s, "the password");
    let sent = press(&mut s, KeyCode::Enter);
    assert!(matches!(
        sent,
        Some(Action::Request(Request::Security(SecurityRequest::Change(
            SecurityChange::EnrollTotp { .. }
        ))))
    ));
    respond(&mut s, ChangeDone::TotpEnrolled(Ok(enrolment())));
    assert!(s.wants_full_body());
    s
}

#[test]
fn enrolment_shows_the_key_inverts_copies_and_sends_the_code() {
    let mut s = enrolling();
    let e = s.enrolment().expect("enrolling");
    assert_eq!(e.grouped_key(), "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    assert!(e.qr.is_some());
    press(&mut s, KeyCode::Char('i'));
    assert!(s.enrolment().expect("enrolling").invert);
    let copied = press(&mut s, KeyCode::Char('y'));
    let Some(Action::Copy { text, .. }) = copied else {
        panic!("expected a copy, got {copied:?}");
    };
    assert_eq!(text.expose(), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    type_text(&mut s, "123 456");
    let sent = press(&mut s, KeyCode::Enter);
    let Some(Action::Request(Request::Security(SecurityRequest::Change(
        SecurityChange::ConfirmTotp { code },
    )))) = sent
    else {
        panic!("expected the code, got {sent:?}");
    };
    assert_eq!(code.expose(), "123456", "spaces are dropped");
    respond(
        &mut s,
        ChangeDone::TotpConfirmed(Err(field_error("code", "that code is not right"))),
    );
    assert!(
        s.enrolment().is_some(),
        "still enrolling after a wrong code"
    );
    assert_eq!(
        s.enrolment().and_then(|e| e.code.error("code")),
        Some("That code is not right.")
    );
    respond(&mut s, ChangeDone::TotpConfirmed(Ok(codes())));
    assert!(s.enrolment().is_none());
    assert_eq!(s.shown_codes.as_ref().map(|c| c.codes.len()), Some(10));
}

#[test]
fn esc_cancels_enrolment() {
    let mut s = enrolling();
    press(&mut s, KeyCode::Esc);
    assert!(s.enrolment().is_none());
    assert_eq!(s.open_section(), Some(Section::TwoFactor));
}

#[test]
fn recovery_codes_stay_until_confirmed_as_saved() {
    let mut s = enrolling();
    respond(&mut s, ChangeDone::TotpConfirmed(Ok(codes())));
    for code in [KeyCode::Esc, KeyCode::Char('q'), KeyCode::Char('1')] {
        assert!(press(&mut s, code).is_none(), "{code:?} does not leave");
    }
    assert!(s.shown_codes.as_ref().is_some_and(|c| c.reminded));
    // Save to a file: the path is asked, then a private file is requested.
    press(&mut s, KeyCode::Char('s'));
    let saving = s.shown_codes.as_ref().and_then(|c| c.saving.as_ref());
    assert_eq!(
        saving.map(|f| f.value("path")),
        Some("~/acctl-recovery-codes.txt")
    );
    let sent = press(&mut s, KeyCode::Enter);
    let Some(Action::Request(Request::Files(FilesRequest::Save { path, contents }))) = sent else {
        panic!("expected a save, got {sent:?}");
    };
    assert!(path.ends_with("acctl-recovery-codes.txt"));
    assert!(contents.expose().contains("abcd-0009"));
    s.update(&Action::Response(
        FilesRequest::Save {
            path: path.clone(),
            contents: acctl_api::SecretText::new(""),
        }
        .answered(Err(crate::files::SaveError::Exists("codes.txt".into()))),
    ));
    let error = s
        .shown_codes
        .as_ref()
        .and_then(|c| c.saving.as_ref())
        .and_then(|f| f.error("path"));
    assert_eq!(
        error,
        Some("codes.txt already exists; choose another name.")
    );
    s.update(&Action::Response(
        FilesRequest::Save {
            path,
            contents: acctl_api::SecretText::new(""),
        }
        .answered(Ok(())),
    ));
    assert!(s.shown_codes.as_ref().is_some_and(|c| c.saved_to.is_some()));
    press(&mut s, KeyCode::Enter);
    assert!(s.shown_codes.is_none(), "confirmed");
}

#[test]
fn turning_off_and_new_codes_ask_first() {
    let mut s = screen(true);
    open(&mut s, Section::TwoFactor);
    type_text(&mut s, "the password");
    press(&mut s, KeyCode::Enter);
    assert!(
        s.two_factor.disable.error("code").is_some(),
        "a code is needed"
    );
    type_text(&mut s, "123456");
    let asked = press(&mut s, KeyCode::Enter);
    assert!(matches!(
        asked,
        Some(Action::Confirm {
            on_confirm: Request::Security(SecurityRequest::Change(
                SecurityChange::DisableTotp { .. }
            )),
            ..
        })
    ));
    press(&mut s, KeyCode::Esc);
    open(&mut s, Section::RecoveryCodes);
    type_text(&mut s, "the password");
    let asked = press(&mut s, KeyCode::Enter);
    let Some(Action::Confirm { dialog, on_confirm }) = asked else {
        panic!("expected a confirmation, got {asked:?}");
    };
    assert!(dialog.body.join(" ").contains("10 unused codes"));
    assert!(matches!(
        on_confirm,
        Request::Security(SecurityRequest::Change(
            SecurityChange::RegenerateRecoveryCodes { .. }
        ))
    ));
}

#[test]
fn pasting_goes_into_the_focused_field() {
    let mut s = screen(false);
    open(&mut s, Section::Email);
    s.paste("pasted@example.com\n");
    assert_eq!(s.email.address.value("new_email"), "pasted@example.com");
}
