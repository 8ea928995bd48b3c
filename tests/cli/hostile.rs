//! A hostile server (support/hostile.rs: acctd behind a proxy that starts
//! every free-text string with escape sequences, OSC 52, C1, CR/LF and
//! bidirectional overrides): no such character reaches the terminal from
//! any command, in its plain text, its tables, its `--json` or its errors.
//! One test per surface, each feeding the whole payload to every command.

use crate::support;

use support::cli::{Person, keyctl_present};
use support::hostile::{HostileServer, SHOWN, assert_clean};

/// The demo account (every kind of data) behind the hostile proxy, and a
/// person signed in to it; None (skipped) without `keyctl`.
fn signed_in() -> Option<(HostileServer, Person)> {
    if !keyctl_present() {
        return None;
    }
    let server = HostileServer::start();
    let (email, password) = server.upstream.seed_demo();
    let person = Person::new();
    let (code, stdout, stderr) = person.login_as(&server.url, &email, &password);
    assert_eq!(code, 0, "login: {stdout}{stderr}");
    assert_clean("login", &format!("{stdout}{stderr}"));
    Some((server, person))
}

/// Runs each command, which must succeed; every byte it prints is clean,
/// and together they show the cleaned payload (the text was not hidden).
fn assert_each_clean(person: &Person, commands: &[&[&str]]) -> String {
    let mut all = String::new();
    for args in commands {
        let (code, stdout, stderr) = person.run(args, "");
        assert_eq!(code, 0, "{args:?}: {stdout}{stderr}");
        assert_clean(&format!("{args:?} stdout"), &stdout);
        assert_clean(&format!("{args:?} stderr"), &stderr);
        all.push_str(&stdout);
    }
    all
}

#[test]
fn tables_show_the_server_text_without_its_controls_row_by_row() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let tables: &[&[&str]] = &[
        &["sessions", "list"],
        &["security-log"],
        &["notifications", "list"],
        &["notifications", "settings"],
        &["billing", "plans"],
        &["invoices", "list"],
        &["status", "--all"],
    ];
    let all = assert_each_clean(&person, tables);
    assert!(all.contains(SHOWN), "the cleaned text is shown:\n{all}");
    // A line break in a device name starts no row of its own: one line
    // per session, the header and the hint.
    let sessions = person.ok(&["sessions", "list"]);
    let count = person.json(&["sessions", "list", "--json"]);
    let rows = count.as_array().map_or(0, Vec::len);
    assert!(rows > 1, "{count}");
    assert_eq!(sessions.lines().count(), rows + 2, "{sessions}");
    let log = person.ok(&["security-log", "--limit", "5"]);
    assert!(log.lines().count() <= 5 + 3, "{log}");
}

#[test]
fn plain_output_shows_the_server_text_without_its_controls() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let plain: &[&[&str]] = &[
        &["status"],
        &["profile", "show"],
        &["preferences", "show"],
        &["mfa", "status"],
        &["privacy", "show"],
        &["billing", "show"],
        &["api", "GET", "/v1/me"],
        &["api", "-i", "GET", "/v1/me/sessions"],
        &["api", "GET", "/v1/me/notifications"],
    ];
    let all = assert_each_clean(&person, plain);
    assert!(all.contains(SHOWN), "the cleaned text is shown:\n{all}");
    // The headers too: a C1 and an override spelled in a header's bytes.
    let head = person.ok(&["api", "-i", "GET", "/v1/me"]);
    assert!(
        head.contains("x-request-id: req_\u{fffd}2J\u{fffd}DESREVER"),
        "{head}"
    );
}

#[test]
fn json_output_escapes_every_control_and_keeps_the_text() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let json: &[&[&str]] = &[
        &["status", "--json"],
        &["status", "--all", "--json"],
        &["sessions", "list", "--json"],
        &["security-log", "--json"],
        &["profile", "show", "--json"],
        &["preferences", "show", "--json"],
        &["mfa", "status", "--json"],
        &["notifications", "list", "--json"],
        &["notifications", "settings", "--json"],
        &["privacy", "show", "--json"],
        &["billing", "show", "--json"],
        &["billing", "plans", "--json"],
        &["invoices", "list", "--json"],
    ];
    let all = assert_each_clean(&person, json);
    for args in json {
        let (_, stdout, _) = person.run(args, "");
        let value: serde_json::Value =
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{stdout}"));
        assert!(!value.is_null(), "{args:?}");
    }
    assert!(all.contains(SHOWN), "the cleaned text is kept:\n{all}");
}

#[test]
fn errors_the_server_words_reach_stderr_without_their_controls() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let failing: &[&[&str]] = &[
        &["email", "verify", "000000"],
        &["sessions", "revoke", "ses_nope"],
        &["notifications", "read", "n_nope"],
        &["invoices", "download", "inv_nope"],
        &["api", "GET", "/v1/nope"],
        &["api", "GET", "/v1/me/exports/exp_nope"],
    ];
    let mut stderr_all = String::new();
    for args in failing {
        let (code, stdout, stderr) = person.run(args, "");
        assert_ne!(code, 0, "{args:?}: {stdout}{stderr}");
        assert_clean(&format!("{args:?} stdout"), &stdout);
        assert_clean(&format!("{args:?} stderr"), &stderr);
        stderr_all.push_str(&stdout);
        stderr_all.push_str(&stderr);
    }
    assert!(
        stderr_all.contains(SHOWN),
        "the server's words are told, cleaned:\n{stderr_all}"
    );
}

#[test]
fn changes_print_what_the_server_answered_without_its_controls() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    let (_, password) = server.upstream.seed_demo();
    let export = person.path("export.json").display().to_string();
    let changes: &[(&[&str], String)] = &[
        (
            &["profile", "set", "--phone", "+44 1632 960962"],
            String::new(),
        ),
        (
            &["preferences", "set", "--language", "en-GB"],
            String::new(),
        ),
        (
            &["notifications", "set", "product", "email", "on"],
            String::new(),
        ),
        (&["privacy", "set", "--analytics", "off"], String::new()),
        (&["billing", "change", "team", "--yes"], String::new()),
        (&["billing", "cancel"], "y\n".into()),
        (&["billing", "resume"], "y\n".into()),
        (&["export", "--output", &export], String::new()),
        (
            &["mfa", "enroll", "--password-stdin"],
            format!("{password}\n000000\n"),
        ),
        (
            &["password", "change", "--password-stdin"],
            "not the password\nan entirely new password\n".into(),
        ),
        (
            &["email", "change", "new@example.com", "--password-stdin"],
            format!("{password}\n"),
        ),
        (&["logout"], String::new()),
    ];
    let mut all = String::new();
    for (args, input) in changes {
        let (_, stdout, stderr) = person.run(args, input);
        assert_clean(&format!("{args:?} stdout"), &stdout);
        assert_clean(&format!("{args:?} stderr"), &stderr);
        all.push_str(&stdout);
        all.push_str(&stderr);
    }
    assert!(all.contains(SHOWN), "the server's words are shown:\n{all}");
}
