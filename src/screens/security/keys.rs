//! The Security screen's keys: the menu, and each page's form or list.

use crate::action::{AccountRequest, Action, Request, SecurityRequest};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::form::Form;
use crossterm::event::KeyEvent;

use super::*;

impl SecurityScreen {
    pub(super) fn menu_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let command = keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))?;
        let last = self.sections().len().saturating_sub(1);
        match command {
            Command::Up => self.menu = self.menu.saturating_sub(1),
            Command::Down => self.menu = (self.menu + 1).min(last),
            Command::Top | Command::PageUp => self.menu = 0,
            Command::Bottom | Command::PageDown => self.menu = last,
            Command::Open => return self.open_page(self.selected()),
            Command::Refresh => {
                let mut loads = vec![Action::Request(Request::Account(AccountRequest::Load))];
                if self.sections().contains(&Section::TwoFactor) {
                    loads.push(Action::Request(Request::Security(
                        SecurityRequest::LoadMfaStatus,
                    )));
                }
                return Some(Action::Batch(loads));
            }
            other => return Some(Action::Command(other)),
        }
        None
    }

    pub(super) fn open_page(&mut self, section: Section) -> Option<Action> {
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
    pub(super) fn page_key(
        &mut self,
        section: Section,
        key: KeyEvent,
        keymap: &Keymap,
    ) -> Option<Action> {
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
    pub(super) fn page_without_form_key(
        &mut self,
        key: KeyEvent,
        keymap: &Keymap,
    ) -> Option<Action> {
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
    pub(super) fn reassess(&mut self) {
        let email = self.email_of_account().to_string();
        self.password.assess(&email);
    }

    /// Esc on a page: a step back, or to the menu. What was typed stays.
    pub(super) fn back(&mut self, section: Section) {
        if section == Section::Email && self.email.step_back() {
            return;
        }
        self.open = None;
    }

    /// False while a page's form waits for the two-factor status, and on
    /// the recovery codes page while two-factor sign-in is off (the page
    /// only says to turn it on first).
    pub(super) fn has_form(&self, section: Section) -> bool {
        match section {
            Section::TwoFactor => self.mfa_enabled().is_some(),
            Section::RecoveryCodes => self.mfa_enabled() == Some(true),
            Section::Log => false,
            Section::Password | Section::Email => true,
        }
    }

    /// The form that has the keys on `section`'s page.
    pub(super) fn form_mut(&mut self, section: Section) -> Option<&mut Form> {
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

    pub(super) fn submit(&mut self, section: Section) -> Option<Action> {
        let email = self.email_of_account().to_string();
        match section {
            Section::Password => self.password.submit(&email),
            Section::Email => self.email.submit(&email),
            Section::TwoFactor => match self.mfa_enabled()? {
                true => self.two_factor.submit_disable(),
                false => self.two_factor.submit_enable(),
            },
            Section::RecoveryCodes => {
                let left = self.codes_left();
                self.recovery.submit(left)
            }
            Section::Log => None,
        }
    }

    pub(super) fn submit_enrolment(&mut self) -> Option<Action> {
        if self.busy {
            return None;
        }
        self.two_factor.enrolment.as_mut()?.submit()
    }
}
