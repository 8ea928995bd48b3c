//! The security log: what happened to the account, newest first. Pages are
//! loaded as the selection nears the end of what is loaded, so a log of
//! 100,000 events costs what the rows in view do. `f` filters by kind.

use acctl_api::{Page, SecurityEvent, SecurityEventKind};
use crossterm::event::KeyEvent;

use crate::api::ApiError;
use crate::app::action::{Action, Request, RequestKey, Response};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::picker::{Picked, Picker};
use crate::widgets::table::ScrollState;

mod view;

/// The first row of the kind picker; the rest are [`SecurityEventKind::ALL`].
const ALL_KINDS: &str = "All kinds";

#[derive(Debug, Default)]
pub struct SecurityLog {
    /// Events loaded so far, newest first (the first page decides the state).
    pub events: Loadable<Vec<SecurityEvent>>,
    /// Where the next, older page starts; None when all are loaded.
    next_cursor: Option<String>,
    /// An older page is on its way.
    loading_more: bool,
    /// Why the last older page did not come.
    more_failed: Option<Failure>,
    /// Only events of this kind; None for all.
    pub kind: Option<SecurityEventKind>,
    table: ScrollState,
    /// Choosing the kind to show.
    picker: Option<Picker>,
    /// Something happened since the log was loaded: load again on entry.
    stale: bool,
    /// The last page asked for, until its answer comes. Only one load of
    /// the log runs at a time, so a page asked for while another was on its
    /// way is sent once that one answers (see [`Self::wanted`]).
    want: Option<Request>,
}

impl SecurityLog {
    pub fn on_enter(&mut self) -> Option<Action> {
        (self.stale || self.events.wants_load()).then(|| self.ask(None))
    }

    /// Forget everything: another account signed in.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Loaded again the next time it is shown.
    pub fn mark_stale(&mut self) {
        self.stale = true;
    }

    /// The page still to be asked for after an answer to another one came.
    pub fn wanted(&self) -> Option<Request> {
        self.want.clone()
    }

    /// The selected event, if any.
    pub fn selected(&self) -> Option<&SecurityEvent> {
        self.events.value()?.get(self.table.selected()?)
    }

    /// The kind picker is open (and takes typing).
    pub fn is_picking(&self) -> bool {
        self.picker.is_some()
    }

    pub fn has_more(&self) -> bool {
        self.next_cursor.is_some()
    }

    fn ask(&mut self, cursor: Option<String>) -> Action {
        let request = Request::LoadSecurityEvents {
            cursor,
            kind: self.kind,
        };
        self.want = Some(request.clone());
        Action::Request(request)
    }

    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        if let Some(picker) = &mut self.picker {
            return match picker.handle_key(key)? {
                Picked::Chose(index) => self.choose_kind(index),
                Picked::Cancelled => {
                    self.picker = None;
                    None
                }
                Picked::Moved(_) => None,
            };
        }
        let command = keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))?;
        if self.table.apply(command) {
            return self.more_if_near_the_end();
        }
        match command {
            Command::Refresh => Some(self.ask(None)),
            Command::Filter => {
                let items = std::iter::once(ALL_KINDS.to_string())
                    .chain(
                        SecurityEventKind::ALL
                            .iter()
                            .map(|k| k.describe().to_string()),
                    )
                    .collect();
                let current = self.kind.map_or(ALL_KINDS, SecurityEventKind::describe);
                self.picker = Some(Picker::new("Show events of kind", items, Some(current)));
                None
            }
            other => Some(Action::Command(other)),
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(picker) = &mut self.picker {
            picker.paste(text);
        }
    }

    fn choose_kind(&mut self, index: usize) -> Option<Action> {
        self.picker = None;
        let kind = index
            .checked_sub(1)
            .and_then(|i| SecurityEventKind::ALL.get(i).copied());
        if kind == self.kind && self.events.value().is_some() {
            return None;
        }
        // Another filter: nothing of the last one may stay on screen.
        *self = Self {
            kind,
            ..Self::default()
        };
        // Loading from now, even if the request waits for one on its way.
        self.events.start();
        Some(self.ask(None))
    }

    /// Asks for the next page once the selection is within a page of the
    /// end of what is loaded.
    fn more_if_near_the_end(&mut self) -> Option<Action> {
        let len = self.events.value()?.len();
        let selected = self.table.selected()?;
        if self.loading_more || selected + self.table.page() < len {
            return None;
        }
        let cursor = self.next_cursor.clone()?;
        Some(self.ask(Some(cursor)))
    }

    pub fn update(&mut self, action: &Action) {
        match action {
            Action::Request(Request::LoadSecurityEvents { cursor: None, .. }) => {
                self.events.start();
            }
            Action::Request(Request::LoadSecurityEvents {
                cursor: Some(_), ..
            }) => {
                self.loading_more = true;
                self.more_failed = None;
            }
            Action::Cancelled(RequestKey::LoadSecurityEvents) => {
                self.events.cancel();
                self.loading_more = false;
                self.want = None;
            }
            Action::Response(Response::SecurityEvents {
                cursor,
                kind,
                result,
            }) => self.answered(cursor.as_deref(), *kind, result),
            _ => {}
        }
    }

    fn answered(
        &mut self,
        cursor: Option<&str>,
        kind: Option<SecurityEventKind>,
        result: &Result<Page<SecurityEvent>, ApiError>,
    ) {
        if let Some(Request::LoadSecurityEvents {
            cursor: wanted_cursor,
            kind: wanted_kind,
        }) = &self.want
            && wanted_cursor.as_deref() == cursor
            && *wanted_kind == kind
        {
            self.want = None;
        }
        if kind != self.kind {
            // An answer for the filter before the last; the page for the
            // one in force is asked for next.
            return;
        }
        match cursor {
            None => self.first_page(result),
            Some(cursor) => self.older_page(cursor, result),
        }
    }

    fn first_page(&mut self, result: &Result<Page<SecurityEvent>, ApiError>) {
        self.stale = false;
        self.loading_more = false;
        self.more_failed = None;
        match result {
            Ok(page) => {
                self.next_cursor = page.next_cursor.clone();
                self.events.finish::<Failure>(Ok(page.items.clone()));
            }
            Err(e) => self.events.finish(Err(Failure::from(e))),
        }
        let len = self.events.value().map_or(0, Vec::len);
        self.table.set_len(len);
    }

    fn older_page(&mut self, cursor: &str, result: &Result<Page<SecurityEvent>, ApiError>) {
        if self.next_cursor.as_deref() != Some(cursor) {
            return; // The log was loaded afresh meanwhile.
        }
        self.loading_more = false;
        match result {
            Ok(page) => {
                if let Some(events) = self.events.value_mut() {
                    events.extend(page.items.iter().cloned());
                    let len = events.len();
                    self.table.set_len(len);
                }
                self.next_cursor = page.next_cursor.clone();
            }
            Err(e) => self.more_failed = Some(Failure::from(e)),
        }
    }

    pub fn hints(&self, keymap: &Keymap) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        let mut add = |scope: Scope, command: Command, label: &'static str| {
            if let Some(key) = keymap.hint(scope, command) {
                out.push((key, label));
            }
        };
        if self.picker.is_some() {
            add(Scope::Form, Command::Submit, "show these");
            add(Scope::Form, Command::Back, "cancel");
            return out;
        }
        add(Scope::List, Command::Down, "move");
        add(Scope::List, Command::Filter, "filter by kind");
        add(Scope::Global, Command::Back, "back");
        out
    }
}

#[cfg(test)]
mod tests;
