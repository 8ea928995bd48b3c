//! Short messages in the status line: what just worked, or a passing error.
//! The kind is spelled out ("Error:") so it never depends on colour.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::Ui;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Success,
    Warning,
    Error,
}

impl ToastKind {
    fn prefix(self) -> &'static str {
        match self {
            ToastKind::Info => "",
            ToastKind::Success => "Done: ",
            ToastKind::Warning => "Warning: ",
            ToastKind::Error => "Error: ",
        }
    }

    /// Errors and warnings stay longer: they may need reading twice.
    fn lifetime(self) -> Duration {
        match self {
            ToastKind::Info | ToastKind::Success => Duration::from_secs(5),
            ToastKind::Warning | ToastKind::Error => Duration::from_secs(10),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub kind: ToastKind,
    pub text: String,
}

impl Toast {
    pub fn new(kind: ToastKind, text: impl Into<String>) -> Self {
        Self {
            kind,
            text: text.into(),
        }
    }

    pub fn success(text: impl Into<String>) -> Self {
        Self::new(ToastKind::Success, text)
    }

    pub fn warning(text: impl Into<String>) -> Self {
        Self::new(ToastKind::Warning, text)
    }

    pub fn error(text: impl Into<String>) -> Self {
        Self::new(ToastKind::Error, text)
    }
}

/// The toast on show and when it goes. Newer toasts replace older ones; the
/// log file keeps them all.
#[derive(Debug, Default)]
pub struct Toasts {
    current: Option<(Toast, Instant)>,
}

impl Toasts {
    pub fn push(&mut self, toast: Toast, now: Instant) {
        let until = now + toast.kind.lifetime();
        self.current = Some((toast, until));
    }

    pub fn current(&self) -> Option<&Toast> {
        self.current.as_ref().map(|(t, _)| t)
    }

    /// When the toast on show expires, for the event loop's timer.
    pub fn deadline(&self) -> Option<Instant> {
        self.current.as_ref().map(|(_, until)| *until)
    }

    /// Drops an expired toast; true when something changed.
    pub fn expire(&mut self, now: Instant) -> bool {
        let expired = self.deadline().is_some_and(|until| until <= now);
        if expired {
            self.current = None;
        }
        expired
    }

    pub fn dismiss(&mut self) -> bool {
        self.current.take().is_some()
    }
}

/// Draws `toast` on one line.
/// The rows `toast` takes at `width` (its prefix first), at most `rows`,
/// the last ending in `…` if it had to be cut.
pub fn lines(toast: &Toast, width: usize, rows: usize) -> Vec<String> {
    let text = format!("{}{}", toast.kind.prefix(), toast.text);
    super::wrap_fit(&text, width.saturating_sub(1), rows)
}

/// Draws `toast` as [`lines`] made it.
pub fn render(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, toast: &Toast, lines: Vec<String>) {
    let style = match toast.kind {
        ToastKind::Info => ui.theme.text,
        ToastKind::Success => ui.theme.success,
        ToastKind::Warning => ui.theme.warning,
        ToastKind::Error => ui.theme.danger,
    };
    let lines: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, style)).collect();
    frame.render_widget(Paragraph::new(lines), area);
}
