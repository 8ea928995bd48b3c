//! Drawing the security log: a table of the loaded events, what the
//! selected one says in full, and whether older events are still to come.

use ratatui::Frame;
use ratatui::layout::{Constraint, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{SecurityLog, StoredEvent};
use crate::keymap::{Command, Scope};
use crate::widgets::table::{self, Column};
use crate::widgets::{Ui, loadable, spinner, time, wrap, wrap_fit};

/// Rows under the table: a blank one, the selected event in full (up to
/// two rows), and whether older events are to come.
const DETAILS: u16 = 4;
/// From this width on, times show absolute too and the IP has a column.
const WIDE: u16 = 90;

impl SecurityLog {
    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        loadable::render_framed(
            frame,
            area,
            ui,
            self.title(ui),
            (&self.events.items, "the security log"),
            |frame, area, events| {
                if events.is_empty() {
                    return self.render_empty(frame, area, ui);
                }
                let (table_area, below) = table::split_details(area, DETAILS);
                self.render_table(frame, table_area, ui, events);
                if let Some(rect) = below {
                    self.render_details(frame, rect, ui);
                }
            },
        );
        if let Some(picker) = &self.picker {
            let height = area.height.saturating_sub(2).min(22);
            picker.render(frame, area, ui, 44, height);
        }
    }

    fn title(&self, ui: &Ui<'_>) -> Line<'static> {
        let mut spans = vec![Span::styled(" Security log", ui.theme.title)];
        let filter = match self.kind {
            Some(kind) => format!(", only \"{}\"", kind.describe()),
            None => String::new(),
        };
        match self.events.items.value() {
            Some(events) => {
                let more = if self.events.has_more() { "+" } else { "" };
                let text = format!(": {}{more} events{filter} ", events.len());
                spans.push(Span::styled(text, ui.theme.text));
            }
            None => spans.push(Span::styled(format!("{filter} "), ui.theme.text)),
        }
        if self.events.items.is_loading() && self.events.items.value().is_some() {
            spans.push(Span::styled(
                spinner::label(ui, "refreshing… "),
                ui.theme.muted,
            ));
        }
        Line::from(spans)
    }

    fn render_empty(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let text = match self.kind {
            Some(kind) => {
                let widen = ui
                    .press(Scope::List, Command::Filter, "choose another kind")
                    .unwrap_or_default();
                format!("No \"{}\" events. {widen}", kind.describe())
            }
            None => "Nothing has happened to this account yet.".to_string(),
        };
        // One column of air from the border, as every loadable view has.
        let area = area.inner(Margin::new(1, 0));
        let lines: Vec<Line> = wrap(&text, usize::from(area.width))
            .into_iter()
            .map(|l| Line::styled(l, ui.theme.muted))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn render_table(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, events: &[StoredEvent]) {
        let wide = area.width >= WIDE;
        let when_width: u16 = if wide { 29 } else { 11 };
        let mut columns = vec![
            Column {
                title: "When",
                width: Constraint::Length(when_width + 1),
            },
            // Room for the longest usual phrase, "Two-factor sign-in turned on".
            Column {
                title: "What",
                width: Constraint::Min(28),
            },
            Column {
                title: "Device",
                width: Constraint::Fill(1),
            },
        ];
        if wide {
            columns.push(Column {
                title: "IP",
                width: Constraint::Length(15),
            });
        }
        table::render(frame, area, ui, &columns, &self.events.table, |i| {
            let Some(e) = events.get(i).map(StoredEvent::expand) else {
                return Vec::new();
            };
            let mut cells = vec![
                time::when(e.at, ui.now, ui.tz, usize::from(when_width)),
                e.kind.describe().to_string(),
                e.device_name.clone().unwrap_or_else(|| "-".into()),
            ];
            if wide {
                cells.push(e.ip.clone().unwrap_or_else(|| "-".into()));
            }
            cells
        });
    }

    /// The selected event in full, then whether older ones are to come.
    fn render_details(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let mut lines = vec![Line::default()];
        if let Some(e) = self.selected() {
            let mut facts = vec![time::absolute(e.at, ui.tz)];
            if let Some(device) = &e.device_name {
                facts.push(device.clone());
            }
            if let Some(ip) = &e.ip {
                facts.push(format!("IP {ip}"));
            }
            if let Some(detail) = &e.detail {
                facts.push(detail.clone());
            }
            let text = format!("{}: {}", e.kind.describe(), facts.join(" · "));
            let rows = wrap_fit(&text, usize::from(area.width), 2);
            lines.extend(rows.into_iter().map(|l| Line::styled(l, ui.theme.text)));
        }
        lines.push(self.more_line(ui));
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn more_line(&self, ui: &Ui<'_>) -> Line<'static> {
        if self.events.loading_more {
            return Line::styled(spinner::label(ui, "Loading older events…"), ui.theme.muted);
        }
        if let Some(failure) = &self.events.more_failed {
            return Line::styled(
                format!("Older events did not load: {}", failure.message),
                ui.theme.warning,
            );
        }
        match self.events.has_more() {
            true => Line::styled("Older events load as you reach the end.", ui.theme.muted),
            false => Line::styled("That is the whole log.", ui.theme.muted),
        }
    }
}
