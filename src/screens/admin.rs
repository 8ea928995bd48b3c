//! Admin: the accounts of the service, for its administrators only (the
//! sidebar shows it when `/v1/me` says the account is one). A search box
//! that filters as you type, a paged list, and an opened account with its
//! details, sessions and security log.

mod act;
mod act_view;
mod audit;
mod audit_view;
mod opened;
mod view;

use acctl_api::admin::AdminUser;
use acctl_client::AdminWrite;
use crossterm::event::KeyEvent;

use super::{Hints, Screen, hint};
use crate::action::{Action, AdminDone, AdminRequest, Answer, Request, Response};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::Ui;
use crate::widgets::form_field::FormField;
use crate::widgets::paged::PagedList;

pub use act::Act;
pub use audit::Audit;
pub use opened::Opened;

#[derive(Debug)]
pub struct AdminScreen {
    search: FormField,
    /// Keys go to the search box.
    typing: bool,
    /// Edits of the search so far: a pause that ends for an older count
    /// is not the last one, and sends nothing.
    typed: u64,
    /// What the list shows, or is being loaded for; None before the first.
    query: Option<String>,
    pub users: PagedList<AdminUser>,
    /// The account opened from the list.
    pub opened: Option<Opened>,
    /// A change to the opened account being confirmed.
    pub act: Option<Act>,
    /// The audit log, on show instead of the accounts when `in_audit`.
    pub audit: Audit,
    pub in_audit: bool,
}

impl Default for AdminScreen {
    fn default() -> Self {
        Self {
            search: FormField::new("Search"),
            typing: false,
            typed: 0,
            query: None,
            users: PagedList::default(),
            opened: None,
            act: None,
            audit: Audit::default(),
            in_audit: false,
        }
    }
}

fn request(request: AdminRequest) -> Action {
    Action::Request(Request::Admin(request))
}

/// Several actions as one (a key hands back at most one).
fn batch(mut actions: Vec<Action>) -> Option<Action> {
    match actions.len() {
        0 => None,
        1 => actions.pop(),
        _ => Some(Action::Batch(actions)),
    }
}

impl AdminScreen {
    /// The text in the search box.
    pub fn search_text(&self) -> &str {
        self.search.value()
    }

    pub fn is_typing(&self) -> bool {
        self.typing
    }

    /// What the list shows (or is loading).
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// Asks for the first page of accounts matching the search box now,
    /// unless that is what the list already shows.
    fn search_now(&mut self) -> Option<Action> {
        let text = self.search.value().trim().to_string();
        if self.query.as_deref() == Some(text.as_str()) {
            return None;
        }
        Some(self.search(text))
    }

    fn search(&mut self, query: String) -> Action {
        self.query = Some(query.clone());
        request(AdminRequest::Users {
            query,
            cursor: None,
        })
    }

    fn typing_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        match keymap.resolve(&[Scope::Form], Key::from(key)) {
            Some(Command::Back | Command::NextField | Command::Submit) => {
                self.typing = false;
                // A pause still running is no longer the last word.
                self.typed += 1;
                return self.search_now();
            }
            Some(c @ (Command::Help | Command::Suspend | Command::Redraw | Command::Quit)) => {
                return Some(Action::Command(c));
            }
            _ => {}
        }
        let changed = self.search.handle_key(key);
        self.edited(changed)
    }

    /// The search changed (or not): wait for the next key before asking.
    fn edited(&mut self, changed: bool) -> Option<Action> {
        if !changed {
            return None;
        }
        self.typed += 1;
        Some(request(AdminRequest::Pause { typed: self.typed }))
    }

    fn list_key(&mut self, command: Command) -> Option<Action> {
        if let Some(next) = self.users.moved(command) {
            let query = self.query.clone()?;
            return next.map(|cursor| {
                request(AdminRequest::Users {
                    query,
                    cursor: Some(cursor),
                })
            });
        }
        match command {
            Command::Filter => {
                self.typing = true;
                None
            }
            Command::NextSection | Command::PrevSection => {
                self.in_audit = true;
                self.audit.on_enter()
            }
            Command::Open => {
                let user = self.users.selected()?;
                let opened = Opened::new(user.id.clone(), user.email.clone());
                let load = opened.load();
                self.opened = Some(opened);
                Some(load)
            }
            Command::Refresh => {
                let query = self.query.clone().unwrap_or_default();
                Some(self.search(query))
            }
            other => Some(Action::Command(other)),
        }
    }

    /// Tab goes back to the accounts; other keys are the log's.
    fn audit_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let command = keymap.resolve(&[Scope::List], Key::from(key));
        if !self.audit.editing
            && matches!(command, Some(Command::NextSection | Command::PrevSection))
        {
            self.in_audit = false;
            return None;
        }
        self.audit.handle_key(key, keymap)
    }

    fn answered(&mut self, answer: &Answer<AdminRequest, AdminDone>) -> Vec<Action> {
        if let Some(next) = self.act_answered(answer) {
            return next;
        }
        match (&answer.request, &answer.done) {
            (AdminRequest::Pause { typed }, AdminDone::Paused) if *typed == self.typed => {
                return self.search_now().into_iter().collect();
            }
            (AdminRequest::Users { query, cursor }, AdminDone::Users(result))
                if self.query.as_deref() == Some(query.as_str()) =>
            {
                self.users.answered(cursor.as_deref(), result);
                if cursor.is_none() {
                    self.users.table.select(0);
                }
            }
            (request, done) => {
                self.audit.answered(request, done);
                if let Some(opened) = &mut self.opened {
                    opened.answered(request, done);
                }
            }
        }
        Vec::new()
    }

    fn requested(&mut self, sent: &AdminRequest) {
        match sent {
            AdminRequest::Users { query, cursor } if self.query.as_deref() == Some(query) => {
                self.users.requested(cursor.as_deref());
            }
            AdminRequest::Audit { filter, cursor } => {
                self.audit.requested(filter, cursor.as_deref());
            }
            other => {
                if let Some(opened) = &mut self.opened {
                    opened.requested(other);
                }
            }
        }
    }
}

impl Screen for AdminScreen {
    fn on_enter(&mut self) -> Vec<Action> {
        if self.in_audit {
            return self.audit.on_enter().into_iter().collect();
        }
        if let Some(opened) = &self.opened {
            return opened
                .wants_load()
                .then(|| opened.load())
                .into_iter()
                .collect();
        }
        if !self.users.items.wants_load() {
            return Vec::new();
        }
        let query = self.query.clone().unwrap_or_default();
        vec![self.search(query)]
    }

    fn shows(&self, request: &Request) -> bool {
        matches!(request, Request::Admin(r) if !matches!(r, AdminRequest::Pause { .. }))
    }

    fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        if self.act.is_some() {
            return self.act_key(key, keymap);
        }
        if self.typing {
            return self.typing_key(key, keymap);
        }
        if self.in_audit {
            return self.audit_key(key, keymap);
        }
        let command = keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))?;
        if let Some(opened) = &mut self.opened {
            return match command {
                Command::Back => {
                    self.opened = None;
                    None
                }
                Command::Refresh => Some(opened.load()),
                Command::Disable => self.act(AdminWrite::Disable),
                Command::Revoke => self.act(AdminWrite::RevokeSessions),
                Command::ResetMfa => self.act(AdminWrite::MfaReset),
                Command::ResetPassword => self.act(AdminWrite::PasswordReset),
                other if opened.scroll(other) => None,
                other => Some(Action::Command(other)),
            };
        }
        self.list_key(command)
    }

    fn update(&mut self, action: &Action) -> Vec<Action> {
        match action {
            Action::Request(Request::Admin(sent)) => self.requested(sent),
            Action::Cancelled(Request::Admin(_)) => {
                self.users.cancelled();
                self.audit.entries.cancelled();
                if let Some(opened) = &mut self.opened {
                    opened.cancelled();
                }
            }
            Action::Response(Response::Admin(answer)) => return self.answered(answer),
            // Pasted into the search box (by `paste`): search after a pause.
            Action::Paste(_) if self.typing => return self.edited(true).into_iter().collect(),
            // Possibly another account now: nothing of the last one may show.
            Action::SignedIn { .. } => *self = Self::default(),
            _ => {}
        }
        Vec::new()
    }

    fn render(&self, frame: &mut ratatui::Frame<'_>, area: ratatui::layout::Rect, ui: &Ui<'_>) {
        self.draw(frame, area, ui);
    }

    fn hints(&self, keymap: &Keymap) -> Hints {
        let wanted: &[(Scope, Command, &'static str)] = match (&self.act, self.opened.is_some()) {
            (Some(act), _) => &[
                (Scope::Form, Command::Submit, act.title().1),
                (Scope::Form, Command::Back, "cancel"),
            ],
            (None, _) if self.typing => &[(Scope::Form, Command::Submit, "to the list")],
            (None, _) if self.in_audit && self.audit.editing => &[
                (Scope::Form, Command::Submit, "apply"),
                (Scope::Form, Command::NextField, "next filter"),
                (Scope::Form, Command::Back, "stop"),
            ],
            (None, _) if self.in_audit => &[
                (Scope::List, Command::Filter, "filter"),
                (Scope::List, Command::NextSection, "accounts"),
            ],
            (None, true) => &[
                (Scope::Global, Command::Back, "back"),
                (Scope::List, Command::Disable, self.disable_label()),
                (Scope::List, Command::Revoke, "end sessions"),
                (Scope::List, Command::ResetMfa, "reset 2FA"),
                (Scope::List, Command::ResetPassword, "reset password"),
            ],
            (None, false) => &[
                (Scope::List, Command::Filter, "search"),
                (Scope::List, Command::Open, "open"),
                (Scope::List, Command::NextSection, "audit log"),
            ],
        };
        let mut out = Vec::new();
        for (scope, command, label) in wanted {
            hint(&mut out, keymap, *scope, *command, label);
        }
        out
    }

    fn takes_typing(&self) -> bool {
        self.typing || self.act.is_some() || (self.in_audit && self.audit.editing)
    }

    fn paste(&mut self, text: &str) {
        if let Some(act) = &mut self.act {
            return act.paste(text);
        }
        if self.in_audit {
            return self.audit.paste(text);
        }
        // The search follows the pause that `update` asks for.
        if self.typing {
            self.search.paste(text);
        }
    }
}

#[cfg(test)]
mod tests;
