//! The security log: what happened to the account, newest first. Pages are
//! loaded as the selection nears the end of what is loaded ([`PagedList`]),
//! so a log of 100,000 events costs what the rows in view do. `f` filters by
//! kind.

use acctl_api::{Page, SecurityEvent, SecurityEventKind};
use crossterm::event::KeyEvent;

use crate::action::{Action, Answer, Data, Request, Response, SecurityDone, SecurityRequest};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::paged::PagedList;
use crate::widgets::picker::{Picked, Picker};
use acctl_client::ApiError;

mod stored;
mod view;

pub use stored::StoredEvent;

/// The first row of the kind picker; the rest are [`SecurityEventKind::ALL`].
const ALL_KINDS: &str = "All kinds";

#[derive(Debug, Default)]
pub struct SecurityLog {
    /// Events loaded so far, newest first, in their compact form.
    pub events: PagedList<StoredEvent>,
    /// Only events of this kind; None for all.
    pub kind: Option<SecurityEventKind>,
    /// Choosing the kind to show.
    picker: Option<Picker>,
    /// Something happened since the log was loaded: load again on entry.
    /// (Only one page loads at a time: one asked for while another is on
    /// its way is sent once that one answers, by the dispatcher.)
    stale: bool,
    /// The account's time zone, for the event opened in full.
    tz: chrono_tz::Tz,
}

impl SecurityLog {
    pub fn on_enter(&mut self) -> Option<Action> {
        (self.stale || self.events.items.wants_load()).then(|| self.ask(None))
    }

    /// Forget everything: another account signed in.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Loaded again the next time it is shown.
    pub fn mark_stale(&mut self) {
        self.stale = true;
    }

    /// The selected event, if any.
    pub fn selected(&self) -> Option<SecurityEvent> {
        self.events.selected().map(StoredEvent::expand)
    }

    /// The kind picker is open (and takes typing).
    pub fn is_picking(&self) -> bool {
        self.picker.is_some()
    }

    fn ask(&mut self, cursor: Option<String>) -> Action {
        Action::Request(Request::Security(SecurityRequest::LoadEvents {
            cursor,
            kind: self.kind,
        }))
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
        if let Some(more) = self.events.moved(command) {
            return more.map(|cursor| self.ask(Some(cursor)));
        }
        match command {
            Command::Refresh => Some(self.ask(None)),
            Command::Open => self
                .selected()
                .map(|e| Action::Notice(in_full(&e, self.tz))),
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
        if kind == self.kind && self.events.items.value().is_some() {
            return None;
        }
        // Another filter: nothing of the last one may stay on screen.
        *self = Self {
            kind,
            ..Self::default()
        };
        // Loading from now, even if the request waits for one on its way.
        self.events.items.start();
        Some(self.ask(None))
    }

    /// Takes what concerns the log.
    pub fn update(&mut self, action: &Action) {
        match action {
            Action::TimeZone(tz) => self.tz = *tz,
            Action::Stale(Data::SecurityLog) => self.mark_stale(),
            Action::Request(Request::Security(SecurityRequest::LoadEvents { cursor, .. })) => {
                self.events.requested(cursor.as_deref());
            }
            Action::Cancelled(Request::Security(SecurityRequest::LoadEvents { .. })) => {
                self.events.cancelled();
            }
            Action::Response(Response::Security(Answer {
                request: SecurityRequest::LoadEvents { cursor, kind },
                done: SecurityDone::Events(result),
            })) => self.answered(cursor.as_deref(), *kind, result),
            _ => {}
        }
    }

    fn answered(
        &mut self,
        cursor: Option<&str>,
        kind: Option<SecurityEventKind>,
        result: &Result<Page<SecurityEvent>, ApiError>,
    ) {
        if kind != self.kind {
            // An answer for the filter before the last; the page for the
            // one in force is asked for next.
            return;
        }
        if cursor.is_none() {
            self.stale = false;
        }
        self.events.answered_as(cursor, result, StoredEvent::new);
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
        add(Scope::List, Command::Open, "show in full");
        add(Scope::List, Command::Filter, "filter by kind");
        add(Scope::Global, Command::Back, "back");
        out
    }
}

#[cfg(test)]
mod tests;

/// The event with nothing cut: what the details under the table may have
/// had to shorten.
fn in_full(e: &SecurityEvent, tz: chrono_tz::Tz) -> crate::widgets::dialog::Dialog {
    let mut body = vec![format!(
        "When: {}",
        crate::widgets::time::absolute(e.at, tz)
    )];
    if let Some(device) = &e.device_name {
        body.push(format!("Device: {device}"));
    }
    if let Some(ip) = &e.ip {
        body.push(format!("IP address: {ip}"));
    }
    if let Some(detail) = &e.detail {
        body.push(detail.clone());
    }
    crate::widgets::dialog::Dialog::notice(e.kind.describe(), body)
}
