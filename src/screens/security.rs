//! Security: password, email, two-factor sign-in, recovery codes and the
//! security log. A menu of the five sections, each opening a page; Esc goes
//! back. Every change is confirmed with the password or a code, errors land
//! on the field they concern, and nothing typed is lost when a change fails.

mod answers;
mod enrol;
mod hints;
mod keys;
pub mod log;
mod pages;
mod view;

use acctl_api::{Account, MfaStatus, SecretText};
use acctl_client::{Capabilities, Feature};
use crossterm::event::KeyEvent;

use super::{Hints, Screen};
use crate::action::{
    AccountRequest, Action, Answer, FilesRequest, Request, Response, SecurityChange, SecurityDone,
    SecurityRequest,
};
use crate::keymap::{Command, Keymap};
use crate::widgets::Ui;
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::toast::Toast;

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
    /// Offered by a service with `offers` (the password always is).
    pub fn offered(self, offers: Capabilities) -> bool {
        match self {
            Section::Password => true,
            Section::Email => offers.has(Feature::EmailChange),
            Section::TwoFactor => offers.has(Feature::Mfa),
            Section::RecoveryCodes => offers.has(Feature::RecoveryCodes),
            Section::Log => offers.has(Feature::SecurityLog),
        }
    }

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
    /// What the service offers; None for everything (acctd).
    offers: Option<Capabilities>,
}

impl SecurityScreen {
    /// A screen for an account whose password is `demo_password` (the demo
    /// made it up, so nobody knows it otherwise); None outside the demo.
    pub fn new(demo_password: Option<SecretText>, offers: Capabilities) -> Self {
        Self {
            demo_password,
            offers: Some(offers),
            email: EmailPage::new(!offers.has(Feature::EmailCode)),
            ..Self::default()
        }
    }

    /// Forget everything: another account signed in (of a service that
    /// offers `offers`).
    pub fn reset(&mut self, offers: Capabilities) {
        let demo_password = self.demo_password.take();
        *self = Self::new(demo_password, offers);
    }

    /// The sections the service offers, in menu order.
    pub fn sections(&self) -> Vec<Section> {
        let offers = self.offers.unwrap_or(Capabilities::ALL);
        SECTIONS.into_iter().filter(|s| s.offered(offers)).collect()
    }

    fn offers(&self, feature: Feature) -> bool {
        self.offers.is_none_or(|o| o.has(feature))
    }

    /// Recovery codes left, when loaded and the service tells (Better Auth
    /// does not).
    fn codes_left(&self) -> Option<u32> {
        let mfa = self.mfa.value()?;
        self.offers(Feature::RecoveryCodesLeft)
            .then_some(mfa.recovery_codes_remaining)
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
        let sections = self.sections();
        sections
            .get(self.menu.min(sections.len().saturating_sub(1)))
            .copied()
            .unwrap_or(Section::Password)
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
}

impl Screen for SecurityScreen {
    fn on_enter(&mut self) -> Vec<Action> {
        let mut actions = Vec::new();
        if self.account.wants_load() {
            actions.push(Action::Request(Request::Account(AccountRequest::Load)));
        }
        if self.mfa.wants_load() && self.offers(Feature::Mfa) {
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
            Action::SignedIn {
                same_account: true,
                offers,
            } if self.offers == Some(*offers) => self.reload_on_enter(),
            Action::SignedIn { offers, .. } => self.reset(*offers),
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
