//! Drawing the Notifications screen: the matrix (cells as `[x]`/`[ ]`,
//! `*` locked, `~` saving, the focused one marked `>`), what the focused
//! row means, then the inbox or the message open in full.

use acctl_api::notifications::{NotificationCategory, NotificationChannel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Note, NotificationsScreen, Pane};
use crate::keymap::{Command, Scope};
use crate::widgets::table::{self, Column};
use crate::widgets::{Ui, loadable, spinner, time, wrap, wrap_fit};

/// The matrix's rows: a heading and the categories, then three lines on
/// the focused cell, inside a border.
const GRID_HEIGHT: u16 = 1 + 5 + 3 + 2;
const LABEL_WIDTH: usize = 14;
const CELL_WIDTH: usize = 8;
/// Rows under the inbox: the selected message's title, and whether older
/// messages are to come.
const DETAILS: u16 = 2;

impl NotificationsScreen {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let [grid, inbox] =
            Layout::vertical([Constraint::Length(GRID_HEIGHT), Constraint::Fill(1)]).areas(area);
        // The inbox first: its table puts the cursor on its selection, which
        // the grid then takes when it has the keys.
        match self.inbox.opened() {
            Some(_) => self.render_message(frame, inbox, ui),
            None => self.render_inbox(frame, inbox, ui),
        }
        self.render_grid(frame, grid, ui);
    }

    fn block<'a>(&self, ui: &Ui<'_>, title: String, focused: bool) -> Block<'a> {
        let border = match focused {
            true => ui.theme.border_focused,
            false => ui.theme.border,
        };
        Block::bordered()
            .title(Span::styled(title, ui.theme.title))
            .border_style(border)
    }

    fn render_grid(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let focused = self.pane == Pane::Grid;
        let legend = Line::styled(" [x] on  [ ] off  * locked  ~ saving ", ui.theme.muted);
        let block = self
            .block(ui, " Notification settings ".into(), focused)
            .title_bottom(legend);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        loadable::render(
            frame,
            inner,
            ui,
            &self.grid.settings,
            "the notification settings",
            |frame, inner, _| self.render_cells(frame, inner.inner(Margin::new(1, 0)), ui),
        );
    }

    fn render_cells(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let focused = self.grid.focused();
        let active = self.pane == Pane::Grid;
        let mut header = format!(" {:<LABEL_WIDTH$}", "Category");
        for channel in NotificationChannel::ALL {
            header.push_str(&format!(" {:<w$}", channel.label(), w = CELL_WIDTH - 1));
        }
        let mut lines = vec![Line::styled(header, ui.theme.title)];
        for category in NotificationCategory::ALL {
            let row_style = match category == focused.0 && active {
                true => ui.theme.text.add_modifier(Modifier::BOLD),
                false => ui.theme.text,
            };
            let mut spans = vec![Span::styled(
                format!(" {:<LABEL_WIDTH$}", category.label()),
                row_style,
            )];
            for channel in NotificationChannel::ALL {
                let here = (category, channel) == focused && active;
                let style = if here { ui.theme.selection } else { row_style };
                let text = format!("{:<CELL_WIDTH$}", self.cell_text((category, channel), here));
                spans.push(Span::styled(text, style));
            }
            lines.push(Line::from(spans));
        }
        lines.extend(self.about_focused(ui, usize::from(area.width)));
        frame.render_widget(Paragraph::new(lines), area);
        if active {
            let row = NotificationCategory::ALL
                .iter()
                .position(|c| *c == focused.0)
                .unwrap_or(0);
            let col = NotificationChannel::ALL
                .iter()
                .position(|c| *c == focused.1)
                .unwrap_or(0);
            let x = area.x + 1 + (LABEL_WIDTH + col * CELL_WIDTH) as u16;
            let y = area.y + 1 + row as u16;
            if x < area.right() && y < area.bottom() {
                frame.set_cursor_position(Position::new(x, y));
            }
        }
    }

    fn cell_text(&self, cell: super::Cell, here: bool) -> String {
        let marker = if here { '>' } else { ' ' };
        let value = match self.grid.shown(cell) {
            Some(true) => 'x',
            Some(false) => ' ',
            None => '?',
        };
        let flag = if self.grid.is_pending(cell) {
            '~'
        } else if self.grid.locked_reason(cell).is_some() {
            '*'
        } else {
            ' '
        };
        format!("{marker}[{value}]{flag}")
    }

    /// Three lines: the focused row's meaning, then the note or the lock.
    fn about_focused(&self, ui: &Ui<'_>, width: usize) -> Vec<Line<'static>> {
        let (category, channel) = self.grid.focused();
        let mut lines = vec![Line::styled(
            format!(" {}.", category.explain()),
            ui.theme.muted,
        )];
        let (text, style) = match (
            &self.grid.note,
            self.grid.locked_reason((category, channel)),
        ) {
            (Some(Note::Error(text)), _) => (text.clone(), ui.theme.danger),
            (Some(Note::Info(text)), _) => (text.clone(), ui.theme.warning),
            (None, Some(reason)) => (format!("Locked: {reason}."), ui.theme.muted),
            (None, None) => (String::new(), ui.theme.muted),
        };
        let rows = wrap_fit(&text, width.saturating_sub(1), 2);
        lines.extend(
            rows.into_iter()
                .map(|l| Line::styled(format!(" {l}"), style)),
        );
        lines
    }

    fn inbox_title(&self) -> String {
        let filter = if self.inbox.unread_only {
            ", unread only"
        } else {
            ""
        };
        match self.inbox.pages.items.value() {
            Some(items) => {
                let unread = items.iter().filter(|n| n.read_at.is_none()).count();
                let more = if self.inbox.pages.has_more() { "+" } else { "" };
                format!(
                    " Inbox: {}{more} messages, {unread} unread{filter} ",
                    items.len()
                )
            }
            None => format!(" Inbox{filter} "),
        }
    }

    fn render_inbox(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let mut title = self.inbox_title();
        if self.inbox.pages.items.is_loading() && self.inbox.pages.items.value().is_some() {
            title.push_str(&spinner::label(ui, "refreshing… "));
        }
        let block = self.block(ui, title, self.pane == Pane::Inbox);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        loadable::render(
            frame,
            inner,
            ui,
            &self.inbox.pages.items,
            "the inbox",
            |frame, inner, items| {
                if items.is_empty() {
                    return self.render_empty(frame, inner, ui);
                }
                let (table_area, below) = table::split_details(inner, DETAILS);
                self.render_table(frame, table_area, ui);
                if let Some(rect) = below {
                    self.render_details(frame, rect, ui);
                }
            },
        );
    }

    fn render_empty(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let text = match self.inbox.unread_only {
            true => {
                let all = ui
                    .press(Scope::List, Command::Filter, "show all")
                    .unwrap_or_default();
                format!("Nothing unread. {all}")
            }
            false => "No notifications yet. Sign-ins, changes and exports will show here.".into(),
        };
        let area = area.inner(Margin::new(1, 0));
        let lines: Vec<Line> = wrap(&text, usize::from(area.width))
            .into_iter()
            .map(|l| Line::styled(l, ui.theme.muted))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn render_table(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let Some(items) = self.inbox.pages.items.value() else {
            return;
        };
        let wide = area.width >= 90;
        let mut columns = vec![
            Column {
                title: "",
                width: Constraint::Length(2),
            },
            Column {
                title: "When",
                width: Constraint::Length(if wide { 29 } else { 11 }),
            },
        ];
        if wide {
            columns.push(Column {
                title: "Category",
                width: Constraint::Length(13),
            });
        }
        columns.push(Column {
            title: "Title",
            width: Constraint::Fill(1),
        });
        let mark = if ui.screen_reader { "*" } else { "•" };
        table::render_styled(frame, area, ui, &columns, &self.inbox.pages.table, |i| {
            let Some(n) = items.get(i) else {
                return (Vec::new(), Style::default());
            };
            let unread = n.read_at.is_none();
            let mut cells = vec![
                if unread { mark } else { " " }.to_string(),
                time::when(n.created_at, ui.now, ui.tz, if wide { 29 } else { 11 }),
            ];
            if wide {
                cells.push(n.category.label().to_string());
            }
            cells.push(n.title.clone());
            let style = match unread {
                true => Style::default().add_modifier(Modifier::BOLD),
                false => Style::default(),
            };
            (cells, style)
        });
    }

    fn render_details(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let mut lines = Vec::new();
        if let Some(note) = &self.inbox.note {
            lines.push(Line::styled(note.clone(), ui.theme.danger));
        } else if let Some(n) = self.inbox.selected() {
            let state = if n.read_at.is_none() {
                "unread"
            } else {
                "read"
            };
            let open = ui
                .press(Scope::List, Command::Open, "read it")
                .unwrap_or_default();
            let text = format!("{}, {state}. {open}", n.category.label());
            let rows = wrap_fit(&text, usize::from(area.width), 1);
            lines.extend(rows.into_iter().map(|l| Line::styled(l, ui.theme.text)));
        }
        lines.push(self.more_line(ui));
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn more_line(&self, ui: &Ui<'_>) -> Line<'static> {
        if self.inbox.pages.loading_more {
            return Line::styled(
                spinner::label(ui, "Loading older messages…"),
                ui.theme.muted,
            );
        }
        if let Some(failure) = &self.inbox.pages.more_failed {
            let text = format!("Older messages did not load: {}", failure.message);
            return Line::styled(text, ui.theme.warning);
        }
        match self.inbox.pages.has_more() {
            true => Line::styled("Older messages load as you reach the end.", ui.theme.muted),
            false => Line::styled("That is every message.", ui.theme.muted),
        }
    }

    fn render_message(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let Some(n) = self.inbox.opened() else {
            return;
        };
        let close = ui.key(Scope::Global, Command::Back).unwrap_or_default();
        let block = self.block(
            ui,
            format!(" {} ({close} closes) ", n.category.label()),
            true,
        );
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let mut lines: Vec<Line> = wrap(&n.title, width)
            .into_iter()
            .map(|l| Line::styled(l, ui.theme.title))
            .collect();
        let when = time::when(n.created_at, ui.now, ui.tz, width);
        lines.push(Line::styled(when, ui.theme.muted));
        lines.push(Line::default());
        for paragraph in n.body.lines() {
            lines.extend(
                wrap(paragraph, width)
                    .into_iter()
                    .map(|l| Line::styled(l, ui.theme.text)),
            );
        }
        frame.render_widget(Paragraph::new(lines), inner);
        // Screen readers start reading at the title.
        frame.set_cursor_position(Position::new(inner.x, inner.y));
    }
}
