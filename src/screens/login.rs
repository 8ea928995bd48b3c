//! Sign in: server, email and password, then a code when the account asks
//! for a second step. Nothing typed is lost when signing in fails, and each
//! error lands under the field it is about.

mod view;

use acctl_api::{ErrorCode, SecretText};
use crossterm::event::KeyEvent;

use super::{Hints, Screen, hint};
use crate::action::{Action, LoginDone, Request, RequestKey, Response};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::Ui;
use crate::widgets::form_field::FormField;
use crate::widgets::loadable::sentence;
use crate::widgets::toast::Toast;
use acctl_client::ApiError;

/// The fields of the sign-in form, for tests and focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginField {
    Server,
    Email,
    Password,
    /// The second step: a code from the authenticator app, or a recovery code.
    Code,
}

const FIELDS: [LoginField; 3] = [LoginField::Server, LoginField::Email, LoginField::Password];

/// The second step, after the server answered `mfa_required`.
#[derive(Debug, Clone)]
struct MfaStep {
    token: SecretText,
    code: FormField,
    recovery: bool,
    /// The account accepts recovery codes (the server lists its methods).
    recovery_allowed: bool,
}

#[derive(Debug)]
pub struct LoginScreen {
    fields: [FormField; 3],
    focus: usize,
    mfa: Option<MfaStep>,
    busy: bool,
    /// Above the form: why you are here, or an error no field owns.
    banner: Option<Toast>,
}

impl LoginScreen {
    /// A form prefilled with what is known; focus on the first empty field.
    pub fn new(server: &str, email: Option<&str>) -> Self {
        let fields = [
            FormField::new("Server").with_value(server),
            FormField::new("Email").with_value(email.unwrap_or_default()),
            FormField::new("Password").masked(),
        ];
        let focus = fields
            .iter()
            .position(|f| f.value().is_empty())
            .unwrap_or(2);
        Self {
            fields,
            focus,
            mfa: None,
            busy: false,
            banner: None,
        }
    }

    /// Back to the first step with a message, keeping the server. `email`,
    /// the account's address as last known, replaces the one signed in
    /// with: it may have been changed since, and the old one no longer signs in.
    pub fn reopen(&mut self, email: Option<&str>, banner: Toast) {
        if let Some(email) = email {
            self.fields[1] = FormField::new("Email").with_value(email);
        }
        self.fields[2] = FormField::new("Password").masked();
        self.mfa = None;
        self.busy = false;
        self.banner = Some(banner);
        self.focus = self
            .fields
            .iter()
            .position(|f| f.value().is_empty())
            .unwrap_or(2);
    }

    pub fn is_busy(&self) -> bool {
        self.busy
    }

    /// The text in a field (masked fields too: tests check nothing is lost).
    pub fn value(&self, field: LoginField) -> &str {
        self.field(field).map_or("", FormField::value)
    }

    pub fn error(&self, field: LoginField) -> Option<&str> {
        self.field(field).and_then(|f| f.error.as_deref())
    }

    pub fn banner(&self) -> Option<&Toast> {
        self.banner.as_ref()
    }

    pub fn focused(&self) -> LoginField {
        if self.mfa.is_some() {
            LoginField::Code
        } else {
            FIELDS[self.focus]
        }
    }

    /// True while the second step (a code) is asked for.
    pub fn in_mfa_step(&self) -> bool {
        self.mfa.is_some()
    }

    fn field(&self, field: LoginField) -> Option<&FormField> {
        match field {
            LoginField::Code => self.mfa.as_ref().map(|m| &m.code),
            other => FIELDS
                .iter()
                .position(|f| *f == other)
                .map(|i| &self.fields[i]),
        }
    }

    fn field_mut(&mut self, field: LoginField) -> Option<&mut FormField> {
        match field {
            LoginField::Code => self.mfa.as_mut().map(|m| &mut m.code),
            other => FIELDS
                .iter()
                .position(|f| *f == other)
                .map(|i| &mut self.fields[i]),
        }
    }

    fn command(&mut self, command: Command) -> Option<Action> {
        match command {
            Command::NextField if self.mfa.is_none() => self.focus = (self.focus + 1) % 3,
            Command::PrevField if self.mfa.is_none() => self.focus = (self.focus + 2) % 3,
            Command::Submit => return self.submit(),
            // Waiting on the server: the app cancels the sign-in.
            Command::Back if self.busy => return Some(Action::Command(Command::Back)),
            Command::Back if self.mfa.is_some() => {
                self.mfa = None;
                self.busy = false;
                self.focus = 2;
            }
            Command::ToggleRecovery => self.toggle_recovery(),
            Command::NextField | Command::PrevField | Command::Back => {}
            other => return Some(Action::Command(other)),
        }
        None
    }

    fn toggle_recovery(&mut self) {
        if let Some(mfa) = self.mfa.as_mut().filter(|m| m.recovery_allowed) {
            mfa.recovery = !mfa.recovery;
            mfa.code = FormField::new(code_label(mfa.recovery));
        }
    }

    fn submit(&mut self) -> Option<Action> {
        if self.busy {
            return None;
        }
        let request = match &mut self.mfa {
            Some(mfa) => mfa_request(mfa, self.fields[1].value())?,
            None => self.password_request()?,
        };
        self.busy = true;
        self.banner = None;
        Some(Action::Request(request))
    }

    fn password_request(&mut self) -> Option<Request> {
        let missing = [
            "Enter the server address, e.g. https://accounts.example.com",
            "Enter the email address of your account",
            "Enter your password",
        ];
        // What the last attempt said no longer holds: a server that could
        // not be reached may be back, so the same form is sent again.
        for (field, message) in self.fields.iter_mut().zip(missing) {
            field.error = field
                .value()
                .trim()
                .is_empty()
                .then(|| format!("{message}."));
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
            return None;
        }
        Some(Request::Login {
            server: self.fields[0].value().trim().to_string(),
            email: self.fields[1].value().trim().to_string(),
            password: SecretText::new(self.fields[2].value()),
        })
    }

    /// Puts an error under the field it concerns, or above the form.
    fn place_error(&mut self, error: &ApiError) {
        for field in &mut self.fields {
            field.error = None;
        }
        let message = sentence(&error.to_string());
        let in_mfa = self.mfa.is_some();
        match error {
            ApiError::InvalidServerUrl { .. }
            | ApiError::Unreachable { .. }
            | ApiError::Timeout { .. }
                if !in_mfa =>
            {
                self.set_field_error(LoginField::Server, message)
            }
            _ if error.field_errors().is_some() => self.place_field_errors(error),
            _ if error.code() == Some(ErrorCode::InvalidCredentials) => {
                let field = if in_mfa {
                    LoginField::Code
                } else {
                    LoginField::Password
                };
                let text = if in_mfa {
                    message
                } else {
                    format!("{}.", ErrorCode::InvalidCredentials.title())
                };
                self.set_field_error(field, text);
            }
            _ => self.banner = Some(Toast::error(message)),
        }
        if !in_mfa && let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
    }

    fn place_field_errors(&mut self, error: &ApiError) {
        let Some(errors) = error.field_errors() else {
            return;
        };
        for (name, messages) in errors {
            let text = sentence(&messages.join(" "));
            let field = match name.as_str() {
                "email" => Some(LoginField::Email),
                "password" => Some(LoginField::Password),
                "code" | "recovery_code" | "mfa_token" => Some(LoginField::Code),
                _ => None,
            };
            match field.and_then(|f| self.field_mut(f)) {
                Some(f) => f.error = Some(text),
                None => self.banner = Some(Toast::error(format!("{name}: {text}"))),
            }
        }
    }

    fn set_field_error(&mut self, field: LoginField, text: String) {
        match self.field_mut(field) {
            Some(f) => f.error = Some(text),
            None => self.banner = Some(Toast::error(text)),
        }
    }
}

impl Screen for LoginScreen {
    /// Form keys first; any other key types into the focused field; keys
    /// that neither use (Ctrl-L, F5...) go to the app.
    fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let k = Key::from(key);
        if let Some(command) = keymap.get(Scope::Form, k) {
            return self.command(command);
        }
        let focused = self.focused();
        let edited = self.field_mut(focused).is_some_and(|f| f.handle_key(key));
        if edited || k.is_text() {
            return None;
        }
        keymap.get(Scope::Global, k).map(Action::Command)
    }

    fn paste(&mut self, text: &str) {
        let focused = self.focused();
        if let Some(field) = self.field_mut(focused) {
            field.paste(text);
        }
    }

    fn update(&mut self, action: &Action) -> Vec<Action> {
        match action {
            Action::Cancelled(RequestKey::Login) => {
                self.busy = false;
                self.banner = Some(Toast::warning(
                    "Sign-in canceled; press Enter to try again.",
                ));
            }
            Action::ReopenLogin { email, notice } => self.reopen(email.as_deref(), notice.clone()),
            Action::Response(Response::Login(result)) => self.answered(result),
            _ => {}
        }
        Vec::new()
    }

    fn render(&self, frame: &mut ratatui::Frame<'_>, area: ratatui::layout::Rect, ui: &Ui<'_>) {
        self.draw(frame, area, ui);
    }

    fn takes_typing(&self) -> bool {
        true
    }

    fn hints(&self, map: &Keymap) -> Hints {
        let mut out = Vec::new();
        if self.in_mfa_step() {
            hint(&mut out, map, Scope::Form, Command::Submit, "verify");
            hint(
                &mut out,
                map,
                Scope::Form,
                Command::ToggleRecovery,
                "recovery code",
            );
            hint(&mut out, map, Scope::Form, Command::Back, "back");
        } else {
            hint(&mut out, map, Scope::Form, Command::Submit, "sign in");
            hint(&mut out, map, Scope::Form, Command::NextField, "next field");
        }
        hint(&mut out, map, Scope::Form, Command::Help, "help");
        hint(&mut out, map, Scope::Form, Command::Quit, "quit");
        out
    }

    /// Signed out, nothing else applies: the form's own keys only.
    fn footer(&self, map: &Keymap, _common: Hints) -> Hints {
        self.hints(map)
    }
}

impl LoginScreen {
    fn answered(&mut self, result: &Result<LoginDone, ApiError>) {
        self.busy = false;
        match result {
            Ok(LoginDone::SignedIn { .. }) => {
                // The password has done its job; don't keep it around.
                self.fields[2] = FormField::new("Password").masked();
                self.mfa = None;
                self.banner = None;
            }
            Ok(LoginDone::MfaRequired(challenge)) => {
                let recovery_allowed = challenge.methods.iter().any(|m| m == "recovery_code");
                self.mfa = Some(MfaStep {
                    token: challenge.mfa_token.clone(),
                    code: FormField::new(code_label(false)),
                    recovery: false,
                    recovery_allowed,
                });
            }
            Err(error) => self.place_error(error),
        }
    }
}

fn code_label(recovery: bool) -> &'static str {
    if recovery { "Recovery code" } else { "Code" }
}

fn mfa_request(mfa: &mut MfaStep, email: &str) -> Option<Request> {
    let code = mfa.code.value().trim().to_string();
    if code.is_empty() {
        mfa.code.error = Some(if mfa.recovery {
            "Enter one of your recovery codes.".to_string()
        } else {
            "Enter the code from your authenticator app.".to_string()
        });
        return None;
    }
    Some(Request::LoginMfa {
        email: email.trim().to_string(),
        mfa_token: mfa.token.clone(),
        code: SecretText::new(code),
        recovery: mfa.recovery,
    })
}

#[cfg(test)]
mod tests;
