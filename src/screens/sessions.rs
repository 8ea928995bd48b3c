//! Sessions: every device signed in to the account, newest activity first.
//! Revoking asks first; the session in use is protected (signing out is the
//! way to end it).

mod view;

use acctl_api::Session;
use crossterm::event::KeyEvent;

use super::{Hints, Screen, hint};
use crate::action::{Action, Answer, Data, Request, Response, SessionsDone, SessionsRequest};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::Ui;
use crate::widgets::dialog::Dialog;
use crate::widgets::loadable::sentence;
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::table::ScrollState;
use crate::widgets::toast::Toast;

#[derive(Debug, Default)]
pub struct SessionsScreen {
    pub sessions: Loadable<Vec<Session>>,
    table: ScrollState,
    /// Selected once the first list arrives: the current session.
    placed: bool,
}

impl SessionsScreen {
    /// The selected session, if any.
    pub fn selected(&self) -> Option<&Session> {
        let index = self.table.selected()?;
        self.sessions.value()?.get(index)
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
            on_confirm: Request::Sessions(SessionsRequest::Revoke {
                id: session.id.clone(),
            }),
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
            on_confirm: Request::Sessions(SessionsRequest::RevokeOthers),
        })
    }

    /// A revocation answered: say how it went; the list reloads now, the
    /// overview's count on entry.
    fn revoked(&mut self, toast: Toast) -> Vec<Action> {
        vec![Action::Toast(toast), Action::Stale(Data::Account), list()]
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

    /// An answer: the list, or how a revocation went.
    fn answered(&mut self, answer: &Answer<SessionsRequest, SessionsDone>) -> Vec<Action> {
        let toast = match &answer.done {
            SessionsDone::List(result) => {
                self.loaded(result);
                return Vec::new();
            }
            SessionsDone::Revoke(result) => match result {
                Ok(()) => {
                    if let SessionsRequest::Revoke { id } = &answer.request {
                        self.remove(id);
                    }
                    Toast::success("Session revoked.")
                }
                Err(e) => Toast::error(format!(
                    "Could not revoke the session: {}",
                    sentence(&e.to_string())
                )),
            },
            SessionsDone::RevokeOthers(result) => match result {
                Ok(done) => {
                    let noun = if done.revoked == 1 {
                        "session"
                    } else {
                        "sessions"
                    };
                    Toast::success(format!("Signed out {} other {noun}.", done.revoked))
                }
                Err(e) => Toast::error(format!(
                    "Could not sign out the other sessions: {}",
                    sentence(&e.to_string())
                )),
            },
        };
        self.revoked(toast)
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

fn list() -> Action {
    Action::Request(Request::Sessions(SessionsRequest::List))
}

impl Screen for SessionsScreen {
    fn on_enter(&mut self) -> Vec<Action> {
        let wanted = self.sessions.wants_load();
        wanted.then_some(list()).into_iter().collect()
    }

    fn shows(&self, request: &Request) -> bool {
        matches!(request, Request::Sessions(SessionsRequest::List))
    }

    fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let command = keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))?;
        if self.table.apply(command) {
            return None;
        }
        match command {
            Command::Refresh => Some(list()),
            Command::Revoke => self.revoke_selected(keymap),
            Command::RevokeOthers => self.revoke_others(),
            other => Some(Action::Command(other)),
        }
    }

    fn update(&mut self, action: &Action) -> Vec<Action> {
        match action {
            Action::Request(Request::Sessions(SessionsRequest::List)) => self.sessions.start(),
            Action::Cancelled(Request::Sessions(SessionsRequest::List)) => self.sessions.cancel(),
            Action::Response(Response::Sessions(answer)) => return self.answered(answer),
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
        let mut out = Vec::new();
        hint(&mut out, keymap, Scope::List, Command::Revoke, "revoke");
        hint(
            &mut out,
            keymap,
            Scope::List,
            Command::RevokeOthers,
            "end others",
        );
        out
    }

    /// The list keys come last, after the common ones.
    fn footer(&self, keymap: &Keymap, common: Hints) -> Hints {
        let mut out = self.hints(keymap);
        out.extend(common);
        let up = keymap.hint(Scope::List, Command::Up);
        let down = keymap.hint(Scope::List, Command::Down);
        if let (Some(up), Some(down)) = (up, down) {
            out.push((format!("{up}/{down}"), "move"));
        }
        out
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
