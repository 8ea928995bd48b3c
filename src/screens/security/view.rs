//! Drawing the Security screen: the menu, each page, the QR code and the
//! recovery codes. Read-only.

use ratatui::Frame;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::enrol::{Enrolment, ShownCodes};
use super::{EmailStep, Section, SecurityScreen};
use crate::keymap::{Command, Scope};
use crate::widgets::form::Form;
use crate::widgets::{Ui, spinner, wrap};

/// The meter's width in cells.
const METER: usize = 20;
/// Columns of the menu's section names.
const NAME_WIDTH: usize = 16;

mod two_factor;
use two_factor::render_codes;

impl SecurityScreen {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        if let Some(codes) = &self.shown_codes {
            return render_codes(frame, area, ui, codes);
        }
        if let Some(enrolment) = self.enrolment() {
            return self.render_enrolment(frame, area, ui, enrolment);
        }
        match self.open {
            None => self.render_menu(frame, area, ui),
            Some(Section::Log) => self.log.render(frame, area, ui),
            Some(section) => self.render_page(frame, area, ui, section),
        }
    }

    fn frame(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, title: String) -> Rect {
        let mut spans = vec![Span::styled(title, ui.theme.title)];
        if self.busy {
            spans.push(Span::styled(spinner::label(ui, "saving… "), ui.theme.muted));
        }
        let block = Block::bordered()
            .title(Line::from(spans))
            .border_style(ui.theme.border_focused);
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        inner
    }

    fn render_menu(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let inner = self.frame(frame, area, ui, " Security ".into());
        let mut lines = vec![Line::default()];
        for (i, section) in self.sections().iter().enumerate() {
            let selected = i == self.menu;
            let marker = if selected { "> " } else { "  " };
            let name = format!("{marker}{:<NAME_WIDTH$}", section.title());
            let style = if selected {
                ui.theme.selection
            } else {
                ui.theme.text
            };
            let status = self.status(*section);
            lines.push(Line::from(vec![
                Span::styled(name, style),
                Span::styled(status, ui.theme.muted),
            ]));
        }
        lines.push(Line::default());
        let about = about(self.selected());
        for line in wrap(about, usize::from(inner.width)) {
            lines.push(Line::styled(line, ui.theme.text));
        }
        if let Some(hint) = ui.press(Scope::List, Command::Open, "open it") {
            lines.push(Line::styled(hint, ui.theme.key_hint));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        // Screen readers follow the cursor to the selected row.
        let y = inner.y + 1 + self.menu as u16;
        if y < inner.bottom() {
            frame.set_cursor_position(Position::new(inner.x, y));
        }
    }

    /// One line about where a section stands.
    fn status(&self, section: Section) -> String {
        let mfa = self.mfa.value();
        match section {
            Section::Password => "Change the password you sign in with".into(),
            Section::Email => match self.account.value() {
                Some(a) => match &a.pending_email {
                    Some(p) => format!("{} ({} sent to {p})", a.email, self.email.proof()),
                    None if a.email_verified => format!("{} (verified)", a.email),
                    None => a.email.clone(),
                },
                None => "…".into(),
            },
            Section::TwoFactor => match mfa {
                Some(m) if m.totp_enabled => "On: authenticator app".into(),
                Some(m) if m.totp_pending => "Off (set-up not finished)".into(),
                Some(_) => "Off: add an authenticator app".into(),
                None => "…".into(),
            },
            Section::RecoveryCodes => match mfa {
                Some(m) if m.totp_enabled => match self.codes_left() {
                    Some(1) => "1 unused code left".into(),
                    Some(n) => format!("{n} unused codes left"),
                    None => "Made with two-factor sign-in".into(),
                },
                Some(_) => "Come with two-factor sign-in".into(),
                None => "…".into(),
            },
            Section::Log => "Sign-ins and changes, newest first".into(),
        }
    }

    fn render_page(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, section: Section) {
        let title = format!(" Security > {} ", section.title());
        let inner = self.frame(frame, area, ui, title);
        let width = usize::from(inner.width);
        let mut y = inner.y + 1;
        let text = |frame: &mut Frame<'_>, y: &mut u16, words: &str, style| {
            for line in wrap(words, width) {
                if *y >= inner.bottom() {
                    return;
                }
                let row = Rect::new(inner.x, *y, inner.width, 1);
                frame.render_widget(Paragraph::new(Line::styled(line, style)), row);
                *y += 1;
            }
        };
        let (intro, form, note) = self.page_parts(section);
        for paragraph in intro {
            text(frame, &mut y, &paragraph, ui.theme.text);
        }
        if let Some(note) = note {
            text(frame, &mut y, note, ui.theme.success);
        }
        if let (Some(password), Some(_)) = (&self.demo_password, form) {
            let hint = format!("Demo: the password is {}", password.expose());
            text(frame, &mut y, &hint, ui.theme.warning);
        }
        y += 1;
        let Some(form) = form else { return };
        if y < inner.bottom() {
            let rest = Rect::new(inner.x, y, inner.width, inner.bottom() - y);
            y += form.render(frame, rest, ui, true);
        }
        if section == Section::Password {
            y = self.render_password_extras(frame, inner, y, ui);
        }
        if let Some(banner) = &form.banner {
            text(frame, &mut y, &format!("! {banner}"), ui.theme.danger);
        }
    }

    /// What a page says, the form that has the keys (None when there is
    /// none yet), and a note on the last change.
    fn page_parts(&self, section: Section) -> (Vec<String>, Option<&Form>, Option<&str>) {
        let mfa = self.mfa.value();
        match section {
            Section::Password => (
                vec![
                    "Your current password confirms it is you. The new one needs 10 or more characters and must be hard to guess: a few unrelated words work well.".into(),
                ],
                Some(&self.password.form),
                self.password.note.as_deref(),
            ),
            Section::Email => {
                let current = self
                    .account
                    .value()
                    .map_or_else(|| "…".to_string(), |a| a.email.clone());
                match &self.email.step {
                    EmailStep::Address => (
                        vec![
                            format!("Your email is {current}."),
                            match self.email.by_link {
                                true => "A link goes to the new address; the change happens when you paste it here.".into(),
                                false => "A code goes to the new address; the change happens when you enter it. Your old address is told.".into(),
                            },
                        ],
                        Some(&self.email.address),
                        self.email.note.as_deref(),
                    ),
                    EmailStep::Code { to } => (
                        vec![
                            match self.email.by_link {
                                true => format!("A link was sent to {to}. Paste the whole link here."),
                                false => format!("A 6-digit code was sent to {to}. It is valid for 15 minutes."),
                            },
                            "Esc goes back to use a different address.".into(),
                        ],
                        Some(&self.email.code),
                        None,
                    ),
                }
            }
            Section::TwoFactor => match mfa {
                None => (vec![self.mfa_unknown()], None, None),
                Some(m) if m.totp_enabled => (
                    vec![
                        "Two-factor sign-in is on: signing in asks for a code from your authenticator app after your password.".into(),
                        "To turn it off, enter your password and a current code.".into(),
                    ],
                    Some(&self.two_factor.disable),
                    self.two_factor.note.as_deref(),
                ),
                Some(_) => (
                    vec![
                        "Two-factor sign-in is off. With it on, signing in also asks for a code from an authenticator app on your phone or computer, so a stolen password is not enough.".into(),
                        "Enter your password to set it up.".into(),
                    ],
                    Some(&self.two_factor.enable),
                    self.two_factor.note.as_deref(),
                ),
            },
            Section::RecoveryCodes => match mfa {
                None => (vec![self.mfa_unknown()], None, None),
                Some(m) if m.totp_enabled => (
                    vec![
                        match self.codes_left() {
                            Some(n) => format!("You have {n} unused recovery codes. Each signs you in once, in place of a code, if you lose your authenticator."),
                            None => "Each recovery code signs you in once, in place of a code, if you lose your authenticator. This service does not say how many you have left.".into(),
                        },
                        "To make 10 new ones (the old ones stop working), enter your password.".into(),
                    ],
                    Some(&self.recovery.form),
                    None,
                ),
                Some(_) => (
                    vec!["Recovery codes come with two-factor sign-in. Turn it on first, under Two-factor.".into()],
                    None,
                    None,
                ),
            },
            Section::Log => (Vec::new(), None, None),
        }
    }

    fn mfa_unknown(&self) -> String {
        match &self.mfa {
            crate::widgets::loadable::Loadable::Failed(f)
            | crate::widgets::loadable::Loadable::Stale(_, f) => {
                format!("Could not load the two-factor status: {}", f.message)
            }
            _ => "Loading the two-factor status…".into(),
        }
    }

    /// The strength meter and the "sign out other sessions" checkbox.
    fn render_password_extras(
        &self,
        frame: &mut Frame<'_>,
        inner: Rect,
        mut y: u16,
        ui: &Ui<'_>,
    ) -> u16 {
        let page = &self.password;
        let mut lines = Vec::new();
        if let Some(strength) = &page.strength {
            let filled = if strength.accepted() {
                METER * (usize::from(strength.score) + 1) / 5
            } else {
                METER * usize::from(strength.score.min(2)) / 5
            };
            let bar = format!("{}{}", "█".repeat(filled), "░".repeat(METER - filled));
            let (word, style) = match (strength.accepted(), strength.score) {
                (false, _) => ("too weak", ui.theme.danger),
                (true, 3) => ("strong", ui.theme.success),
                (true, _) => ("very strong", ui.theme.success),
            };
            lines.push(Line::from(vec![
                Span::styled("  Strength  ", ui.theme.label),
                Span::styled(bar, style),
                Span::styled(format!(" {word}"), style),
            ]));
            let advice = strength.problems.first().map(String::as_str);
            if let Some(advice) = advice.filter(|_| page.form.error("new_password").is_none()) {
                let room = usize::from(inner.width).saturating_sub(12);
                for line in wrap(advice, room).into_iter().take(2) {
                    lines.push(Line::styled(format!("            {line}"), ui.theme.muted));
                }
            }
        }
        let on_box = page.on_checkbox();
        let mark = if page.sign_out_others { "[x]" } else { "[ ]" };
        let marker = if on_box { "> " } else { "  " };
        let style = if on_box {
            ui.theme.label_focused
        } else {
            ui.theme.label
        };
        lines.push(Line::styled(
            format!("{marker}{mark} Sign out my other sessions"),
            style,
        ));
        let last = lines.len() - 1;
        for (i, line) in lines.into_iter().enumerate() {
            if y >= inner.bottom() {
                break;
            }
            let row = Rect::new(inner.x, y, inner.width, 1);
            frame.render_widget(Paragraph::new(line), row);
            if on_box && i == last {
                // On the box itself, as a screen reader expects.
                frame.set_cursor_position(Position::new(inner.x + 3, y));
            }
            y += 1;
        }
        y + 1
    }
}

fn about(section: Section) -> &'static str {
    match section {
        Section::Password => {
            "Change your password. You can sign out every other device at the same time."
        }
        Section::Email => {
            "Change the address you sign in with; a code sent to the new address confirms it."
        }
        Section::TwoFactor => {
            "Ask for a code from an authenticator app at every sign-in, so a password alone is not enough."
        }
        Section::RecoveryCodes => {
            "One-time codes for signing in when your authenticator is not at hand."
        }
        Section::Log => {
            "Every sign-in and security change on your account, with time, place and device."
        }
    }
}
