//! The inbox: messages newest first, unread marked. Pages load as the
//! selection nears the end of what is loaded, as the security log does.
//! Enter opens a message in full and marks it read.

use acctl_api::Page;
use acctl_api::notifications::Notification;

use crate::api::ApiError;
use crate::app::action::{
    Action, NotificationsDone, NotificationsKey, NotificationsRequest, Request, RequestKey,
    Response,
};
use crate::keymap::Command;
use crate::widgets::loadable::{Failure, Loadable, sentence};
use crate::widgets::table::ScrollState;

#[derive(Debug, Default)]
pub struct Inbox {
    pub items: Loadable<Vec<Notification>>,
    /// Where the next, older page starts; None when all are loaded.
    next_cursor: Option<String>,
    pub(super) loading_more: bool,
    pub(super) more_failed: Option<Failure>,
    /// Only the unread are listed.
    pub unread_only: bool,
    pub(super) table: ScrollState,
    /// The message open in full, by id.
    open: Option<String>,
    /// Why marking read failed, until the next key.
    pub note: Option<String>,
    /// The page last asked for, until its answer comes: asked again once
    /// the load on its way answers (only one inbox load runs at a time).
    want: Option<(Option<String>, bool)>,
}

impl Inbox {
    pub fn on_enter(&mut self) -> Option<Action> {
        self.items.wants_load().then(|| self.ask(None))
    }

    pub fn has_more(&self) -> bool {
        self.next_cursor.is_some()
    }

    pub fn selected(&self) -> Option<&Notification> {
        self.items.value()?.get(self.table.selected()?)
    }

    /// The message open in full.
    pub fn opened(&self) -> Option<&Notification> {
        let id = self.open.as_deref()?;
        self.items.value()?.iter().find(|n| n.id == id)
    }

    pub fn close(&mut self) -> bool {
        self.open.take().is_some()
    }

    /// The page still to ask for after an answer to another one came.
    pub fn wanted(&self) -> Option<Request> {
        let (cursor, unread) = self.want.clone()?;
        Some(Request::Notifications(NotificationsRequest::LoadInbox {
            cursor,
            unread,
        }))
    }

    pub fn ask(&mut self, cursor: Option<String>) -> Action {
        self.want = Some((cursor.clone(), self.unread_only));
        Action::Request(Request::Notifications(NotificationsRequest::LoadInbox {
            cursor,
            unread: self.unread_only,
        }))
    }

    /// A list key; None when it did nothing the screen must pass on.
    pub fn command(&mut self, command: Command) -> Option<Action> {
        self.note = None;
        if self.table.apply(command) {
            return self.more_if_near_the_end();
        }
        match command {
            Command::Open | Command::Toggle => self.open_selected(),
            Command::Filter => {
                let unread_only = !self.unread_only;
                // Another list: nothing of the last one may stay on screen.
                *self = Self {
                    unread_only,
                    ..Self::default()
                };
                self.items.start();
                Some(self.ask(None))
            }
            Command::MarkAllRead => {
                let any = self.items.value()?.iter().any(|n| n.read_at.is_none());
                if !any {
                    self.note = Some("Everything is read already.".into());
                    return None;
                }
                Some(Action::Request(Request::Notifications(
                    NotificationsRequest::MarkAllRead,
                )))
            }
            other => Some(Action::Command(other)),
        }
    }

    fn open_selected(&mut self) -> Option<Action> {
        let message = self.selected()?;
        let (id, unread) = (message.id.clone(), message.read_at.is_none());
        self.open = Some(id.clone());
        unread.then_some(Action::Request(Request::Notifications(
            NotificationsRequest::MarkRead { id },
        )))
    }

    fn more_if_near_the_end(&mut self) -> Option<Action> {
        let len = self.items.value()?.len();
        let selected = self.table.selected()?;
        if self.loading_more || selected + self.table.page() < len {
            return None;
        }
        let cursor = self.next_cursor.clone()?;
        Some(self.ask(Some(cursor)))
    }

    pub fn update(&mut self, action: &Action) {
        match action {
            Action::Request(Request::Notifications(NotificationsRequest::LoadInbox {
                cursor,
                ..
            })) => match cursor {
                None => self.items.start(),
                Some(_) => {
                    self.loading_more = true;
                    self.more_failed = None;
                }
            },
            Action::Cancelled(RequestKey::Notifications(NotificationsKey::Inbox)) => {
                self.items.cancel();
                self.loading_more = false;
                self.want = None;
            }
            Action::Response(Response::Notifications(done)) => self.answered(done),
            _ => {}
        }
    }

    fn answered(&mut self, done: &NotificationsDone) {
        match done {
            NotificationsDone::Inbox {
                cursor,
                unread,
                result,
            } => self.page(cursor.as_deref(), *unread, result),
            NotificationsDone::MarkedRead { id, result } => match result {
                Ok(read) => {
                    if let Some(item) = self.find_mut(id) {
                        *item = read.clone();
                    }
                }
                Err(e) => {
                    self.note = Some(format!(
                        "Could not mark it read: {}",
                        sentence(&e.to_string())
                    ));
                }
            },
            NotificationsDone::MarkedAllRead(Err(e)) => {
                self.note = Some(format!(
                    "Could not mark everything read: {}",
                    sentence(&e.to_string())
                ));
            }
            _ => {}
        }
    }

    fn find_mut(&mut self, id: &str) -> Option<&mut Notification> {
        self.items.value_mut()?.iter_mut().find(|n| n.id == id)
    }

    fn page(
        &mut self,
        cursor: Option<&str>,
        unread: bool,
        result: &Result<Page<Notification>, ApiError>,
    ) {
        if self
            .want
            .as_ref()
            .is_some_and(|(c, u)| c.as_deref() == cursor && *u == unread)
        {
            self.want = None;
        }
        if unread != self.unread_only {
            return; // For the list before the last toggle.
        }
        match cursor {
            None => self.first_page(result),
            Some(cursor) => self.older_page(cursor, result),
        }
    }

    fn first_page(&mut self, result: &Result<Page<Notification>, ApiError>) {
        self.loading_more = false;
        self.more_failed = None;
        match result {
            Ok(page) => {
                self.next_cursor = page.next_cursor.clone();
                self.items.finish::<Failure>(Ok(page.items.clone()));
            }
            Err(e) => self.items.finish(Err(Failure::from(e))),
        }
        let len = self.items.value().map_or(0, Vec::len);
        self.table.set_len(len);
    }

    fn older_page(&mut self, cursor: &str, result: &Result<Page<Notification>, ApiError>) {
        if self.next_cursor.as_deref() != Some(cursor) {
            return; // Loaded afresh meanwhile.
        }
        self.loading_more = false;
        match result {
            Ok(page) => {
                if let Some(items) = self.items.value_mut() {
                    items.extend(page.items.iter().cloned());
                    let len = items.len();
                    self.table.set_len(len);
                }
                self.next_cursor = page.next_cursor.clone();
            }
            Err(e) => self.more_failed = Some(Failure::from(e)),
        }
    }
}
