//! `acctl notifications` of the real binary against a real acctd on
//! 127.0.0.1, as a script runs it (a kernel session keyring per person,
//! `support::cli`); skipped only when `keyctl` is missing, never under CI.

use crate::support;

use acctl_api::notifications::{LOCKED_REASON, Notification, NotificationSettings};
use support::cli::{Person, signed_in};

/// The cells as a bare array, as every list prints: the wire type's
/// `settings`.
fn settings(person: &Person) -> NotificationSettings {
    let stdout = person.ok(&["notifications", "settings", "--json"]);
    let settings = serde_json::from_str(&stdout).expect("an array of the wire type's cells");
    NotificationSettings { settings }
}

fn inbox(person: &Person, args: &[&str]) -> Vec<Notification> {
    let mut all = vec!["notifications", "list", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&person.ok(&all)).expect("a JSON array of notifications")
}

#[test]
fn settings_show_as_a_table_and_parse_back_as_json() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let matrix = settings(&person);
    assert_eq!(matrix.settings.len(), 5 * 4, "every cell");
    let locked: Vec<_> = matrix.settings.iter().filter(|c| c.locked).collect();
    assert_eq!(locked.len(), 1, "{locked:?}");
    assert_eq!(locked[0].category.as_str(), "security");
    assert_eq!(locked[0].channel.as_str(), "email");

    let table = person.ok(&["notifications", "settings"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0], "CATEGORY   EMAIL  PUSH  SMS  IN-APP", "{table}");
    assert!(lines[1].starts_with("security   on*"), "{table}");
    let reason = locked[0].locked_reason.as_deref().unwrap_or(LOCKED_REASON);
    assert!(
        table.contains(&format!(
            "* security email: {}",
            reason.trim_end_matches('.')
        )),
        "{table}"
    );
}

#[test]
fn set_then_settings_show_it() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let before = settings(&person);
    let cell = |s: &NotificationSettings| {
        s.settings
            .iter()
            .find(|c| c.category.as_str() == "product" && c.channel.as_str() == "in_app")
            .map(|c| c.enabled)
            .expect("the product in-app cell")
    };
    let want = if cell(&before) { "off" } else { "on" };
    let stdout = person.ok(&["notifications", "set", "product", "in-app", want]);
    assert_eq!(
        stdout,
        format!(
            "product in-app: {} → {want}\n",
            if want == "on" { "off" } else { "on" }
        )
    );
    let after = settings(&person);
    assert_eq!(cell(&after), want == "on");
    let changed = before
        .settings
        .iter()
        .zip(&after.settings)
        .filter(|(b, a)| b.enabled != a.enabled)
        .count();
    assert_eq!(changed, 1, "only the cell asked for");

    let stdout = person.ok(&["notifications", "set", "product", "in_app", want]);
    assert!(stdout.starts_with("Nothing changed"), "{stdout}");
}

#[test]
fn the_locked_cell_is_refused_with_the_reason_and_exit_6() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let (code, stdout, stderr) =
        person.run(&["notifications", "set", "security", "email", "off"], "");
    assert_eq!(code, 6, "{stdout}{stderr}");
    assert!(
        stderr.starts_with("error: security email cannot be turned off: "),
        "{stderr}"
    );
    assert!(stderr.contains("Nothing was changed"), "{stderr}");
    let cell = settings(&person)
        .settings
        .into_iter()
        .find(|c| c.locked)
        .expect("locked cell");
    assert!(cell.enabled, "still on");
}

#[test]
fn bad_names_are_refused_before_sending_with_the_valid_ones() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let (code, _, stderr) = person.run(&["notifications", "set", "news", "email", "on"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("security, account, billing, product, marketing"),
        "{stderr}"
    );
    let (code, _, stderr) = person.run(&["notifications", "set", "product", "fax", "on"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("email, push, sms, in-app"), "{stderr}");
    let (code, _, stderr) = person.run(&["notifications", "set", "product", "sms", "maybe"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("on") && stderr.contains("off"), "{stderr}");
}

#[test]
fn list_unread_and_read_all_leaves_none() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    // Each sign-in is a security notification in the inbox.
    for _ in 0..2 {
        person.sign_in(&server.url);
    }
    let all = inbox(&person, &[]);
    assert!(all.len() >= 3, "{all:?}");
    let newest_first = all.windows(2).all(|w| w[0].created_at >= w[1].created_at);
    assert!(newest_first, "{all:?}");
    let limited = inbox(&person, &["--limit", "2"]);
    assert_eq!(limited.len(), 2);
    assert_eq!(limited[0].id, all[0].id);

    // One read by id: it leaves the unread list.
    let first = all[0].id.clone();
    let stdout = person.ok(&["notifications", "read", &first]);
    assert!(stdout.starts_with("Marked read: "), "{stdout}");
    let unread = inbox(&person, &["--unread"]);
    assert!(unread.iter().all(|n| n.read_at.is_none()), "{unread:?}");
    assert!(!unread.iter().any(|n| n.id == first), "{unread:?}");
    assert_eq!(unread.len(), all.len() - 1);

    let table = person.ok(&["notifications", "list", "--unread"]);
    assert!(
        table.lines().nth(1).is_some_and(|l| l.starts_with('*')),
        "{table}"
    );

    let stdout = person.ok(&["notifications", "read", "--all"]);
    assert_eq!(stdout, "Marked every notification read; 0 unread.\n");
    assert!(inbox(&person, &["--unread"]).is_empty());
    let table = person.ok(&["notifications", "list", "--unread"]);
    assert_eq!(table, "No unread notifications.\n");

    let (code, _, stderr) = person.run(&["notifications", "read", "no-such-id"], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("acctl notifications list"), "{stderr}");
}

const COMMANDS: &[&[&str]] = &[
    &["notifications", "settings"],
    &["notifications", "set", "marketing", "email", "off"],
    &["notifications", "list", "--json"],
    &["notifications", "read", "--all"],
];

#[test]
fn signed_out_they_answer_as_sessions_list_does() {
    support::cli::assert_signed_out_like_sessions_list(COMMANDS);
}

#[test]
fn an_unreachable_server_exits_3() {
    let Some((mut server, person)) = signed_in() else {
        return;
    };
    server.stop();
    person.assert_each_unreachable(COMMANDS.iter().copied(), "");
}
