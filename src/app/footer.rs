//! The footer: key hints for whatever has the keys now, read from the live
//! keymap (so a rebinding shows at once), most useful first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::state::{App, Overlay};
use crate::action::SECTIONS;
use crate::keymap::{Command, Keymap, Scope};
use crate::screens::{Hints, hint};
use crate::widgets::Ui;

/// Adds "KEY label" when `command` has a key in `scope` (or globally).
fn add(out: &mut Hints, map: &Keymap, scope: Scope, command: Command, label: &'static str) {
    hint(out, map, scope, command, label);
}

impl App {
    pub(super) fn hints(&self) -> Hints {
        let map = &self.keymap;
        let mut out = Vec::new();
        match &self.overlay {
            Some(Overlay::Help { .. }) => {
                add(&mut out, map, Scope::List, Command::Down, "scroll");
                add(&mut out, map, Scope::Global, Command::Back, "close");
            }
            Some(Overlay::Dialog { .. }) => {
                add(
                    &mut out,
                    map,
                    Scope::Dialog,
                    Command::NextField,
                    "switch button",
                );
                add(
                    &mut out,
                    map,
                    Scope::Dialog,
                    Command::Submit,
                    "press button",
                );
                add(&mut out, map, Scope::Dialog, Command::Back, "cancel");
            }
            None => {
                out = self
                    .screens
                    .get(self.screen)
                    .footer(map, self.common_hints())
            }
        }
        out
    }

    /// The keys every signed-in screen offers, after its own.
    fn common_hints(&self) -> Hints {
        let map = &self.keymap;
        let mut out = Vec::new();
        add(&mut out, map, Scope::List, Command::Refresh, "refresh");
        add(&mut out, map, Scope::Global, Command::Help, "help");
        add(&mut out, map, Scope::Global, Command::Quit, "quit");
        if let Some(range) = self.screen_keys() {
            out.push((range, "screens"));
        }
        add(&mut out, map, Scope::Global, Command::SignOut, "sign out");
        out
    }

    /// "1-7" when the screens are on consecutive keys, as by default (Admin,
    /// last and for administrators only, left out or not); "1,2,4" when
    /// the service lacks some.
    fn screen_keys(&self) -> Option<String> {
        let hidden = self.hidden_commands();
        let keys: Vec<String> = SECTIONS
            .iter()
            .filter(|(_, c)| !hidden.contains(c))
            .filter_map(|(_, c)| self.keymap.hint(Scope::Global, *c))
            .collect();
        let lacking = SECTIONS
            .iter()
            .any(|(_, c)| hidden.contains(c) && *c != Command::GoAdmin);
        if lacking {
            return (!keys.is_empty()).then(|| keys.join(","));
        }
        match (keys.first(), keys.last()) {
            (Some(first), Some(last)) if keys.len() > 1 => Some(format!("{first}-{last}")),
            (Some(only), _) => Some(only.clone()),
            _ => None,
        }
    }
}

/// Hints that fit, in order; the rest is left out rather than cut
/// mid-word, last first, except help and quit, which always stay: from
/// help, every other key is one press away.
pub fn render(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, hints: &[(String, &str)]) {
    let room = usize::from(area.width).saturating_sub(1);
    let mut shown: Vec<&(String, &str)> = hints.iter().collect();
    while width_of(&shown) > room {
        // Not empty here: an empty list takes no room.
        let last = shown.iter().rposition(|(_, label)| !PINNED.contains(label));
        shown.remove(last.unwrap_or(shown.len() - 1));
    }
    let mut spans = vec![Span::raw(" ")];
    for (key, label) in shown {
        spans.push(ui.key_span(key.clone()));
        spans.push(Span::styled(format!(" {label}  "), ui.theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The hints kept whatever else must go.
const PINNED: [&str; 2] = ["help", "quit"];

/// Columns the hints take: "KEY label" and two spaces each.
fn width_of(hints: &[&(String, &str)]) -> usize {
    hints
        .iter()
        .map(|(key, label)| key.chars().count() + label.chars().count() + 3)
        .sum()
}
