//! Drawing the sign-in form. Read-only: takes the screen and the [`Ui`].

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{LoginScreen, MfaStep};
use crate::keymap::{Command, Scope};
use crate::widgets::form_field::FormField;
use crate::widgets::toast::ToastKind;
use crate::widgets::{Ui, centered, spinner, wrap};

/// Widest the form grows on large terminals.
const FORM_WIDTH: u16 = 72;

impl LoginScreen {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let width = area.width.min(FORM_WIDTH);
        let text_width = width.saturating_sub(4);
        let mut intro = self.intro_lines(ui, text_width);
        if let Some(mfa) = &self.mfa {
            intro.extend(mfa_intro(mfa, text_width));
        }
        let fields = self.visible_fields();
        let label_width = if self.mfa.is_some() { 13 } else { 8 };
        // A field's error row doubles as spacing; after an error, add one.
        let gap = u16::from(fields.last().is_some_and(|(f, _)| f.error.is_some()));
        let fields_height: u16 = fields
            .iter()
            .map(|(f, _)| f.height(text_width, label_width))
            .sum();
        let height = (intro.len() as u16)
            .saturating_add(fields_height + gap)
            .saturating_add(5)
            .min(area.height);
        let inner = self.render_box(frame, centered(area, width, height), ui);
        let intro_height = (intro.len() as u16).min(inner.height);
        let intro_area = Rect {
            height: intro_height,
            ..inner
        };
        frame.render_widget(Paragraph::new(intro), intro_area);

        let mut y = inner.y + intro_height;
        for (field, focused) in fields {
            let h = field.height(inner.width, label_width);
            if y + h > inner.bottom() {
                break;
            }
            let rect = Rect::new(inner.x, y, inner.width, h);
            field.render(frame, rect, ui, focused, label_width);
            y += h;
        }
        y += gap;
        if y < inner.bottom() {
            let row = Rect::new(inner.x, y, inner.width, 1);
            frame.render_widget(Paragraph::new(self.status_line(ui)), row);
        }
    }

    /// The fields on show, each with whether it has focus.
    fn visible_fields(&self) -> Vec<(&FormField, bool)> {
        match &self.mfa {
            Some(mfa) => vec![(&mfa.code, true)],
            None => self
                .fields
                .iter()
                .enumerate()
                .map(|(i, f)| (f, i == self.focus))
                .collect(),
        }
    }

    /// The titled border; returns the space inside it.
    fn render_box(&self, frame: &mut Frame<'_>, rect: Rect, ui: &Ui<'_>) -> Rect {
        let title = if self.mfa.is_some() {
            "Two-factor sign-in"
        } else {
            "Sign in"
        };
        let block = Block::bordered()
            .title(Span::styled(format!(" {title} "), ui.theme.title))
            .border_style(ui.theme.border_focused);
        let inner = block.inner(rect).inner(Margin::new(1, 1));
        frame.render_widget(block, rect);
        inner
    }

    /// The banner (why you are here, or an error no field owns) and a blank.
    fn intro_lines(&self, ui: &Ui<'_>, width: u16) -> Vec<Line<'static>> {
        let Some(banner) = &self.banner else {
            return Vec::new();
        };
        let (prefix, style) = match banner.kind {
            ToastKind::Error => ("Error: ", ui.theme.danger),
            ToastKind::Warning => ("", ui.theme.warning),
            ToastKind::Success => ("", ui.theme.success),
            ToastKind::Info => ("", ui.theme.text),
        };
        let mut lines: Vec<Line<'static>> = wrap(&format!("{prefix}{}", banner.text), width.into())
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect();
        lines.push(Line::default());
        lines
    }

    /// "Signing in…" while the request runs; otherwise how to go on.
    fn status_line(&self, ui: &Ui<'_>) -> Line<'static> {
        if self.busy {
            let text = spinner::label(ui, "Signing in…");
            return Line::styled(text, ui.theme.warning);
        }
        let mut spans = Vec::new();
        let mut add = |command: Command, what: &str| {
            if let Some(key) = ui.keymap.hint(Scope::Form, command) {
                if !spans.is_empty() {
                    spans.push(Span::styled(" · ", ui.theme.muted));
                }
                spans.push(ui.key_span(key));
                spans.push(Span::styled(format!(" {what}"), ui.theme.muted));
            }
        };
        match &self.mfa {
            None => {
                add(Command::Submit, "signs in");
                add(Command::NextField, "next field");
            }
            Some(mfa) => {
                add(Command::Submit, "verifies");
                if mfa.recovery_allowed {
                    let other = if mfa.recovery {
                        "use an app code"
                    } else {
                        "use a recovery code"
                    };
                    add(Command::ToggleRecovery, other);
                }
                add(Command::Back, "goes back");
            }
        }
        Line::from(spans)
    }
}

fn mfa_intro(mfa: &MfaStep, width: u16) -> Vec<Line<'static>> {
    let text = if mfa.recovery {
        "Enter one of the recovery codes you saved when you turned on two-step sign-in. Each code works once."
    } else {
        "This account uses two-step sign-in. Enter the 6-digit code from your authenticator app."
    };
    let mut lines: Vec<Line<'static>> = wrap(text, width.into())
        .into_iter()
        .map(Line::from)
        .collect();
    lines.push(Line::default());
    lines
}
