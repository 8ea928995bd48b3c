//! A labelled text field: tui-input underneath, optional masking, an error
//! line under the field, and focus shown by a `>` marker plus bold/reverse so
//! it is visible without colour. The focused field gets the real terminal
//! cursor, which screen readers and braille displays follow.

use crossterm::event::{Event, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::{Ui, wrap};

/// What masked fields show for each typed character.
const MASK: char = '•';
/// Error lines shown at most under one field.
const MAX_ERROR_LINES: usize = 3;

#[derive(Clone, Default)]
pub struct FormField {
    pub label: String,
    pub input: Input,
    /// Show one [`MASK`] per character instead of the text (passwords).
    pub masked: bool,
    /// A message about this field, from the server or from checking it here.
    pub error: Option<String>,
}

/// A masked field's text is a secret: Debug shows its length only.
impl std::fmt::Debug for FormField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let chars = self.input.value().chars().count();
        let mut out = f.debug_struct("FormField");
        out.field("label", &self.label);
        match self.masked {
            true => out.field("value", &format_args!("[redacted, {chars} chars]")),
            false => out.field("value", &self.input.value()),
        };
        out.field("error", &self.error).finish()
    }
}

impl FormField {
    pub fn new(label: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            ..Self::default()
        }
    }

    pub fn masked(mut self) -> Self {
        self.masked = true;
        self
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.input = Input::new(value.into());
        self
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Edits the field with a key (typing, Backspace, arrows, Ctrl-W, ...).
    /// True when the key did something; editing clears the error, which no
    /// longer describes what is there.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        match to_input_request(&Event::Key(key)) {
            Some(request) => self.apply(request),
            None => false,
        }
    }

    /// Inserts pasted text; line breaks are dropped (fields are one line).
    pub fn paste(&mut self, text: &str) -> bool {
        let mut changed = false;
        for c in text.chars().filter(|c| !c.is_control()) {
            changed |= self.apply(InputRequest::InsertChar(c));
        }
        changed
    }

    fn apply(&mut self, request: InputRequest) -> bool {
        match self.input.handle(request) {
            Some(change) => {
                if change.value {
                    self.error = None;
                }
                true
            }
            None => false,
        }
    }

    /// Rows this field needs at `width`: the input line, then one or more
    /// lines for the error (a blank one when there is none, as spacing).
    pub fn height(&self, width: u16, label_width: u16) -> u16 {
        let lines = self
            .error
            .as_deref()
            .map_or(1, |e| self.error_lines(e, width, label_width).len());
        1 + lines as u16
    }

    fn error_lines(&self, error: &str, width: u16, label_width: u16) -> Vec<String> {
        let room = width.saturating_sub(label_width + 5) as usize;
        let mut lines = wrap(error, room);
        lines.truncate(MAX_ERROR_LINES);
        lines
    }

    /// Draws the field into `area` (its [`height`](Self::height) rows) and,
    /// when focused, puts the terminal cursor at the insertion point.
    pub fn render(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        ui: &Ui<'_>,
        focused: bool,
        label_width: u16,
    ) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let theme = ui.theme;
        let (marker, label_style, input_style) = if focused {
            ("> ", theme.label_focused, theme.input_focused)
        } else {
            ("  ", theme.label, theme.input)
        };
        let label = format!(
            "{marker}{:<width$} ",
            self.label,
            width = label_width as usize
        );
        let label_cols = (label.chars().count() as u16).min(area.width);
        let row = Rect { height: 1, ..area };
        frame.render_widget(Paragraph::new(Span::styled(label, label_style)), row);

        let input_area = Rect {
            x: area.x + label_cols,
            width: area.width - label_cols,
            ..row
        };
        self.render_input(frame, input_area, input_style, focused);
        self.render_error(frame, area, ui, label_cols);
    }

    fn render_input(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        style: ratatui::style::Style,
        focused: bool,
    ) {
        if area.width == 0 {
            return;
        }
        let room = area.width.saturating_sub(1) as usize;
        let (shown, cursor, scroll) = if self.masked {
            let cursor = self.input.cursor();
            let len = self.input.value().chars().count();
            (
                MASK.to_string().repeat(len),
                cursor,
                cursor.saturating_sub(room),
            )
        } else if !focused {
            // Not being edited: show the start, not wherever the cursor is.
            (self.input.value().to_string(), 0, 0)
        } else {
            let scroll = self.input.visual_scroll(room);
            (
                self.input.value().to_string(),
                self.input.visual_cursor(),
                scroll,
            )
        };
        let scroll_cols = u16::try_from(scroll).unwrap_or(u16::MAX);
        // The style spans the whole width so an empty field is still visible.
        let paragraph = Paragraph::new(shown).style(style).scroll((0, scroll_cols));
        frame.render_widget(paragraph, area);
        if focused {
            let offset = u16::try_from(cursor.saturating_sub(scroll)).unwrap_or(0);
            let x = area.x + offset.min(area.width - 1);
            frame.set_cursor_position(Position::new(x, area.y));
        }
    }

    fn render_error(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, indent: u16) {
        let Some(error) = &self.error else { return };
        let label_width = indent.saturating_sub(3);
        let lines = self.error_lines(error, area.width, label_width);
        for (i, text) in lines.into_iter().enumerate() {
            let y = area.y + 1 + i as u16;
            if y >= area.bottom() || indent >= area.width {
                break;
            }
            let row = Rect::new(area.x + indent, y, area.width - indent, 1);
            let prefix = if i == 0 { "! " } else { "  " };
            let line = Line::from(vec![
                Span::styled(prefix, ui.theme.danger),
                Span::styled(text, ui.theme.danger),
            ]);
            frame.render_widget(Paragraph::new(line), row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_masked_value() {
        let password = FormField::new("Password")
            .masked()
            .with_value("hunter2-secret");
        let shown = format!("{password:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("14 chars"), "{shown}");
        let email = FormField::new("Email").with_value("ada@example.com");
        assert!(format!("{email:?}").contains("ada@example.com"));
    }
}
