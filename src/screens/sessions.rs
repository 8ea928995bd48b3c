//! Sessions: every device signed in to the account, newest activity first.
//! Revoking asks first; the session in use is protected (signing out is the
//! way to end it).

mod view;

use acctl_api::Session;
use crossterm::event::KeyEvent;

use crate::app::action::{Action, Request, RequestKey, Response};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::dialog::Dialog;
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::table::ScrollState;

#[derive(Debug, Default)]
pub struct SessionsScreen {
    pub sessions: Loadable<Vec<Session>>,
    table: ScrollState,
    /// Selected once the first list arrives: the current session.
    placed: bool,
}

impl SessionsScreen {
    pub fn on_enter(&mut self) -> Option<Action> {
        self.sessions
            .wants_load()
            .then_some(Action::Request(Request::LoadSessions))
    }

    /// The selected session, if any.
    pub fn selected(&self) -> Option<&Session> {
        let index = self.table.selected()?;
        self.sessions.value()?.get(index)
    }

    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let command = keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))?;
        if self.table.apply(command) {
            return None;
        }
        match command {
            Command::Refresh => Some(Action::Request(Request::LoadSessions)),
            Command::Revoke => self.revoke_selected(keymap),
            Command::RevokeOthers => self.revoke_others(),
            other => Some(Action::Command(other)),
        }
    }

    fn revoke_selected(&self, keymap: &Keymap) -> Option<Action> {
        let session = self.selected()?;
        if session.current {
            let how = match keymap.hint(Scope::Global, Command::SignOut) {
                Some(key) => format!("To end it, sign out instead (press {key})."),
                None => "To end it, sign out instead.".to_string(),
            };
            let body = vec![
                "This is the session you are using now, so it is not revoked from here."
                    .to_string(),
                how,
            ];
            return Some(Action::Notice(Dialog::notice("This device", body)));
        }
        let body = vec![
            format!(
                "Revoke the session on {} ({})?",
                session.device_name,
                place(session)
            ),
            "That device is signed out at once and has to sign in again.".to_string(),
        ];
        Some(Action::Confirm {
            dialog: Dialog::confirm("Revoke session", body, "Revoke"),
            on_confirm: Request::Revoke {
                id: session.id.clone(),
            },
        })
    }

    fn revoke_others(&self) -> Option<Action> {
        let sessions = self.sessions.value()?;
        let others = sessions.iter().filter(|s| !s.current).count();
        if others == 0 {
            let body = vec!["No other sessions are signed in.".to_string()];
            return Some(Action::Notice(Dialog::notice("Nothing to sign out", body)));
        }
        let noun = if others == 1 { "session" } else { "sessions" };
        let body = vec![
            format!("Sign out {others} other {noun}? Each of those devices has to sign in again."),
            "This device stays signed in.".to_string(),
        ];
        Some(Action::Confirm {
            dialog: Dialog::confirm(
                "Sign out other sessions",
                body,
                format!("Sign out {others}"),
            ),
            on_confirm: Request::RevokeOthers,
        })
    }

    pub fn update(&mut self, action: &Action) {
        match action {
            Action::Request(Request::LoadSessions) => self.sessions.start(),
            Action::Cancelled(RequestKey::LoadSessions) => self.sessions.cancel(),
            Action::Response(Response::Sessions(result)) => self.loaded(result),
            Action::Response(Response::Revoked { id, result: Ok(()) }) => self.remove(id),
            _ => {}
        }
    }

    fn loaded(&mut self, result: &Result<Vec<Session>, acctl_client::ApiError>) {
        let keep = self.selected().map(|s| s.id.clone());
        let mut result = result.as_ref().cloned().map_err(Failure::from);
        if let Ok(list) = &mut result {
            // Most recently active first; the server's order is not promised.
            list.sort_by_key(|s| std::cmp::Reverse(s.last_active_at));
        }
        self.sessions.finish(result);
        let Some(list) = self.sessions.value() else {
            return;
        };
        self.table.set_len(list.len());
        let target = match (&keep, self.placed) {
            (Some(id), _) => list.iter().position(|s| &s.id == id),
            (None, false) => list.iter().position(|s| s.current),
            (None, true) => None,
        };
        if let Some(index) = target {
            self.table.select(index);
        }
        self.placed = true;
    }

    /// Drops a revoked session at once; the reload that follows confirms.
    fn remove(&mut self, id: &str) {
        if let Some(list) = self.sessions.value_mut() {
            list.retain(|s| s.id != id);
            let len = list.len();
            self.table.set_len(len);
        }
    }
}

/// Where a session is: the place when known, else the address.
fn place(session: &Session) -> String {
    session
        .location
        .clone()
        .or_else(|| session.ip.clone())
        .unwrap_or_else(|| "unknown place".to_string())
}

#[cfg(test)]
mod tests;
