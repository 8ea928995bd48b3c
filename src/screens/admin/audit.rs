//! The audit log on the Admin screen: every administrator's action, newest
//! first, in cursor pages, filtered by actor, target (an email or an id)
//! and action. The filters are a small form; applying them loads afresh.

use acctl_api::admin::{AuditAction, AuditEntry};
use crossterm::event::KeyEvent;

use crate::action::{Action, AdminDone, AdminRequest, AuditFilter, Request};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::form::Form;
use crate::widgets::form_field::FormField;
use crate::widgets::paged::PagedList;

#[derive(Debug)]
pub struct Audit {
    pub form: Form,
    /// Keys go to the filter form.
    pub editing: bool,
    /// What the list shows, or is being loaded for.
    pub filter: AuditFilter,
    pub entries: PagedList<AuditEntry>,
}

impl Default for Audit {
    fn default() -> Self {
        Self {
            form: Form::new(vec![
                ("actor", FormField::new("Actor")),
                ("target", FormField::new("Target")),
                ("action", FormField::new("Action")),
            ]),
            editing: false,
            filter: AuditFilter::default(),
            entries: PagedList::default(),
        }
    }
}

fn page(filter: AuditFilter, cursor: Option<String>) -> Action {
    Action::Request(Request::Admin(AdminRequest::Audit { filter, cursor }))
}

/// An action as typed: its API name, in any case, `-` for `_`.
fn parse_action(text: &str) -> Result<Option<AuditAction>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    AuditAction::parse(&text.to_lowercase().replace(['-', ' '], "_"))
        .map(Some)
        .ok_or_else(|| {
            let names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
            format!("Use one of {}.", names.join(" "))
        })
}

impl Audit {
    /// The first page, unless it is loaded or on its way.
    pub fn on_enter(&mut self) -> Option<Action> {
        self.entries
            .items
            .wants_load()
            .then(|| page(self.filter.clone(), None))
    }

    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        if self.editing {
            return self.form_key(key, keymap);
        }
        let command = keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))?;
        if let Some(next) = self.entries.moved(command) {
            return next.map(|cursor| page(self.filter.clone(), Some(cursor)));
        }
        match command {
            Command::Filter => {
                self.editing = true;
                None
            }
            Command::Refresh => Some(page(self.filter.clone(), None)),
            other => Some(Action::Command(other)),
        }
    }

    fn form_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        match self.form.key_command(key, keymap, &[])? {
            Command::NextField => self.form.next(),
            Command::PrevField => self.form.prev(),
            Command::Back => self.editing = false,
            Command::Submit => return self.apply(),
            other => return Some(Action::Command(other)),
        }
        None
    }

    /// Checks the filters and loads the log they pick.
    fn apply(&mut self) -> Option<Action> {
        self.form.clear_errors();
        let action = match parse_action(self.form.value("action")) {
            Ok(action) => action,
            Err(problem) => {
                self.form.set_error("action", Some(problem));
                self.form.focus("action");
                return None;
            }
        };
        self.editing = false;
        self.filter = AuditFilter {
            actor: self.form.value("actor").trim().to_string(),
            target: self.form.value("target").trim().to_string(),
            action,
        };
        Some(page(self.filter.clone(), None))
    }

    pub fn paste(&mut self, text: &str) {
        if self.editing {
            self.form.paste(text);
        }
    }

    pub fn requested(&mut self, filter: &AuditFilter, cursor: Option<&str>) {
        if *filter == self.filter {
            self.entries.requested(cursor);
        }
    }

    pub fn answered(&mut self, request: &AdminRequest, done: &AdminDone) {
        let (AdminRequest::Audit { filter, cursor }, AdminDone::Audit(result)) = (request, done)
        else {
            return;
        };
        if *filter != self.filter {
            return;
        }
        if let Err(e) = result
            && e.field_errors().is_some_and(|f| !f.is_empty())
        {
            // An unknown email: on its field, typed as it was; the list
            // keeps what it showed.
            self.form.place_error(e);
            self.editing = true;
            self.entries.cancelled();
            return;
        }
        self.entries.answered(cursor.as_deref(), result);
    }
}
