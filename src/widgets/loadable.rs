//! Every remote value is a [`Loadable`]; one helper renders its four states
//! the same way everywhere.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Ui, spinner};
use crate::keymap::{Command, Scope};
use acctl_client::ApiError;

/// A value from the server.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Loadable<T> {
    #[default]
    NotAsked,
    /// Asked; the previous value, if any, stays on screen meanwhile.
    Loading(Option<T>),
    Loaded(T),
    /// Nothing to show: the first load failed.
    Failed(Failure),
    /// A reload failed: what was loaded before stays on screen beside the
    /// failure, so a server going away never blanks the screen.
    Stale(T, Failure),
}

impl<T> Loadable<T> {
    /// Marks a request as sent, keeping what is shown.
    pub fn start(&mut self) {
        let previous = std::mem::replace(self, Loadable::NotAsked);
        *self = Loadable::Loading(match previous {
            Loadable::Loaded(v) | Loadable::Loading(Some(v)) | Loadable::Stale(v, _) => Some(v),
            _ => None,
        });
    }

    /// The value to show: loaded, or the one kept while reloading.
    pub fn value(&self) -> Option<&T> {
        match self {
            Loadable::Loaded(v) | Loadable::Loading(Some(v)) | Loadable::Stale(v, _) => Some(v),
            _ => None,
        }
    }

    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Loadable::Loaded(v) | Loadable::Loading(Some(v)) | Loadable::Stale(v, _) => Some(v),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading(_))
    }

    /// Stores a request's result; a failure keeps any value shown before.
    pub fn finish<E: Into<Failure>>(&mut self, result: Result<T, E>) {
        let previous = std::mem::replace(self, Loadable::NotAsked);
        *self = match (result, previous) {
            (Ok(v), _) => Loadable::Loaded(v),
            (Err(e), Loadable::Loaded(v) | Loadable::Loading(Some(v)) | Loadable::Stale(v, _)) => {
                Loadable::Stale(v, e.into())
            }
            (Err(e), _) => Loadable::Failed(e.into()),
        };
    }

    /// The load was cancelled: what was shown before stays; with nothing
    /// before, it is as if never asked.
    pub fn cancel(&mut self) {
        if let Loadable::Loading(previous) = self {
            *self = match previous.take() {
                Some(v) => Loadable::Loaded(v),
                None => Loadable::NotAsked,
            };
        }
    }

    /// True when there is nothing fresh: never asked, or the last load failed.
    pub fn wants_load(&self) -> bool {
        matches!(
            self,
            Loadable::NotAsked | Loadable::Failed(_) | Loadable::Stale(..)
        )
    }
}

/// Why loading failed, in words, kept for display (an [`ApiError`] is not
/// `Clone`, and the screen needs only what it says).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub message: String,
    pub request_id: Option<String>,
    /// Worth trying again as is (network, server trouble).
    pub transient: bool,
}

impl From<&ApiError> for Failure {
    fn from(error: &ApiError) -> Self {
        Self {
            message: sentence(&error.to_string()),
            request_id: error.request_id().map(str::to_string),
            transient: error.is_transient(),
        }
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Self {
            message: sentence(message),
            request_id: None,
            transient: false,
        }
    }
}

/// Capitalised, ending in a full stop: error texts are written to follow
/// "error:" in a CLI; on screen they stand alone.
pub fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Renders `value`: content when there is some (also while reloading),
/// otherwise a loading line, the failure with how to retry, or a prompt,
/// indented by one column. `area` is the inside of the caller's border.
/// `what` names the thing: "your account", "sessions".
pub fn render<T>(
    frame: &mut Frame<'_>,
    area: Rect,
    ui: &Ui<'_>,
    value: &Loadable<T>,
    what: &str,
    content: impl FnOnce(&mut Frame<'_>, Rect, &T),
) {
    let lines = match value {
        Loadable::Loaded(v) | Loadable::Loading(Some(v)) => return content(frame, area, v),
        Loadable::Stale(v, failure) => return render_stale(frame, area, ui, (v, failure), content),
        Loadable::Loading(None) => {
            let mut spans = vec![Span::styled(
                spinner::label(ui, &format!("Loading {what}…")),
                ui.theme.muted,
            )];
            if let Some(key) = ui.key(Scope::Global, Command::Back) {
                spans.push(Span::styled(format!(" {key} cancels."), ui.theme.key_hint));
            }
            vec![Line::from(spans)]
        }
        Loadable::Failed(failure) => failure_lines(ui, failure, what),
        Loadable::NotAsked => {
            let hint = ui
                .press(Scope::List, Command::Refresh, "load")
                .unwrap_or_default();
            vec![Line::from(Span::styled(hint, ui.theme.muted))]
        }
    };
    // One column of air from the border the caller drew.
    let area = area.inner(Margin::new(1, 0));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

/// What to do first, then the failure (up to two lines), then what was
/// loaded before. The hint leads so a narrow terminal never cuts it.
fn render_stale<T>(
    frame: &mut Frame<'_>,
    area: Rect,
    ui: &Ui<'_>,
    (value, failure): (&T, &Failure),
    content: impl FnOnce(&mut Frame<'_>, Rect, &T),
) {
    use ratatui::layout::{Constraint, Layout};
    let [banner, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(area);
    let mut heading = vec![Span::styled("Not up to date.", ui.theme.warning)];
    let hint = retry_hint(ui, failure);
    if !hint.is_empty() {
        heading.push(Span::styled(format!(" {hint}"), ui.theme.key_hint));
    }
    let lines = vec![
        Line::from(heading),
        Line::from(Span::styled(failure.message.clone(), ui.theme.text)),
    ];
    let banner = banner.inner(Margin::new(1, 0));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), banner);
    content(frame, rest, value);
}

/// [`render`] inside the focused screen's bordered block titled `title`.
pub fn render_framed<T>(
    frame: &mut Frame<'_>,
    area: Rect,
    ui: &Ui<'_>,
    title: Line<'_>,
    (value, what): (&Loadable<T>, &str),
    content: impl FnOnce(&mut Frame<'_>, Rect, &T),
) {
    let block = ratatui::widgets::Block::bordered()
        .title(title)
        .border_style(ui.theme.border_focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    render(frame, inner, ui, value, what, content);
}

fn failure_lines<'a>(ui: &Ui<'_>, failure: &Failure, what: &str) -> Vec<Line<'a>> {
    let mut lines = vec![
        Line::from(Span::styled(
            format!("Error: could not load {what}."),
            ui.theme.danger,
        )),
        Line::from(Span::styled(failure.message.clone(), ui.theme.text)),
    ];
    if let Some(id) = &failure.request_id {
        lines.push(Line::from(Span::styled(
            format!("Request id: {id}"),
            ui.theme.muted,
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        retry_hint(ui, failure),
        ui.theme.key_hint,
    )));
    lines
}

/// How it will be tried again: by itself when the trouble is passing
/// (network, server), else by the person.
fn retry_hint(ui: &Ui<'_>, failure: &Failure) -> String {
    match (failure.transient, ui.key(Scope::List, Command::Refresh)) {
        (true, Some(key)) => format!("Trying again by itself; press {key} to try now."),
        (true, None) => "Trying again by itself.".to_string(),
        (false, Some(key)) => format!("Press {key} to try again."),
        (false, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reloading_keeps_the_value_on_screen() {
        let mut v: Loadable<u32> = Loadable::Loaded(3);
        v.start();
        assert_eq!(v, Loadable::Loading(Some(3)));
        assert_eq!(v.value(), Some(&3));
        v.finish::<&str>(Err("boom"));
        assert!(matches!(&v, Loadable::Stale(3, f) if f.message == "Boom."));
        assert_eq!(v.value(), Some(&3));
        assert!(v.wants_load());
        v.start();
        assert_eq!(v, Loadable::Loading(Some(3)));
    }

    #[test]
    fn a_first_load_that_fails_has_nothing_to_show() {
        let mut v: Loadable<u32> = Loadable::NotAsked;
        v.start();
        v.finish::<&str>(Err("boom"));
        assert!(matches!(&v, Loadable::Failed(f) if f.message == "Boom."));
        assert_eq!(v.value(), None);
    }

    #[test]
    fn sentences_are_capitalised_and_stopped() {
        assert_eq!(
            sentence("cannot reach x: refused"),
            "Cannot reach x: refused."
        );
        assert_eq!(sentence("Done!"), "Done!");
        assert_eq!(sentence(""), "");
    }
}
