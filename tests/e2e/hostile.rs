//! End-to-end: the real console in a pseudo-terminal against a hostile
//! server (support/hostile.rs), whose every free-text string starts with
//! escape sequences, OSC 52, C1 controls, CR/LF and bidirectional
//! overrides. Every screen is visited; the bytes the console wrote to the
//! terminal hold none of them, and the text is shown with `�` in their
//! place.

use crate::support;

use support::hostile::{HostileServer, SHOWN, forbidden};
use support::pty::{Key, Terminal};

/// Goes to screen `key` and waits until it shows `text` and has loaded.
fn visit(term: &mut Terminal, key: &str, text: &str) -> String {
    term.type_text(key);
    term.wait_for(text);
    term.wait_until("loaded", |screen| !screen.contains("Loading"))
}

#[test]
fn no_control_from_the_server_reaches_the_terminal_on_any_screen() {
    let server = HostileServer::start();
    let (email, password) = server.upstream.seed_demo();
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["--server", &server.url], 100, 30);

    term.wait_for("Password");
    // A refusal first (its problem document poisoned too).
    term.type_text(&email);
    term.press(Key::Tab);
    term.type_text("not the password");
    term.press(Key::Enter);
    term.wait_for("wrong");
    for _ in 0.."not the password".len() {
        term.press(Key::Backspace);
    }
    term.type_text(&password);
    term.press(Key::Enter);
    term.wait_for("Overview");

    let mut screens = Vec::new();
    for (key, text) in [
        ("1", "Overview"),
        ("2", "DESREVER"),
        ("3", "Bio"),
        ("4", "Two-factor"),
        ("5", "DESREVER"),
        ("6", "Export"),
        ("7", "billed"),
    ] {
        screens.push(visit(&mut term, key, text));
    }
    // The security log, and one of its events in full.
    term.type_text("4");
    for _ in 0..4 {
        term.press(Key::Down);
    }
    term.press(Key::Enter);
    screens.push(term.wait_for("DESREVER"));
    term.press(Key::Enter);
    screens.push(term.wait_for("DESREVER"));

    for screen in &screens {
        assert!(screen.contains(SHOWN), "the text is shown:\n{screen}");
    }
    let written = term.written();
    let text = String::from_utf8_lossy(&written);
    if let Some(c) = text
        .chars()
        .find(|c| forbidden(*c) && *c != '\u{1b}' && *c != '\r')
    {
        panic!("{c:?} reached the terminal");
    }
    for sequence in ["\u{1b}]52", "\u{1b}[?1049l", "\u{1b}]0;"] {
        assert!(
            !text.contains(sequence),
            "{sequence:?} reached the terminal"
        );
    }
    assert!(term.in_alternate_screen(), "still on the console's screen");

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}
