//! "Export my data": start the job, follow it (the worker polls about once
//! a second), ask where to save it once ready, download it with progress,
//! and say where the file is. An export made before and still ready is
//! offered as it is.

use std::path::{Path, PathBuf};

use acctl_api::privacy::{DataExport, ExportStatus};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::{Action, PrivacyDone, PrivacyRequest, Request, Response};
use crate::files::{complete_path, expand_home};
use crate::keymap::{Command, Key, Keymap};
use crate::widgets::dialog::Dialog;
use crate::widgets::form::Form;
use crate::widgets::form_field::FormField;
use crate::widgets::loadable::sentence;
use acctl_client::{ApiError, Progress};

/// The form's one field, named as errors about it are.
pub const PATH: &str = "path";

#[derive(Debug, Default)]
pub enum ExportState {
    /// Nothing started yet (or the last one expired).
    #[default]
    Idle,
    Starting,
    Running(DataExport),
    /// Ready to download; nothing asked yet.
    Ready(DataExport),
    /// Asking where to save it.
    Choosing {
        export: DataExport,
        form: Form,
    },
    Downloading {
        export: DataExport,
        form: Form,
        progress: Option<Progress>,
    },
    Done {
        path: PathBuf,
        bytes: u64,
    },
    /// Why it stopped, in words.
    Failed(String),
}

#[derive(Debug, Default)]
pub struct Export {
    pub state: ExportState,
    /// Where the download is offered by default.
    pub dir: PathBuf,
    /// The exports there are have been asked for.
    pub listed: bool,
    /// A poll to send once the current answer is handled.
    poll: Option<String>,
    /// What Tab found when several names match.
    pub note: Option<String>,
}

/// The download folder, or home, or the current one.
pub fn default_dir() -> PathBuf {
    let dirs = directories::UserDirs::new();
    dirs.as_ref()
        .and_then(|d| {
            d.download_dir()
                .filter(|p| p.is_dir())
                .map(Path::to_path_buf)
        })
        .or_else(|| dirs.as_ref().map(|d| d.home_dir().to_path_buf()))
        .unwrap_or_else(|| PathBuf::from("."))
}

fn request(r: PrivacyRequest) -> Action {
    Action::Request(Request::Privacy(r))
}

impl Export {
    pub fn takes_typing(&self) -> bool {
        matches!(self.state, ExportState::Choosing { .. })
    }

    /// The poll due after an answer, once.
    pub fn take_poll(&mut self) -> Option<Request> {
        let id = self.poll.take()?;
        Some(Request::Privacy(PrivacyRequest::PollExport { id }))
    }

    /// Enter on the export row.
    pub fn activate(&mut self) -> Option<Action> {
        match &self.state {
            ExportState::Idle | ExportState::Done { .. } | ExportState::Failed(_) => {
                Some(request(PrivacyRequest::StartExport))
            }
            ExportState::Ready(export) => {
                let export = export.clone();
                self.choose(export);
                None
            }
            _ => None,
        }
    }

    /// Opens the path form on `<dir>/acctl-export-<date>.json`.
    fn choose(&mut self, export: DataExport) {
        let date = export
            .ready_at
            .unwrap_or(export.created_at)
            .format("%Y-%m-%d");
        let path = self.dir.join(format!("acctl-export-{date}.json"));
        let field = FormField::new("Save to").with_value(path.display().to_string());
        let form = Form::new(vec![(PATH, field)]);
        self.note = None;
        self.state = ExportState::Choosing { export, form };
    }

    pub fn paste(&mut self, text: &str) {
        if let ExportState::Choosing { form, .. } = &mut self.state {
            form.paste(text);
        }
    }

    /// Keys while the path is asked for: Tab completes it, Enter saves, Esc
    /// goes back to the offer (the export stays ready).
    pub fn form_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let ExportState::Choosing { export, form } = &mut self.state else {
            return None;
        };
        if Key::from(key) == Key::new(KeyCode::Tab, KeyModifiers::NONE) {
            let done = complete_path(form.value(PATH));
            form.set_value(PATH, &done.text);
            self.note = (!done.candidates.is_empty()).then(|| {
                format!(
                    "Matches: {}",
                    done.candidates[..done.candidates.len().min(8)].join("  ")
                )
            });
            return None;
        }
        match form.key_command(key, keymap, &[])? {
            Command::Submit => self.submit(),
            Command::Back => {
                let export = export.clone();
                self.note = None;
                self.state = ExportState::Ready(export);
                None
            }
            Command::NextField | Command::PrevField => None,
            other => Some(Action::Command(other)),
        }
    }

    /// Checks the path here first, so a mistake is explained before
    /// anything downloads; an existing file is replaced only if confirmed.
    fn submit(&mut self) -> Option<Action> {
        let ExportState::Choosing { export, form } = &mut self.state else {
            return None;
        };
        let typed = form.value(PATH).trim().to_string();
        let error = if typed.is_empty() {
            Some("Type where to save the export, e.g. ~/export.json.".to_string())
        } else {
            None
        };
        let path = expand_home(&typed);
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let error = error
            .or_else(|| {
                (!dir.is_dir()).then(|| {
                    format!(
                        "The folder {} does not exist; create it or choose another.",
                        dir.display()
                    )
                })
            })
            .or_else(|| {
                path.is_dir()
                    .then(|| format!("{} is a folder; add a file name.", path.display()))
            });
        if let Some(error) = error {
            form.set_error(PATH, Some(error));
            return None;
        }
        let id = export.id.clone();
        if path.exists() {
            let body = vec![
                format!("{} already exists.", path.display()),
                "Replace it with the export?".to_string(),
            ];
            return Some(Action::Confirm {
                dialog: Dialog::confirm("Replace the file?", body, "Replace"),
                on_confirm: Request::Privacy(PrivacyRequest::Download {
                    id,
                    path,
                    replace: true,
                }),
            });
        }
        Some(request(PrivacyRequest::Download {
            id,
            path,
            replace: false,
        }))
    }

    pub fn update(&mut self, action: &Action) {
        match action {
            Action::Request(Request::Privacy(r)) => self.requested(r),
            Action::Progress {
                request: Request::Privacy(PrivacyRequest::Download { .. }),
                progress: p,
            } => {
                if let ExportState::Downloading { progress, .. } = &mut self.state {
                    *progress = Some(*p);
                }
            }
            Action::Response(Response::Privacy(answer)) => {
                self.answered(&answer.request, &answer.done)
            }
            _ => {}
        }
    }

    fn requested(&mut self, request: &PrivacyRequest) {
        match request {
            PrivacyRequest::LoadExports => self.listed = true,
            PrivacyRequest::StartExport => self.state = ExportState::Starting,
            PrivacyRequest::Download { .. } => {
                let state = std::mem::take(&mut self.state);
                self.state = match state {
                    ExportState::Choosing { export, form } => ExportState::Downloading {
                        export,
                        form,
                        progress: None,
                    },
                    other => other,
                };
            }
            _ => {}
        }
    }

    fn answered(&mut self, request: &PrivacyRequest, done: &PrivacyDone) {
        match (request, done) {
            (_, PrivacyDone::Exports(Ok(page))) => {
                // Offered only when nothing else is going on.
                if matches!(self.state, ExportState::Idle)
                    && let Some(newest) = page.items.first()
                {
                    self.follow(newest, false);
                }
            }
            (_, PrivacyDone::ExportStarted(result)) => match result {
                Ok(export) => self.follow(export, true),
                Err(e) => self.state = failed("Could not start the export", e),
            },
            (_, PrivacyDone::Export(result)) => {
                if !matches!(self.state, ExportState::Running(_)) {
                    return;
                }
                match result {
                    Ok(export) => self.follow(export, true),
                    Err(e) => self.state = failed("Could not check on the export", e),
                }
            }
            (PrivacyRequest::Download { path, .. }, PrivacyDone::Downloaded(result)) => {
                self.downloaded(path, result)
            }
            _ => {}
        }
    }

    /// Shows `export` as it is; a running one is polled. `ask` opens the
    /// path form as soon as it is ready (the person is waiting for it).
    fn follow(&mut self, export: &DataExport, ask: bool) {
        self.state = match export.status {
            ExportStatus::Running => {
                self.poll = Some(export.id.clone());
                ExportState::Running(export.clone())
            }
            ExportStatus::Ready if ask => return self.choose(export.clone()),
            ExportStatus::Ready => ExportState::Ready(export.clone()),
            ExportStatus::Failed => ExportState::Failed("The export failed on the server.".into()),
            ExportStatus::Expired => ExportState::Idle,
        };
    }

    fn downloaded(&mut self, path: &Path, result: &Result<u64, ApiError>) {
        let state = std::mem::take(&mut self.state);
        self.state = match (state, result) {
            (_, Ok(bytes)) => ExportState::Done {
                path: path.to_path_buf(),
                bytes: *bytes,
            },
            // Back to the form, with what was typed and why it failed.
            (
                ExportState::Downloading {
                    export, mut form, ..
                },
                Err(e),
            ) => {
                form.set_error(PATH, Some(sentence(&e.to_string())));
                ExportState::Choosing { export, form }
            }
            (_, Err(e)) => failed("The download failed", e),
        };
    }
}

fn failed(what: &str, error: &ApiError) -> ExportState {
    ExportState::Failed(format!("{what}: {}", sentence(&error.to_string())))
}
