//! Privacy: who sees the profile and what data is used (each change saved
//! at once), "Export my data" with its download, and, apart in a danger
//! zone, deleting the account. Rows are browsed with the list keys; the
//! export's path and the deletion page are forms. A part the service does
//! not offer (Better Auth has only deletion) is left out.

mod deletion;
mod deletion_view;
mod export;
mod settings;
mod view;

use crossterm::event::KeyEvent;

use acctl_api::privacy::ExportStatus;
use acctl_client::{Capabilities, Feature};

use super::{Hints, Screen};
use crate::action::{Action, Data, PrivacyDone, PrivacyRequest, Request, Response};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::Ui;
use crate::widgets::toast::Toast;

pub use deletion::Deletion;
pub use export::{Export, ExportState, default_dir};
pub use settings::{Settings, Switch};

/// The rows, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Visibility,
    Switch(Switch),
    Export,
    Delete,
}

pub const ROWS: [Row; 6] = [
    Row::Visibility,
    Row::Switch(Switch::DataSharing),
    Row::Switch(Switch::Analytics),
    Row::Switch(Switch::PersonalizedAds),
    Row::Export,
    Row::Delete,
];

/// Where the export and deletion rows are in [`ROWS`].
pub const EXPORT_ROW: usize = 4;
pub const DELETE_ROW: usize = 5;

#[derive(Debug)]
pub struct PrivacyScreen {
    pub settings: Settings,
    pub export: Export,
    pub deletion: Deletion,
    /// Where in [`ROWS`] the selection is (always on an offered row).
    row: usize,
    /// The deletion page is open.
    deleting: bool,
    /// What the service offers: rows of the rest are left out.
    offers: Capabilities,
}

impl Default for PrivacyScreen {
    fn default() -> Self {
        Self {
            settings: Settings::default(),
            export: Export::default(),
            deletion: Deletion::default(),
            row: 0,
            deleting: false,
            offers: Capabilities::ALL,
        }
    }
}

impl PrivacyScreen {
    /// A screen that offers to save data exports in `export_dir`, on a
    /// service that offers `offers`.
    pub fn new(export_dir: std::path::PathBuf, offers: Capabilities) -> Self {
        let mut screen = Self {
            offers,
            ..Self::default()
        };
        screen.export.dir = export_dir;
        screen.row = screen.offered_rows().first().copied().unwrap_or(0);
        screen
    }

    /// Whether the service offers what `row` does.
    fn offers_row(&self, row: Row) -> bool {
        self.offers.has(match row {
            Row::Visibility | Row::Switch(_) => Feature::PrivacySettings,
            Row::Export => Feature::DataExport,
            Row::Delete => Feature::AccountDeletion,
        })
    }

    /// The indexes in [`ROWS`] of the rows on show.
    fn offered_rows(&self) -> Vec<usize> {
        (0..ROWS.len())
            .filter(|i| self.offers_row(ROWS[*i]))
            .collect()
    }

    /// The offered row `step` rows from the selection (clamped).
    fn move_by(&mut self, step: isize) {
        let rows = self.offered_rows();
        let at = rows.iter().position(|i| *i == self.row).unwrap_or(0);
        let last = rows.len().saturating_sub(1);
        let to = at.saturating_add_signed(step).min(last);
        self.row = rows.get(to).copied().unwrap_or(0);
    }
}

fn request(r: PrivacyRequest) -> Action {
    Action::Request(Request::Privacy(r))
}

impl PrivacyScreen {
    /// Signed in again as the same account: what is typed stays, what was
    /// loaded is fetched afresh.
    pub fn reload_on_enter(&mut self) {
        self.settings = Settings::default();
        self.export.listed = false;
        self.deletion.status = Default::default();
        self.deletion.busy = false;
    }

    pub fn selected(&self) -> Row {
        ROWS[self.row.min(ROWS.len() - 1)]
    }

    pub fn is_deleting(&self) -> bool {
        self.deleting
    }

    /// What follows an answer: the next poll of a running export, a toast
    /// that says how a change went, and "stale" notices for what it touched.
    fn answered(&mut self, request: &PrivacyRequest, done: &PrivacyDone) -> Vec<Action> {
        let mut out: Vec<Action> = self
            .export
            .take_poll()
            .map(Action::Request)
            .into_iter()
            .collect();
        let said = match (request, done) {
            (PrivacyRequest::Download { path, .. }, PrivacyDone::Downloaded(Ok(bytes))) => {
                Some(format!(
                    "Export saved to {} ({} KiB).",
                    path.display(),
                    bytes.div_ceil(1024)
                ))
            }
            (_, PrivacyDone::Export(Ok(e))) if e.status == ExportStatus::Ready => {
                Some("Your export is ready; choose where to save it.".into())
            }
            (_, PrivacyDone::DeletionScheduled(Ok(s))) if s.grace_days == 0 => {
                Some("Your account was deleted.".into())
            }
            (_, PrivacyDone::DeletionScheduled(Ok(_))) => {
                Some("Deletion scheduled; you can cancel it until then.".into())
            }
            (_, PrivacyDone::DeletionCancelled(Ok(()))) => {
                // Back to the list: an empty form to schedule it again is
                // not what someone who just kept their account wants.
                self.deleting = false;
                Some("Deletion canceled; your account stays.".into())
            }
            _ => None,
        };
        out.extend(said.map(|text| Action::Toast(Toast::success(text))));
        if matches!(
            done,
            PrivacyDone::DeletionScheduled(Ok(_)) | PrivacyDone::DeletionCancelled(Ok(()))
        ) {
            // The overview shows the account; the log has a new event.
            out.push(Action::Stale(Data::Account));
            out.push(Action::Stale(Data::SecurityLog));
        }
        out
    }

    fn reload(&mut self) -> Vec<Action> {
        [
            (Feature::PrivacySettings, PrivacyRequest::Load),
            (Feature::DataExport, PrivacyRequest::LoadExports),
            (Feature::AccountDeletion, PrivacyRequest::LoadDeletion),
        ]
        .into_iter()
        .filter(|(feature, _)| self.offers.has(*feature))
        .map(|(_, r)| request(r))
        .collect()
    }

    fn activate(&mut self) -> Option<Action> {
        match self.selected() {
            Row::Visibility => {
                self.settings.open_picker();
                None
            }
            Row::Switch(switch) => self.settings.toggle(switch),
            Row::Export => self.export.activate(),
            Row::Delete => {
                self.deleting = true;
                self.deletion.form.focus(deletion::PASSWORD);
                None
            }
        }
    }
}

impl Screen for PrivacyScreen {
    fn on_enter(&mut self) -> Vec<Action> {
        let mut actions = Vec::new();
        if self.offers.has(Feature::PrivacySettings) && self.settings.value.wants_load() {
            actions.push(request(PrivacyRequest::Load));
        }
        if self.offers.has(Feature::DataExport) && !self.export.listed {
            actions.push(request(PrivacyRequest::LoadExports));
        }
        if self.offers.has(Feature::AccountDeletion) && self.deletion.status.wants_load() {
            actions.push(request(PrivacyRequest::LoadDeletion));
        }
        actions
    }

    /// Keys type into a field: the path of the export, the deletion form,
    /// the visibility picker's filter.
    fn takes_typing(&self) -> bool {
        self.settings.picker.is_some()
            || self.export.takes_typing()
            || (self.deleting && self.deletion.takes_typing())
    }

    fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        if self.settings.picker.is_some() {
            return self.settings.picker_key(key);
        }
        if self.deleting {
            return match self.deletion.handle_key(key, keymap) {
                Some(Action::Command(Command::Back)) => {
                    self.deleting = false;
                    None
                }
                other => other,
            };
        }
        if self.export.takes_typing() {
            return self.export.form_key(key, keymap);
        }
        let command = keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))?;
        self.settings.note = None;
        match command {
            Command::Up => self.move_by(-1),
            Command::Down => self.move_by(1),
            Command::Top | Command::PageUp => self.move_by(-(ROWS.len() as isize)),
            Command::Bottom | Command::PageDown => self.move_by(ROWS.len() as isize),
            Command::Open | Command::Toggle => return self.activate(),
            Command::Refresh => return Some(Action::Batch(self.reload())),
            other => return Some(Action::Command(other)),
        }
        None
    }

    fn paste(&mut self, text: &str) {
        if let Some(picker) = &mut self.settings.picker {
            picker.paste(text);
        } else if self.deleting {
            self.deletion.paste(text);
        } else {
            self.export.paste(text);
        }
    }

    fn update(&mut self, action: &Action) -> Vec<Action> {
        match action {
            Action::SignedIn {
                same_account: true,
                offers,
            } if *offers == self.offers => self.reload_on_enter(),
            Action::SignedIn { offers, .. } => {
                *self = Self::new(std::mem::take(&mut self.export.dir), *offers);
            }
            _ => {}
        }
        self.settings.update(action);
        self.export.update(action);
        self.deletion.update(action);
        // The path form and the download's progress are on the export row:
        // it has the focus while they are on show.
        let export_busy = matches!(
            self.export.state,
            ExportState::Choosing { .. } | ExportState::Downloading { .. }
        );
        if export_busy && !self.deleting {
            self.row = EXPORT_ROW;
        }
        match action {
            Action::Response(Response::Privacy(answer)) => {
                self.answered(&answer.request, &answer.done)
            }
            _ => Vec::new(),
        }
    }

    fn render(&self, frame: &mut ratatui::Frame<'_>, area: ratatui::layout::Rect, ui: &Ui<'_>) {
        self.draw(frame, area, ui);
    }

    fn shows(&self, request: &Request) -> bool {
        matches!(
            request,
            Request::Privacy(
                PrivacyRequest::Load | PrivacyRequest::LoadExports | PrivacyRequest::LoadDeletion
            )
        )
    }

    /// Key hints for the footer, most useful first.
    fn hints(&self, keymap: &Keymap) -> Hints {
        let mut out = Vec::new();
        let mut add = |scope: Scope, command: Command, label: &'static str| {
            if let Some(key) = keymap.hint(scope, command) {
                out.push((key, label));
            }
        };
        if self.settings.picker.is_some() {
            add(Scope::Form, Command::Submit, "choose");
            add(Scope::Form, Command::Back, "cancel");
            return out;
        }
        if self.deleting {
            if self.deletion.takes_typing() {
                add(Scope::Form, Command::Submit, "delete…");
                if self.deletion.on_checkbox() {
                    add(Scope::List, Command::Toggle, "toggle");
                }
                add(Scope::Form, Command::NextField, "next field");
            } else if self.deletion.scheduled().is_some() {
                add(Scope::List, Command::Open, "cancel deletion…");
            }
            add(Scope::Form, Command::Back, "back");
            return out;
        }
        if self.export.takes_typing() {
            add(Scope::Form, Command::Submit, "save");
            add(Scope::Form, Command::NextField, "complete path");
            add(Scope::Form, Command::Back, "cancel");
            return out;
        }
        let label = match self.selected() {
            Row::Visibility => "choose",
            Row::Switch(_) => "toggle",
            Row::Export => "export",
            Row::Delete => "open",
        };
        add(Scope::List, Command::Open, label);
        add(Scope::List, Command::Down, "move");
        out
    }
}

#[cfg(test)]
mod tests;
