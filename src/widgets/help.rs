//! The help overlay: every binding of the live keymap, grouped by where it
//! applies. Generated, never typed by hand, so it cannot go stale.

use ratatui::Frame;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Ui, centered};
use crate::keymap::{Command, Key, Keymap, Scope};

/// Width of the keys column.
const KEYS_WIDTH: usize = 20;

/// One line of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(String),
    Key { keys: String, desc: String },
}

/// The help text (also what a screen reader reads, top to bottom): the
/// keys of the screen in view first, as its footer names them, so only
/// keys that act where one stands come before the ones that work everywhere.
/// `typing`: a form has the keys, so its moves are named rather than a list's.
/// `hidden`: keys of what the service does not offer, left out.
pub fn lines(
    keymap: &Keymap,
    screen: &str,
    screen_keys: &[(String, &str)],
    typing: bool,
    hidden: &[Command],
) -> Vec<HelpLine> {
    let mut out = Vec::new();
    if !screen_keys.is_empty() {
        out.push(HelpLine::Heading(format!("On this screen: {screen}")));
        out.extend(screen_keys.iter().map(|(key, label)| HelpLine::Key {
            keys: key.clone(),
            desc: capitalised(label),
        }));
    }
    out.push(HelpLine::Heading("Moving around".to_string()));
    let (scope, commands) = MOVING[usize::from(typing)];
    for command in commands {
        let keys: Vec<String> = keymap
            .keys_for(scope, *command)
            .iter()
            .map(Key::to_string)
            .collect();
        if !keys.is_empty() {
            out.push(HelpLine::Key {
                keys: keys.join(", "),
                desc: command.desc().to_string(),
            });
        }
    }
    out.push(HelpLine::Heading(Scope::Global.title().to_string()));
    let shown = keymap
        .bindings(Scope::Global)
        .into_iter()
        .filter(|(command, _)| !hidden.contains(command));
    for (command, keys) in shown {
        let keys: Vec<String> = keys.iter().map(Key::to_string).collect();
        out.push(HelpLine::Key {
            keys: keys.join(", "),
            desc: command.desc().to_string(),
        });
    }
    out
}

/// The keys that move: through a list, or (index 1) through a form's fields.
const MOVING: [(Scope, &[Command]); 2] = [
    (
        Scope::List,
        &[
            Command::Up,
            Command::Down,
            Command::PageUp,
            Command::PageDown,
            Command::Top,
            Command::Bottom,
        ],
    ),
    (Scope::Form, &[Command::NextField, Command::PrevField]),
];

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Draws the overlay, scrolled down by `offset` lines (clamped).
pub fn render(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, all: Vec<HelpLine>, offset: usize) {
    let rect = centered(area, 76, area.height.saturating_sub(2));
    if rect.height < 3 {
        return;
    }
    frame.render_widget(Clear, rect);
    let close = ui
        .key(Scope::Global, Command::Back)
        .unwrap_or_else(|| "Esc".into());
    let block = Block::bordered()
        .title(Span::styled(
            format!(" Keys ({close} closes) "),
            ui.theme.title,
        ))
        .border_style(ui.theme.border_focused)
        .style(ui.theme.text);
    let inner = block.inner(rect).inner(Margin::new(1, 0));
    frame.render_widget(block, rect);

    let visible = usize::from(inner.height);
    let offset = offset.min(all.len().saturating_sub(visible));
    if offset + visible < all.len() {
        let more = ui.key(Scope::List, Command::Down).unwrap_or_default();
        let note = Line::styled(format!(" more below: {more} "), ui.theme.muted);
        frame.render_widget(Block::new().title_bottom(note), rect);
    }
    let shown: Vec<Line<'_>> = all
        .into_iter()
        .skip(offset)
        .take(visible)
        .map(|line| match line {
            HelpLine::Heading(text) => Line::styled(text, ui.theme.title),
            HelpLine::Key { keys, desc } => Line::from(vec![
                Span::raw("  "),
                Span::styled(format!("{keys:<KEYS_WIDTH$}"), ui.theme.key_hint),
                Span::raw(" "),
                Span::styled(desc, ui.theme.text),
            ]),
        })
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
    // Screen readers start reading where the cursor is.
    frame.set_cursor_position(Position::new(inner.x, inner.y));
}

/// How far the help can scroll in a terminal this tall (the overlay loses
/// header, status and footer rows, a margin and its border: 7 rows).
pub fn max_offset(lines: usize, terminal_height: u16) -> usize {
    let visible = usize::from(terminal_height.saturating_sub(7));
    lines.saturating_sub(visible)
}
