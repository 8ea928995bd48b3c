//! Setting up an authenticator app (QR code, key, link, first code) and
//! showing recovery codes once. Both hold secrets: they live only as long
//! as they are on screen, and are never logged.

use std::path::{Path, PathBuf};

use acctl_api::{SecretText, TotpEnrollment};
use crossterm::event::{KeyCode, KeyEvent};

use crate::action::{Action, FilesRequest, Request, SecurityChange};
use crate::files;
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::form::Form;
use crate::widgets::form_field::FormField;
use crate::widgets::qr::Qr;

#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret: SecretText,
    pub uri: SecretText,
    /// None when the link cannot be drawn (then the key is the way).
    pub qr: Option<Qr>,
    /// Dark modules drawn in the foreground colour (light terminals).
    pub invert: bool,
    pub code: Form,
}

impl Enrolment {
    pub fn new(enrollment: &TotpEnrollment) -> Self {
        let qr = Qr::new(enrollment.otpauth_uri.expose())
            .inspect_err(|e| tracing::warn!(error = %e, "no QR code for the enrolment"))
            .ok();
        Self {
            secret: enrollment.secret_base32.clone(),
            uri: enrollment.otpauth_uri.clone(),
            qr,
            invert: false,
            code: Form::new(vec![("code", FormField::new("Code"))]),
        }
    }

    /// The key in groups of four, as authenticator apps show it.
    pub fn grouped_key(&self) -> String {
        group(self.secret.expose())
    }

    /// Codes are digits, so letters are free for the view's commands
    /// (invert, copy); everything else edits the code. Submit and Back come
    /// back as commands for the screen: send the code, or cancel.
    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let k = Key::from(key);
        let digit = matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit());
        if !digit && let Some(command) = keymap.get(Scope::List, k) {
            match command {
                Command::Invert => {
                    self.invert = !self.invert;
                    return None;
                }
                Command::Copy => {
                    return Some(Action::Copy {
                        text: SecretText::new(self.secret.expose()),
                        what: "the key",
                    });
                }
                _ => {}
            }
        }
        match keymap.get(Scope::Form, k) {
            Some(Command::NextField | Command::PrevField) => return None,
            Some(command) => return Some(Action::Command(command)),
            None => {}
        }
        if self.code.edit(key) || k.is_text() {
            return None;
        }
        keymap.get(Scope::Global, k).map(Action::Command)
    }

    pub fn submit(&mut self) -> Option<Action> {
        self.code.clear_errors();
        let code: String = self
            .code
            .value("code")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if code.is_empty() {
            let text = "Enter the 6-digit code your app shows for this account.";
            self.code.set_error("code", Some(text.into()));
            return None;
        }
        Some(Action::Request(Request::from(
            SecurityChange::ConfirmTotp {
                code: SecretText::new(code),
            },
        )))
    }
}

/// `ABCDEFGH...` as `ABCD EFGH ...`.
pub fn group(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where the codes are offered to be saved, until the person types another.
const DEFAULT_FILE: &str = "~/acctl-recovery-codes.txt";

#[derive(Debug, Clone)]
pub struct ShownCodes {
    pub codes: Vec<SecretText>,
    /// What just happened, as the heading.
    pub heading: &'static str,
    account: String,
    /// Asking where to save; None when not.
    pub saving: Option<Form>,
    pub saved_to: Option<PathBuf>,
    /// Set when the person tried to leave before confirming.
    pub reminded: bool,
}

impl ShownCodes {
    pub fn new(codes: Vec<SecretText>, heading: &'static str, account: &str) -> Self {
        Self {
            codes,
            heading,
            account: account.to_string(),
            saving: None,
            saved_to: None,
            reminded: false,
        }
    }

    /// The codes as a file or clipboard text.
    fn text(&self) -> SecretText {
        let mut text = format!(
            "Recovery codes for {}. Each signs you in once, in place of a code from your app.\n\n",
            if self.account.is_empty() {
                "your account"
            } else {
                &self.account
            }
        );
        for code in &self.codes {
            text.push_str(code.expose());
            text.push('\n');
        }
        SecretText::new(text)
    }

    /// Keys while the codes are on show. `Open` comes back as a command
    /// when the person confirms they saved them.
    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let k = Key::from(key);
        if let Some(form) = &mut self.saving {
            match keymap.get(Scope::Form, k) {
                Some(Command::Submit) => {
                    form.clear_errors();
                    let typed = form.value("path").trim().to_string();
                    if typed.is_empty() {
                        form.set_error("path", Some("Enter where to save the codes.".into()));
                        return None;
                    }
                    return Some(Action::Request(Request::Files(FilesRequest::Save {
                        path: files::expand_home(&typed),
                        contents: self.text(),
                    })));
                }
                Some(Command::Back) => self.saving = None,
                Some(Command::Quit) => return self.remind(),
                Some(Command::NextField | Command::PrevField) => {}
                Some(other) => return Some(Action::Command(other)),
                None => {
                    form.edit(key);
                }
            }
            return None;
        }
        match keymap.resolve(&[Scope::List, Scope::Global], k) {
            Some(Command::Open) => Some(Action::Command(Command::Open)),
            Some(Command::Copy) => Some(Action::Copy {
                text: self.text(),
                what: "the recovery codes",
            }),
            Some(Command::SaveFile) => {
                let field = FormField::new("Save to").with_value(DEFAULT_FILE);
                self.saving = Some(Form::new(vec![("path", field)]));
                None
            }
            Some(command @ (Command::Help | Command::Redraw | Command::Suspend)) => {
                Some(Action::Command(command))
            }
            // Leaving, quitting, other screens: not before they are saved.
            Some(_) => self.remind(),
            None => None,
        }
    }

    fn remind(&mut self) -> Option<Action> {
        self.reminded = true;
        None
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(form) = &mut self.saving {
            form.paste(text);
        }
    }

    pub fn saved(&mut self, path: &Path, result: &Result<(), crate::files::SaveError>) {
        match result {
            Ok(()) => {
                self.saving = None;
                self.saved_to = Some(path.to_path_buf());
            }
            Err(message) => {
                if let Some(form) = &mut self.saving {
                    form.set_error("path", Some(message.to_string()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::group;

    #[test]
    fn keys_are_grouped_in_fours() {
        assert_eq!(group("ABCDEFGHIJ"), "ABCD EFGH IJ");
        assert_eq!(group(""), "");
    }
}
