//! A table that draws only the rows in view, so 10,000 rows cost what 20 do.
//! The selected row carries a `>` marker as well as the selection style, so
//! it is visible without colour.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::Text;
use ratatui::widgets::{HighlightSpacing, Row, Table, TableState};

use super::Ui;
use crate::keymap::Command;

/// Rows of the page before kept in view when the selection leaves it.
const CONTEXT: usize = 2;

/// Rows moved by PageUp/PageDown before the table has been drawn once.
const DEFAULT_PAGE: usize = 10;

/// Selection and scroll position. The offset and page height are written
/// while drawing (only then is the height known); everything else changes
/// through the methods below, from the screen's `update`.
#[derive(Debug, Default)]
pub struct ScrollState {
    selected: usize,
    len: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
}

impl ScrollState {
    pub fn selected(&self) -> Option<usize> {
        (self.len > 0).then_some(self.selected)
    }

    /// The number of rows changed (new data): keeps the selection in range.
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.len.saturating_sub(1));
    }

    pub fn up(&mut self, by: usize) {
        self.select(self.selected.saturating_sub(by));
    }

    pub fn down(&mut self, by: usize) {
        self.select(self.selected.saturating_add(by));
    }

    pub fn page(&self) -> usize {
        match self.page.get() {
            0 => DEFAULT_PAGE,
            n => n,
        }
    }

    pub fn top(&mut self) {
        self.select(0);
    }

    pub fn bottom(&mut self) {
        self.select(self.len.saturating_sub(1));
    }

    /// Moves the selection for a list command (Up, Down, a page, the top or
    /// the bottom); false when `command` is not one of those.
    pub fn apply(&mut self, command: Command) -> bool {
        let page = self.page();
        match command {
            Command::Up => self.up(1),
            Command::Down => self.down(1),
            Command::PageUp => self.up(page),
            Command::PageDown => self.down(page),
            Command::Top => self.top(),
            Command::Bottom => self.bottom(),
            _ => return false,
        }
        true
    }

    /// The first row in view for a viewport of `height` rows. It stays put
    /// while the selection moves inside it; when the selection leaves it,
    /// the page turns, keeping [`CONTEXT`] rows of the page left in sight
    /// (as mutt's index does on slow links). Moving a row at a time then
    /// redraws the whole list once a page instead of on every key: over SSH
    /// a redrawn list costs about three moves inside it. Centring on the
    /// selection instead kept more in sight but cost 318 bytes a Down in
    /// the sessions list against 297 (BENCHMARKS.md).
    fn scroll_for(&self, height: usize) -> usize {
        let height = height.max(1);
        let context = CONTEXT.min(height.saturating_sub(1) / 2);
        let mut offset = self.offset.get();
        if self.selected >= offset + height {
            offset = self.selected.saturating_sub(context);
        } else if self.selected < offset {
            offset = (self.selected + context + 1).saturating_sub(height);
        }
        offset = offset.min(self.len.saturating_sub(height));
        self.offset.set(offset);
        self.page.set(height.saturating_sub(1).max(1));
        offset
    }
}

/// A table with the selected row's details under it: the table's area
/// (one column of air before the right border) and, when the height
/// allows, the details' area (indented by one).
pub fn split_details(area: Rect, details: u16) -> (Rect, Option<Rect>) {
    let details = if area.height > details + 3 {
        details
    } else {
        0
    };
    let table = Rect {
        height: area.height - details,
        width: area.width.saturating_sub(1),
        ..area
    };
    let below = (details > 0).then(|| {
        Rect::new(area.x, table.bottom(), area.width, details)
            .inner(ratatui::layout::Margin::new(1, 0))
    });
    (table, below)
}

/// A column: its heading and width.
pub struct Column {
    pub title: &'static str,
    pub width: Constraint,
}

/// Draws rows `[offset, offset + height)` of a table of `state.len` rows;
/// `row(i)` is asked only for those. The first column's text is preceded
/// by the selection marker (`>` or a space), so its width must allow one
/// more column. Puts the terminal cursor on the selected row so screen
/// readers follow the selection.
pub fn render(
    frame: &mut Frame<'_>,
    area: Rect,
    ui: &Ui<'_>,
    columns: &[Column],
    state: &ScrollState,
    row: impl Fn(usize) -> Vec<String>,
) {
    render_styled(frame, area, ui, columns, state, |i| {
        (row(i), ratatui::style::Style::default())
    });
}

/// [`render`] with a style per row (unread messages in bold, say).
pub fn render_styled(
    frame: &mut Frame<'_>,
    area: Rect,
    ui: &Ui<'_>,
    columns: &[Column],
    state: &ScrollState,
    row: impl Fn(usize) -> (Vec<String>, ratatui::style::Style),
) {
    if area.height < 2 || area.width < 4 {
        return;
    }
    let body = usize::from(area.height - 1);
    let offset = state.scroll_for(body);
    let end = (offset + body).min(state.len);
    let widths = column_widths(columns, area.width);
    let rows: Vec<Row<'static>> = (offset..end)
        .map(|i| {
            let marker = if i == state.selected { '>' } else { ' ' };
            let (mut cells, style) = row(i);
            match cells.first_mut() {
                Some(first) => first.insert(0, marker),
                None => cells.push(marker.to_string()),
            }
            let cells = cells
                .into_iter()
                .zip(widths.iter().chain(std::iter::repeat(&usize::MAX)))
                .map(|(cell, width)| Text::from(super::fit(&cell, *width).into_owned()));
            Row::new(cells).style(style)
        })
        .collect();
    let header = Row::new(columns.iter().enumerate().map(|(i, c)| {
        Text::from(if i == 0 {
            format!(" {}", c.title)
        } else {
            c.title.to_string()
        })
    }))
    .style(ui.theme.title);
    let mut table_state = TableState::default();
    if state.len > 0 {
        table_state.select(Some(state.selected - offset));
    }
    let table = Table::new(rows, columns.iter().map(|c| c.width))
        .header(header)
        .column_spacing(1)
        .row_highlight_style(ui.theme.selection)
        .highlight_spacing(HighlightSpacing::Never);
    frame.render_stateful_widget(table, area, &mut table_state);
    if state.len > 0 {
        let y = area.y + 1 + (state.selected - offset) as u16;
        frame.set_cursor_position(Position::new(area.x, y));
    }
}

/// The columns' widths as the table lays them out (one column between
/// them), so a cell too long for its column is cut with `…`, not silently.
fn column_widths(columns: &[Column], width: u16) -> Vec<usize> {
    Layout::horizontal(columns.iter().map(|c| c.width))
        .flex(Flex::Start)
        .spacing(1)
        .split(Rect::new(0, 0, width, 1))
        .iter()
        .map(|r| usize::from(r.width))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_turns_the_page_keeping_two_rows_when_the_selection_leaves_it() {
        let mut s = ScrollState::default();
        s.set_len(100);
        assert_eq!(s.scroll_for(10), 0);
        s.down(9);
        assert_eq!(s.scroll_for(10), 0, "last visible row: no scroll yet");
        s.down(1);
        assert_eq!(s.scroll_for(10), 8, "a page on, two rows of the last kept");
        for _ in 0..7 {
            s.down(1);
            assert_eq!(s.scroll_for(10), 8, "moving inside the view keeps it");
        }
        s.down(1);
        assert_eq!(s.scroll_for(10), 16, "and the next page");
        s.up(9);
        assert_eq!(s.scroll_for(10), 2, "up out of view: two rows kept below");
        s.bottom();
        assert_eq!(s.scroll_for(10), 90, "never past the end");
        s.top();
        assert_eq!(s.scroll_for(10), 0, "never before the start");
        s.set_len(5);
        s.bottom();
        assert_eq!(s.selected(), Some(4));
        assert_eq!(s.scroll_for(10), 0);
        s.set_len(0);
        assert_eq!(s.selected(), None);
    }

    #[test]
    fn the_cursor_sits_on_the_selected_row_while_the_list_scrolls() {
        use crossterm::event::KeyCode;
        let mut h = crate::app::testing::Harness::with_sessions(300);
        let keys = [KeyCode::Down; 40]
            .into_iter()
            .chain([KeyCode::PageDown, KeyCode::End])
            .chain([KeyCode::Up; 20])
            .chain([KeyCode::PageUp, KeyCode::Home]);
        for key in keys {
            h.press(key);
            let (buffer, cursor) = h.draw(80, 24);
            let Some((x, y)) = cursor else {
                panic!("no cursor after {key:?}");
            };
            assert_eq!(buffer[(x, y)].symbol(), ">", "after {key:?}");
        }
    }

    #[test]
    fn the_selection_is_always_in_view() {
        let mut s = ScrollState::default();
        s.set_len(1000);
        let moves = [1, 1, 7, 13, 40, 1, 1, 200, 3];
        for (i, by) in moves.iter().cycle().take(300).enumerate() {
            if i % 3 == 2 {
                s.up(*by);
            } else {
                s.down(*by);
            }
            for height in [1, 2, 7, 13] {
                let offset = s.scroll_for(height);
                let selected = s.selected().unwrap_or(0);
                assert!(
                    (offset..offset + height).contains(&selected),
                    "row {selected} outside {offset}..+{height}"
                );
            }
        }
    }
}
