//! The panel for screens that are not built yet: says so plainly.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::nav::ScreenId;
use crate::widgets::Ui;

pub fn render(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, screen: ScreenId) {
    let block = Block::bordered()
        .title(Span::styled(
            format!(" {} ", screen.title()),
            ui.theme.title,
        ))
        .border_style(ui.theme.border_focused);
    let inner = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    let lines = vec![
        Line::styled(format!("{} is coming soon.", screen.title()), ui.theme.text),
        Line::default(),
        Line::styled(what(screen), ui.theme.muted),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

fn what(screen: ScreenId) -> &'static str {
    match screen {
        ScreenId::Profile => "Here you will edit your name, display name, phone and bio.",
        ScreenId::Security => {
            "Here you will change your password and email, set up two-step sign-in and read the security log."
        }
        ScreenId::Notifications => "Here you will choose which notices reach you, and how.",
        ScreenId::Privacy => "Here you will export your data or delete your account.",
        ScreenId::Billing => "Here you will see your plan and invoices.",
        _ => "",
    }
}
