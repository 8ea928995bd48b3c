//! End-to-end: the real `acctl demo` in a pseudo-terminal against its own
//! acctd, on the Billing screen: a plan change through its preview, an
//! invoice opened and its PDF saved.

use crate::support;

use support::pty::{Key, Terminal, command_in};

#[test]
fn the_demo_changes_plan_through_a_preview_and_saves_an_invoice_pdf() {
    let home = tempfile::tempdir().expect("home");
    let downloads = home.path().join("dl");
    std::fs::create_dir_all(&downloads).expect("downloads folder");
    let dl = downloads.display().to_string();
    let argv = [env!("CARGO_BIN_EXE_acctl"), "demo"];
    let command = command_in(home.path(), &argv, &[("XDG_DOWNLOAD_DIR", &dl)]);
    let mut term = Terminal::spawn(command, 100, 30);
    term.wait_for("Dana Demo");

    term.type_text("7");
    let plan = term.wait_for("Pro, billed monthly");
    assert!(plan.contains("Pro (your plan)"), "{plan}");
    // Team is the next plan; Enter asks for its price first.
    term.press(Key::Down);
    term.press(Key::Enter);
    let preview = term.wait_for("Due now:");
    assert!(preview.contains("Change to Team"), "{preview}");
    assert!(preview.contains("backs out"), "{preview}");
    term.press(Key::Enter);
    let changed = term.wait_for("Team, billed monthly:");
    assert!(
        !changed.contains("Due now:"),
        "the preview closed:\n{changed}"
    );

    // The invoices, newest first: the change's own invoice leads.
    term.press(Key::Tab);
    term.wait_for("INV-");
    term.press(Key::Enter);
    let detail = term.wait_for("Subtotal");
    assert!(detail.contains("Total"), "{detail}");
    term.type_text("s");
    term.wait_for("Save to");
    term.press(Key::Enter);
    term.wait_for("Saved INV-");

    let pdfs: Vec<_> = std::fs::read_dir(&downloads)
        .expect("downloads")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 1, "one PDF saved: {pdfs:?}");
    let bytes = std::fs::read(&pdfs[0]).expect("the PDF");
    assert!(
        bytes.starts_with(b"%PDF-"),
        "a PDF: {:?}",
        &bytes[..8.min(bytes.len())]
    );

    term.press(Key::CtrlC);
    assert_eq!(term.wait_exit(), 0);
}
