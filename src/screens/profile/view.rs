//! Drawing the profile: the fields, the preferences, the picture beside
//! them, and what changed elsewhere when a save was refused.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{AVATAR, Choice, LANGUAGE, PROFILE_FIELDS, ProfileScreen};
use crate::widgets::form_field::FieldFocus;
use crate::widgets::{Ui, loadable, spinner};
use acctl_client::Feature;

/// Columns of the labels (the longest is "Display name" / "Picture file").
const LABEL: u16 = 12;
/// The picture's size beside the fields, when there is room for it.
const PICTURE_COLS: u16 = 14;
const PICTURE_ROWS: u16 = 7;

impl ProfileScreen {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        loadable::render_framed(
            frame,
            area,
            ui,
            self.title(ui),
            (&self.profile, "your profile"),
            |frame, area, _| self.render_body(frame, area, ui),
        );
        if let Some((choice, picker)) = &self.picker {
            let height = area.height.saturating_sub(2).min(20);
            let width = if *choice == Choice::Timezone { 44 } else { 30 };
            picker.render(frame, area, ui, width, height);
        }
    }

    fn title(&self, ui: &Ui<'_>) -> Line<'static> {
        let mut spans = vec![Span::styled(" Profile ", ui.theme.title)];
        let changed = self.changed_fields();
        if !changed.is_empty() {
            let names: Vec<&str> = changed.iter().map(|f| label_of(f)).collect();
            spans.push(Span::styled(
                format!("* unsaved: {} ", names.join(", ")),
                ui.theme.warning,
            ));
        }
        if self.saving {
            spans.push(Span::styled(spinner::label(ui, "saving… "), ui.theme.muted));
        }
        Line::from(spans)
    }

    fn render_body(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let area = area.inner(ratatui::layout::Margin::new(1, 0));
        // No picture from a service that keeps none.
        let wide = area.width >= 50 && self.offers.has(Feature::Avatar);
        let fields_width = if wide {
            area.width - PICTURE_COLS - 2
        } else {
            area.width
        };
        let mut y = area.y + 1;
        for name in PROFILE_FIELDS.into_iter().chain([AVATAR]) {
            y = self.field(frame, ui, name, Rect::new(area.x, y, fields_width, 0), area);
        }
        if self.offers.has(Feature::Preferences) {
            y = self.render_preferences(frame, ui, area, fields_width, y + 1);
        }
        self.render_status(
            frame,
            ui,
            Rect::new(
                area.x,
                y + 1,
                area.width,
                area.bottom().saturating_sub(y + 1),
            ),
        );
        if wide {
            let rect = Rect::new(
                area.right() - PICTURE_COLS,
                area.y + 1,
                PICTURE_COLS,
                PICTURE_ROWS,
            );
            self.render_picture(frame, ui, rect);
        }
    }

    /// The preferences from row `y`: the language, theme and time zone;
    /// returns the row after them.
    fn render_preferences(
        &self,
        frame: &mut Frame<'_>,
        ui: &Ui<'_>,
        area: Rect,
        fields_width: u16,
        y: u16,
    ) -> u16 {
        let y = heading(frame, ui, "Preferences, for all your terminals", area, y);
        let at = Rect::new(area.x, y, fields_width, 0);
        let y = self.field(frame, ui, LANGUAGE, at, area);
        let prefs = self.prefs();
        let theme = prefs.map_or("…", |p| p.theme.as_str());
        let zone = prefs.map_or("…", |p| p.timezone.as_str());
        let stop = self.theme_stop();
        let row = |y| Rect::new(area.x, y, area.width, 1);
        let y = self.stop(frame, ui, ("Theme", theme), stop, row(y));
        self.stop(frame, ui, ("Time zone", zone), stop + 1, row(y))
    }

    /// One field at `at` (its width; the height is the field's); returns
    /// the row after it. Stops at the bottom of `bounds`.
    fn field(&self, frame: &mut Frame<'_>, ui: &Ui<'_>, name: &str, at: Rect, bounds: Rect) -> u16 {
        let Some(field) = self.form.field(name) else {
            return at.y;
        };
        // One row each; a field with an error takes the rows it needs.
        let height = match field.error {
            Some(_) => field.height(at.width, LABEL),
            None => field.input_rows(),
        };
        if at.y + height > bounds.bottom() {
            return bounds.bottom();
        }
        let focused =
            self.form.focused() == Some(name) && !self.is_picking() && self.conflict.is_none();
        let focus = match (focused, self.is_editing()) {
            (false, _) => FieldFocus::None,
            (true, false) => FieldFocus::Selected,
            // Typing: a marker that needs no colour to tell it from browsing.
            (true, true) => FieldFocus::Editing { marker: "✎ " },
        };
        field.render_focus(frame, Rect { height, ..at }, ui, focus, LABEL);
        at.y + height
    }

    /// A choice (theme, time zone): its value, and when focused, how to change it.
    fn stop(
        &self,
        frame: &mut Frame<'_>,
        ui: &Ui<'_>,
        (label, value): (&str, &str),
        index: usize,
        at: Rect,
    ) -> u16 {
        if at.y >= frame.area().bottom() {
            return at.y;
        }
        let focused = self.form.focused().is_none() && self.form.focus_index() == index;
        let (marker, style) = match focused {
            true => ("> ", ui.theme.label_focused),
            false => ("  ", ui.theme.label),
        };
        let mut spans = vec![
            Span::styled(
                format!("{marker}{label:<width$} ", width = usize::from(LABEL)),
                style,
            ),
            Span::styled(value.to_string(), ui.theme.text),
        ];
        if focused {
            spans.push(Span::styled("  Enter to choose", ui.theme.key_hint));
            let x = at.x + LABEL + 3;
            frame.set_cursor_position(Position::new(x.min(at.right().saturating_sub(1)), at.y));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), at);
        at.y + 1
    }

    fn render_status(&self, frame: &mut Frame<'_>, ui: &Ui<'_>, area: Rect) {
        if area.height == 0 {
            return;
        }
        let lines: Vec<Line> = match (&self.conflict, &self.form.banner, &self.note) {
            (Some(conflict), _, _) => {
                let what: Vec<String> = conflict
                    .fields
                    .iter()
                    .map(|f| {
                        let now = super::account_field(&conflict.theirs, f);
                        match now.is_empty() {
                            true => format!("{} was cleared", label_of(f)),
                            false => format!("{} is now \"{now}\"", label_of(f)),
                        }
                    })
                    .collect();
                vec![
                    Line::styled(
                        "Changed elsewhere while you were editing:",
                        ui.theme.warning,
                    ),
                    Line::styled(format!("{}.", what.join("; ")), ui.theme.text),
                    Line::styled(
                        "o keeps yours (overwrites theirs) · t takes theirs · Esc decides later",
                        ui.theme.key_hint,
                    ),
                ]
            }
            (None, Some(banner), _) => {
                vec![Line::styled(format!("Error: {banner}"), ui.theme.danger)]
            }
            (None, None, Some(note)) => vec![Line::styled(note.clone(), ui.theme.success)],
            (None, None, None) if self.form.focused() == Some(AVATAR) => {
                let text = match self.base.as_ref().is_some_and(|a| a.has_avatar) {
                    true => "Tab completes; Enter with no path removes the picture.",
                    false => "Tab completes the path; PNG or JPEG, up to 1 MiB.",
                };
                vec![Line::styled(text, ui.theme.muted)]
            }
            (None, None, None) => Vec::new(),
        };
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
    }

    fn render_picture(&self, frame: &mut Frame<'_>, ui: &Ui<'_>, area: Rect) {
        if area.bottom() > frame.area().bottom() {
            return;
        }
        match self.avatar.value() {
            Some(Some(picture)) => picture.render(frame, area, ui),
            _ => {
                let text = match self.avatar.is_loading() {
                    true => "Loading picture…",
                    false => "No picture",
                };
                let y = area.y + area.height / 2;
                let rect = Rect::new(area.x, y, area.width, 1);
                frame.render_widget(
                    Paragraph::new(Span::styled(text, ui.theme.muted)).centered(),
                    rect,
                );
            }
        }
    }
}

fn heading(frame: &mut Frame<'_>, ui: &Ui<'_>, text: &str, area: Rect, y: u16) -> u16 {
    if y >= area.bottom() {
        return y;
    }
    let rect = Rect::new(area.x, y, area.width, 1);
    frame.render_widget(
        Paragraph::new(Span::styled(text.to_string(), ui.theme.title)),
        rect,
    );
    y + 1
}

/// A field's name for people.
fn label_of(field: &str) -> &'static str {
    match field {
        "name" => "Name",
        "display_name" => "Display name",
        "phone" => "Phone",
        "bio" => "Bio",
        LANGUAGE => "Language",
        _ => "Picture",
    }
}
