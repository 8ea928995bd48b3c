//! The Security screen's footer: the keys that work where the person is.

use crate::keymap::{Command, Keymap, Scope};
use crate::screens::Hints;

use super::*;

impl SecurityScreen {
    /// Key hints for the footer, most useful first.
    pub(super) fn key_hints(&self, keymap: &Keymap) -> Hints {
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
