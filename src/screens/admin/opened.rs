//! An account opened from the Admin list: its details, sessions and
//! security log, each loaded on its own.

use acctl_api::admin::AdminUserDetail;
use acctl_api::{Page, SecurityEvent, Session};

use crate::action::{Action, AdminDone, AdminRequest, Request};
use crate::keymap::Command;
use crate::widgets::loadable::{Failure, Loadable};

#[derive(Debug)]
pub struct Opened {
    pub id: String,
    /// As the list showed it, for the title while the details load.
    pub email: String,
    pub user: Loadable<AdminUserDetail>,
    pub sessions: Loadable<Page<Session>>,
    pub events: Loadable<Page<SecurityEvent>>,
    /// Lines scrolled past.
    pub scroll: u16,
    /// The most lines that can be scrolled past, as last drawn (only the
    /// drawing knows the height), so Up works at once after overshooting.
    pub max_scroll: std::cell::Cell<u16>,
}

impl Opened {
    pub fn new(id: String, email: String) -> Self {
        Self {
            id,
            email,
            user: Loadable::default(),
            sessions: Loadable::default(),
            events: Loadable::default(),
            scroll: 0,
            max_scroll: std::cell::Cell::new(u16::MAX),
        }
    }

    /// The three reads, sent side by side.
    pub fn load(&self) -> Action {
        let id = || self.id.clone();
        Action::Batch(
            [
                AdminRequest::User { id: id() },
                AdminRequest::Sessions { id: id() },
                AdminRequest::Events { id: id() },
            ]
            .into_iter()
            .map(|r| Action::Request(Request::Admin(r)))
            .collect(),
        )
    }

    pub fn wants_load(&self) -> bool {
        self.user.wants_load() || self.sessions.wants_load() || self.events.wants_load()
    }

    fn is_mine(&self, request: &AdminRequest) -> bool {
        match request {
            AdminRequest::User { id }
            | AdminRequest::Sessions { id }
            | AdminRequest::Events { id } => *id == self.id,
            _ => false,
        }
    }

    pub fn requested(&mut self, request: &AdminRequest) {
        if !self.is_mine(request) {
            return;
        }
        match request {
            AdminRequest::User { .. } => self.user.start(),
            AdminRequest::Sessions { .. } => self.sessions.start(),
            AdminRequest::Events { .. } => self.events.start(),
            _ => {}
        }
    }

    pub fn answered(&mut self, request: &AdminRequest, done: &AdminDone) {
        if !self.is_mine(request) {
            return;
        }
        match done {
            AdminDone::User(r) => self.user.finish(r.as_ref().cloned().map_err(Failure::from)),
            AdminDone::Sessions(r) => self
                .sessions
                .finish(r.as_ref().cloned().map_err(Failure::from)),
            AdminDone::Events(r) => self
                .events
                .finish(r.as_ref().cloned().map_err(Failure::from)),
            _ => {}
        }
    }

    pub fn cancelled(&mut self) {
        self.user.cancel();
        self.sessions.cancel();
        self.events.cancel();
    }

    /// Scrolls the page if `command` moves; false otherwise.
    pub fn scroll(&mut self, command: Command) -> bool {
        let scroll = match command {
            Command::Up => self.scroll.saturating_sub(1),
            Command::Down => self.scroll.saturating_add(1),
            Command::PageUp => self.scroll.saturating_sub(10),
            Command::PageDown => self.scroll.saturating_add(10),
            Command::Top => 0,
            Command::Bottom => u16::MAX,
            _ => return false,
        };
        self.scroll = scroll.min(self.max_scroll.get());
        true
    }
}
