//! A change to an opened account: a dialog that says what will happen and
//! asks the reason, then, when the server wants a fresh proof
//! (`step_up_required`), the password; proven, the change is sent again.
//! Nothing typed is lost on an error: it lands on its field.

use acctl_api::ErrorCode;
use acctl_api::admin::{AccountStatus, AdminUserDetail, REASON_MAX_CHARS};
use acctl_client::{AdminWrite, ApiError};
use crossterm::event::KeyEvent;

use super::{AdminScreen, Opened};
use crate::action::{Action, AdminDone, AdminRequest, Answer, Request};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::form_field::FormField;
use crate::widgets::loadable::sentence;
use crate::widgets::toast::Toast;

#[derive(Debug)]
pub struct Act {
    pub write: AdminWrite,
    pub id: String,
    pub email: String,
    /// What will happen, in a sentence.
    pub will_do: String,
    pub reason: FormField,
    /// Asked once the server wants a fresh proof; None until then.
    pub password: Option<FormField>,
    /// A request is on its way: keys wait.
    pub sending: bool,
    /// What went wrong that belongs to no field.
    pub error: Option<String>,
}

/// What the dialog asks the screen to do once an answer is in.
pub enum Next {
    /// Stay open (an error shows, or the next step is asked).
    Stay(Vec<Action>),
    /// Done: close, say so, and load the account again.
    Done(Toast),
}

impl Act {
    /// `D` toggles: a disabled account is enabled again.
    pub fn new(write: AdminWrite, user: &AdminUserDetail) -> Self {
        let write = match (write, user.status) {
            (AdminWrite::Disable, AccountStatus::Disabled) => AdminWrite::Enable,
            (other, _) => other,
        };
        Self {
            write,
            id: user.id.clone(),
            email: user.email.clone(),
            will_do: write.will_do(&user.email, user.active_sessions),
            reason: FormField::new("Reason"),
            password: None,
            sending: false,
            error: None,
        }
    }

    /// The dialog's title and the button's word.
    pub fn title(&self) -> (&'static str, &'static str) {
        match self.write {
            AdminWrite::Disable => ("Disable the account", "disable"),
            AdminWrite::Enable => ("Enable the account", "enable"),
            AdminWrite::RevokeSessions => ("End its sessions", "sign them out"),
            AdminWrite::MfaReset => ("Reset two-factor sign-in", "reset"),
            AdminWrite::PasswordReset => ("Reset the password", "reset"),
        }
    }

    /// A key; None closes the dialog (Esc, unless a request is on its way).
    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Vec<Action>> {
        match keymap.resolve(&[Scope::Form], Key::from(key)) {
            Some(Command::Back) if !self.sending => return None,
            Some(Command::Submit) if !self.sending => return Some(self.submit()),
            Some(c @ (Command::Help | Command::Suspend | Command::Redraw | Command::Quit)) => {
                return Some(vec![Action::Command(c)]);
            }
            _ => {}
        }
        if !self.sending {
            self.field_mut().handle_key(key);
        }
        Some(Vec::new())
    }

    pub fn paste(&mut self, text: &str) {
        if !self.sending {
            self.field_mut().paste(text);
        }
    }

    /// The field being typed in: the password once asked, else the reason.
    pub fn field(&self) -> &FormField {
        self.password.as_ref().unwrap_or(&self.reason)
    }

    fn field_mut(&mut self) -> &mut FormField {
        self.password.as_mut().unwrap_or(&mut self.reason)
    }

    fn submit(&mut self) -> Vec<Action> {
        self.error = None;
        if let Some(password) = &mut self.password {
            if password.value().is_empty() {
                password.error = Some("Type your password to confirm it is you.".into());
                return Vec::new();
            }
            self.sending = true;
            let proof = password.value().into();
            return vec![request(AdminRequest::StepUp { proof })];
        }
        match check_reason(self.reason.value()) {
            Ok(_) => self.send(),
            Err(problem) => {
                self.reason.error = Some(problem.to_string());
                Vec::new()
            }
        }
    }

    /// Sends the change with the reason typed.
    fn send(&mut self) -> Vec<Action> {
        self.sending = true;
        vec![request(AdminRequest::Write {
            write: self.write,
            id: self.id.clone(),
            reason: self.reason.value().trim().to_string(),
        })]
    }

    /// The answer to a request of this dialog's (others are not its).
    pub fn answered(&mut self, request: &AdminRequest, done: &AdminDone) -> Option<Next> {
        match (request, done) {
            (AdminRequest::Write { id, .. }, AdminDone::Written(result)) if *id == self.id => {
                self.sending = false;
                Some(match result {
                    Ok(done) => Next::Done(Toast::success(
                        self.write.done(&self.email, done.sessions_revoked),
                    )),
                    Err(e) => self.refused(e),
                })
            }
            (AdminRequest::StepUp { .. }, AdminDone::SteppedUp(result)) => {
                self.sending = false;
                Some(match result {
                    // Proven: the change goes out again, as it was.
                    Ok(_) => {
                        self.password = None;
                        Next::Stay(self.send())
                    }
                    Err(e) => {
                        let text = match e.code() {
                            Some(ErrorCode::ValidationFailed) => {
                                "That is not your password (or code); nothing was changed.".into()
                            }
                            _ => sentence(&e.to_string()),
                        };
                        if let Some(password) = &mut self.password {
                            password.error = Some(text);
                        }
                        Next::Stay(Vec::new())
                    }
                })
            }
            _ => None,
        }
    }

    /// The change was refused: ask the proof, or say why where it belongs.
    fn refused(&mut self, error: &ApiError) -> Next {
        match error.code() {
            Some(ErrorCode::StepUpRequired) => {
                self.password = Some(FormField::new("Password").masked());
            }
            Some(ErrorCode::ValidationFailed) => {
                self.reason.error = Some(sentence(&error.to_string()));
            }
            Some(ErrorCode::OwnAccount) => {
                self.error = Some(format!(
                    "{} is your own account; another administrator has to do this.",
                    self.email
                ));
            }
            _ => self.error = Some(sentence(&error.to_string())),
        }
        Next::Stay(Vec::new())
    }
}

fn request(request: AdminRequest) -> Action {
    Action::Request(Request::Admin(request))
}

/// The server's rules for a reason, checked before anything is sent.
fn check_reason(text: &str) -> Result<&str, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Say why (1 to 500 characters), e.g. \"asked by phone, ID checked\".");
    }
    if text.chars().count() > REASON_MAX_CHARS {
        return Err("Use at most 500 characters.");
    }
    if text.chars().any(char::is_control) {
        return Err("Leave out control characters such as tabs and line breaks.");
    }
    Ok(text)
}

/// The Admin screen's side of the dialog: opening it, its keys, its answers.
impl AdminScreen {
    /// What `D` does to the opened account: enable a disabled one.
    pub(super) fn disable_label(&self) -> &'static str {
        let status = self
            .opened
            .as_ref()
            .and_then(|o| o.user.value())
            .map(|u| u.status);
        match status {
            Some(acctl_api::admin::AccountStatus::Disabled) => "enable",
            _ => "disable",
        }
    }

    /// Asks to confirm `write` on the opened account, once it is loaded.
    pub(super) fn act(&mut self, write: AdminWrite) -> Option<Action> {
        let user = self.opened.as_ref()?.user.value()?;
        self.act = Some(Act::new(write, user));
        None
    }

    pub(super) fn act_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let act = self.act.as_mut()?;
        match act.handle_key(key, keymap) {
            None => {
                self.act = None;
                None
            }
            Some(actions) => super::batch(actions),
        }
    }

    /// The answer to the change being confirmed, if it is one.
    pub(super) fn act_answered(
        &mut self,
        answer: &Answer<AdminRequest, AdminDone>,
    ) -> Option<Vec<Action>> {
        let act = self.act.as_mut()?;
        match act.answered(&answer.request, &answer.done)? {
            Next::Stay(actions) => Some(actions),
            Next::Done(toast) => {
                self.act = None;
                let mut out = vec![Action::Toast(toast)];
                out.extend(self.opened.as_ref().map(Opened::load));
                // The list shows the status too.
                out.extend(self.query.clone().map(|q| self.search(q)));
                Some(out)
            }
        }
    }
}
