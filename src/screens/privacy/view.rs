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
use acctl_client::{Feature, Progress};

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
        let mut lines: Vec<Line> = Vec::new();
        // The selected row, once drawn (not while its part is loading).
        let mut cursor_row = None;
        if self.offers.has(Feature::PrivacySettings) {
            self.push_settings(ui, width, &mut lines, &mut cursor_row);
        }
        let mut form_row = None;
        if self.offers.has(Feature::DataExport) {
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
            form_row = Some(lines.len());
            lines.extend(self.export_details(ui, width));
        }
        if self.offers.has(Feature::AccountDeletion) {
            lines.push(Line::styled("Danger zone", ui.theme.danger));
            if self.selected() == Row::Delete {
                cursor_row = Some(lines.len());
            }
            let delete = match self.deletion.scheduled().and_then(|s| s.scheduled_for) {
                Some(on) => format!("Scheduled for {}", time::date(on, ui.tz)),
                None => match self.deletion.grace_days() {
                    0 => "Deleted at once when you ask".to_string(),
                    days => format!("Deleted {days} days after you ask"),
                },
            };
            lines.push(self.row_line(ui, super::DELETE_ROW, "Delete my account", &delete));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        if let Some(form_row) = form_row {
            self.place_export_form(frame, inner, ui, form_row);
        }
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

    /// The settings part: each setting with what it means (or why they are
    /// not on show yet), and a note about the last change.
    fn push_settings(
        &self,
        ui: &Ui<'_>,
        width: usize,
        lines: &mut Vec<Line<'static>>,
        cursor_row: &mut Option<usize>,
    ) {
        lines.push(Line::styled(
            "Settings (saved as you change them)",
            ui.theme.title,
        ));
        match self.settings.shown() {
            Some(shown) => {
                for (i, row) in ROWS.iter().enumerate().take(4) {
                    if i == self.row {
                        *cursor_row = Some(lines.len());
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
pub(super) fn loading_lines<T>(
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
