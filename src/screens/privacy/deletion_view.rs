//! Drawing the deletion page of the Privacy screen: the form that asks
//! for it, or the deletion already scheduled with how to cancel it.

use ratatui::Frame;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::PrivacyScreen;
use super::view::loading_lines;
use crate::keymap::{Command, Scope};
use crate::widgets::{Ui, spinner, time, wrap};

impl PrivacyScreen {
    pub(super) fn render_deletion(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let block = Block::bordered()
            .title(Span::styled(" Delete my account ", ui.theme.danger))
            .border_style(ui.theme.border_focused);
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let para = |text: &str, style| -> Vec<Line<'static>> {
            wrap(text, width)
                .into_iter()
                .map(|l| Line::styled(l, style))
                .collect()
        };
        let d = &self.deletion;
        let Some(status) = d.status.value() else {
            let lines = loading_lines(ui, &d.status, "the deletion status", width);
            return frame.render_widget(Paragraph::new(lines), inner);
        };
        let mut lines = Vec::new();
        if let Some(on) = status.scheduled_for {
            let asked = status
                .requested_at
                .map(|at| format!(" (asked {})", time::absolute(at, ui.tz)))
                .unwrap_or_default();
            let text = format!(
                "This account will be deleted on {}{asked}.",
                time::absolute(on, ui.tz)
            );
            lines.extend(para(&text, ui.theme.warning));
            lines.extend(para(
                "Until then you can sign in as usual and change your mind.",
                ui.theme.text,
            ));
            lines.push(Line::default());
            let cancel = ui.press(
                Scope::List,
                Command::Open,
                "cancel the deletion (it asks first)",
            );
            lines.extend(para(&cancel.unwrap_or_default(), ui.theme.key_hint));
            if let Some(note) = &d.note {
                lines.extend(para(note, ui.theme.danger));
            }
            frame.render_widget(Paragraph::new(lines), inner);
            // Screen readers start reading at the date.
            return frame.set_cursor_position(Position::new(inner.x, inner.y));
        }
        let days = status.grace_days;
        lines.extend(para(
            "Deleting removes your profile, sessions, notifications, exports and billing details.",
            ui.theme.text,
        ));
        let when = match days {
            0 => "It happens at once, signs out every device, and cannot be undone.".to_string(),
            days => format!(
                "It happens {days} days after you ask; until then you can sign in and cancel it here."
            ),
        };
        lines.extend(para(&when, ui.theme.text));
        lines.push(Line::default());
        let top = u16::try_from(lines.len()).unwrap_or(0);
        frame.render_widget(Paragraph::new(lines), inner);
        let form_area = Rect {
            y: inner.y + top.min(inner.height),
            height: inner.height.saturating_sub(top),
            ..inner
        };
        let used = d.form.render(frame, form_area, ui, true);
        let (mark, marker, style) = match (d.sign_out_others, d.on_checkbox()) {
            (on, true) => (on, "> ", ui.theme.label_focused),
            (on, false) => (on, "  ", ui.theme.label),
        };
        let mark = if mark { "[x]" } else { "[ ]" };
        let mut after = vec![Line::styled(
            format!("{marker}{mark} Also sign out my other devices now"),
            style,
        )];
        if let Some(banner) = &d.form.banner {
            after.extend(para(banner, ui.theme.danger));
        }
        after.push(Line::default());
        let submit = ui.key(Scope::Form, Command::Submit).unwrap_or_default();
        let back = ui.key(Scope::Form, Command::Back).unwrap_or_default();
        let how = match d.busy {
            true => spinner::label(ui, "Asking the server…"),
            false => format!(
                "{submit} asks once more before anything happens; {back} goes back and keeps what you typed."
            ),
        };
        after.extend(para(&how, ui.theme.muted));
        if let Some(password) = ui.demo_password {
            let hint = format!("Demo: the password is {}", password.expose());
            after.extend(para(&hint, ui.theme.warning));
        }
        let rest = Rect {
            y: form_area.y + used,
            height: form_area.height.saturating_sub(used),
            ..form_area
        };
        frame.render_widget(Paragraph::new(after), rest);
        if d.on_checkbox() && rest.height > 0 {
            // On the box itself, as a screen reader expects.
            frame.set_cursor_position(Position::new(rest.x + 3, rest.y));
        }
    }
}
