//! Drawing the Privacy screen: the settings with what each means, the
//! export and its progress, the danger zone; or the deletion page.

use crate::screens::Screen as _;
use ratatui::Frame;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::export::ExportState;
use super::settings::visibility_item;
use super::{PrivacyScreen, ROWS, Row};
use crate::keymap::{Command, Scope};
use crate::widgets::loadable::Loadable;
use crate::widgets::{Ui, spinner, time, wrap};
use acctl_client::Progress;

/// Columns of the row labels.
const LABEL: usize = 20;
/// Cells of the progress bars.
const BAR: usize = 20;

/// `[#####...............] 25%`, readable without colour.
pub fn bar(percent: u8) -> String {
    let filled = usize::from(percent.min(100)) * BAR / 100;
    format!(
        "[{}{}] {percent}%",
        "#".repeat(filled),
        ".".repeat(BAR - filled)
    )
}

impl PrivacyScreen {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        if self.deleting {
            return self.render_deletion(frame, area, ui);
        }
        let block = Block::bordered()
            .title(Span::styled(" Privacy ", ui.theme.title))
            .border_style(ui.theme.border_focused);
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let mut lines: Vec<Line> = vec![Line::styled(
            "Settings (saved as you change them)",
            ui.theme.title,
        )];
        // The selected row, once drawn (not while its part is loading).
        let mut cursor_row = None;
        match self.settings.shown() {
            Some(shown) => {
                for (i, row) in ROWS.iter().enumerate().take(4) {
                    if i == self.row {
                        cursor_row = Some(lines.len());
                    }
                    let (value, explain, field) = match row {
                        Row::Visibility => {
                            let item = visibility_item(shown.profile_visibility);
                            let (name, explain) = item.split_once(": ").unwrap_or((&item, ""));
                            (name.to_string(), explain.to_string(), "profile_visibility")
                        }
                        Row::Switch(s) => {
                            let on = s.get(&shown);
                            let value = if on { "[x] on" } else { "[ ] off" };
                            (value.to_string(), s.explain().to_string(), field_of(*s))
                        }
                        _ => continue,
                    };
                    let saving = if self.settings.is_pending(field) {
                        "  ~ saving"
                    } else {
                        ""
                    };
                    lines.push(self.row_line(ui, i, label_of(*row), &format!("{value}{saving}")));
                    lines.push(Line::styled(format!("   {explain}"), ui.theme.muted));
                }
            }
            None => lines.extend(loading_lines(
                ui,
                &self.settings.value,
                "your privacy settings",
                width,
            )),
        }
        if let Some(note) = &self.settings.note {
            lines.extend(
                wrap(note, width)
                    .into_iter()
                    .map(|l| Line::styled(l, ui.theme.danger)),
            );
        }
        lines.push(Line::styled("Your data", ui.theme.title));
        if self.selected() == Row::Export {
            cursor_row = Some(lines.len());
        }
        lines.push(self.row_line(
            ui,
            super::EXPORT_ROW,
            "Export my data",
            self.export_summary(),
        ));
        let form_row = lines.len();
        lines.extend(self.export_details(ui, width));
        lines.push(Line::styled("Danger zone", ui.theme.danger));
        if self.selected() == Row::Delete {
            cursor_row = Some(lines.len());
        }
        let delete = match self.deletion.scheduled().and_then(|s| s.scheduled_for) {
            Some(on) => format!("Scheduled for {}", time::date(on, ui.tz)),
            None => format!("Deleted {} days after you ask", self.deletion.grace_days()),
        };
        lines.push(self.row_line(ui, super::DELETE_ROW, "Delete my account", &delete));
        frame.render_widget(Paragraph::new(lines), inner);
        self.place_export_form(frame, inner, ui, form_row);
        if let Some(row) = cursor_row.filter(|_| !self.takes_typing()) {
            let y = inner.y + u16::try_from(row).unwrap_or(0);
            if y < inner.bottom() {
                frame.set_cursor_position(Position::new(inner.x, y));
            }
        }
        if let Some(picker) = &self.settings.picker {
            // The whole terminal's width: the choices explain themselves.
            picker.render(frame, frame.area(), ui, 66, 8);
        }
    }

    /// `>Label                value`, the focused row marked and reversed.
    fn row_line(&self, ui: &Ui<'_>, index: usize, label: &str, value: &str) -> Line<'static> {
        let focused = index == self.row;
        let marker = if focused { '>' } else { ' ' };
        let style = if focused {
            ui.theme.selection
        } else {
            ui.theme.text
        };
        Line::from(vec![
            Span::styled(format!("{marker}{label:<LABEL$}"), style),
            Span::styled(format!(" {value}"), ui.theme.text),
        ])
    }

    fn export_summary(&self) -> &'static str {
        match &self.export.state {
            ExportState::Idle => "All your data as one JSON file",
            ExportState::Starting => "Starting…",
            ExportState::Running(_) => "Being made",
            ExportState::Ready(_) => "Ready to download",
            ExportState::Choosing { .. } => "Where should it go?",
            ExportState::Downloading { .. } => "Downloading",
            ExportState::Done { .. } => "Saved",
            ExportState::Failed(_) => "Did not work",
        }
    }

    /// The line or two under the export row.
    fn export_details(&self, ui: &Ui<'_>, width: usize) -> Vec<Line<'static>> {
        let key = |what: &str| {
            ui.press(Scope::List, Command::Open, what)
                .unwrap_or_default()
        };
        let (text, style) = match &self.export.state {
            ExportState::Idle => (key("start an export"), ui.theme.muted),
            ExportState::Starting => (spinner::label(ui, "Asking the server…"), ui.theme.muted),
            ExportState::Running(e) => (
                format!("Making the export: {}", bar(e.progress_percent)),
                ui.theme.text,
            ),
            ExportState::Ready(e) => {
                let expires = e
                    .expires_at
                    .map(|at| format!(", until {}", time::date(at, ui.tz)))
                    .unwrap_or_default();
                let made = time::absolute(e.ready_at.unwrap_or(e.created_at), ui.tz);
                (
                    format!("Made {made}{expires}. {}", key("save it")),
                    ui.theme.text,
                )
            }
            // The form is drawn over these rows.
            ExportState::Choosing { form, .. } => {
                let rows = usize::from(form.height(u16::try_from(width).unwrap_or(u16::MAX)));
                let mut lines = vec![Line::default(); rows];
                if let Some(note) = &self.export.note {
                    lines.push(Line::styled(format!("   {note}"), ui.theme.muted));
                }
                return lines;
            }
            ExportState::Downloading { form, progress, .. } => (
                format!(
                    "Saving to {}: {}",
                    form.value(super::export::PATH),
                    progress_text(*progress)
                ),
                ui.theme.text,
            ),
            ExportState::Done { path, bytes } => (
                format!(
                    "Saved to {} ({} KiB). {}",
                    path.display(),
                    bytes.div_ceil(1024),
                    key("make a new one")
                ),
                ui.theme.success,
            ),
            ExportState::Failed(why) => (format!("{why} {}", key("try again")), ui.theme.danger),
        };
        let mut rows = wrap(&text, width.saturating_sub(3));
        rows.truncate(2);
        rows.into_iter()
            .map(|l| Line::styled(format!("   {l}"), style))
            .collect()
    }

    fn place_export_form(&self, frame: &mut Frame<'_>, inner: Rect, ui: &Ui<'_>, row: usize) {
        let ExportState::Choosing { form, .. } = &self.export.state else {
            return;
        };
        let y = inner.y + u16::try_from(row).unwrap_or(0);
        if y >= inner.bottom() {
            return;
        }
        let area = Rect::new(
            inner.x + 3,
            y,
            inner.width.saturating_sub(3),
            inner.bottom() - y,
        );
        form.render(frame, area, ui, true);
    }

    fn render_deletion(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
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
        lines.extend(para(
            &format!("It happens {days} days after you ask; until then you can sign in and cancel it here."),
            ui.theme.text,
        ));
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

fn label_of(row: Row) -> &'static str {
    match row {
        Row::Visibility => "Profile visibility",
        Row::Switch(s) => s.label(),
        Row::Export => "Export my data",
        Row::Delete => "Delete my account",
    }
}

fn field_of(switch: super::Switch) -> &'static str {
    match switch {
        super::Switch::DataSharing => "data_sharing",
        super::Switch::Analytics => "analytics",
        super::Switch::PersonalizedAds => "personalized_ads",
    }
}

fn progress_text(progress: Option<Progress>) -> String {
    match progress {
        None => "starting…".into(),
        Some(p) => match p.percent() {
            Some(percent) => format!(
                "{} of {} KiB",
                bar(percent),
                p.total.unwrap_or(0).div_ceil(1024)
            ),
            None => format!("{} KiB so far", p.received.div_ceil(1024)),
        },
    }
}

/// What stands for a value not loaded: on its way, failed, or not asked.
fn loading_lines<T>(
    ui: &Ui<'_>,
    value: &Loadable<T>,
    what: &str,
    width: usize,
) -> Vec<Line<'static>> {
    let (text, style) = match value {
        Loadable::Failed(f) => {
            let retry = ui
                .press(Scope::List, Command::Refresh, "try again")
                .unwrap_or_default();
            (
                format!("Could not load {what}: {} {retry}", f.message),
                ui.theme.danger,
            )
        }
        Loadable::NotAsked => (
            ui.press(Scope::List, Command::Refresh, "load")
                .unwrap_or_default(),
            ui.theme.muted,
        ),
        _ => (
            spinner::label(ui, &format!("Loading {what}…")),
            ui.theme.muted,
        ),
    };
    let mut rows = wrap(&text, width);
    rows.truncate(4);
    rows.into_iter().map(|l| Line::styled(l, style)).collect()
}
