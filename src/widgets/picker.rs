//! A list to choose one item from, with a filter typed at the top (as in
//! a command palette): every typed word must appear in the item, in any
//! case. Up/Down move, Enter chooses, Esc gives up. Drawn as a box over the
//! screen; the selected row is marked `>`, not only coloured.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::form_field::FormField;
use super::{Ui, centered};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    /// The person chose `items[index]`.
    Chose(usize),
    /// The selection moved to `items[index]` (for a live preview).
    Moved(usize),
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    items: Vec<String>,
    filter: FormField,
    /// Indices into `items` that match the filter, in order.
    shown: Vec<usize>,
    /// Position in `shown`.
    selected: usize,
}

impl Picker {
    /// Opens on `current` when it is one of `items`.
    pub fn new(title: impl Into<String>, items: Vec<String>, current: Option<&str>) -> Self {
        let mut picker = Self {
            title: title.into(),
            shown: (0..items.len()).collect(),
            items,
            filter: FormField::new("Filter"),
            selected: 0,
        };
        if let Some(i) = current.and_then(|c| picker.items.iter().position(|x| x == c)) {
            picker.selected = i;
        }
        picker
    }

    pub fn filter(&self) -> &str {
        self.filter.value()
    }

    /// The item under the selection, if any matches.
    pub fn selected(&self) -> Option<&str> {
        self.shown
            .get(self.selected)
            .and_then(|&i| self.items.get(i))
            .map(String::as_str)
    }

    pub fn matches(&self) -> usize {
        self.shown.len()
    }

    /// Keys are fixed here (not from the keymap): typing goes to the
    /// filter, so only keys that never type can steer.
    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Picked> {
        let before = self.shown.get(self.selected).copied();
        match key.code {
            KeyCode::Esc => return Some(Picked::Cancelled),
            KeyCode::Enter => return self.shown.get(self.selected).map(|&i| Picked::Chose(i)),
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => self.selected = (self.selected + 1).min(self.last()),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
            KeyCode::PageDown => self.selected = (self.selected + 10).min(self.last()),
            KeyCode::Home => self.selected = 0,
            KeyCode::End => self.selected = self.last(),
            _ => {
                if self.filter.handle_key(key) {
                    self.refilter();
                }
            }
        }
        let after = self.shown.get(self.selected).copied();
        after.filter(|a| Some(*a) != before).map(Picked::Moved)
    }

    pub fn paste(&mut self, text: &str) {
        if self.filter.paste(text) {
            self.refilter();
        }
    }

    fn last(&self) -> usize {
        self.shown.len().saturating_sub(1)
    }

    fn refilter(&mut self) {
        let keep = self.shown.get(self.selected).copied();
        let words: Vec<String> = self
            .filter
            .value()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.shown = (0..self.items.len())
            .filter(|&i| {
                let item = self.items[i].to_lowercase();
                words.iter().all(|w| item.contains(w.as_str()))
            })
            .collect();
        self.selected = keep
            .and_then(|k| self.shown.iter().position(|&i| i == k))
            .unwrap_or(0);
    }

    /// Draws the box over `area`, at most `width` x `height`.
    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, width: u16, height: u16) {
        let rect = centered(area, width, height);
        if rect.height < 5 || rect.width < 12 {
            return;
        }
        frame.render_widget(Clear, rect);
        let count = format!(" {} of {} ", self.shown.len(), self.items.len());
        let block = Block::bordered()
            .title(Span::styled(format!(" {} ", self.title), ui.theme.title))
            .title_bottom(Line::styled(count, ui.theme.muted).right_aligned())
            .border_style(ui.theme.border_focused);
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let filter_row = Rect { height: 2, ..inner };
        self.filter.render(frame, filter_row, ui, true, 6);
        let list = Rect::new(inner.x, inner.y + 2, inner.width, inner.height - 2);
        let rows = usize::from(list.height);
        let offset = self.selected.saturating_sub(rows.saturating_sub(1));
        let lines: Vec<Line> = self
            .shown
            .iter()
            .enumerate()
            .skip(offset)
            .take(rows)
            .map(|(pos, &i)| {
                let selected = pos == self.selected;
                let marker = if selected { "> " } else { "  " };
                let style = if selected {
                    ui.theme.selection
                } else {
                    ui.theme.text
                };
                Line::styled(format!("{marker}{}", self.items[i]), style)
            })
            .collect();
        if lines.is_empty() {
            let none = Line::styled("  Nothing matches; Backspace to widen.", ui.theme.muted);
            frame.render_widget(Paragraph::new(none), list);
            return;
        }
        // The cursor stays in the filter being typed; the selected row is
        // the one marked `>`.
        frame.render_widget(Paragraph::new(lines), list);
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyModifiers;

    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn zones() -> Picker {
        let items = [
            "UTC",
            "Europe/London",
            "Europe/Paris",
            "America/New_York",
            "Asia/Tokyo",
        ]
        .map(String::from)
        .to_vec();
        Picker::new("Timezone", items, Some("Europe/Paris"))
    }

    #[test]
    fn opens_on_the_current_item_and_moves_within_bounds() {
        let mut p = zones();
        assert_eq!(p.selected(), Some("Europe/Paris"));
        assert_eq!(p.handle_key(key(KeyCode::Down)), Some(Picked::Moved(3)));
        p.handle_key(key(KeyCode::End));
        assert_eq!(p.handle_key(key(KeyCode::Down)), None, "already last");
        p.handle_key(key(KeyCode::Home));
        assert_eq!(p.selected(), Some("UTC"));
        assert_eq!(p.handle_key(key(KeyCode::Enter)), Some(Picked::Chose(0)));
        assert_eq!(p.handle_key(key(KeyCode::Esc)), Some(Picked::Cancelled));
    }

    #[test]
    fn typing_filters_by_every_word_in_any_case() {
        let mut p = zones();
        for c in "eu lon".chars() {
            p.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(p.matches(), 1);
        assert_eq!(p.selected(), Some("Europe/London"));
        assert_eq!(p.handle_key(key(KeyCode::Enter)), Some(Picked::Chose(1)));
        for c in "xyz".chars() {
            p.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(p.matches(), 0);
        assert_eq!(p.handle_key(key(KeyCode::Enter)), None, "nothing to choose");
        for _ in 0..3 {
            p.handle_key(key(KeyCode::Backspace));
        }
        assert_eq!(p.selected(), Some("Europe/London"));
    }
}
