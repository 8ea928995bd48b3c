//! End-to-end: the real `acctl` binary in a pseudo-terminal against a real
//! acctd, driven from the keyboard and read back from the screen.

use crate::support;

use support::pty::{Key, Terminal};
use support::server::TestServer;

use crate::type_into_login;

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
    assert!(
        overview.contains(EMAIL),
        "email on the overview:\n{overview}"
    );
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
    assert!(
        screen.contains(EMAIL),
        "email kept after failure:\n{screen}"
    );

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn the_demo_opens_signed_in_and_revokes_a_session_after_confirmation() {
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["demo"], 100, 30);

    let overview = term.wait_for("Dana Demo");
    assert!(
        overview.contains("DEMO"),
        "demo marked in the header:\n{overview}"
    );
    assert!(
        overview.contains("4"),
        "four signed-in sessions:\n{overview}"
    );

    term.type_text("2");
    term.wait_for("Safari on iPhone");
    // The current session is protected: revoke it and the console refuses.
    term.press(Key::Delete);
    term.wait_for("sign out");
    term.press(Key::Esc);

    // The sessions are listed by last activity; pick the iPhone and revoke it.
    select_row(&mut term, "Safari on iPhone");
    term.press(Key::Delete);
    term.wait_for("Revoke");
    term.press(Key::Esc);
    let still = term.wait_gone("Revoke the session");
    assert!(
        still.contains("Safari on iPhone"),
        "Esc revoked nothing:\n{still}"
    );

    term.press(Key::Delete);
    term.wait_for("Revoke");
    confirm(&mut term);
    term.wait_gone("Safari on iPhone");

    term.type_text("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn closing_the_terminal_ends_the_demo_cleanly_and_removes_its_database() {
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["demo"], 80, 24);
    term.wait_for("Dana Demo");
    let tmp = home.path().join("tmp");
    assert_eq!(
        entries(&tmp),
        1,
        "the demo keeps its database in one temp dir"
    );

    term.hang_up();
    assert_eq!(term.wait_exit(), 0);
    assert_eq!(entries(&tmp), 0, "the demo's temp dir is removed");
}

fn entries(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).expect("readable dir").count()
}

/// Moves the selection down until the selected row (marked `>`) names `text`.
fn select_row(term: &mut Terminal, text: &str) {
    for _ in 0..10 {
        let selected = term
            .screen()
            .lines()
            .any(|line| line.contains('>') && line.contains(text));
        if selected {
            return;
        }
        term.press(Key::Down);
    }
    panic!("could not select {text:?}:\n{}", term.screen());
}

/// Moves focus to the dialog's confirming button and presses it.
fn confirm(term: &mut Terminal) {
    term.press(Key::Tab);
    term.press(Key::Enter);
}

/// The code an authenticator app shows `ahead` seconds from now.
fn totp_code(secret: &str, ahead: u64) -> String {
    crate::support::totp_at(secret, crate::support::unix_now() + ahead)
}

/// The key as the enrolment screen shows it: groups of four base32
/// characters beside the QR code (whose block glyphs never match).
fn key_on_screen(screen: &str) -> String {
    let groups: Vec<&str> = screen
        .split_whitespace()
        .filter(|w| {
            w.len() == 4
                && w.bytes()
                    .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        })
        .collect();
    assert_eq!(groups.len(), 8, "a 32-character key:\n{screen}");
    groups.concat()
}

#[test]
fn turns_on_two_factor_from_the_console_then_signs_in_with_a_code() {
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["--server", &server.url], 80, 24);
    term.wait_for("Password");
    type_into_login(&mut term, EMAIL, PASSWORD);
    term.wait_for("Ada Lovelace");

    term.type_text("4");
    term.wait_for("Off: add an authenticator app");
    select_row(&mut term, "Two-factor");
    term.press(Key::Enter);
    term.wait_for("Enter your password to set it up");
    term.type_text(PASSWORD);
    term.press(Key::Enter);
    let qr = term.wait_for("Set up two-factor sign-in");
    assert!(qr.contains('█'), "the QR code is drawn at 80x24:\n{qr}");
    let key = key_on_screen(&qr);

    term.type_text(&totp_code(&key, 0));
    term.press(Key::Enter);
    let codes = term.wait_for("shown only now");
    let recovery = codes
        .split_whitespace()
        .filter(|w| w.len() == 12 && w.matches('-').count() == 2 && !w.contains("two"))
        .count();
    assert_eq!(recovery, 10, "ten recovery codes:\n{codes}");
    // Leaving is refused until the codes are confirmed as saved.
    term.press(Key::Esc);
    term.wait_for("not shown again");
    term.press(Key::Enter);
    term.wait_for("Two-factor sign-in is on");

    term.press(Key::Esc);
    term.wait_for("On: authenticator app");
    term.type_text("L");
    term.wait_for("Sign out of");
    confirm(&mut term);
    term.wait_for("Signed out");
    term.type_text(PASSWORD);
    term.press(Key::Enter);
    term.wait_for("authenticator app");
    // The code of the next time step: the one used to enrol is spent.
    term.type_text(&totp_code(&key, 30));
    term.press(Key::Enter);
    let overview = term.wait_for("Ada Lovelace");
    assert!(overview.contains("Signed in as"), "{overview}");

    // Every step is in the security log, newest first.
    term.type_text("4");
    select_row(&mut term, "Security log");
    term.press(Key::Enter);
    let log = term.wait_for("Two-factor sign-in turned on");
    for step in ["Signed in", "Signed out", "Account created"] {
        assert!(log.contains(step), "{step} in the log:\n{log}");
    }
    let newest = log.find("Signed in").expect("a sign-in");
    let enabled = log.find("Two-factor sign-in turned on").expect("enabled");
    assert!(newest < enabled, "newest first:\n{log}");
    // One kind only, through the filter.
    term.type_text("f");
    term.type_text("turned off");
    term.press(Key::Enter);
    term.wait_for("No \"Two-factor sign-in turned off\" events");

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn when_the_server_goes_away_the_console_says_so_and_recovers_by_itself() {
    let mut server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["--server", &server.url], 80, 24);
    term.wait_for("Password");
    type_into_login(&mut term, EMAIL, PASSWORD);
    term.wait_for("Ada Lovelace");

    server.stop();
    term.type_text("2");
    let down = term.wait_for("Trying again by itself");
    assert!(down.contains("Cannot reach"), "says why:\n{down}");

    // Back on the same address: the next retry loads the list, no key needed.
    server.restart();
    let back = term.wait_for("1 signed in");
    assert!(!back.contains("Cannot reach"), "{back}");

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn rapid_resizes_down_to_nothing_and_back_leave_a_whole_screen() {
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["demo"], 80, 24);
    term.wait_for("Dana Demo");
    for (cols, rows) in [(200, 60), (10, 3), (1, 1), (79, 23), (300, 100), (40, 12)]
        .into_iter()
        .cycle()
        .take(30)
    {
        term.resize(cols, rows);
    }
    term.resize(100, 30);
    let screen = term.wait_for("Dana Demo");
    assert!(
        screen.contains("1 Overview"),
        "the layout is back:\n{screen}"
    );
    term.type_text("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_server_down_at_start_keeps_what_was_typed_and_signs_in_once_it_is_back() {
    let mut server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    server.stop();
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["--server", &server.url], 80, 24);
    term.wait_for("Password");
    type_into_login(&mut term, EMAIL, PASSWORD);
    let down = term.wait_for("Cannot reach");
    assert!(down.contains(EMAIL), "the email stays:\n{down}");
    assert!(
        !down.contains(PASSWORD),
        "the password stays hidden:\n{down}"
    );

    // Nothing to type again: the same form, sent once more.
    server.restart();
    term.press(Key::Enter);
    term.wait_for("Ada Lovelace");
    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}

/// The console with the real Secret Service (gnome-keyring in its own
/// D-Bus session): signed in once, the next start needs no password, and
/// quitting gives the terminal back.
#[test]
fn the_console_keeps_its_sign_in_in_the_secret_service_keyring() {
    if !support::programs_present(&["dbus-run-session", "gnome-keyring-daemon"]) {
        return;
    }
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let acctl = env!("CARGO_BIN_EXE_acctl");
    let url = &server.url;
    // Two runs in one D-Bus session; the pause between them lets the test
    // look at the terminal the first one left behind.
    let script = format!(
        r#"eval "$(printf 'keyring-test' | gnome-keyring-daemon --unlock --components=secrets | sed 's/^/export /')"
"{acctl}" --server {url}
echo "first run ended"; read _
"{acctl}" --server {url}
echo "second run ended"; read _"#
    );
    let run = home.path().join("run");
    std::fs::create_dir_all(&run).expect("runtime dir");
    let run = run.display().to_string();
    let command = support::pty::command_in(
        home.path(),
        &["dbus-run-session", "--", "sh", "-c", &script],
        &[
            ("ACCTL_KEYRING_BACKEND", "secret-service"),
            ("ACCTL_KEYRING_TIMEOUT_SECS", "10"),
            ("XDG_RUNTIME_DIR", &run),
        ],
    );
    let mut term = Terminal::spawn(command, 80, 24);
    term.wait_for("Password");
    type_into_login(&mut term, EMAIL, PASSWORD);
    let overview = term.wait_for("Ada Lovelace");
    assert!(!overview.contains("memory"), "a real keyring:\n{overview}");
    term.press(Key::CtrlC);
    term.wait_for("first run ended");
    assert!(!term.in_alternate_screen(), "the terminal is given back");

    // The account's name shows only once signed in: no form this time.
    term.press(Key::Enter);
    term.wait_for("Ada Lovelace");
    term.type_text("q");
    term.wait_for("second run ended");
    assert!(!term.in_alternate_screen());
    term.press(Key::Enter);
    assert_eq!(term.wait_exit(), 0);
}

/// Answers every request on a loopback port with `answer`, as a broken
/// proxy in front of a server would.
fn junk_server(answer: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    url
}

#[test]
fn an_html_error_page_reads_as_an_error_with_its_request_id_and_the_details_are_logged() {
    let url = junk_server(
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nx-request-id: req-proxy-4711\r\n\
         Content-Length: 51\r\nConnection: close\r\n\r\n\
         <html><body><h1>502 Bad Gateway</h1></body></html>\n",
    );
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["--server", &url], 80, 24);
    term.wait_for("Password");
    type_into_login(&mut term, EMAIL, PASSWORD);
    let screen = term.wait_for("req-proxy-4711");
    assert!(screen.contains("HTTP 502"), "says what came:\n{screen}");
    assert!(!screen.contains("<html>"), "no markup on screen:\n{screen}");
    assert!(screen.contains(EMAIL), "what was typed stays:\n{screen}");
    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);

    let logs: String = std::fs::read_dir(home.path().join("state/logs"))
        .expect("a state dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("acctl.log"))
        .map(|e| std::fs::read_to_string(e.path()).expect("a readable log"))
        .collect();
    assert!(logs.contains("req-proxy-4711"), "the log has it:\n{logs}");
    assert!(!logs.contains(PASSWORD), "and never the password");
}

#[test]
fn a_panic_gives_the_terminal_back_before_saying_what_happened() {
    let home = tempfile::tempdir().expect("home");
    let argv = [env!("CARGO_BIN_EXE_acctl"), "demo"];
    // No backtrace: its lines would push the message off a 24-row screen.
    let env = [("ACCTL_DEBUG_PANIC_KEY", "%"), ("RUST_BACKTRACE", "0")];
    let command = support::pty::command_in(home.path(), &argv, &env);
    let mut term = Terminal::spawn(command, 80, 24);
    term.wait_for("Dana Demo");
    assert!(term.in_alternate_screen());
    term.type_text("%");
    let screen = term.wait_for("ACCTL_DEBUG_PANIC_KEY");
    assert_ne!(term.wait_exit(), 0);
    assert!(
        !term.in_alternate_screen(),
        "the message is on the normal screen:\n{screen}"
    );
}

#[test]
fn edits_the_name_on_the_profile_and_sees_it_on_the_overview() {
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["demo"], 80, 24);
    term.wait_for("Dana Demo");
    term.type_text("3");
    term.wait_for("Preferences");
    // Enter edits the name, the cursor after what is there.
    term.press(Key::Enter);
    term.type_text(" Jr");
    term.wait_for("unsaved: Name");
    term.press(Key::Enter);
    term.wait_for("Profile saved");
    // Esc stops editing, so 1 goes to the overview instead of the field.
    term.press(Key::Esc);
    term.type_text("1");
    let overview = term.wait_for("Dana Demo Jr");
    assert!(overview.contains("Overview"), "{overview}");
    term.type_text("q");
    assert_eq!(term.wait_exit(), 0);
}
