//! The real console in a pseudo-terminal against a real Better Auth
//! service: found at start, signed in from the form, only what it offers in
//! the sidebar, two-factor turned on from the Security screen (its token
//! replaced underneath), then a sign-in that asks for the code (sent with
//! the sign-in's cookie and the service's Origin).

use crate::support;

use support::better_auth::{BetterAuth, totp_now};
use support::pty::{Key, Terminal};

use crate::{turn_on_two_factor, type_into_login};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

#[test]
fn signs_in_to_better_auth_turns_on_two_factor_and_signs_in_with_a_code() {
    let Some(service) = BetterAuth::start() else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["--server", &service.url], 80, 24);

    let login = term.wait_for("Password");
    assert!(login.contains("/api/auth"), "found at its mount:\n{login}");
    type_into_login(&mut term, EMAIL, PASSWORD);
    let overview = term.wait_for("Active sessions");
    assert!(overview.contains("2 Sessions") && overview.contains("4 Security"));
    for lacking in ["Notifications", "Billing"] {
        assert!(!overview.contains(lacking), "{lacking}:\n{overview}");
    }

    term.type_text("4");
    term.wait_for("Off: add an authenticator app");
    let key = turn_on_two_factor(&mut term, PASSWORD, totp_now);
    // Better Auth's keys are longer than most: 32 random characters.
    assert!(key.len() >= 32, "{key}");
    // The session was replaced when two-factor went on: the new token works.
    term.press(Key::Esc);
    term.type_text("2");
    let sessions = term.wait_for("1 signed in");
    assert!(sessions.contains('*'), "{sessions}");

    term.type_text("L");
    term.wait_for("Sign out of");
    term.press(Key::Tab);
    term.press(Key::Enter);
    term.wait_for("Signed out");
    term.type_text(PASSWORD);
    term.press(Key::Enter);
    term.wait_for("authenticator app");
    term.type_text(&totp_now(&key));
    term.press(Key::Enter);
    let overview = term.wait_for("Active sessions");
    assert!(overview.contains("Ada Lovelace"), "{overview}");

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}
