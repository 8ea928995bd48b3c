//! Saving an invoice's PDF: where (a path field, prefilled), progress while
//! it comes, and where it went. An existing file is replaced only after a
//! second Enter, and a failure keeps the path typed.

use std::path::{Path, PathBuf};

use acctl_api::billing::InvoiceSummary;
use crossterm::event::KeyEvent;

use crate::action::{Action, BillingRequest, Request};
use crate::files;
use crate::keymap::{Command, Keymap};
use crate::widgets::form::Form;
use crate::widgets::form_field::FormField;
use crate::widgets::loadable::sentence;
use acctl_client::{ApiError, Progress};

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// The path is being typed. `replace` is the existing file the person
    /// was warned about: Enter again with that path replaces it.
    Asking {
        replace: Option<PathBuf>,
    },
    Running {
        path: PathBuf,
        progress: Option<Progress>,
    },
    Done {
        path: PathBuf,
        bytes: u64,
    },
}

#[derive(Debug, Clone)]
pub struct Download {
    pub id: String,
    pub number: String,
    pub form: Form,
    pub phase: Phase,
}

impl Download {
    /// Asks where to save, offering `<dir>/<number>.pdf`.
    pub fn new(invoice: &InvoiceSummary, dir: &str) -> Self {
        let dir = dir.trim_end_matches('/');
        let default = format!("{dir}/{}", files::invoice_file_name(&invoice.number));
        let field = FormField::new("Save to").with_value(default);
        Self {
            id: invoice.id.clone(),
            number: invoice.number.clone(),
            form: Form::new(vec![("path", field)]),
            phase: Phase::Asking { replace: None },
        }
    }

    pub fn is_typing(&self) -> bool {
        matches!(self.phase, Phase::Asking { .. })
    }

    /// Keys while the path is asked for. Back comes back as a command (the
    /// owner closes the download).
    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        match self.form.key_command(key, keymap, &[])? {
            Command::Submit => self.submit(),
            Command::NextField | Command::PrevField => None,
            other => Some(Action::Command(other)),
        }
    }

    pub fn paste(&mut self, text: &str) {
        if self.is_typing() {
            self.form.paste(text);
        }
    }

    fn submit(&mut self) -> Option<Action> {
        let Phase::Asking { replace } = &self.phase else {
            return None;
        };
        let typed = self.form.value("path").trim().to_string();
        self.form.clear_errors();
        if typed.is_empty() {
            let text = "Enter where to save the PDF, e.g. ~/invoice.pdf.";
            self.form.set_error("path", Some(text.into()));
            return None;
        }
        let path = files::expand_home(&typed);
        if let Some(problem) = problem(&path) {
            self.form.set_error("path", Some(problem));
            return None;
        }
        if path.exists() && replace.as_deref() != Some(path.as_path()) {
            let text = "A file of that name exists: Enter again replaces it, or change the name.";
            self.form.set_error("path", Some(text.into()));
            self.phase = Phase::Asking {
                replace: Some(path),
            };
            return None;
        }
        Some(Action::Request(Request::Billing(
            BillingRequest::Download {
                id: self.id.clone(),
                path,
            },
        )))
    }

    pub fn started(&mut self, path: &Path) {
        self.phase = Phase::Running {
            path: path.to_path_buf(),
            progress: None,
        };
    }

    pub fn progressed(&mut self, progress: Progress) {
        if let Phase::Running { progress: p, .. } = &mut self.phase {
            *p = Some(progress);
        }
    }

    pub fn finished(&mut self, path: &Path, result: &Result<u64, ApiError>) {
        match result {
            Ok(bytes) => {
                self.phase = Phase::Done {
                    path: path.to_path_buf(),
                    bytes: *bytes,
                };
            }
            Err(e) => {
                // What was typed stays; the reason sits under it.
                self.phase = Phase::Asking { replace: None };
                self.form
                    .set_error("path", Some(sentence(&download_error(e))));
            }
        }
    }
}

/// What is wrong with `path` before anything is asked of the server.
fn problem(path: &Path) -> Option<String> {
    if path.is_dir() {
        return Some(format!(
            "{} is a folder: add a file name, e.g. {}/invoice.pdf.",
            path.display(),
            path.display()
        ));
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty())?;
    (!parent.is_dir()).then(|| {
        format!(
            "There is no folder {}: create it first, or choose another.",
            parent.display()
        )
    })
}

fn download_error(error: &ApiError) -> String {
    match error {
        ApiError::File { path, reason } => format!("Could not write {path}: {reason}"),
        other => format!("The download failed: {other}"),
    }
}

/// "[████░░░░] 52 %  26 KiB of 50 KiB", or the bytes so far without a total.
pub fn progress_line(progress: Option<Progress>, width: usize) -> String {
    let Some(progress) = progress else {
        return "Starting the download…".to_string();
    };
    let kib = |bytes: u64| bytes.div_ceil(1024);
    match (progress.percent(), progress.total) {
        (Some(percent), Some(total)) => {
            let bar = width.saturating_sub(24).clamp(10, 40);
            let filled = bar * usize::from(percent) / 100;
            format!(
                "[{}{}] {percent:>3} %  {} KiB of {} KiB",
                "█".repeat(filled),
                "░".repeat(bar - filled),
                kib(progress.received),
                kib(total)
            )
        }
        _ => format!("{} KiB so far…", kib(progress.received)),
    }
}

/// Where downloads go by default, as typed: `~/Downloads` (or the XDG
/// download folder) when it exists, else the home folder.
pub fn default_dir() -> String {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let xdg = std::env::var_os("XDG_DOWNLOAD_DIR").map(PathBuf::from);
    let downloads = home.as_ref().map(|h| h.join("Downloads"));
    let dir = xdg.into_iter().chain(downloads).find(|d| d.is_dir());
    match (dir, home) {
        (Some(dir), Some(home)) => match dir.strip_prefix(&home) {
            Ok(rest) => format!("~/{}", rest.display()),
            Err(_) => dir.display().to_string(),
        },
        (Some(dir), None) => dir.display().to_string(),
        (None, _) => "~".to_string(),
    }
}

/// A desktop to open files on: an X or Wayland display, or macOS.
pub fn has_desktop(display: Option<&str>, wayland: Option<&str>, macos: bool) -> bool {
    let set = |v: Option<&str>| v.is_some_and(|v| !v.is_empty());
    macos || set(display) || set(wayland)
}
