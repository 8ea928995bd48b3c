//! End-to-end: the demo's Privacy screen exports the account's data and
//! saves it where the person says, as a document the contract can read.

mod support;

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
