//! The sidebar that lists the screens.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::action::{SECTIONS, ScreenId};
use crate::keymap::{Command, Scope};
use crate::widgets::Ui;

/// Columns the sidebar takes, its border included.
pub const SIDEBAR_WIDTH: u16 = 20;

/// Lists the screens, each with its key.
/// The current one is marked `*` and reversed (the `>` marker means focus,
/// and the sidebar never has focus: number keys switch screens).
/// Screens the service does not offer are left out, and Admin unless the
/// account is an administrator.
pub fn render_sidebar(
    frame: &mut Frame<'_>,
    area: Rect,
    ui: &Ui<'_>,
    current: ScreenId,
    offers: acctl_client::Capabilities,
    admin: bool,
) {
    let block = Block::new()
        .borders(Borders::RIGHT)
        .border_style(ui.theme.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = SECTIONS
        .iter()
        .filter(|(screen, _)| super::offers::screen_shown(*screen, offers, admin))
        .map(|(screen, command)| entry(ui, *screen, *command, *screen == current, inner.width))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn entry(
    ui: &Ui<'_>,
    screen: ScreenId,
    command: Command,
    current: bool,
    width: u16,
) -> Line<'static> {
    let key = ui.keymap.hint(Scope::Global, command).unwrap_or_default();
    let marker = if current { "*" } else { " " };
    let text = format!("{marker}{key:>2} {}", screen.title());
    let text = format!("{text:<width$}", width = usize::from(width));
    let style = match current {
        true => ui.theme.nav_active,
        false => ui.theme.text,
    };
    Line::from(Span::styled(text, style))
}
