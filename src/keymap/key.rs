//! Key names as people write them in keymap files ("ctrl-l", "pagedown", "?")
//! and as the help and footer show them ("Ctrl-L", "PgDn", "?").

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key with its modifiers, normalised so that what a terminal sends and
/// what a keymap file says compare equal (Shift is part of a character: "O"
/// rather than "shift-o"; BackTab carries no Shift).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{0}' is not a key name (try \"q\", \"ctrl-l\", \"pagedown\", \"f1\")")]
pub struct KeyParseError(pub String);

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        normalise(code, mods)
    }

    pub fn char(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    pub fn ctrl(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// A plain character with no Ctrl or Alt: text when a field is focused.
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// Parses "q", "ctrl-c", "shift-tab", "alt-x", "-" and the like.
    pub fn parse(text: &str) -> Result<Self, KeyParseError> {
        let err = || KeyParseError(text.to_string());
        let (mods_part, name) = match text.rfind('-') {
            // "-" alone and "ctrl--" name the minus key itself.
            Some(i) if i + 1 < text.len() => (&text[..i], &text[i + 1..]),
            Some(i) if i > 0 => (&text[..i - 1], "-"),
            _ => ("", text),
        };
        let mut mods = KeyModifiers::NONE;
        for part in mods_part.split('-').filter(|p| !p.is_empty()) {
            mods |= match part.to_ascii_lowercase().as_str() {
                "ctrl" | "c" | "control" => KeyModifiers::CONTROL,
                "alt" | "a" | "meta" | "m" => KeyModifiers::ALT,
                "shift" | "s" => KeyModifiers::SHIFT,
                _ => return Err(err()),
            };
        }
        let code = code_from_name(name).ok_or_else(err)?;
        Ok(Self::new(code, mods))
    }

    /// Rank for choosing which key to show first: Tab, Enter and Esc, then
    /// other named keys (arrows, Delete), plain characters, F-keys, chords.
    pub(crate) fn display_rank(&self) -> u8 {
        if !self.mods.is_empty() {
            return 4;
        }
        match self.code {
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Enter | KeyCode::Esc => 0,
            KeyCode::Char(_) => 2,
            KeyCode::F(_) => 3,
            _ => 1,
        }
    }
}

impl From<KeyEvent> for Key {
    fn from(event: KeyEvent) -> Self {
        Self::new(event.code, event.modifiers)
    }
}

fn normalise(code: KeyCode, mods: KeyModifiers) -> Key {
    let mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    match code {
        KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) => Key {
            code: KeyCode::Char(c.to_uppercase().next().unwrap_or(c)),
            mods: mods - KeyModifiers::SHIFT,
        },
        // Terminals send Ctrl-letters lowercase; files may say "ctrl-L".
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) && c.is_ascii_alphabetic() => {
            Key {
                code: KeyCode::Char(c.to_ascii_lowercase()),
                mods,
            }
        }
        KeyCode::BackTab => Key {
            code,
            mods: mods - KeyModifiers::SHIFT,
        },
        KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => Key {
            code: KeyCode::BackTab,
            mods: mods - KeyModifiers::SHIFT,
        },
        _ => Key { code, mods },
    }
}

const NAMES: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("space", KeyCode::Char(' ')),
];

fn code_from_name(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    if let Some((_, code)) = NAMES.iter().find(|(n, _)| *n == lower) {
        return Some(*code);
    }
    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=24).contains(&n).then_some(KeyCode::F(n))
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            // Spelled out here rather than via crossterm, whose names differ
            // on macOS: help and snapshots read the same everywhere.
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Insert => f.write_str("Insert"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_show_the_way_people_write_them() {
        let cases = [
            ("q", "q"),
            ("?", "?"),
            ("O", "O"),
            ("shift-o", "O"),
            ("ctrl-c", "Ctrl-C"),
            ("ctrl-L", "Ctrl-L"),
            ("shift-tab", "Shift-Tab"),
            ("backtab", "Shift-Tab"),
            ("pagedown", "PgDn"),
            ("delete", "Del"),
            ("f1", "F1"),
            ("-", "-"),
            ("ctrl--", "Ctrl--"),
            ("space", "Space"),
        ];
        for (name, shown) in cases {
            let key = Key::parse(name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(key.to_string(), shown, "{name}");
        }
        assert!(Key::parse("hyper-x").is_err());
        assert!(Key::parse("f99").is_err());
        assert!(Key::parse("").is_err());
    }

    #[test]
    fn terminal_events_match_file_names() {
        let shifted = KeyEvent::new(KeyCode::Char('O'), KeyModifiers::SHIFT);
        assert_eq!(Key::from(shifted), Key::parse("O").expect("key"));
        let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from(backtab), Key::parse("backtab").expect("key"));
        let question = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(Key::from(question), Key::char('?'));
        assert!(Key::char('x').is_text());
        assert!(!Key::ctrl('x').is_text());
    }
}
