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

/// The help text as lines (also what a screen reader reads, top to bottom).
pub fn lines(keymap: &Keymap) -> Vec<(Option<Scope>, String, String)> {
    let mut out = Vec::new();
    for scope in Scope::ALL {
        let bindings = keymap.bindings(scope);
        if bindings.is_empty() {
            continue;
        }
        out.push((Some(scope), scope.title().to_string(), String::new()));
        for (command, keys) in bindings {
            let keys: Vec<String> = keys.iter().map(Key::to_string).collect();
            out.push((None, keys.join(", "), command.desc().to_string()));
        }
    }
    out
}

/// Draws the overlay, scrolled down by `offset` lines (clamped).
pub fn render(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, offset: usize) {
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

    let all = lines(ui.keymap);
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
        .map(|(scope, keys, desc)| match scope {
            Some(_) => Line::styled(keys, ui.theme.title),
            None => Line::from(vec![
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
pub fn max_offset(keymap: &Keymap, terminal_height: u16) -> usize {
    let visible = usize::from(terminal_height.saturating_sub(7));
    lines(keymap).len().saturating_sub(visible)
}
