//! End-to-end: the console's Admin screen through the real `acctl` in a
//! pseudo-terminal against a real acctd: an administrator finds an account
//! as they type, opens it and disables it with a reason and the step-up
//! password, and finds it in the audit log; an account that is not an
//! administrator has no Admin screen.

use crate::support;

use support::pty::{Key, Terminal};
use support::server::TestServer;

const PASSWORD: &str = "correct horse battery";

fn signed_in(server: &TestServer, home: &std::path::Path, email: &str) -> Terminal {
    let mut term = Terminal::acctl(home, &["--server", &server.url], 80, 24);
    term.wait_for("Password");
    term.type_text(email);
    term.press(Key::Tab);
    term.type_text(PASSWORD);
    term.press(Key::Enter);
    term.wait_for("Signed in as");
    term
}

#[test]
fn an_administrator_finds_an_account_and_disables_it_with_a_reason_and_the_password() {
    let server = TestServer::start();
    server.add_user("root@example.com", "Root", PASSWORD);
    server.grant_admin("root@example.com");
    server.add_user("ana@example.com", "Ana Lima", PASSWORD);
    server.add_user("bob@example.com", "Bob Stone", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let mut term = signed_in(&server, home.path(), "root@example.com");
    term.wait_for("8 Admin");

    term.type_text("8");
    term.wait_for("bob@example.com");
    // Filters as you type: one search once the keys stop.
    term.type_text("f");
    term.type_text("ana");
    let found = term.wait_for("1 matching \"ana\"");
    assert!(!found.contains("bob@example.com"), "{found}");
    term.press(Key::Enter);
    term.press(Key::Enter);
    let opened = term.wait_for("Security log");
    assert!(opened.contains("Admin: ana@example.com"), "{opened}");

    term.type_text("D");
    let dialog = term.wait_for("Disable ana@example.com");
    assert!(dialog.contains("they are told by mail"), "{dialog}");
    term.type_text("asked by phone, ID checked");
    term.press(Key::Enter);
    // The proof of the sign-in is not the step-up's: the password is asked.
    term.wait_for("Confirm it is you");
    term.type_text("not the password");
    term.press(Key::Enter);
    term.wait_for("not your password");
    for _ in 0.."not the password".len() {
        term.press(Key::Backspace);
    }
    term.type_text(PASSWORD);
    term.press(Key::Enter);
    let done = term.wait_for("Disabled ana@example.com");
    assert!(!done.contains(PASSWORD), "{done}");
    // Loaded again from the server.
    term.wait_for("disabled since");

    // The audit log has it, with the reason.
    term.press(Key::Esc);
    term.wait_for("Tab audit log");
    term.press(Key::Tab);
    let audit = term.wait_for("disable account");
    assert!(
        audit.contains("Reason: asked by phone, ID checked"),
        "{audit}"
    );

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn an_account_that_is_not_an_administrator_has_no_admin_screen() {
    let server = TestServer::start();
    server.add_user("bob@example.com", "Bob Stone", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let mut term = signed_in(&server, home.path(), "bob@example.com");
    let overview = term.wait_for("Bob Stone");
    assert!(!overview.contains("Admin"), "{overview}");
    assert!(overview.contains("1-7 screens"), "{overview}");
    term.type_text("8");
    let refused = term.wait_for("this account is not one");
    assert!(refused.contains("Overview"), "{refused}");
    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}
