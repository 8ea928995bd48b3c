//! What the Security screen makes of the answers to its changes: the form
//! that sent one learns how it went, and a change that went through is said
//! in a toast and reloads what it touched.

use crate::action::{
    AccountRequest, Action, ChangeDone, Data, Request, SecurityRequest, SessionsRequest,
};
use crate::widgets::dialog::Dialog;
use crate::widgets::toast::Toast;
use acctl_client::ApiError;

use super::*;

impl SecurityScreen {
    /// A change went through: say so, and reload what it touched (the log
    /// has a new event; the overview shows email and two-factor).
    pub(super) fn changed(&mut self, done: &ChangeDone) -> Vec<Action> {
        let said = match done {
            ChangeDone::PasswordChanged(_) => Some("Password changed."),
            ChangeDone::EmailChangeRequested { .. } if self.email.by_link => {
                Some("Link sent; check the new address.")
            }
            ChangeDone::EmailChangeRequested { .. } => Some("Code sent; check the new address."),
            ChangeDone::EmailVerified(_) => Some("Email changed."),
            ChangeDone::TotpEnrolled(_) => None,
            ChangeDone::TotpConfirmed(_) => Some("Two-factor sign-in is on."),
            ChangeDone::TotpDisabled(_) => Some("Two-factor sign-in is off."),
            ChangeDone::RecoveryCodesRegenerated(_) => Some("New recovery codes made."),
        };
        let mut out: Vec<Action> = said
            .map(|text| Action::Toast(Toast::success(text)))
            .into_iter()
            .collect();
        if let ChangeDone::EmailChangeRequested {
            new_email,
            demo_mail: Some(mail),
            ..
        } = done
        {
            let mut body = vec![format!(
                "The demo has no real mailbox; this went to {new_email}:"
            )];
            body.extend(mail.lines().map(str::to_string));
            out.push(Action::Notice(Dialog::notice("Demo mailbox", body)));
        }
        out.push(Action::Stale(Data::SecurityLog));
        out.push(Action::Stale(Data::Account));
        if let Some(password) = &self.demo_password {
            // Signing out of the demo tells the password to sign back in.
            out.push(Action::DemoPassword(password.clone()));
        }
        let reload = match done {
            ChangeDone::PasswordChanged(_) => vec![Request::Sessions(SessionsRequest::List)],
            ChangeDone::EmailChangeRequested { .. } | ChangeDone::EmailVerified(_) => {
                vec![Request::Account(AccountRequest::Load)]
            }
            ChangeDone::TotpConfirmed(_)
            | ChangeDone::TotpDisabled(_)
            | ChangeDone::RecoveryCodesRegenerated(_) => {
                vec![
                    Request::Security(SecurityRequest::LoadMfaStatus),
                    Request::Account(AccountRequest::Load),
                ]
            }
            ChangeDone::TotpEnrolled(_) => vec![Request::Security(SecurityRequest::LoadMfaStatus)],
        };
        out.extend(reload.into_iter().map(Action::Request));
        out
    }

    pub(super) fn security_done(&mut self, done: &ChangeDone) {
        // A session that ended is the app's to handle (back to sign-in);
        // the form keeps what was typed for when it comes back.
        if done.error().is_some_and(ApiError::needs_login) {
            return;
        }
        match done {
            ChangeDone::PasswordChanged(result) => {
                if result.is_ok() && self.demo_new_password.is_some() {
                    self.demo_password = self.demo_new_password.take();
                }
                self.password.done(result);
            }
            ChangeDone::EmailChangeRequested {
                new_email, result, ..
            } => self.email.requested(new_email, result),
            ChangeDone::EmailVerified(result) => self.email.verified(result),
            ChangeDone::TotpEnrolled(result) => self.two_factor.enrolled(result),
            ChangeDone::TotpConfirmed(result) => {
                let codes = self.two_factor.confirmed(result);
                if let Some(codes) = codes {
                    let email = self.email_of_account().to_string();
                    self.shown_codes =
                        Some(ShownCodes::new(codes, "Two-factor sign-in is on", &email));
                }
            }
            ChangeDone::TotpDisabled(result) => self.two_factor.disabled(result),
            ChangeDone::RecoveryCodesRegenerated(result) => match result {
                Ok(codes) => {
                    self.recovery.form.clear("password");
                    let email = self.email_of_account().to_string();
                    self.shown_codes = Some(ShownCodes::new(
                        codes.recovery_codes.clone(),
                        "New recovery codes; the old ones no longer work",
                        &email,
                    ));
                }
                Err(e) => self.recovery.form.place_error(e),
            },
        }
    }
}
