//! Where the text of a multi-line field goes on screen: its lines, wrapped
//! at the field's width, and the row and column of the cursor. Widths are
//! terminal cells, so wide characters wrap where the terminal would.

use unicode_width::UnicodeWidthChar as _;

/// One row on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Index (in chars of the whole value) of the row's first char.
    pub start: usize,
    pub text: String,
}

/// The value's rows at `width` cells: each line break starts a row, and a
/// line wider than `width` continues on the next, after its last space
/// where there is one (a word longer than the row is cut).
pub fn rows(value: &str, width: usize) -> Vec<Row> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    for line in value.split('\n') {
        let chars: Vec<char> = line.chars().collect();
        let cells = |from: usize, to: usize| -> usize {
            chars[from..to].iter().map(|c| c.width().unwrap_or(0)).sum()
        };
        let mut from = 0;
        let mut space = None;
        for (i, c) in chars.iter().enumerate() {
            if cells(from, i + 1) > width && i > from {
                let cut = space.filter(|&s| s > from).unwrap_or(i);
                out.push(Row {
                    start: start + from,
                    text: chars[from..cut].iter().collect(),
                });
                from = cut;
                space = None;
            }
            if *c == ' ' {
                space = Some(i + 1);
            }
        }
        out.push(Row {
            start: start + from,
            text: chars[from..].iter().collect(),
        });
        start += chars.len() + 1;
    }
    out
}

/// The row and the column (in cells) of the cursor, at char `cursor`. At
/// a wrap, the cursor goes to the start of the next row.
pub fn cursor_at(rows: &[Row], cursor: usize) -> (usize, usize) {
    let row = rows.iter().rposition(|r| r.start <= cursor).unwrap_or(0);
    let col = rows.get(row).map_or(0, |r| {
        r.text
            .chars()
            .take(cursor.saturating_sub(r.start))
            .map(|c| c.width().unwrap_or(0))
            .sum()
    });
    (row, col)
}

/// The first row to show, `visible` at a time, so the cursor's row shows.
pub fn first_shown(cursor_row: usize, visible: usize) -> usize {
    (cursor_row + 1).saturating_sub(visible.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.text.as_str()).collect()
    }

    #[test]
    fn line_breaks_start_rows_and_long_lines_wrap() {
        let r = rows("ab\n\ncdefg", 3);
        assert_eq!(texts(&r), ["ab", "", "cde", "fg"]);
        assert_eq!(r.iter().map(|r| r.start).collect::<Vec<_>>(), [0, 3, 4, 7]);
    }

    #[test]
    fn the_cursor_is_found_on_its_row_and_moves_on_at_a_wrap() {
        let r = rows("ab\ncdefg", 3);
        assert_eq!(cursor_at(&r, 0), (0, 0));
        assert_eq!(cursor_at(&r, 2), (0, 2), "end of the first line");
        assert_eq!(cursor_at(&r, 3), (1, 0), "after the line break");
        assert_eq!(cursor_at(&r, 6), (2, 0), "at the wrap: the next row");
        assert_eq!(cursor_at(&r, 8), (2, 2), "the end");
    }

    #[test]
    fn long_lines_wrap_after_a_space_where_there_is_one() {
        let r = rows("Tries every screen of acctl", 12);
        assert_eq!(texts(&r), ["Tries every ", "screen of ", "acctl"]);
        let r = rows("abcdefghij", 4);
        assert_eq!(texts(&r), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn wide_characters_wrap_by_cells() {
        let r = rows("日本語です", 4);
        assert_eq!(texts(&r), ["日本", "語で", "す"]);
        assert_eq!(cursor_at(&r, 1), (0, 2));
    }

    #[test]
    fn the_view_follows_the_cursor_down() {
        assert_eq!(first_shown(0, 3), 0);
        assert_eq!(first_shown(2, 3), 0);
        assert_eq!(first_shown(5, 3), 3);
    }
}
