//! Security: password, email, two-factor sign-in, recovery codes and the
//! security log. A menu of the five sections, each opening a page; Esc goes
//! back. Every change is confirmed with the password or a code, errors land
//! on the field they concern, and nothing typed is lost when a change fails.

mod enrol;
pub mod log;
mod pages;
mod view;

use acctl_api::{Account, MfaStatus, SecretText};
use crossterm::event::KeyEvent;

use super::{Hints, Screen};
use crate::action::{
    AccountRequest, Action, Answer, ChangeDone, Data, FilesRequest, Request, Response,
    SecurityChange, SecurityDone, SecurityRequest, SessionsRequest,
};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::Ui;
use crate::widgets::dialog::Dialog;
use crate::widgets::form::Form;
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::toast::Toast;
use acctl_client::ApiError;

pub use enrol::{Enrolment, ShownCodes};
pub use pages::{EmailPage, EmailStep, PasswordPage, RecoveryPage, TwoFactorPage};

/// The sections, in menu order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Password,
    Email,
    TwoFactor,
    RecoveryCodes,
    Log,
}

pub const SECTIONS: [Section; 5] = [
    Section::Password,
    Section::Email,
    Section::TwoFactor,
    Section::RecoveryCodes,
    Section::Log,
];

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Password => "Password",
            Section::Email => "Email",
            Section::TwoFactor => "Two-factor",
            Section::RecoveryCodes => "Recovery codes",
            Section::Log => "Security log",
        }
    }
}

#[derive(Debug, Default)]
pub struct SecurityScreen {
    pub account: Loadable<Account>,
    pub mfa: Loadable<MfaStatus>,
    /// The selected menu row.
    menu: usize,
    /// The page on show; None for the menu.
    open: Option<Section>,
    pub password: PasswordPage,
    pub email: EmailPage,
    pub two_factor: TwoFactorPage,
    pub recovery: RecoveryPage,
    /// Recovery codes on show, once; they must be confirmed as saved.
    pub shown_codes: Option<ShownCodes>,
    pub log: log::SecurityLog,
    /// A change is on its way; one at a time.
    busy: bool,
    /// In the demo, the password every change asks for (the demo made it
    /// up, so nobody knows it otherwise).
    pub demo_password: Option<SecretText>,
    /// The demo's password once the change on its way goes through.
    demo_new_password: Option<SecretText>,
}

impl SecurityScreen {
    /// A screen for an account whose password is `demo_password` (the demo
    /// made it up, so nobody knows it otherwise); None outside the demo.
    pub fn new(demo_password: Option<SecretText>) -> Self {
        Self {
            demo_password,
            ..Self::default()
        }
    }

    /// Forget everything: another account signed in.
    pub fn reset(&mut self) {
        let demo_password = self.demo_password.take();
        *self = Self {
            demo_password,
            ..Self::default()
        };
    }

    /// Signed in again as the same account: what is typed stays, what was
    /// loaded is fetched afresh.
    pub fn reload_on_enter(&mut self) {
        self.account = Loadable::NotAsked;
        self.mfa = Loadable::NotAsked;
        self.busy = false;
        self.log.mark_stale();
    }

    pub fn open_section(&self) -> Option<Section> {
        self.open
    }

    pub fn selected(&self) -> Section {
        SECTIONS[self.menu.min(SECTIONS.len() - 1)]
    }

    pub fn is_busy(&self) -> bool {
        self.busy
    }

    pub fn enrolment(&self) -> Option<&Enrolment> {
        match self.open {
            Some(Section::TwoFactor) => self.two_factor.enrolment.as_ref(),
            _ => None,
        }
    }

    fn email_of_account(&self) -> &str {
        self.account.value().map_or("", |a| a.email.as_str())
    }

    fn mfa_enabled(&self) -> Option<bool> {
        self.mfa.value().map(|m| m.totp_enabled)
    }

    fn menu_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let command = keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))?;
        let last = SECTIONS.len() - 1;
        match command {
            Command::Up => self.menu = self.menu.saturating_sub(1),
            Command::Down => self.menu = (self.menu + 1).min(last),
            Command::Top | Command::PageUp => self.menu = 0,
            Command::Bottom | Command::PageDown => self.menu = last,
            Command::Open => return self.open_page(self.selected()),
            Command::Refresh => {
                return Some(Action::Batch(vec![
                    Action::Request(Request::Account(AccountRequest::Load)),
                    Action::Request(Request::Security(SecurityRequest::LoadMfaStatus)),
                ]));
            }
            other => return Some(Action::Command(other)),
        }
        None
    }

    fn open_page(&mut self, section: Section) -> Option<Action> {
        self.open = Some(section);
        match section {
            Section::Log => self.log.on_enter(),
            Section::Email => {
                self.email.sync(self.account.value());
                None
            }
            _ => None,
        }
    }

    /// Keys on a page with a form: form keys, then typing, then the
    /// global commands a form lets through (F1, Ctrl-C...).
    fn page_key(&mut self, section: Section, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        if section == Section::TwoFactor
            && let Some(enrolment) = &mut self.two_factor.enrolment
        {
            return match enrolment.handle_key(key, keymap) {
                Some(Action::Command(Command::Back)) => {
                    self.two_factor.enrolment = None;
                    None
                }
                Some(Action::Command(Command::Submit)) => self.submit_enrolment(),
                other => other,
            };
        }
        let Some(form) = self.form_mut(section) else {
            return self.page_without_form_key(key, keymap);
        };
        // On the password page, the checkbox after the fields toggles.
        let command = form.key_command(key, keymap, &[Command::Toggle]);
        if section == Section::Password {
            self.reassess();
        }
        match command? {
            Command::NextField => self.form_mut(section)?.next(),
            Command::PrevField => self.form_mut(section)?.prev(),
            Command::Toggle => self.password.sign_out_others = !self.password.sign_out_others,
            Command::Submit if self.busy => {}
            Command::Submit => return self.submit(section),
            Command::Back => self.back(section),
            other => return Some(Action::Command(other)),
        }
        None
    }

    /// Keys on a page whose form waits for what the server says (the
    /// two-factor status while it loads or after it failed): a way back,
    /// a reload, and the global commands.
    fn page_without_form_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        match keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))? {
            Command::Back => {
                self.open = None;
                None
            }
            Command::Refresh => Some(Action::Request(Request::Security(
                SecurityRequest::LoadMfaStatus,
            ))),
            other => Some(Action::Command(other)),
        }
    }

    /// The strength meter follows what is typed.
    fn reassess(&mut self) {
        let email = self.email_of_account().to_string();
        self.password.assess(&email);
    }

    /// Esc on a page: a step back, or to the menu. What was typed stays.
    fn back(&mut self, section: Section) {
        if section == Section::Email && self.email.step_back() {
            return;
        }
        self.open = None;
    }

    /// False while a page's form waits for the two-factor status, and on
    /// the recovery codes page while two-factor sign-in is off (the page
    /// only says to turn it on first).
    fn has_form(&self, section: Section) -> bool {
        match section {
            Section::TwoFactor => self.mfa_enabled().is_some(),
            Section::RecoveryCodes => self.mfa_enabled() == Some(true),
            Section::Log => false,
            Section::Password | Section::Email => true,
        }
    }

    /// The form that has the keys on `section`'s page.
    fn form_mut(&mut self, section: Section) -> Option<&mut Form> {
        if !self.has_form(section) {
            return None;
        }
        Some(match section {
            Section::Password => &mut self.password.form,
            Section::Email => self.email.form_mut(),
            Section::TwoFactor if self.mfa_enabled() == Some(true) => &mut self.two_factor.disable,
            Section::TwoFactor => &mut self.two_factor.enable,
            Section::RecoveryCodes => &mut self.recovery.form,
            Section::Log => return None,
        })
    }

    fn submit(&mut self, section: Section) -> Option<Action> {
        let email = self.email_of_account().to_string();
        match section {
            Section::Password => self.password.submit(&email),
            Section::Email => self.email.submit(&email),
            Section::TwoFactor => match self.mfa_enabled()? {
                true => self.two_factor.submit_disable(),
                false => self.two_factor.submit_enable(),
            },
            Section::RecoveryCodes => self
                .recovery
                .submit(self.mfa.value().map(|m| m.recovery_codes_remaining)),
            Section::Log => None,
        }
    }

    fn submit_enrolment(&mut self) -> Option<Action> {
        if self.busy {
            return None;
        }
        self.two_factor.enrolment.as_mut()?.submit()
    }

    /// A change went through: say so, and reload what it touched (the log
    /// has a new event; the overview shows email and two-factor).
    fn changed(&mut self, done: &ChangeDone) -> Vec<Action> {
        let said = match done {
            ChangeDone::PasswordChanged(_) => Some("Password changed."),
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

    fn security_done(&mut self, done: &ChangeDone) {
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

    /// Key hints for the footer, most useful first.
    fn key_hints(&self, keymap: &Keymap) -> Hints {
        let mut out = Vec::new();
        let mut add = |scope: Scope, command: Command, label: &'static str| {
            if let Some(key) = keymap.hint(scope, command) {
                out.push((key, label));
            }
        };
        if let Some(codes) = &self.shown_codes {
            if codes.saving.is_some() {
                add(Scope::Form, Command::Submit, "save");
                add(Scope::Form, Command::Back, "cancel");
                return out;
            }
            add(Scope::List, Command::Open, "I saved them");
            add(Scope::List, Command::Copy, "copy");
            add(Scope::List, Command::SaveFile, "save to file");
            return out;
        }
        if self.enrolment().is_some() {
            add(Scope::Form, Command::Submit, "verify code");
            add(Scope::List, Command::Invert, "invert QR");
            add(Scope::List, Command::Copy, "copy key");
            add(Scope::Form, Command::Back, "cancel");
            return out;
        }
        match self.open {
            None => {
                add(Scope::List, Command::Open, "open");
                add(Scope::List, Command::Down, "move");
            }
            Some(Section::Log) => return self.log.hints(keymap),
            Some(section) if !self.has_form(section) => {
                add(Scope::Global, Command::Back, "back");
            }
            Some(section) => {
                let submit = match section {
                    Section::Password => "change password",
                    Section::Email if self.email.step == EmailStep::Address => "send code",
                    Section::Email => "verify",
                    Section::TwoFactor if self.mfa_enabled() == Some(true) => "turn off",
                    Section::TwoFactor => "set up",
                    _ => "make new codes",
                };
                add(Scope::Form, Command::Submit, submit);
                add(Scope::Form, Command::NextField, "next field");
                if section == Section::Password && self.password.on_checkbox() {
                    add(Scope::List, Command::Toggle, "toggle");
                }
                add(Scope::Form, Command::Back, "back");
            }
        }
        out
    }
}

impl Screen for SecurityScreen {
    fn on_enter(&mut self) -> Vec<Action> {
        let mut actions = Vec::new();
        if self.account.wants_load() {
            actions.push(Action::Request(Request::Account(AccountRequest::Load)));
        }
        if self.mfa.wants_load() {
            actions.push(Action::Request(Request::Security(
                SecurityRequest::LoadMfaStatus,
            )));
        }
        if self.open == Some(Section::Log) {
            actions.extend(self.log.on_enter());
        }
        actions
    }

    /// True when keys type into a field (a form, the code prompt, the
    /// log's filter): the footer then offers F1 for help, not the list keys.
    fn takes_typing(&self) -> bool {
        self.wants_full_body()
            || match self.open {
                Some(Section::Log) => self.log.is_picking(),
                Some(section) => self.has_form(section),
                None => false,
            }
    }

    /// The QR code and the recovery codes need the whole body, sidebar
    /// included, to fit 80x24.
    fn wants_full_body(&self) -> bool {
        self.shown_codes.is_some() || self.enrolment().is_some()
    }

    fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        if let Some(codes) = &mut self.shown_codes {
            return match codes.handle_key(key, keymap) {
                Some(Action::Command(Command::Open)) => {
                    self.shown_codes = None;
                    None
                }
                other => other,
            };
        }
        match self.open {
            None => self.menu_key(key, keymap),
            Some(Section::Log) => match self.log.handle_key(key, keymap) {
                Some(Action::Command(Command::Back)) => {
                    self.open = None;
                    None
                }
                other => other,
            },
            Some(section) => self.page_key(section, key, keymap),
        }
    }

    fn paste(&mut self, text: &str) {
        if let Some(codes) = &mut self.shown_codes {
            return codes.paste(text);
        }
        if let Some(enrolment) = &mut self.two_factor.enrolment
            && self.open == Some(Section::TwoFactor)
        {
            return enrolment.code.paste(text);
        }
        if self.open == Some(Section::Log) {
            return self.log.paste(text);
        }
        if let Some(section) = self.open
            && let Some(form) = self.form_mut(section)
        {
            form.paste(text);
            if section == Section::Password {
                self.reassess();
            }
        }
    }

    fn update(&mut self, action: &Action) -> Vec<Action> {
        self.log.update(action);
        let mut out = Vec::new();
        match action {
            Action::SignedIn { same_account: true } => self.reload_on_enter(),
            Action::SignedIn {
                same_account: false,
            } => self.reset(),
            Action::Request(Request::Account(AccountRequest::Load)) => self.account.start(),
            Action::Request(Request::Security(SecurityRequest::LoadMfaStatus)) => self.mfa.start(),
            Action::Cancelled(Request::Account(AccountRequest::Load)) => self.account.cancel(),
            Action::Cancelled(Request::Security(SecurityRequest::LoadMfaStatus)) => {
                self.mfa.cancel()
            }
            Action::Request(Request::Security(SecurityRequest::Change(change))) => {
                self.busy = true;
                if let (SecurityChange::ChangePassword { new, .. }, Some(_)) =
                    (change, &self.demo_password)
                {
                    self.demo_new_password = Some(new.clone());
                }
            }
            Action::Response(Response::Account(Answer { done: result, .. })) => {
                self.account
                    .finish(result.as_ref().cloned().map_err(Failure::from));
                if self.open == Some(Section::Email) {
                    self.email.sync(self.account.value());
                }
            }
            Action::Response(Response::Security(Answer {
                done: SecurityDone::MfaStatus(result),
                ..
            })) => {
                self.mfa
                    .finish(result.as_ref().cloned().map_err(Failure::from));
            }
            Action::Response(Response::Security(Answer {
                done: SecurityDone::Change(done),
                ..
            })) => {
                self.busy = false;
                self.security_done(done);
                if done.error().is_none() {
                    out.extend(self.changed(done));
                }
            }
            Action::Response(Response::Files(Answer {
                request: FilesRequest::Save { path, .. },
                done: result,
            })) => {
                if let Some(codes) = &mut self.shown_codes {
                    codes.saved(path, result);
                }
                if result.is_ok() {
                    let text = format!("Saved to {}; only you can read it.", path.display());
                    out.push(Action::Toast(Toast::success(text)));
                }
            }
            _ => {}
        }
        out
    }

    fn render(&self, frame: &mut ratatui::Frame<'_>, area: ratatui::layout::Rect, ui: &Ui<'_>) {
        self.draw(frame, area, ui);
    }

    fn shows(&self, request: &Request) -> bool {
        matches!(
            request,
            Request::Account(_)
                | Request::Security(
                    SecurityRequest::LoadMfaStatus | SecurityRequest::LoadEvents { .. }
                )
        )
    }

    fn hints(&self, keymap: &Keymap) -> Hints {
        self.key_hints(keymap)
    }

    fn quit_warning(&self, _on_show: bool) -> Option<&'static str> {
        self.shown_codes
            .as_ref()
            .map(|_| "Save your recovery codes first; Ctrl-C again quits without them.")
    }
}

#[cfg(test)]
mod tests;
