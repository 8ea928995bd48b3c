//! The real `acctl` console in a pseudo-terminal, one module per area.

#[path = "../support/mod.rs"]
mod support;

mod admin;
mod allauth;
mod better_auth;
mod billing;
mod hostile;
mod journeys;
mod privacy;

use support::pty::{Key, Terminal};

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

/// From the Security menu (on its first row): turns two-factor sign-in on
/// with `password` and the code `code` makes of the key shown, through the
/// recovery codes; the key.
fn turn_on_two_factor(
    term: &mut Terminal,
    password: &str,
    code: impl Fn(&str) -> String,
) -> String {
    term.press(Key::Down);
    term.press(Key::Down);
    term.press(Key::Enter);
    term.wait_for("Enter your password");
    term.type_text(password);
    term.press(Key::Enter);
    let enrolment = term.wait_for("open this link");
    let key = key_on(&enrolment);
    term.type_text(&code(&key));
    term.press(Key::Enter);
    let codes = term.wait_for("Your recovery codes");
    assert!(codes.contains(" 1. ") && codes.contains("10. "), "{codes}");
    term.press(Key::Enter);
    term.wait_for("Two-factor sign-in is on");
    key
}

/// Fills the email and password fields and submits. Focus is on the email
/// field when a server is already known.
fn type_into_login(term: &mut Terminal, email: &str, password: &str) {
    term.type_text(email);
    term.press(Key::Tab);
    term.type_text(password);
    term.press(Key::Enter);
}
