//! The danger zone: deleting the account after the grace period. The page
//! explains what happens and when, asks for the password and the word
//! DELETE, and confirms once more; once scheduled it shows the date and
//! offers to cancel (also confirmed). Nothing typed is lost on a failure.

use acctl_api::SecretText;
use acctl_api::privacy::{DEFAULT_DELETION_GRACE_DAYS, DELETE_CONFIRMATION, DeletionStatus};
use crossterm::event::KeyEvent;

use crate::action::{Action, Answer, PrivacyDone, PrivacyRequest, Request, Response};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::dialog::Dialog;
use crate::widgets::form::Form;
use crate::widgets::form_field::FormField;
use crate::widgets::loadable::{Failure, Loadable};

pub const PASSWORD: &str = "password";
pub const CONFIRMATION: &str = "confirmation";

#[derive(Debug)]
pub struct Deletion {
    pub status: Loadable<DeletionStatus>,
    pub form: Form,
    /// Scheduling or cancelling is on its way.
    pub busy: bool,
    /// Why cancelling failed.
    pub note: Option<String>,
    /// "Also sign out my other devices", off unless ticked: cancelling
    /// cannot bring signed-out devices back.
    pub sign_out_others: bool,
}

impl Default for Deletion {
    fn default() -> Self {
        Self {
            status: Loadable::default(),
            form: Form::new(vec![
                (PASSWORD, FormField::new("Password").masked()),
                (CONFIRMATION, FormField::new("Type DELETE")),
            ])
            .with_extra_stops(1),
            busy: false,
            note: None,
            sign_out_others: false,
        }
    }
}

impl Deletion {
    pub fn grace_days(&self) -> u32 {
        self.status
            .value()
            .map_or(DEFAULT_DELETION_GRACE_DAYS, |s| s.grace_days)
    }

    pub fn scheduled(&self) -> Option<&DeletionStatus> {
        self.status.value().filter(|s| s.scheduled_for.is_some())
    }

    /// Focus is on the "also sign out my other devices" box.
    pub fn on_checkbox(&self) -> bool {
        self.form.focused().is_none()
    }

    /// The form has the keys (nothing is scheduled yet).
    pub fn takes_typing(&self) -> bool {
        self.status.value().is_some() && self.scheduled().is_none()
    }

    /// Keys on the page; `Back` is handed up (the screen closes the page).
    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        if !self.takes_typing() {
            return match keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))? {
                Command::Open | Command::Toggle if self.scheduled().is_some() => self.ask_cancel(),
                Command::Refresh => Some(Action::Request(Request::Privacy(
                    PrivacyRequest::LoadDeletion,
                ))),
                other => Some(Action::Command(other)),
            };
        }
        match self.form.key_command(key, keymap, &[Command::Toggle])? {
            Command::NextField => self.form.next(),
            Command::PrevField => self.form.prev(),
            Command::Toggle => self.sign_out_others = !self.sign_out_others,
            Command::Submit if self.busy => {}
            Command::Submit => return self.submit(),
            other => return Some(Action::Command(other)),
        }
        None
    }

    /// Checks what can be checked here, then asks once more.
    fn submit(&mut self) -> Option<Action> {
        self.form.clear_errors();
        let password = self.form.value(PASSWORD).to_string();
        let word = self.form.value(CONFIRMATION).trim().to_string();
        if password.is_empty() {
            self.form.set_error(
                PASSWORD,
                Some("Type your password to confirm it is you.".into()),
            );
        }
        if word != DELETE_CONFIRMATION {
            self.form.set_error(
                CONFIRMATION,
                Some(format!(
                    "Type {DELETE_CONFIRMATION} in capitals to confirm."
                )),
            );
        }
        if self.form.focus_first_error() {
            return None;
        }
        Some(Action::Confirm {
            dialog: Dialog::confirm(
                "Delete your account?",
                self.consequences(),
                "Delete my account",
            ),
            on_confirm: Request::Privacy(PrivacyRequest::ScheduleDeletion {
                password: SecretText::new(password),
                confirmation: word,
                sign_out_others: self.sign_out_others,
            }),
        })
    }

    /// Exactly what scheduling does, as the confirm dialog says it.
    fn consequences(&self) -> Vec<String> {
        let days = self.grace_days();
        if days == 0 {
            // The service deletes at once (Better Auth).
            return vec![
                "Your account is deleted now, and every device signed out of it.".into(),
                "This cannot be undone.".into(),
            ];
        }
        let others = if self.sign_out_others {
            "Every other device signed in to your account is signed out now; this one stays. \
             Cancelling later does not sign them back in."
        } else {
            "Your other devices stay signed in."
        };
        vec![
            format!("Your account will be deleted in {days} days."),
            others.into(),
            "Until then you can sign in and cancel it; after that it is gone for good.".into(),
        ]
    }

    fn ask_cancel(&self) -> Option<Action> {
        let body = vec!["Your account will not be deleted, and stays as it is.".to_string()];
        let mut dialog =
            Dialog::confirm("Cancel the deletion?", body, "Keep my account").with_back("Go back");
        dialog.danger = false;
        Some(Action::Confirm {
            dialog,
            on_confirm: Request::Privacy(PrivacyRequest::CancelDeletion),
        })
    }

    pub fn paste(&mut self, text: &str) {
        if self.takes_typing() {
            self.form.paste(text);
        }
    }

    pub fn update(&mut self, action: &Action) {
        match action {
            Action::Request(Request::Privacy(PrivacyRequest::LoadDeletion)) => self.status.start(),
            Action::Cancelled(Request::Privacy(PrivacyRequest::LoadDeletion)) => {
                self.status.cancel()
            }
            Action::Request(Request::Privacy(
                PrivacyRequest::ScheduleDeletion { .. } | PrivacyRequest::CancelDeletion,
            )) => {
                self.busy = true;
                self.note = None;
            }
            Action::Response(Response::Privacy(Answer { done, .. })) => self.answered(done),
            _ => {}
        }
    }

    fn answered(&mut self, done: &PrivacyDone) {
        match done {
            PrivacyDone::Deletion(result) => self
                .status
                .finish(result.as_ref().cloned().map_err(Failure::from)),
            PrivacyDone::DeletionScheduled(result) => {
                self.busy = false;
                match result {
                    Ok(status) => {
                        self.form.clear(PASSWORD);
                        self.form.clear(CONFIRMATION);
                        self.sign_out_others = false;
                        self.status.finish::<Failure>(Ok(status.clone()));
                    }
                    // Field errors land on password or confirmation.
                    Err(e) => self.form.place_error(e),
                }
            }
            PrivacyDone::DeletionCancelled(result) => {
                self.busy = false;
                match result {
                    Ok(()) => {
                        let grace_days = self.grace_days();
                        self.status.finish::<Failure>(Ok(DeletionStatus {
                            scheduled_for: None,
                            requested_at: None,
                            grace_days,
                        }));
                    }
                    Err(e) => {
                        self.note = Some(format!(
                            "Could not cancel the deletion: {}",
                            crate::widgets::loadable::sentence(&e.to_string())
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}
