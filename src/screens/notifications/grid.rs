//! The settings matrix: categories down, channels across, one cell in
//! focus. A toggle is sent at once; until the server answers the cell shows
//! the new value as pending, and a refusal puts it back and says why.

use acctl_api::notifications::{
    LOCKED_REASON, NotificationCategory, NotificationChannel, NotificationSetting,
    NotificationSettings,
};

use crate::action::{Action, NotificationsDone, NotificationsRequest, Request};
use crate::keymap::Command;
use crate::widgets::loadable::{Failure, Loadable, sentence};
use acctl_client::ApiError;

/// A cell of the matrix.
pub type Cell = (NotificationCategory, NotificationChannel);

/// What the grid says under the matrix until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    Info(String),
    Error(String),
}

#[derive(Debug, Default)]
pub struct Grid {
    /// The matrix as the server last said.
    pub settings: Loadable<NotificationSettings>,
    row: usize,
    col: usize,
    /// Cells sent and not answered yet, with the value asked for.
    pending: Vec<(Cell, bool)>,
    pub note: Option<Note>,
}

impl Grid {
    pub fn focused(&self) -> Cell {
        let rows = NotificationCategory::ALL.len() - 1;
        let cols = NotificationChannel::ALL.len() - 1;
        (
            NotificationCategory::ALL[self.row.min(rows)],
            NotificationChannel::ALL[self.col.min(cols)],
        )
    }

    pub fn setting(&self, (category, channel): Cell) -> Option<&NotificationSetting> {
        self.settings.value()?.get(category, channel)
    }

    /// The value shown: the one asked for while pending, else the server's.
    pub fn shown(&self, cell: Cell) -> Option<bool> {
        match self.pending.iter().find(|(c, _)| *c == cell) {
            Some((_, wanted)) => Some(*wanted),
            None => self.setting(cell).map(|s| s.enabled),
        }
    }

    pub fn is_pending(&self, cell: Cell) -> bool {
        self.pending.iter().any(|(c, _)| *c == cell)
    }

    /// Why the cell cannot change, if it cannot.
    pub fn locked_reason(&self, cell: Cell) -> Option<String> {
        let setting = self.setting(cell)?;
        setting.locked.then(|| {
            setting
                .locked_reason
                .clone()
                .unwrap_or_else(|| LOCKED_REASON.to_string())
        })
    }

    /// Moves the focus for a movement command; false for any other.
    pub fn move_focus(&mut self, command: Command) -> bool {
        let rows = NotificationCategory::ALL.len() - 1;
        let cols = NotificationChannel::ALL.len() - 1;
        match command {
            Command::Up => self.row = self.row.saturating_sub(1),
            Command::Down => self.row = (self.row + 1).min(rows),
            Command::Left => self.col = self.col.saturating_sub(1),
            Command::Right => self.col = (self.col + 1).min(cols),
            Command::Top | Command::PageUp => self.row = 0,
            Command::Bottom | Command::PageDown => self.row = rows,
            _ => return false,
        }
        self.note = None;
        true
    }

    /// Space on the focused cell: the request that flips it, or why not.
    pub fn toggle(&mut self) -> Option<Action> {
        let cell = self.focused();
        let enabled = self.shown(cell)?;
        if let Some(reason) = self.locked_reason(cell) {
            self.note = Some(Note::Info(format!("Locked: {reason}.")));
            return None;
        }
        if self.is_pending(cell) {
            self.note = Some(Note::Info("Still saving this one; a moment.".into()));
            return None;
        }
        self.note = None;
        let (category, channel) = cell;
        Some(Action::Request(Request::Notifications(
            NotificationsRequest::Set {
                category,
                channel,
                enabled: !enabled,
            },
        )))
    }

    pub fn update(&mut self, action: &Action) {
        match action {
            Action::Request(Request::Notifications(NotificationsRequest::LoadSettings)) => {
                self.settings.start();
            }
            Action::Request(Request::Notifications(NotificationsRequest::Set {
                category,
                channel,
                enabled,
            })) => self.pending.push(((*category, *channel), *enabled)),
            Action::Response(crate::action::Response::Notifications(answer)) => {
                self.answered(&answer.request, &answer.done);
            }
            _ => {}
        }
    }

    fn answered(&mut self, request: &NotificationsRequest, done: &NotificationsDone) {
        match (request, done) {
            (_, NotificationsDone::Settings(result)) => self
                .settings
                .finish(result.as_ref().cloned().map_err(Failure::from)),
            (
                NotificationsRequest::Set {
                    category,
                    channel,
                    enabled,
                },
                NotificationsDone::Set(result),
            ) => {
                self.pending.retain(|(c, _)| *c != (*category, *channel));
                match result {
                    Ok(settings) => self.settings.finish::<Failure>(Ok(settings.clone())),
                    Err(e) => self.refused((*category, *channel), *enabled, e),
                }
            }
            _ => {}
        }
    }

    /// The cell is back as the server has it; say why it did not change.
    fn refused(&mut self, (category, channel): Cell, enabled: bool, error: &ApiError) {
        // The outcome first: a narrow screen may cut the reason.
        let still = if enabled { "off" } else { "on" };
        self.note = Some(Note::Error(format!(
            "Not saved; {} by {} is still {still}. {}",
            category.label(),
            channel.label(),
            sentence(&error.to_string())
        )));
    }

    pub fn cancel(&mut self) {
        self.settings.cancel();
    }
}
