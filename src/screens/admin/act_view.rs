//! Drawing the dialog of a change to an account: what will happen, the
//! reason (or, once asked, the password), what went wrong, and the keys.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Act;
use crate::keymap::{Command, Scope};
use crate::widgets::{Ui, centered, spinner, wrap};

impl Act {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let width = area.width.saturating_sub(2).clamp(1, 72);
        let text_width = usize::from(width.saturating_sub(4));
        let mut lines: Vec<Line<'static>> = wrap(&self.will_do, text_width)
            .into_iter()
            .map(|l| Line::styled(l, ui.theme.warning))
            .collect();
        lines.push(Line::default());
        let ask = match self.password {
            Some(_) => "Confirm it is you: your password (or a code from your app).",
            None => "Why? Kept in the audit log with your name (1 to 500 characters).",
        };
        lines.extend(
            wrap(ask, text_width)
                .into_iter()
                .map(|l| Line::styled(l, ui.theme.text)),
        );
        let field_row = lines.len() as u16;
        let field = self.field();
        let field_height = field.height(width.saturating_sub(4), 8);
        lines.extend((0..field_height).map(|_| Line::default()));
        if let Some(error) = &self.error {
            let wrapped = wrap(&format!("Error: {error}"), text_width);
            lines.extend(
                wrapped
                    .into_iter()
                    .map(|l| Line::styled(l, ui.theme.danger)),
            );
        }
        lines.push(self.keys_line(ui));
        let height = (lines.len() as u16).saturating_add(2);
        let rect = centered(area, width, height);
        frame.render_widget(Clear, rect);
        let (title, _) = self.title();
        let block = Block::bordered()
            .title(Span::styled(format!(" {title} "), ui.theme.title))
            .border_style(ui.theme.border_focused)
            .style(ui.theme.text);
        let inner = block.inner(rect).inner(Margin::new(1, 0));
        frame.render_widget(block, rect);
        frame.render_widget(Paragraph::new(lines), inner);
        let field_area = Rect {
            y: inner.y + field_row,
            height: field_height,
            ..inner
        };
        if field_area.bottom() <= inner.bottom() {
            // The cursor goes in the field unless a request is on its way.
            field.render(frame, field_area, ui, !self.sending, 8);
        }
    }

    fn keys_line(&self, ui: &Ui<'_>) -> Line<'static> {
        if self.sending {
            let what = match self.password {
                Some(_) => "Checking…",
                None => "Sending…",
            };
            return Line::styled(spinner::label(ui, what), ui.theme.muted);
        }
        let (_, word) = self.title();
        let submit = ui.key(Scope::Form, Command::Submit).unwrap_or_default();
        let back = ui.key(Scope::Form, Command::Back).unwrap_or_default();
        Line::styled(
            format!("{submit} {word} · {back} cancel, nothing is sent"),
            ui.theme.key_hint,
        )
    }
}
