//! The form pages: password and email here, two-factor and recovery codes
//! in `two_factor`. Each checks what it can before asking the server and
//! keeps every typed value when the server says no.

use acctl_api::password_policy::{self, Assessment};
use acctl_api::{Account, RecoveryCodes, SecretText, TotpEnrollment};

use super::enrol::Enrolment;
use crate::action::{Action, Request, SecurityChange};
use crate::widgets::dialog::Dialog;
use crate::widgets::form::Form;
use crate::widgets::form_field::FormField;
use acctl_client::ApiError;

mod two_factor;
pub use two_factor::{RecoveryPage, TwoFactorPage};

fn password_field(label: &str) -> FormField {
    FormField::new(label).masked()
}

fn missing(form: &mut Form, name: &'static str, message: &str) {
    if form.value(name).trim().is_empty() {
        form.set_error(name, Some(message.to_string()));
    }
}

fn request(change: SecurityChange) -> Option<Action> {
    Some(Action::Request(Request::from(change)))
}

#[derive(Debug, Clone)]
pub struct PasswordPage {
    pub form: Form,
    pub sign_out_others: bool,
    /// The policy's verdict on the new password, for the meter.
    pub strength: Option<Assessment>,
    /// Said after a change went through.
    pub note: Option<String>,
}

impl Default for PasswordPage {
    fn default() -> Self {
        Self {
            form: Form::new(vec![
                ("current_password", password_field("Current password")),
                ("new_password", password_field("New password")),
                ("confirm", password_field("Repeat new")),
            ])
            .with_extra_stops(1),
            sign_out_others: false,
            strength: None,
            note: None,
        }
    }
}

impl PasswordPage {
    pub fn on_checkbox(&self) -> bool {
        self.form.focused().is_none()
    }

    /// Recomputes the meter from what is typed now.
    pub fn assess(&mut self, email: &str) {
        let new = self.form.value("new_password");
        self.strength = (!new.is_empty()).then(|| password_policy::assess(new, email));
    }

    pub fn submit(&mut self, email: &str) -> Option<Action> {
        let form = &mut self.form;
        form.clear_errors();
        self.note = None;
        missing(form, "current_password", "Enter your current password.");
        let new = form.value("new_password").to_string();
        let problems = password_policy::password_problems(&new, email);
        if new.is_empty() {
            form.set_error("new_password", Some("Enter a new password.".into()));
        } else if !problems.is_empty() {
            form.set_error("new_password", Some(problems.join(" ")));
        } else if form.value("confirm") != new {
            form.set_error(
                "confirm",
                Some("This does not match the new password; type it again.".into()),
            );
        }
        if form.focus_first_error() {
            return None;
        }
        request(SecurityChange::ChangePassword {
            current: SecretText::new(form.value("current_password")),
            new: SecretText::new(new),
            sign_out_others: self.sign_out_others,
        })
    }

    pub fn done(&mut self, result: &Result<(), ApiError>) {
        match result {
            Ok(()) => {
                let others = self.sign_out_others;
                *self = Self::default();
                self.note = Some(if others {
                    "Password changed; your other sessions were signed out.".into()
                } else {
                    "Password changed.".into()
                });
            }
            Err(e) => self.form.place_error(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailStep {
    /// The new address and the password.
    Address,
    /// The code sent to `to`.
    Code { to: String },
}

#[derive(Debug, Clone)]
pub struct EmailPage {
    pub address: Form,
    pub code: Form,
    pub step: EmailStep,
    pub note: Option<String>,
    /// The service mails a link to paste (Better Auth), not a code.
    pub by_link: bool,
}

impl Default for EmailPage {
    fn default() -> Self {
        Self::new(false)
    }
}

impl EmailPage {
    pub fn new(by_link: bool) -> Self {
        Self {
            address: Form::new(vec![
                ("new_email", FormField::new("New email")),
                ("password", password_field("Password")),
            ]),
            code: code_form(by_link),
            step: EmailStep::Address,
            note: None,
            by_link,
        }
    }

    /// "code", or "link" where the service mails one.
    pub fn proof(&self) -> &'static str {
        if self.by_link { "link" } else { "code" }
    }
}

fn code_form(by_link: bool) -> Form {
    let label = if by_link { "Link" } else { "Code" };
    Form::new(vec![("code", FormField::new(label))])
}

impl EmailPage {
    pub fn form_mut(&mut self) -> &mut Form {
        match self.step {
            EmailStep::Address => &mut self.address,
            EmailStep::Code { .. } => &mut self.code,
        }
    }

    /// A change waiting for its code (perhaps started elsewhere) goes
    /// straight to the code; none waiting goes back to the address.
    pub fn sync(&mut self, account: Option<&Account>) {
        let Some(account) = account else { return };
        match (&account.pending_email, &self.step) {
            (Some(pending), EmailStep::Address) => {
                self.step = EmailStep::Code {
                    to: pending.clone(),
                }
            }
            (Some(pending), EmailStep::Code { to }) if to != pending => {
                self.step = EmailStep::Code {
                    to: pending.clone(),
                }
            }
            (None, EmailStep::Code { .. }) => self.step = EmailStep::Address,
            _ => {}
        }
    }

    /// From the code back to the address (to use another one). False when
    /// already at the address.
    pub fn step_back(&mut self) -> bool {
        match self.step {
            EmailStep::Code { .. } => {
                self.step = EmailStep::Address;
                true
            }
            EmailStep::Address => false,
        }
    }

    pub fn submit(&mut self, current_email: &str) -> Option<Action> {
        self.note = None;
        match &self.step {
            EmailStep::Address => {
                let form = &mut self.address;
                form.clear_errors();
                let new_email = form.value("new_email").trim().to_string();
                if new_email.is_empty() {
                    form.set_error("new_email", Some("Enter the new email address.".into()));
                } else if !new_email.contains('@') {
                    form.set_error(
                        "new_email",
                        Some("This is not an email address; it needs an @.".into()),
                    );
                } else if new_email.eq_ignore_ascii_case(current_email) {
                    form.set_error(
                        "new_email",
                        Some("This is your email already; enter a different one.".into()),
                    );
                }
                missing(form, "password", "Enter your password to confirm.");
                if form.focus_first_error() {
                    return None;
                }
                request(SecurityChange::RequestEmailChange {
                    new_email,
                    password: SecretText::new(form.value("password")),
                })
            }
            EmailStep::Code { .. } => {
                let form = &mut self.code;
                form.clear_errors();
                let code = form.value("code").trim().to_string();
                if code.is_empty() {
                    let proof = if self.by_link { "link" } else { "code" };
                    form.set_error("code", Some(format!("Enter the {proof} from the email.")));
                    return None;
                }
                request(SecurityChange::VerifyEmail {
                    code: SecretText::new(code),
                })
            }
        }
    }

    pub fn requested(&mut self, new_email: &str, result: &Result<(), ApiError>) {
        match result {
            Ok(()) => {
                self.address.clear("password");
                self.code = code_form(self.by_link);
                self.step = EmailStep::Code {
                    to: new_email.to_string(),
                };
            }
            Err(e) => self.address.place_error(e),
        }
    }

    pub fn verified(&mut self, result: &Result<(), ApiError>) {
        match result {
            Ok(()) => {
                let to = match &self.step {
                    EmailStep::Code { to } => to.clone(),
                    EmailStep::Address => String::new(),
                };
                *self = Self::default();
                self.note = Some(format!("Your email is now {to}."));
            }
            Err(e) => self.code.place_error(e),
        }
    }
}
