//! Modal dialogs: a confirmation (Cancel / a named action) or a notice (OK).
//! Focus starts on Cancel, Esc always cancels, and the focused button is
//! marked with `>` and reverse video, not colour alone.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Ui, centered, wrap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub title: String,
    pub body: Vec<String>,
    /// The confirming button's label ("Revoke"); None for a notice with OK.
    pub confirm: Option<String>,
    /// True when the confirming button is focused.
    pub confirm_focused: bool,
    /// The action cannot be undone: styled as danger.
    pub danger: bool,
    /// The other button's label: "Cancel" unless that word would be read
    /// as the action (cancelling a plan, a deletion).
    pub back: String,
}

/// What a key did to a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Open,
    Cancelled,
    Confirmed,
}

impl Dialog {
    pub fn confirm(title: impl Into<String>, body: Vec<String>, action: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            body,
            confirm: Some(action.into()),
            confirm_focused: false,
            danger: true,
            back: "Cancel".to_string(),
        }
    }

    /// Names the button that leaves things as they are, e.g. "Go back".
    pub fn with_back(mut self, label: impl Into<String>) -> Self {
        self.back = label.into();
        self
    }

    pub fn notice(title: impl Into<String>, body: Vec<String>) -> Self {
        Self {
            title: title.into(),
            body,
            confirm: None,
            confirm_focused: false,
            danger: false,
            back: "OK".to_string(),
        }
    }

    /// Moves focus between the buttons (a notice has only one).
    pub fn toggle_focus(&mut self) {
        if self.confirm.is_some() {
            self.confirm_focused = !self.confirm_focused;
        }
    }

    /// Enter: confirms only when the confirming button has focus.
    pub fn activate(&self) -> Outcome {
        if self.confirm.is_some() && self.confirm_focused {
            Outcome::Confirmed
        } else {
            Outcome::Cancelled
        }
    }

    fn buttons(&self) -> Vec<(String, bool)> {
        match &self.confirm {
            Some(action) => vec![
                (self.back.clone(), !self.confirm_focused),
                (action.clone(), self.confirm_focused),
            ],
            None => vec![(self.back.clone(), true)],
        }
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let width = area.width.saturating_sub(4).clamp(1, 60);
        let text_width = usize::from(width.saturating_sub(4));
        let body: Vec<String> = self.body.iter().flat_map(|p| wrap(p, text_width)).collect();
        let height = (body.len() as u16).saturating_add(4);
        let rect = centered(area, width, height);
        frame.render_widget(Clear, rect);
        let block = Block::bordered()
            .title(Span::styled(format!(" {} ", self.title), ui.theme.title))
            .border_style(ui.theme.border_focused)
            .style(ui.theme.text);
        let inner = block.inner(rect).inner(ratatui::layout::Margin::new(1, 0));
        frame.render_widget(block, rect);
        let style = if self.danger {
            ui.theme.warning
        } else {
            ui.theme.text
        };
        let mut lines: Vec<Line<'_>> = body.into_iter().map(|l| Line::styled(l, style)).collect();
        lines.push(Line::default());
        frame.render_widget(Paragraph::new(lines), inner);
        self.render_buttons(frame, inner, ui);
    }

    fn render_buttons(&self, frame: &mut Frame<'_>, inner: Rect, ui: &Ui<'_>) {
        if inner.height == 0 {
            return;
        }
        let y = inner.bottom() - 1;
        let mut spans = Vec::new();
        let mut cursor_x = inner.x;
        let mut x = inner.x;
        for (label, focused) in self.buttons() {
            let text = if focused {
                format!("> {label} <")
            } else {
                format!("  {label}  ")
            };
            let style = if focused {
                ui.theme.button_focused
            } else {
                ui.theme.button
            };
            if focused {
                cursor_x = x;
            }
            x += text.chars().count() as u16 + 2;
            spans.push(Span::styled(text, style));
            spans.push(Span::raw("  "));
        }
        let row = Rect::new(inner.x, y, inner.width, 1);
        frame.render_widget(Paragraph::new(Line::from(spans)), row);
        if cursor_x < inner.right() {
            frame.set_cursor_position(Position::new(cursor_x, y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enter_confirms_only_from_the_confirm_button() {
        let mut d = Dialog::confirm("Revoke?", vec![], "Revoke");
        assert_eq!(d.activate(), Outcome::Cancelled, "focus starts on Cancel");
        d.toggle_focus();
        assert_eq!(d.activate(), Outcome::Confirmed);
        let mut n = Dialog::notice("Note", vec![]);
        n.toggle_focus();
        assert_eq!(n.activate(), Outcome::Cancelled);
    }

    #[test]
    fn the_button_that_changes_nothing_can_say_so() {
        let d = Dialog::confirm("Cancel the deletion?", vec![], "Keep my account");
        assert_eq!(d.buttons()[0].0, "Cancel");
        let d = d.with_back("Go back");
        let labels: Vec<_> = d.buttons().into_iter().map(|(label, _)| label).collect();
        assert_eq!(labels, ["Go back", "Keep my account"]);
        assert_eq!(d.activate(), Outcome::Cancelled, "focus still starts there");
    }
}
