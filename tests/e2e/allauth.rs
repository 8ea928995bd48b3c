//! The real console in a pseudo-terminal against a real django-allauth
//! site: found at start, signed in from the form, only what allauth
//! offers in the sidebar, and two-factor turned on from the Security
//! screen (QR code, key, code, recovery codes).

use crate::support;

use std::collections::HashSet;

use support::allauth::{AllauthServer, available, fresh_code};
use support::pty::{Key, Terminal};

use crate::{turn_on_two_factor, type_into_login};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

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
    type_into_login(&mut term, EMAIL, PASSWORD);
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
    let key = turn_on_two_factor(&mut term, PASSWORD, |key| {
        fresh_code(key, &mut HashSet::new())
    });
    assert_eq!(key.len(), 32, "{key}");

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}
