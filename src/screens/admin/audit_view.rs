//! Drawing the audit log: the filters (a line, or the form while they are
//! typed), the entries, and the selected one in full under them.

use acctl_api::admin::AuditEntry;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Audit;
use crate::keymap::{Command, Scope};
use crate::widgets::table::{self, Column};
use crate::widgets::{Ui, fit, loadable, spinner, time, wrap_fit};

/// Rows under the table for the selected entry.
const DETAILS: u16 = 4;

fn any(text: &str) -> &str {
    if text.is_empty() { "any" } else { text }
}

/// "password_reset" as "password reset".
fn action_words(entry: &AuditEntry) -> String {
    entry.action.as_str().replace('_', " ")
}

fn actor(entry: &AuditEntry) -> &str {
    entry.actor_email.as_deref().unwrap_or("acctd (server)")
}

impl Audit {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let mut title = vec![Span::styled(" Admin: audit log", ui.theme.title)];
        match self.entries.items.value() {
            Some(list) => {
                let more = if self.entries.has_more() {
                    ", more below"
                } else {
                    ""
                };
                title.push(Span::styled(
                    format!(": {}{more} ", list.len()),
                    ui.theme.text,
                ));
            }
            None => title.push(Span::styled(" ", ui.theme.title)),
        }
        if self.entries.items.is_loading() && self.entries.items.value().is_some() {
            title.push(Span::styled(
                spinner::label(ui, " loading… "),
                ui.theme.muted,
            ));
        }
        let block = Block::bordered()
            .title(Line::from(title))
            .border_style(ui.theme.border_focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let filters = match self.editing {
            true => self.form.height(inner.width).min(inner.height),
            false => 1,
        };
        let top = Rect {
            height: filters,
            ..inner
        };
        let rest = Rect {
            y: inner.y + filters,
            height: inner.height - filters,
            ..inner
        };
        loadable::render(
            frame,
            rest,
            ui,
            &self.entries.items,
            "the audit log",
            |f, a, v| self.render_entries(f, a, ui, v),
        );
        // Last: while the filters are typed, the cursor is in them.
        match self.editing {
            true => {
                self.form.render(frame, top, ui, true);
            }
            false => {
                frame.render_widget(Paragraph::new(self.summary(ui)).style(ui.theme.muted), top)
            }
        }
    }

    fn summary(&self, ui: &Ui<'_>) -> String {
        let f = &self.filter;
        let action = f.action.map_or("any", |a| a.as_str());
        let hint = ui
            .key(Scope::List, Command::Filter)
            .map(|k| format!(" ({k} changes)"))
            .unwrap_or_default();
        format!(
            " Actor {} · target {} · action {action}{hint}",
            fit(any(&f.actor), 20),
            fit(any(&f.target), 20)
        )
    }

    fn render_entries(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, list: &[AuditEntry]) {
        if list.is_empty() {
            let text = " No administrator's action matches these filters.";
            frame.render_widget(Paragraph::new(text).style(ui.theme.muted), area);
            return;
        }
        let (table_area, below) = table::split_details(area, DETAILS);
        let columns = [
            Column {
                title: "When",
                width: Constraint::Length(11),
            },
            Column {
                title: "Actor",
                width: Constraint::Fill(1),
            },
            Column {
                title: "Action",
                width: Constraint::Length(15),
            },
            Column {
                title: "Target",
                width: Constraint::Fill(1),
            },
        ];
        table::render(frame, table_area, ui, &columns, &self.entries.table, |i| {
            let Some(e) = list.get(i) else {
                return Vec::new();
            };
            vec![
                time::relative(e.at, ui.now),
                actor(e).to_string(),
                action_words(e),
                e.target_email.clone(),
            ]
        });
        if let (Some(e), Some(rect)) = (self.entries.selected(), below) {
            render_entry(frame, rect, ui, e);
        }
    }
}

fn render_entry(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, e: &AuditEntry) {
    let width = usize::from(area.width);
    let head = format!(
        "{} {} {} on {}",
        actor(e),
        action_words(e),
        e.target_email,
        time::absolute(e.at, ui.tz)
    );
    let mut lines = vec![Line::styled(
        fit(&head, width).into_owned(),
        ui.theme.label_focused,
    )];
    let reason = format!("Reason: {}", e.reason);
    lines.extend(
        wrap_fit(&reason, width, 2)
            .into_iter()
            .map(|l| Line::styled(l, ui.theme.text)),
    );
    let mut facts = Vec::new();
    if let Some(id) = &e.request_id {
        facts.push(format!("request {id}"));
    }
    if let Some(detail) = &e.detail {
        facts.push(detail.clone());
    }
    facts.push(format!("entry {}", e.id));
    lines.push(Line::styled(
        fit(&facts.join(" · "), width).into_owned(),
        ui.theme.muted,
    ));
    frame.render_widget(Paragraph::new(lines), area);
}
