//! End-to-end: the real `acctl` binary in a pseudo-terminal against a real
//! acctd, driven from the keyboard and read back from the screen.

mod support;

use support::pty::{Key, Terminal};
use support::server::TestServer;

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

#[test]
fn signs_in_from_the_login_screen_and_reads_the_overview() {
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["--server", &server.url], 80, 24);

    term.wait_for("Password");
    // The server is prefilled from --server; focus starts on the first empty field.
    let screen = term.screen();
    assert!(screen.contains(&server.url), "server prefilled:\n{screen}");
    type_into_login(&mut term, EMAIL, PASSWORD);

    let overview = term.wait_for("Ada Lovelace");
    assert!(overview.contains(EMAIL), "email on the overview:\n{overview}");
    assert!(overview.contains("not verified"), "{overview}");
    // Nothing typed as a password ever reaches the screen.
    assert!(!overview.contains(PASSWORD));

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_wrong_password_is_explained_on_the_field_and_keeps_the_email() {
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["--server", &server.url], 80, 24);

    term.wait_for("Password");
    type_into_login(&mut term, EMAIL, "not the password");
    let screen = term.wait_for("wrong");
    assert!(screen.contains(EMAIL), "email kept after failure:\n{screen}");

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}

/// Fills the email and password fields and submits. Focus is on the email
/// field when a server is already known.
fn type_into_login(term: &mut Terminal, email: &str, password: &str) {
    term.type_text(email);
    term.press(Key::Tab);
    term.type_text(password);
    term.press(Key::Enter);
}
