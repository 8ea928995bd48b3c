//! A form: labelled fields in a column, one focused, each named as the
//! server names it so its field errors land where they belong. What is
//! typed stays until the caller clears it: a failed submit loses nothing.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::Ui;
use super::form_field::FormField;
use super::loadable::sentence;
use crate::keymap::{Command, Key, Keymap, Scope};
use acctl_client::ApiError;

#[derive(Debug, Clone, Default)]
pub struct Form {
    /// (the server's name for it, the field)
    fields: Vec<(&'static str, FormField)>,
    focus: usize,
    /// Focus stops after the fields that the owner draws (a checkbox).
    extra_stops: usize,
    /// An error no field owns.
    pub banner: Option<String>,
}

impl Form {
    pub fn new(fields: Vec<(&'static str, FormField)>) -> Self {
        Self {
            fields,
            ..Self::default()
        }
    }

    /// Adds focus stops after the fields, for controls the owner draws.
    pub fn with_extra_stops(mut self, stops: usize) -> Self {
        self.extra_stops = stops;
        self
    }

    /// How many fields (the extra stops come after them).
    pub fn field_count(&self) -> usize {
        self.fields.len()
    }

    pub fn value(&self, name: &str) -> &str {
        self.field(name).map_or("", FormField::value)
    }

    pub fn field(&self, name: &str) -> Option<&FormField> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, f)| f)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.field(name).and_then(|f| f.error.as_deref())
    }

    /// The focused field's name; None on an extra stop.
    pub fn focused(&self) -> Option<&'static str> {
        self.fields.get(self.focus).map(|(n, _)| *n)
    }

    /// The focused field; None on an extra stop.
    pub fn field_focused(&self) -> Option<&FormField> {
        self.fields.get(self.focus).map(|(_, f)| f)
    }

    /// Which stop has focus: fields first, then the extra stops.
    pub fn focus_index(&self) -> usize {
        self.focus
    }

    pub fn focus(&mut self, name: &str) {
        if let Some(i) = self.fields.iter().position(|(n, _)| *n == name) {
            self.focus = i;
        }
    }

    fn stops(&self) -> usize {
        (self.fields.len() + self.extra_stops).max(1)
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.stops();
    }

    pub fn prev(&mut self) {
        self.focus = (self.focus + self.stops() - 1) % self.stops();
    }

    /// Types into the focused field; true when the key did something.
    pub fn edit(&mut self, key: KeyEvent) -> bool {
        match self.fields.get_mut(self.focus) {
            Some((_, field)) => field.handle_key(key),
            None => false,
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some((_, field)) = self.fields.get_mut(self.focus) {
            field.paste(text);
        }
    }

    /// Sets (or with None clears) the error under `name`.
    pub fn set_error(&mut self, name: &str, error: Option<String>) {
        if let Some((_, field)) = self.fields.iter_mut().find(|(n, _)| *n == name) {
            field.error = error;
        }
    }

    /// Puts `value` in a field (what the server holds), cursor at the end.
    pub fn set_value(&mut self, name: &str, value: &str) {
        if let Some((_, field)) = self.fields.iter_mut().find(|(n, _)| *n == name) {
            field.input = tui_input::Input::new(value.to_string());
        }
    }

    /// What a key means here: a form command; on an extra stop (nothing
    /// to type into), one of the list commands in `on_stop` or a global
    /// one; otherwise it types into the focused field, or, for a key that
    /// does not type (F1, Ctrl-L), a global command. None when typed.
    pub fn key_command(
        &mut self,
        key: KeyEvent,
        keymap: &Keymap,
        on_stop: &[Command],
    ) -> Option<Command> {
        let k = Key::from(key);
        if let Some(command) = keymap.get(Scope::Form, k) {
            return Some(command);
        }
        if self.focused().is_none() {
            return keymap
                .get(Scope::List, k)
                .filter(|c| on_stop.contains(c))
                .or_else(|| keymap.get(Scope::Global, k));
        }
        if self.edit(key) || k.is_text() {
            return None;
        }
        keymap.get(Scope::Global, k)
    }

    /// Empties a field (a password that has done its job).
    pub fn clear(&mut self, name: &str) {
        if let Some((_, field)) = self.fields.iter_mut().find(|(n, _)| *n == name) {
            field.input.reset();
            field.error = None;
        }
    }

    pub fn clear_errors(&mut self) {
        self.banner = None;
        for (_, field) in &mut self.fields {
            field.error = None;
        }
    }

    /// Moves focus to the first field with an error; true if there is one.
    pub fn focus_first_error(&mut self) -> bool {
        match self.fields.iter().position(|(_, f)| f.error.is_some()) {
            Some(i) => {
                self.focus = i;
                true
            }
            None => false,
        }
    }

    /// Puts each of the server's field errors under its field (names it
    /// does not know go to the banner, prefixed with the name), or the
    /// whole error in the banner. Focus goes to the first field in error.
    pub fn place_error(&mut self, error: &ApiError) {
        self.clear_errors();
        let Some(errors) = error.field_errors().filter(|e| !e.is_empty()) else {
            self.banner = Some(sentence(&error.to_string()));
            return;
        };
        let mut unplaced = Vec::new();
        for (name, messages) in errors {
            let text = sentence(&messages.join(" "));
            match self.fields.iter_mut().find(|(n, _)| n == name) {
                Some((_, field)) => field.error = Some(text),
                None => unplaced.push(format!("{name}: {text}")),
            }
        }
        if !unplaced.is_empty() {
            self.banner = Some(unplaced.join(" "));
        }
        self.focus_first_error();
    }

    /// Rows the fields take at `width`.
    pub fn height(&self, width: u16) -> u16 {
        let label = self.label_width();
        self.fields
            .iter()
            .map(|(_, f)| f.height(width, label))
            .sum()
    }

    fn label_width(&self) -> u16 {
        let widest = self.fields.iter().map(|(_, f)| f.label.chars().count());
        u16::try_from(widest.max().unwrap_or(0)).unwrap_or(u16::MAX)
    }

    /// Draws the fields from the top of `area`; `active` says whether the
    /// form has the keys (only then is a field marked focused). Returns the
    /// rows used.
    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, active: bool) -> u16 {
        let label = self.label_width();
        let mut y = area.y;
        for (i, (_, field)) in self.fields.iter().enumerate() {
            let h = field.height(area.width, label);
            if y + h > area.bottom() {
                break;
            }
            let rect = Rect::new(area.x, y, area.width, h);
            field.render(frame, rect, ui, active && i == self.focus, label);
            y += h;
        }
        y - area.y
    }
}

#[cfg(test)]
mod tests {
    use acctl_api::{ErrorCode, FieldErrors, Problem};
    use crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    fn form() -> Form {
        Form::new(vec![
            ("current_password", FormField::new("Current").masked()),
            ("new_password", FormField::new("New").masked()),
        ])
        .with_extra_stops(1)
    }

    fn type_text(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.edit(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    fn field_error(fields: &[(&str, &str)]) -> ApiError {
        let mut errors = FieldErrors::new();
        for (name, message) in fields {
            errors.insert((*name).to_string(), vec![(*message).to_string()]);
        }
        let mut problem = Problem::new(ErrorCode::ValidationFailed, "Check the fields.");
        problem.errors = errors;
        ApiError::Problem {
            problem: Box::new(problem),
        }
    }

    #[test]
    fn focus_cycles_through_fields_and_extra_stops() {
        let mut f = form();
        assert_eq!(f.focused(), Some("current_password"));
        f.next();
        f.next();
        assert_eq!((f.focused(), f.focus_index()), (None, 2));
        f.next();
        assert_eq!(f.focused(), Some("current_password"));
        f.prev();
        assert_eq!(f.focus_index(), 2);
    }

    #[test]
    fn server_errors_land_on_their_fields_and_keep_what_was_typed() {
        let mut f = form();
        type_text(&mut f, "old secret");
        f.next();
        type_text(&mut f, "new");
        f.place_error(&field_error(&[
            ("new_password", "use at least 10 characters"),
            ("other", "odd"),
        ]));
        assert_eq!(f.error("new_password"), Some("Use at least 10 characters."));
        assert_eq!(f.banner.as_deref(), Some("other: Odd."));
        assert_eq!(f.focused(), Some("new_password"));
        assert_eq!(f.value("current_password"), "old secret");
        assert_eq!(f.value("new_password"), "new");
        // Typing again clears the field's error, which no longer applies.
        type_text(&mut f, "x");
        assert_eq!(f.error("new_password"), None);
    }
}
