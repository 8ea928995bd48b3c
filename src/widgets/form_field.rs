//! A labelled text field: tui-input underneath, optional masking, an error
//! line under the field, and focus shown by a `>` marker plus bold/reverse so
//! it is visible without colour. The focused field gets the real terminal
//! cursor, which screen readers and braille displays follow.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::multiline;
use super::{Ui, wrap_fit};

/// How a field shows that it has focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldFocus {
    None,
    /// Chosen but not typed in: a `>` marker, the cursor on it.
    Selected,
    /// Typed in: `marker` before the label, the cursor in the text.
    Editing {
        marker: &'static str,
    },
}

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
    /// Rows the text takes on screen: more than one for a multi-line field
    /// (line breaks kept, Alt-Enter types one; Enter still submits).
    rows: u16,
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

    /// Several lines, `rows` of them on screen (it scrolls past that).
    pub fn multiline(mut self, rows: u16) -> Self {
        self.rows = rows.max(1);
        self
    }

    pub fn is_multiline(&self) -> bool {
        self.rows > 1
    }

    /// Rows the text takes, without the error under it.
    pub fn input_rows(&self) -> u16 {
        self.rows.max(1)
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
        if self.is_multiline() && is_new_line(key) {
            return self.apply(InputRequest::InsertChar('\n'));
        }
        match to_input_request(&Event::Key(key)) {
            Some(request) => self.apply(request),
            None => false,
        }
    }

    /// Inserts pasted text; line breaks are kept in a multi-line field and
    /// dropped in others, other control characters always.
    pub fn paste(&mut self, text: &str) -> bool {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let keeps = |c: &char| !c.is_control() || (*c == '\n' && self.is_multiline());
        let typed: Vec<char> = text.chars().filter(keeps).collect();
        let mut changed = false;
        for c in typed {
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
        self.input_rows() + lines as u16
    }

    fn error_lines(&self, error: &str, width: u16, label_width: u16) -> Vec<String> {
        let room = width.saturating_sub(label_width + 5) as usize;
        wrap_fit(error, room, MAX_ERROR_LINES)
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
        let focus = match focused {
            true => FieldFocus::Editing { marker: "> " },
            false => FieldFocus::None,
        };
        self.render_focus(frame, area, ui, focus, label_width);
    }

    /// [`render`](Self::render) for a form that is browsed before it is
    /// typed in: a selected field keeps the cursor on its marker.
    pub fn render_focus(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        ui: &Ui<'_>,
        focus: FieldFocus,
        label_width: u16,
    ) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let theme = ui.theme;
        let (marker, label_style, input_style) = match focus {
            FieldFocus::None => ("  ", theme.label, theme.input),
            FieldFocus::Selected => ("> ", theme.label_focused, theme.input),
            FieldFocus::Editing { marker } => (marker, theme.label_focused, theme.input_focused),
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
            height: self.input_rows().min(area.height),
            ..row
        };
        let editing = matches!(focus, FieldFocus::Editing { .. });
        if self.is_multiline() {
            self.render_lines(frame, input_area, input_style, editing);
        } else {
            self.render_input(frame, input_area, input_style, editing);
        }
        if focus == FieldFocus::Selected {
            frame.set_cursor_position(Position::new(area.x, area.y));
        }
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

    /// A multi-line field: the rows that hold the cursor while editing,
    /// else the first ones, with `…` where more follows unseen.
    fn render_lines(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        style: ratatui::style::Style,
        focused: bool,
    ) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let visible = usize::from(area.height);
        let rows = multiline::rows(self.input.value(), usize::from(area.width - 1));
        let (cursor_row, cursor_col) = multiline::cursor_at(&rows, self.input.cursor());
        let first = match focused {
            true => multiline::first_shown(cursor_row, visible),
            false => 0,
        };
        let mut lines: Vec<Line> = rows
            .iter()
            .skip(first)
            .take(visible)
            .map(|r| Line::raw(r.text.clone()))
            .collect();
        if !focused
            && rows.len() > visible
            && let Some(last) = lines.last_mut()
        {
            last.push_span(Span::raw("…"));
        }
        frame.render_widget(Paragraph::new(lines).style(style), area);
        if focused {
            let col = u16::try_from(cursor_col).unwrap_or(u16::MAX);
            let row = u16::try_from(cursor_row - first).unwrap_or(0);
            let x = area.x + col.min(area.width - 1);
            frame.set_cursor_position(Position::new(x, area.y + row));
        }
    }

    fn render_error(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, indent: u16) {
        let Some(error) = &self.error else { return };
        let label_width = indent.saturating_sub(3);
        let lines = self.error_lines(error, area.width, label_width);
        for (i, text) in lines.into_iter().enumerate() {
            let y = area.y + self.input_rows() + i as u16;
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

/// Alt-Enter: a line break in a multi-line field (Enter submits the form).
fn is_new_line(key: KeyEvent) -> bool {
    key.code == KeyCode::Enter && key.modifiers.contains(KeyModifiers::ALT)
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

    #[test]
    fn line_breaks_stay_only_in_a_multi_line_field() {
        let mut one = FormField::new("Name");
        one.paste("Ada\r\nLovelace\t");
        assert_eq!(one.value(), "AdaLovelace");
        let mut bio = FormField::new("Bio").multiline(3);
        bio.paste("first\r\nsecond\rthird");
        assert!(bio.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)));
        assert_eq!(bio.value(), "first\nsecond\nthird\n");
        assert!(!one.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)));
    }
}
