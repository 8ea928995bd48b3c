//! The real console in a pseudo-terminal against a real django-allauth
//! site: found at start, signed in from the form, only what allauth
//! offers in the sidebar, and two-factor turned on from the Security
//! screen (QR code, key, code, recovery codes).

use crate::support;

use std::collections::HashSet;

use support::allauth::{AllauthServer, available, fresh_code};
use support::pty::{Key, Terminal};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

/// The key the enrolment page shows, in groups of four on the lines after
/// "type this key" (beside the QR code, or alone when it does not fit).
fn key_on(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let Some(start) = lines.iter().position(|l| l.contains("type this key")) else {
        panic!("no key on the screen:\n{screen}");
    };
    let base32 = |t: &&str| {
        t.len() == 4
            && t.chars()
                .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
    };
    lines[start + 1..]
        .iter()
        .take_while(|l| !l.contains("open this link"))
        .flat_map(|l| l.split_whitespace().filter(base32))
        .collect()
}

#[test]
fn signs_in_to_allauth_sees_what_it_offers_and_turns_on_two_factor() {
    if !available() {
        return;
    }
    let server = AllauthServer::start();
    server.add_user(EMAIL, PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["--server", &server.url], 80, 24);

    let login = term.wait_for("Password");
    assert!(
        login.contains(&server.api()),
        "found at its mount:\n{login}"
    );
    term.type_text(EMAIL);
    term.press(Key::Tab);
    term.type_text(PASSWORD);
    term.press(Key::Enter);
    let overview = term.wait_for("Active sessions");
    assert!(overview.contains("2 Sessions") && overview.contains("4 Security"));
    for lacking in ["Profile", "Notifications", "Privacy", "Billing"] {
        assert!(!overview.contains(lacking), "{lacking}:\n{overview}");
    }
    term.type_text("7");
    // The toast wraps at 80 columns.
    let refused = term.wait_for("offers no");
    assert!(refused.contains("billing."), "{refused}");

    term.type_text("4");
    let menu = term.wait_for("Recovery codes");
    assert!(!menu.contains("Security log"), "{menu}");
    term.press(Key::Down);
    term.press(Key::Down);
    term.press(Key::Enter);
    term.wait_for("Enter your password");
    term.type_text(PASSWORD);
    term.press(Key::Enter);
    let enrolment = term.wait_for("open this link");
    let key = key_on(&enrolment);
    assert_eq!(key.len(), 32, "{key}\n{enrolment}");
    term.type_text(&fresh_code(&key, &mut HashSet::new()));
    term.press(Key::Enter);
    let codes = term.wait_for("Your recovery codes");
    assert!(codes.contains(" 1. ") && codes.contains("10. "), "{codes}");
    term.press(Key::Enter);
    term.wait_for("Two-factor sign-in is on");

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}
