//! Drawing the whole console: header, sidebar, the screen, the status line
//! with toasts, the footer of key hints, and overlays. Read-only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::footer;
use super::nav::{self, SIDEBAR_WIDTH};
use super::state::{App, Overlay};
use crate::action::ScreenId;
use crate::keymap::{Command, Scope};
use crate::widgets::{Ui, help, toast};

/// Smallest terminal the layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

impl App {
    /// The read-only context every widget draws with.
    pub fn ui(&self) -> Ui<'_> {
        let config = &self.ctx.config.ui;
        Ui {
            theme: &self.theme,
            keymap: &self.keymap,
            now: self.clock.now(),
            tz: self.tz,
            language: self.look.language(),
            spinner_frame: self.spinner_frame,
            motion: !config.reduce_motion && !config.screen_reader,
            screen_reader: config.screen_reader,
            demo_password: self.ctx.demo.as_ref().map(|d| &d.password),
        }
    }

    pub fn render(&self, frame: &mut Frame<'_>) {
        let area = frame.area();
        let ui = self.ui();
        let small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
        self.drawn_too_small.set(small);
        if small {
            return too_small(frame, area, &ui);
        }
        // A long message takes up to three rows rather than being cut.
        let toast_lines = self
            .toasts
            .current()
            .map(|t| toast::lines(t, usize::from(area.width), TOAST_ROWS));
        let status_rows = toast_lines.as_ref().map_or(1, Vec::len).max(1);
        let [header, body, status, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(u16::try_from(status_rows).unwrap_or(1)),
            Constraint::Length(1),
        ])
        .areas(area);
        self.render_header(frame, header, &ui);
        let body = self.render_banner(frame, body, &ui);
        // The QR code and the recovery codes need the sidebar's columns.
        let full = self.screens.get(self.screen).wants_full_body();
        let main = if self.screen == ScreenId::Login || full {
            body
        } else {
            let [side, main] =
                Layout::horizontal([Constraint::Length(SIDEBAR_WIDTH), Constraint::Fill(1)])
                    .areas(body);
            nav::render_sidebar(frame, side, &ui, self.screen, self.offers(), self.admin);
            main
        };
        self.screens.get(self.screen).render(frame, main, &ui);
        if let (Some(t), Some(lines)) = (self.toasts.current(), toast_lines) {
            toast::render(frame, status, &ui, t, lines);
        }
        footer::render(frame, footer, &ui, &self.hints());
        match &self.overlay {
            Some(Overlay::Help { offset }) => {
                help::render(frame, body, &ui, self.help_lines(), *offset)
            }
            Some(Overlay::Dialog { dialog, .. }) => dialog.render(frame, body, &ui),
            None => {}
        }
    }

    /// App name, DEMO, profile @ server, and where tokens are kept (a
    /// warning when only in memory). Most important first, so a narrow
    /// terminal cuts the least useful part.
    fn render_header(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let theme = ui.theme;
        let sep = Span::styled(" | ", theme.header);
        let mut spans = vec![Span::styled(" acctl", theme.header)];
        if self.ctx.demo.is_some() {
            spans.push(sep.clone());
            spans.push(Span::styled("DEMO", theme.badge()));
        }
        if let Some(unread) = self.unread.filter(|_| self.screen != ScreenId::Login) {
            spans.push(sep.clone());
            spans.push(Span::styled(format!("{unread} unread"), theme.header));
        }
        spans.push(sep.clone());
        let who_at = spans.len();
        let who = format!("{} @ {}", self.ctx.profile, self.server);
        spans.push(Span::styled(who, theme.header));
        spans.push(sep);
        let kind = self.ctx.store.kind();
        if kind.is_persistent() {
            spans.push(Span::styled(format!("tokens in {kind}"), theme.header));
        } else if self.ctx.demo.is_some() {
            spans.push(Span::styled("tokens in memory", theme.header));
        } else {
            // Short enough to survive 80 columns beside a typical server URL.
            let text = "Warning: memory-only tokens";
            spans.push(Span::styled(text, theme.badge()));
        }
        fit_header(&mut spans, who_at, usize::from(area.width));
        let line = Line::from(spans);
        frame.render_widget(Paragraph::new(line).style(theme.header), area);
    }
}

/// Where the header is too long, the server address gives way first (the
/// profile name and where tokens are kept matter more), then the end;
/// either cut ends in `…`.
fn fit_header(spans: &mut [Span<'_>], who_at: usize, width: usize) {
    let total: usize = spans.iter().map(Span::width).sum();
    if total <= width {
        return;
    }
    if let Some(who) = spans.get_mut(who_at) {
        let others = total - who.width();
        let room = width.saturating_sub(others).max(MIN_WHO);
        who.content = crate::widgets::fit(&who.content, room).into_owned().into();
    }
    let mut left = width;
    for span in spans.iter_mut() {
        let w = span.width();
        if w > left {
            span.content = crate::widgets::fit(&span.content, left).into_owned().into();
        }
        left = left.saturating_sub(w);
    }
}

/// The least of "profile @ server" kept when the header is cut.
const MIN_WHO: usize = 16;

impl App {
    /// The warning that the account is to be deleted, over every screen
    /// once signed in: in words (a screen reader reads it as it is), on as
    /// many rows as it needs. Returns what is left of `body`.
    fn render_banner(&self, frame: &mut Frame<'_>, body: Rect, ui: &Ui<'_>) -> Rect {
        let Some(on) = self.deletion_on.filter(|_| self.screen != ScreenId::Login) else {
            return body;
        };
        let text = format!(
            "This account will be deleted on {}. Privacy → Cancel deletion to keep it.",
            crate::widgets::time::date(on, ui.tz)
        );
        let lines = crate::widgets::wrap(&text, usize::from(body.width.saturating_sub(2)));
        let height = u16::try_from(lines.len()).unwrap_or(1).min(2);
        let [banner, rest] =
            Layout::vertical([Constraint::Length(height), Constraint::Fill(1)]).areas(body);
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|l| Line::styled(format!(" {l}"), ui.theme.warning))
            .collect();
        frame.render_widget(Paragraph::new(lines), banner);
        rest
    }
}

/// Rows a message may take at most in the status area.
const TOAST_ROWS: usize = 3;

/// What to say instead of a broken layout. Draws nothing it cannot fit.
fn too_small(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let text = format!(
        "acctl needs at least {MIN_WIDTH}x{MIN_HEIGHT}; this terminal is {}x{}. \
         Make it larger to go on, or press {quit} to quit.",
        area.width,
        area.height,
        quit = ui
            .keymap
            .hint(Scope::Global, Command::Quit)
            .unwrap_or_else(|| "Ctrl-C".to_string()),
    );
    let paragraph = Paragraph::new(text)
        .style(ui.theme.warning)
        .wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}
