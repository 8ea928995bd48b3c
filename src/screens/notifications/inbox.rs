//! The inbox: messages newest first, unread marked. Pages load as the
//! selection nears the end of what is loaded ([`PagedList`]).
//! Enter opens a message in full and marks it read.

use acctl_api::Page;
use acctl_api::notifications::Notification;

use crate::action::{Action, NotificationsDone, NotificationsRequest, Request, Response};
use crate::keymap::Command;
use crate::widgets::loadable::sentence;
use crate::widgets::paged::PagedList;
use acctl_client::ApiError;

#[derive(Debug, Default)]
pub struct Inbox {
    pub pages: PagedList<Notification>,
    /// Only the unread are listed.
    pub unread_only: bool,
    /// The message open in full, by id.
    open: Option<String>,
    /// Why marking read failed, until the next key. (Only one page loads
    /// at a time: one asked for meanwhile is sent by the dispatcher once
    /// the one on its way answers.)
    pub note: Option<String>,
}

impl Inbox {
    pub fn on_enter(&mut self) -> Option<Action> {
        self.pages.items.wants_load().then(|| self.ask(None))
    }

    pub fn selected(&self) -> Option<&Notification> {
        self.pages.selected()
    }

    /// The message open in full.
    pub fn opened(&self) -> Option<&Notification> {
        let id = self.open.as_deref()?;
        self.pages.items.value()?.iter().find(|n| n.id == id)
    }

    pub fn close(&mut self) -> bool {
        self.open.take().is_some()
    }

    pub fn ask(&mut self, cursor: Option<String>) -> Action {
        Action::Request(Request::Notifications(NotificationsRequest::LoadInbox {
            cursor,
            unread: self.unread_only,
        }))
    }

    /// A list key; None when it did nothing the screen must pass on.
    pub fn command(&mut self, command: Command) -> Option<Action> {
        self.note = None;
        if let Some(more) = self.pages.moved(command) {
            return more.map(|cursor| self.ask(Some(cursor)));
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
                self.pages.items.start();
                Some(self.ask(None))
            }
            Command::MarkAllRead => {
                let any = self
                    .pages
                    .items
                    .value()?
                    .iter()
                    .any(|n| n.read_at.is_none());
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

    pub fn update(&mut self, action: &Action) {
        match action {
            Action::Request(Request::Notifications(NotificationsRequest::LoadInbox {
                cursor,
                ..
            })) => self.pages.requested(cursor.as_deref()),
            Action::Cancelled(Request::Notifications(NotificationsRequest::LoadInbox {
                ..
            })) => {
                self.pages.cancelled();
            }
            Action::Response(Response::Notifications(answer)) => {
                self.answered(&answer.request, &answer.done)
            }
            _ => {}
        }
    }

    fn answered(&mut self, request: &NotificationsRequest, done: &NotificationsDone) {
        match (request, done) {
            (
                NotificationsRequest::LoadInbox { cursor, unread },
                NotificationsDone::Inbox(result),
            ) => self.page(cursor.as_deref(), *unread, result),
            (NotificationsRequest::MarkRead { id }, NotificationsDone::MarkedRead(result)) => {
                match result {
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
                }
            }
            (_, NotificationsDone::MarkedAllRead(Err(e))) => {
                self.note = Some(format!(
                    "Could not mark everything read: {}",
                    sentence(&e.to_string())
                ));
            }
            _ => {}
        }
    }

    fn find_mut(&mut self, id: &str) -> Option<&mut Notification> {
        self.pages
            .items
            .value_mut()?
            .iter_mut()
            .find(|n| n.id == id)
    }

    fn page(
        &mut self,
        cursor: Option<&str>,
        unread: bool,
        result: &Result<Page<Notification>, ApiError>,
    ) {
        if unread != self.unread_only {
            return; // For the list before the last toggle.
        }
        self.pages.answered(cursor, result);
    }
}
