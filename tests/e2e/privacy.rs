//! End-to-end: the demo's Notifications and Privacy screens against the
//! real server: settings saved as they are toggled, and the data export
//! saved where the person says, as a document the contract can read.

use crate::support;

use support::pty::{Key, Terminal};

#[test]
fn the_demo_exports_its_data_to_a_file_that_parses_as_the_export_document() {
    let home = tempfile::tempdir().expect("home");
    let out = tempfile::tempdir().expect("a folder for the export");
    let target = out.path().join("my-export.json");
    let mut term = Terminal::acctl(home.path(), &["demo"], 100, 30);
    term.wait_for("Dana Demo");

    term.type_text("6");
    term.wait_for("Export my data");
    for _ in 0..4 {
        term.press(Key::Down);
    }
    term.wait_until("the export row selected", |s| {
        s.lines().any(|l| l.contains(">Export my data"))
    });
    term.press(Key::Enter);
    // Polled until ready, then the path is asked for.
    let asked = term.wait_for("Save to");
    assert!(
        asked.contains("acctl-export-"),
        "a default name is offered:\n{asked}"
    );
    for _ in 0..200 {
        term.press(Key::Backspace);
    }
    term.wait_until("the path emptied", |s| !s.contains("acctl-export-"));
    term.type_text(&target.display().to_string());
    term.press(Key::Enter);
    let done = term.wait_for("Saved to");
    assert!(
        done.contains("my-export.json"),
        "says where the file is:\n{done}"
    );

    let text = std::fs::read_to_string(&target).expect("the export was written");
    let document: acctl_api::privacy::ExportDocument =
        serde_json::from_str(&text).expect("parses as the export document");
    assert_eq!(
        document.format_version,
        acctl_api::privacy::EXPORT_FORMAT_VERSION
    );
    assert!(!document.account.email.is_empty());

    term.type_text("q");
    assert_eq!(term.wait_exit(), 0);
}

/// The focused row of the notifications grid, as drawn.
fn grid_row<'a>(screen: &'a str, label: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(label) && l.contains('['))
        .unwrap_or("")
}

#[test]
fn the_demo_saves_notification_and_privacy_settings_as_they_are_toggled() {
    let home = tempfile::tempdir().expect("home");
    let mut term = Terminal::acctl(home.path(), &["demo"], 100, 30);
    term.wait_for("Dana Demo");

    term.type_text("5");
    term.wait_for("In-app");
    // Security by email is locked: Space says why and changes nothing.
    term.type_text(" ");
    let locked = term.wait_for("Locked:");
    assert!(grid_row(&locked, "Security").contains(">[x]*"), "{locked}");
    // Security by push: on, then off once the server said so.
    term.type_text("l");
    term.type_text(" ");
    let saved = term.wait_until("security by push off and saved", |s| {
        grid_row(s, "Security").contains(">[ ] ")
    });
    assert!(!saved.contains("Not saved"), "{saved}");
    // Loaded afresh, the change is still there.
    term.type_text("r");
    term.wait_until("reloaded with push off", |s| {
        grid_row(s, "Security").contains(">[ ] ") && !s.contains("refreshing")
    });

    term.type_text("6");
    term.wait_for("Analytics");
    term.press(Key::Down);
    term.press(Key::Down);
    term.type_text(" ");
    let on = term.wait_until("analytics on and saved", |s| {
        s.lines()
            .any(|l| l.contains(">Analytics") && l.contains("[x] on") && !l.contains("saving"))
    });
    assert!(!on.contains("Could not change"), "{on}");

    term.type_text("q");
    assert_eq!(term.wait_exit(), 0);
}
