//! The terminal cursor is the focus: screen readers and braille displays
//! follow it. Every snapshot of every screen is checked: where something
//! is marked focused (`>`, `✎`), the cursor is shown, on that row (or in
//! the multi-line field being edited); where nothing is, it is hidden or
//! at the start of what is being read.

use std::path::Path;

/// Snapshots where the cursor starts a text to read, with nothing to
/// choose: help, an opened message, the page of a scheduled deletion.
const READING: [&str; 4] = [
    "snapshot_tests__help_",
    "offers_snapshots__allauth_help_",
    "notice_snapshots__notifications_message_open_",
    "notice_snapshots__privacy_deletion_scheduled_",
];

/// Rows (0-based) marked as focused: a `>` at the start of a row or after
/// a border or a space, or `✎`. Titles (`Billing > Update card`) and the
/// header and footer rows do not count.
fn marked_rows(screen: &[&str]) -> Vec<usize> {
    let last = screen.len().saturating_sub(2);
    (1..last)
        .filter(|&i| {
            let line = screen[i];
            if line.contains('┌') || line.contains('└') {
                return false;
            }
            let chars: Vec<char> = line.chars().collect();
            chars.iter().enumerate().any(|(j, c)| {
                *c == '✎' || (*c == '>' && (j == 0 || matches!(chars[j - 1], ' ' | '│')))
            })
        })
        .collect()
}

/// The screen's lines and the cursor's row (None when hidden).
fn parse(text: &str) -> Option<(Vec<&str>, Option<usize>)> {
    let body = text.splitn(3, "---\n").nth(2)?;
    let lines: Vec<&str> = body.trim_end_matches('\n').lines().collect();
    let (cursor, screen) = lines.split_last()?;
    let row = cursor
        .strip_prefix("[cursor at column ")
        .and_then(|rest| rest.split(", row ").nth(1))
        .and_then(|row| row.trim_end_matches(']').parse().ok());
    Some((screen.to_vec(), row))
}

#[test]
fn the_cursor_sits_on_the_focused_element_in_every_snapshot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app/snapshots");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the snapshots") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let Some(name) = name.filter(|n| n.ends_with(".snap")) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("a snapshot");
        let Some((screen, cursor)) = parse(&text) else {
            continue;
        };
        checked += 1;
        let marked = marked_rows(&screen);
        let editing_above =
            |row: usize| (row.saturating_sub(3)..row).any(|i| screen[i].contains('✎'));
        let reading = READING.iter().any(|r| name.contains(r));
        let fine = match cursor {
            Some(row) => marked.contains(&row) || editing_above(row) || reading,
            None => marked.is_empty(),
        };
        if !fine {
            wrong.push(format!("{name}: cursor {cursor:?}, marked rows {marked:?}"));
        }
    }
    assert!(
        checked > 100,
        "only {checked} snapshots found in {}",
        dir.display()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
