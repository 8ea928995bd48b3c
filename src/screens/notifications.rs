//! Notifications: the settings matrix (which categories reach you on which
//! channels) above the inbox. Tab moves between the two; each change is
//! sent at once, and a refused one is put back with the reason.

mod grid;
mod inbox;
mod view;

use crossterm::event::KeyEvent;

use super::{Hints, Screen};
use crate::action::{Action, Answer, NotificationsDone, NotificationsRequest, Request, Response};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::Ui;
use crate::widgets::toast::Toast;

pub use grid::{Cell, Grid, Note};
pub use inbox::Inbox;

/// Which half has the keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Pane {
    #[default]
    Grid,
    Inbox,
}

#[derive(Debug, Default)]
pub struct NotificationsScreen {
    pub grid: Grid,
    pub inbox: Inbox,
    pub pane: Pane,
    /// Everything was marked read: the inbox loads again to show it.
    reload_inbox: bool,
}

fn request(request: NotificationsRequest) -> Action {
    Action::Request(Request::Notifications(request))
}

impl NotificationsScreen {
    /// Signed in again as the same account: loaded afresh on entry.
    pub fn reload_on_enter(&mut self) {
        *self = Self {
            pane: self.pane,
            ..Self::default()
        };
    }

    /// Requests that follow from an answer: the inbox again after
    /// everything was marked read.
    fn follow_up(&mut self) -> Vec<Action> {
        if std::mem::take(&mut self.reload_inbox) {
            return vec![self.inbox.ask(None)];
        }
        Vec::new()
    }

    /// What an answer leads to beyond this screen: the follow-ups, the
    /// header's count after a message is read, a toast.
    fn answered(&mut self, done: &NotificationsDone) -> Vec<Action> {
        let mut out = self.follow_up();
        match done {
            NotificationsDone::MarkedRead(Ok(_)) => {
                out.push(request(NotificationsRequest::LoadUnread));
            }
            NotificationsDone::MarkedAllRead(Ok(_)) => {
                let toast = Toast::success("Every notification is marked read.");
                out.push(Action::Toast(toast));
            }
            _ => {}
        }
        out
    }

    fn grid_command(&mut self, command: Command) -> Option<Action> {
        if self.grid.move_focus(command) {
            return None;
        }
        match command {
            Command::Toggle | Command::Open => self.grid.toggle(),
            // The inbox's keys work from the grid too: no need to Tab first.
            Command::MarkAllRead | Command::Filter => self.inbox.command(command),
            other => Some(Action::Command(other)),
        }
    }
}

impl Screen for NotificationsScreen {
    fn on_enter(&mut self) -> Vec<Action> {
        let mut actions = Vec::new();
        if self.grid.settings.wants_load() {
            actions.push(request(NotificationsRequest::LoadSettings));
        }
        actions.extend(self.inbox.on_enter());
        actions
    }

    fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let k = Key::from(key);
        if self.inbox.opened().is_some() {
            return match keymap.resolve(&[Scope::List, Scope::Global], k)? {
                Command::Back | Command::Open => {
                    self.inbox.close();
                    None
                }
                other => Some(Action::Command(other)),
            };
        }
        // Tab (a form's next field) moves between the halves, unless the
        // list binds the key itself (Down moves down).
        let switch = match keymap.get(Scope::List, k) {
            Some(command) => matches!(command, Command::NextSection | Command::PrevSection),
            None => matches!(
                keymap.get(Scope::Form, k),
                Some(Command::NextField | Command::PrevField)
            ),
        };
        if switch {
            self.pane = match self.pane {
                Pane::Grid => Pane::Inbox,
                Pane::Inbox => Pane::Grid,
            };
            return None;
        }
        let command = keymap.resolve(&[Scope::List, Scope::Global], k)?;
        if command == Command::Refresh {
            self.grid.note = None;
            return Some(Action::Batch(vec![
                request(NotificationsRequest::LoadSettings),
                self.inbox.ask(None),
            ]));
        }
        match self.pane {
            Pane::Grid => self.grid_command(command),
            Pane::Inbox => self.inbox.command(command),
        }
    }

    fn update(&mut self, action: &Action) -> Vec<Action> {
        match action {
            Action::SignedIn {
                same_account: true, ..
            } => self.reload_on_enter(),
            Action::SignedIn {
                same_account: false,
                ..
            } => *self = Self::default(),
            _ => {}
        }
        self.grid.update(action);
        self.inbox.update(action);
        match action {
            Action::Cancelled(Request::Notifications(NotificationsRequest::LoadSettings)) => {
                self.grid.cancel();
            }
            Action::Response(Response::Notifications(Answer {
                done: NotificationsDone::MarkedAllRead(Ok(_)),
                ..
            })) => self.reload_inbox = true,
            _ => {}
        }
        match action {
            Action::Response(Response::Notifications(Answer { done, .. })) => self.answered(done),
            _ => Vec::new(),
        }
    }

    fn render(&self, frame: &mut ratatui::Frame<'_>, area: ratatui::layout::Rect, ui: &Ui<'_>) {
        self.draw(frame, area, ui);
    }

    fn shows(&self, request: &Request) -> bool {
        matches!(
            request,
            Request::Notifications(
                NotificationsRequest::LoadSettings | NotificationsRequest::LoadInbox { .. }
            )
        )
    }

    /// Key hints for the footer, most useful first.
    fn hints(&self, keymap: &Keymap) -> Hints {
        let mut out = Vec::new();
        let mut add = |scope: Scope, command: Command, label: &'static str| {
            if let Some(key) = keymap.hint(scope, command) {
                out.push((key, label));
            }
        };
        if self.inbox.opened().is_some() {
            add(Scope::Global, Command::Back, "close");
            return out;
        }
        match self.pane {
            Pane::Grid => {
                add(Scope::List, Command::Toggle, "toggle");
                add(Scope::List, Command::Right, "move");
                add(Scope::List, Command::NextSection, "to inbox");
            }
            Pane::Inbox => {
                add(Scope::List, Command::Open, "open");
                add(Scope::List, Command::NextSection, "to settings");
            }
        }
        add(Scope::List, Command::MarkAllRead, "mark all read");
        let filter = if self.inbox.unread_only {
            "show all"
        } else {
            "unread only"
        };
        add(Scope::List, Command::Filter, filter);
        out
    }
}

#[cfg(test)]
mod tests;
