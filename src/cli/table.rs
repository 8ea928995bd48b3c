//! Plain-text tables for a terminal: every column as wide as its widest
//! cell, two spaces apart, no trailing spaces. No colour, so output reads
//! the same piped, with NO_COLOR, or in a terminal.

/// `rows` (the header first) as aligned lines, each ending in a newline.
pub(super) fn columns(rows: &[Vec<String>]) -> String {
    let count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..count)
        .map(|col| {
            rows.iter()
                .filter_map(|row| row.get(col))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Text from the server on one table line: control characters and line
/// breaks would break the table (or rewrite the terminal).
pub(super) fn one_line(text: &str) -> String {
    super::profile::printable(text).replace('\n', " ")
}

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
    }
}
