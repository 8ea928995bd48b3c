//! The footer: key hints for whatever has the keys now, read from the live
//! keymap (so a rebinding shows at once), most useful first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::nav::{SECTIONS, ScreenId};
use super::state::{App, Overlay};
use crate::keymap::{Command, Keymap, Scope};
use crate::widgets::Ui;

type Hints = Vec<(String, &'static str)>;

/// Adds "KEY label" when `command` has a key in `scope` (or globally).
fn add(out: &mut Hints, map: &Keymap, scope: Scope, command: Command, label: &'static str) {
    if let Some(key) = map
        .hint(scope, command)
        .or_else(|| map.hint(Scope::Global, command))
    {
        out.push((key, label));
    }
}

impl App {
    pub(super) fn hints(&self) -> Hints {
        let map = &self.keymap;
        let mut out = Vec::new();
        match (&self.overlay, self.screen) {
            (Some(Overlay::Help { .. }), _) => {
                add(&mut out, map, Scope::List, Command::Down, "scroll");
                add(&mut out, map, Scope::Global, Command::Back, "close");
            }
            (Some(Overlay::Dialog { .. }), _) => {
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
            (None, ScreenId::Login) => self.login_hints(&mut out),
            (None, screen) => self.screen_hints(&mut out, screen),
        }
        out
    }

    fn login_hints(&self, out: &mut Hints) {
        let map = &self.keymap;
        if self.login.in_mfa_step() {
            add(out, map, Scope::Form, Command::Submit, "verify");
            add(
                out,
                map,
                Scope::Form,
                Command::ToggleRecovery,
                "recovery code",
            );
            add(out, map, Scope::Form, Command::Back, "back");
        } else {
            add(out, map, Scope::Form, Command::Submit, "sign in");
            add(out, map, Scope::Form, Command::NextField, "next field");
        }
        add(out, map, Scope::Form, Command::Help, "help");
        add(out, map, Scope::Form, Command::Quit, "quit");
    }

    fn screen_hints(&self, out: &mut Hints, screen: ScreenId) {
        let map = &self.keymap;
        if screen == ScreenId::Sessions {
            add(out, map, Scope::List, Command::Revoke, "revoke");
            add(out, map, Scope::List, Command::RevokeOthers, "end others");
        }
        if screen == ScreenId::Profile {
            out.extend(self.profile.hints(map));
            if self.profile.takes_typing() {
                add(out, map, Scope::Form, Command::Help, "help");
                return;
            }
        }
        if screen == ScreenId::Billing {
            out.extend(self.billing.hints(map));
            if self.billing.takes_typing() {
                add(out, map, Scope::Form, Command::Help, "help");
                return;
            }
        }
        if screen == ScreenId::Security {
            out.extend(self.security.hints(map));
            if self.security.takes_typing() {
                // A page or form has the keys: F1 for help, not the list's keys.
                add(out, map, Scope::Form, Command::Help, "help");
                return;
            }
        }
        if screen == ScreenId::Notifications {
            out.extend(self.notifications.hints(map));
        }
        if screen == ScreenId::Privacy {
            out.extend(self.privacy.hints(map));
            if self.privacy.takes_typing() {
                add(out, map, Scope::Form, Command::Help, "help");
                return;
            }
        }
        add(out, map, Scope::List, Command::Refresh, "refresh");
        add(out, map, Scope::Global, Command::Help, "help");
        add(out, map, Scope::Global, Command::Quit, "quit");
        if let Some(range) = self.screen_keys() {
            out.push((range, "screens"));
        }
        add(out, map, Scope::Global, Command::SignOut, "sign out");
        let up = map.hint(Scope::List, Command::Up);
        let down = map.hint(Scope::List, Command::Down);
        if let (ScreenId::Sessions, Some(up), Some(down)) = (screen, up, down) {
            out.push((format!("{up}/{down}"), "move"));
        }
    }

    /// "1-7" when the screens are on consecutive keys, as by default.
    fn screen_keys(&self) -> Option<String> {
        let keys: Vec<String> = SECTIONS
            .iter()
            .filter_map(|(_, c)| self.keymap.hint(Scope::Global, *c))
            .collect();
        match (keys.first(), keys.last()) {
            (Some(first), Some(last)) if keys.len() > 1 => Some(format!("{first}-{last}")),
            (Some(only), _) => Some(only.clone()),
            _ => None,
        }
    }
}

/// Hints that fit, in order; the rest is left out rather than cut mid-word.
pub fn render(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, hints: &[(String, &str)]) {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, label) in hints {
        let width = key.chars().count() + label.chars().count() + 3;
        if used + width > usize::from(area.width) {
            break;
        }
        used += width;
        spans.push(ui.key_span(key.clone()));
        spans.push(Span::styled(format!(" {label}  "), ui.theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
