//! The footer's key hints for the Billing screen, from the live keymap.

use super::{BillingScreen, Phase, Section};
use crate::keymap::{Command, Keymap, Scope};

impl BillingScreen {
    /// Key hints for the footer, most useful first.
    pub(super) fn key_hints(&self, keymap: &Keymap) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        let mut add = |scope: Scope, command: Command, label: &'static str| {
            if let Some(key) = keymap.hint(scope, command) {
                out.push((key, label));
            }
        };
        if let Some(download) = self.download() {
            match &download.phase {
                Phase::Asking { .. } => {
                    add(Scope::Form, Command::Submit, "save");
                    add(Scope::Form, Command::Back, "cancel");
                }
                Phase::Running { .. } => add(Scope::Global, Command::Back, "hide"),
                Phase::Done { .. } => {
                    if self.desktop.can_open {
                        add(Scope::List, Command::OpenFile, "open it");
                    }
                    add(Scope::Global, Command::Back, "close");
                }
            }
            return out;
        }
        add(Scope::List, Command::NextSection, "next section");
        match self.section {
            Section::Plan if self.chooser.pending.is_some() => {
                add(Scope::List, Command::Open, "confirm");
                add(Scope::Global, Command::Back, "back out");
            }
            Section::Plan => {
                add(Scope::List, Command::Open, "preview change");
                add(Scope::List, Command::Toggle, "monthly/yearly");
                match self.subscription.value() {
                    Some(s) if s.cancel_at_period_end => {
                        add(Scope::List, Command::ResumePlan, "resume")
                    }
                    _ => add(Scope::List, Command::CancelPlan, "cancel plan"),
                }
            }
            Section::Invoices if self.invoices.open.is_some() => {
                add(Scope::List, Command::SaveFile, "save PDF");
                add(Scope::Global, Command::Back, "back");
            }
            Section::Invoices => {
                add(Scope::List, Command::Open, "open");
                add(Scope::List, Command::SaveFile, "save PDF");
            }
            Section::Payment if self.payment.handoff.is_some() => {
                add(Scope::List, Command::Copy, "copy link");
                add(Scope::List, Command::Invert, "invert QR");
                add(Scope::Global, Command::Refresh, "done: reload");
                add(Scope::Global, Command::Back, "close");
            }
            Section::Payment => add(Scope::List, Command::Open, "update card"),
        }
        out
    }
}
