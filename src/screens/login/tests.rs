use crate::action::{AuthDone, AuthRequest};
use crate::app::testing::login_request;
use acctl_api::{ErrorCode, MfaChallenge, Problem, SecretText};
use crossterm::event::{KeyCode, KeyModifiers};

use super::*;
use crate::app::testing::key;
use crate::keymap::default_keymap;

fn typed(screen: &mut LoginScreen, text: &str) {
    let keymap = default_keymap();
    for c in text.chars() {
        assert!(screen.handle_key(key(KeyCode::Char(c)), &keymap).is_none());
    }
}

fn press(screen: &mut LoginScreen, code: KeyCode) -> Option<Action> {
    screen.handle_key(key(code), &default_keymap())
}

fn problem(code: ErrorCode) -> ApiError {
    ApiError::Problem {
        problem: Box::new(Problem::new(code, code.title())),
    }
}

fn filled() -> LoginScreen {
    let mut s = LoginScreen::new("http://127.0.0.1:8080", None);
    typed(&mut s, "ada@example.com");
    press(&mut s, KeyCode::Tab);
    typed(&mut s, "hunter22");
    s
}

#[test]
fn focus_starts_on_the_first_empty_field_and_tab_moves_it() {
    let mut s = LoginScreen::new("http://127.0.0.1:8080", None);
    assert_eq!(s.focused(), LoginField::Email);
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.focused(), LoginField::Password);
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.focused(), LoginField::Server, "Tab wraps around");
    press(&mut s, KeyCode::BackTab);
    assert_eq!(s.focused(), LoginField::Password);
    let prefilled = LoginScreen::new("http://x", Some("ada@example.com"));
    assert_eq!(prefilled.focused(), LoginField::Password);
}

#[test]
fn letters_that_are_commands_elsewhere_are_typed_here() {
    let mut s = LoginScreen::new("http://x", None);
    typed(&mut s, "q?1r");
    assert_eq!(s.value(LoginField::Email), "q?1r");
    let ctrl_l = KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL);
    assert!(matches!(
        s.handle_key(ctrl_l, &default_keymap()),
        Some(Action::Command(Command::Redraw))
    ));
}

#[test]
fn enter_sends_the_login_request_with_what_was_typed() {
    let mut s = filled();
    let action = press(&mut s, KeyCode::Enter);
    let Some(Action::Request(Request::Auth(AuthRequest::Login {
        server,
        email,
        password,
    }))) = action
    else {
        panic!("expected a login request, got {action:?}");
    };
    assert_eq!(server, "http://127.0.0.1:8080");
    assert_eq!(email, "ada@example.com");
    assert_eq!(password.expose(), "hunter22");
    assert!(s.is_busy());
    assert!(
        press(&mut s, KeyCode::Enter).is_none(),
        "no second request while signing in"
    );
}

#[test]
fn empty_fields_are_explained_without_a_request() {
    let mut s = LoginScreen::new("", None);
    assert!(press(&mut s, KeyCode::Enter).is_none());
    assert!(s.error(LoginField::Server).is_some());
    assert!(s.error(LoginField::Email).is_some());
    assert!(s.error(LoginField::Password).is_some());
    assert_eq!(s.focused(), LoginField::Server);
    typed(&mut s, "h");
    assert!(
        s.error(LoginField::Server).is_none(),
        "editing clears the error"
    );
}

#[test]
fn a_failed_login_keeps_everything_and_puts_the_error_on_the_password() {
    let mut s = filled();
    press(&mut s, KeyCode::Enter);
    s.update(&Action::Response(login_request().answered(
        AuthDone::Login(Err(problem(ErrorCode::InvalidCredentials))),
    )));
    assert!(!s.is_busy());
    assert_eq!(s.value(LoginField::Server), "http://127.0.0.1:8080");
    assert_eq!(s.value(LoginField::Email), "ada@example.com");
    assert_eq!(s.value(LoginField::Password), "hunter22");
    let error = s
        .error(LoginField::Password)
        .expect("error on the password");
    assert!(error.contains("wrong"), "{error}");
    assert_eq!(s.focused(), LoginField::Password);
}

#[test]
fn server_field_errors_and_unreachable_servers_land_on_their_fields() {
    let mut s = filled();
    press(&mut s, KeyCode::Enter);
    let invalid = Problem::new(ErrorCode::ValidationFailed, "Check the form")
        .with_field("email", "Enter an email address like name@example.com");
    s.update(&Action::Response(login_request().answered(
        AuthDone::Login(Err(ApiError::Problem {
            problem: Box::new(invalid),
        })),
    )));
    assert_eq!(
        s.error(LoginField::Email),
        Some("Enter an email address like name@example.com.")
    );
    assert_eq!(s.focused(), LoginField::Email);

    press(&mut s, KeyCode::Enter);
    let down = ApiError::Unreachable {
        server: "http://127.0.0.1:8080".into(),
        reason: "connection refused".into(),
    };
    s.update(&Action::Response(
        login_request().answered(AuthDone::Login(Err(down))),
    ));
    assert!(
        s.error(LoginField::Server)
            .expect("on server")
            .contains("Cannot reach")
    );
    assert!(s.error(LoginField::Email).is_none());
    assert_eq!(s.focused(), LoginField::Server);
}

fn challenge() -> MfaChallenge {
    MfaChallenge {
        mfa_token: SecretText::new("mfa-token"),
        expires_in: 300,
        methods: vec!["totp".into(), "recovery_code".into()],
    }
}

#[test]
fn the_second_step_asks_for_a_code_and_can_switch_to_a_recovery_code() {
    let mut s = filled();
    press(&mut s, KeyCode::Enter);
    s.update(&Action::Response(login_request().answered(
        AuthDone::Login(Ok(LoginDone::MfaRequired(challenge()))),
    )));
    assert!(s.in_mfa_step());
    assert_eq!(s.focused(), LoginField::Code);
    typed(&mut s, "123456");
    let action = press(&mut s, KeyCode::Enter);
    let Some(Action::Request(Request::Auth(AuthRequest::LoginMfa {
        code,
        recovery,
        mfa_token,
        email,
    }))) = action
    else {
        panic!("expected an MFA request, got {action:?}");
    };
    assert_eq!(
        (code.expose(), recovery, mfa_token.expose()),
        ("123456", false, "mfa-token")
    );
    assert_eq!(email, "ada@example.com");

    s.update(&Action::Response(login_request().answered(
        AuthDone::Login(Err(problem(ErrorCode::InvalidCredentials))),
    )));
    assert!(s.error(LoginField::Code).is_some());
    let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
    s.handle_key(ctrl_r, &default_keymap());
    typed(&mut s, "abcd-efgh");
    let action = press(&mut s, KeyCode::Enter);
    assert!(matches!(
        action,
        Some(Action::Request(Request::Auth(AuthRequest::LoginMfa {
            recovery: true,
            ..
        })))
    ));

    s.update(&Action::Response(
        login_request().answered(AuthDone::Login(Err(problem(ErrorCode::RateLimited)))),
    ));
    press(&mut s, KeyCode::Esc);
    assert!(!s.in_mfa_step(), "Esc goes back to the password step");
    assert_eq!(
        s.value(LoginField::Password),
        "hunter22",
        "and nothing is lost"
    );
}
