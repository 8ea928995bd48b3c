//! `acctl admin` of the real binary against a real acctd, as a script runs
//! it: an administrator finds an account, disables it (the step-up proof
//! read from `--password-stdin`), reads the audit log; without a terminal
//! or `--password-stdin` the proof cannot be asked (exit 2); an account
//! that is not an administrator gets exit 8; a reset password is chosen
//! again with `acctl password reset` and the mailed code.

use crate::support;

use support::cli::{EMAIL, PASSWORD, Person, keyctl_present, signed_in};
use support::pty::Terminal;
use support::server::TestServer;

const OTHER: &str = "bob@example.com";

fn stdin_password() -> String {
    format!("{PASSWORD}\n")
}

#[test]
fn an_administrator_finds_disables_and_audits_an_account() {
    let Some((server, admin)) = signed_in() else {
        eprintln!("skipped: no keyctl");
        return;
    };
    server.grant_admin(EMAIL);
    server.add_user(OTHER, "Bob Brun", PASSWORD);

    let list = admin.json(&["admin", "users", "list", "--query", "BOB", "--json"]);
    assert_eq!(list[0]["email"], OTHER, "{list}");
    assert_eq!(list[0]["status"], "active", "{list}");
    let table = admin.ok(&["admin", "users", "list", "--limit", "1"]);
    assert!(table.starts_with("EMAIL"), "{table}");
    assert!(table.contains("pass --limit for more"), "{table}");

    // No terminal and no --password-stdin: the proof cannot be asked.
    let disable = [
        "admin",
        "users",
        "disable",
        OTHER,
        "--reason",
        "spam reports",
    ];
    let (code, stdout, stderr) = admin.run(&disable, "");
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("--password-stdin"), "{stderr}");

    let mut with_stdin = disable.to_vec();
    with_stdin.push("--password-stdin");
    let (code, stdout, stderr) = admin.run(&with_stdin, &stdin_password());
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.starts_with(&format!("Disabled {OTHER}")), "{stdout}");
    let shown = admin.json(&["admin", "users", "show", OTHER, "--json"]);
    assert_eq!(shown["status"], "disabled", "{shown}");
    assert_eq!(shown["active_sessions"], 0, "{shown}");

    // Again: refused, and running again will not help (exit 6).
    let (code, _, stderr) = admin.run(&with_stdin, &stdin_password());
    assert_eq!(code, 6, "{stderr}");
    let (code, _, stderr) = admin.run(
        &[
            "admin",
            "users",
            "mfa-reset",
            EMAIL,
            "--reason",
            "me",
            "--password-stdin",
        ],
        &stdin_password(),
    );
    assert_eq!(code, 6, "{stderr}");
    assert!(stderr.contains("your own account"), "{stderr}");

    let audit = admin.json(&["admin", "audit", "--target", OTHER, "--json"]);
    assert_eq!(audit[0]["action"], "disable_account", "{audit}");
    assert_eq!(audit[0]["reason"], "spam reports", "{audit}");
    assert_eq!(audit[0]["actor_email"], EMAIL, "{audit}");
    let text = admin.ok(&["admin", "audit"]);
    assert!(
        text.contains("disable_account") && text.contains("(acctd users)"),
        "{text}"
    );

    let (code, _, stderr) = admin.run(&["admin", "users", "show", "nobody@example.com"], "");
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = admin.run(&["admin", "users", "disable", OTHER, "--reason", " "], "");
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn an_account_that_is_not_an_administrator_gets_its_own_exit_code() {
    let Some((_server, person)) = signed_in() else {
        eprintln!("skipped: no keyctl");
        return;
    };
    for args in [
        &["admin", "users", "list"][..],
        &["admin", "audit", "--json"][..],
        &["admin", "users", "show", "x1"][..],
    ] {
        let (code, stdout, stderr) = person.run(args, "");
        assert_eq!(code, 8, "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains("administrator"), "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
    }
}

#[test]
fn a_reset_password_is_chosen_again_with_the_mailed_code() {
    if !keyctl_present() {
        eprintln!("skipped: no keyctl");
        return;
    }
    let server = TestServer::start_with(acctd::Config::for_tests().with_dev(true));
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    server.grant_admin(EMAIL);
    server.add_user(OTHER, "Bob Brun", PASSWORD);
    let admin = Person::new();
    admin.sign_in(&server.url);
    let bob = Person::new();
    assert_eq!(bob.login_as(&server.url, OTHER, PASSWORD).0, 0);

    let reset = [
        "admin",
        "users",
        "password-reset",
        OTHER,
        "--reason",
        "asked by phone, ID checked",
        "--password-stdin",
    ];
    let (code, stdout, stderr) = admin.run(&reset, &stdin_password());
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1 session ended"), "{stdout}");
    let (code, _, _) = bob.run(&["status"], "");
    assert_eq!(code, 4, "bob's session ended");

    let mail = server.outbox(OTHER);
    let body = &mail
        .iter()
        .find(|m| m.subject == "Choose a new password")
        .expect("the reset mail")
        .body;
    assert!(body.contains("acctl password reset --email"), "{body}");
    let sent: String = body
        .split("code: ")
        .nth(1)
        .expect("a code")
        .chars()
        .take(6)
        .collect();
    let new = "quartz-heron-mosaic-1187";
    let args = ["password", "reset", "--email", OTHER, "--password-stdin"];
    let (code, _, stderr) = bob.run(&args, &format!("000000\n{new}\n"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("code:"), "{stderr}");
    let (code, stdout, stderr) = bob.run(&args, &format!("{sent}\n{new}\n"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Your new password is set"), "{stdout}");
    assert_eq!(
        bob.login_as(&server.url, OTHER, PASSWORD).0,
        4,
        "the old one is gone"
    );
    assert_eq!(bob.login_as(&server.url, OTHER, new).0, 0);
}

#[test]
fn at_a_terminal_the_proof_is_asked_without_echo_and_the_change_sent_again() {
    let Some((server, admin)) = signed_in() else {
        eprintln!("skipped: no keyctl");
        return;
    };
    server.grant_admin(EMAIL);
    server.add_user(OTHER, "Bob Brun", PASSWORD);
    let args = [
        "admin",
        "users",
        "revoke-sessions",
        OTHER,
        "--reason",
        "laptop stolen",
    ];
    let mut term = Terminal::spawn(admin.in_terminal(&args), 100, 30);
    term.wait_for("Your password, to confirm it is you:");
    term.type_text("not my password\r");
    assert_eq!(term.wait_exit(), 1, "{}", term.screen());
    let screen = term.screen();
    assert!(screen.contains("that is not your password"), "{screen}");
    assert!(!screen.contains("not my password"), "no echo: {screen}");

    let mut term = Terminal::spawn(admin.in_terminal(&args), 100, 30);
    term.wait_for("Your password, to confirm it is you:");
    term.type_text(&format!("{PASSWORD}\r"));
    assert_eq!(term.wait_exit(), 0, "{}", term.screen());
    let screen = term.screen();
    assert!(
        screen.contains(&format!("Signed out 0 sessions of {OTHER}")),
        "{screen}"
    );
    assert!(!screen.contains(PASSWORD), "no echo: {screen}");
    // Within the proof's 10 minutes, nothing is asked.
    let (code, stdout, stderr) = admin.run(&args, "");
    assert_eq!(code, 0, "{stdout}{stderr}");
}
