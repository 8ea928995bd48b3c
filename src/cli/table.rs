//! Plain-text tables for a terminal: every column as wide as its widest
//! cell, two spaces apart, no trailing spaces. No colour, so output reads
//! the same piped, with NO_COLOR, or in a terminal. Widths are the columns
//! a terminal gives a cell (a CJK character or an emoji takes two, a
//! combining accent none), not its count of characters. Every cell is
//! cleaned to one line: a line break or a control from the server would
//! break the table or drive the terminal.

use unicode_width::UnicodeWidthStr as _;

/// `rows` (the header first) as aligned lines, each ending in a newline.
pub(super) fn columns(rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| one_line(cell)).collect())
        .collect();
    let count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..count)
        .map(|col| {
            rows.iter()
                .filter_map(|row| row.get(col))
                .map(|cell| cell.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| {
                let pad = width.saturating_sub(cell.width());
                format!("{cell}{}", " ".repeat(pad))
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Text from the server on one table line: control characters and line
/// breaks would break the table (or rewrite the terminal).
pub(super) use acctl_client::text::one_line;

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn columns_line_up_without_trailing_spaces() {
        let text = columns(&[row(&["ID", "NAME", ""]), row(&["1", "Ada Lovelace", "x"])]);
        assert_eq!(text, "ID  NAME\n1   Ada Lovelace  x\n");
        assert_eq!(columns(&[]), "");
    }

    #[test]
    fn server_text_stays_on_one_line() {
        assert_eq!(one_line("a\nb\u{1b}[2J"), "a b\u{fffd}[2J");
        let text = columns(&[row(&["A", "B"]), row(&["x\r\ny\u{9b}2J", "z"])]);
        assert_eq!(text, "A       B\nx y\u{fffd}2J  z\n");
    }

    #[test]
    fn wide_characters_line_up_by_the_columns_they_take() {
        let text = columns(&[
            row(&["NAME", "PLACE"]),
            row(&["李小龍", "x"]),
            row(&["🦀🦀", "y"]),
            row(&["Zoe\u{301}", "z"]),
        ]);
        // Every PLACE starts in the same terminal column.
        for line in text.lines() {
            let (name, _) = line.rsplit_once("  ").expect("two columns");
            assert_eq!(name.width(), 6, "{line:?}");
        }
    }
}
