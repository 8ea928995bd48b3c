//! The inbox: messages newest first, unread marked. Pages load as the
//! selection nears the end of what is loaded ([`PagedList`]).
//! Enter opens a message in full and marks it read.

use acctl_api::Page;
use acctl_api::notifications::Notification;

use crate::app::action::{
    Action, NotificationsDone, NotificationsKey, NotificationsRequest, Request, RequestKey,
    Response,
};
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
    /// Why marking read failed, until the next key.
    pub note: Option<String>,
    /// The page last asked for, until its answer comes: asked again once
    /// the load on its way answers (only one inbox load runs at a time).
    want: Option<(Option<String>, bool)>,
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
            Action::Cancelled(RequestKey::Notifications(NotificationsKey::Inbox)) => {
                self.pages.cancelled();
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
        self.pages.answered(cursor, result);
    }
}
