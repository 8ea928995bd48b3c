//! Billing: the plan and its renewal, the plans to change to (priced by a
//! preview that must be confirmed), invoices with their PDFs, and the card
//! on file. Three sections, Tab between them; Esc backs out, never charges.

mod answers;
mod download;
mod hints;
mod invoices;
mod payment;
mod plans;
mod view;
mod view_invoices;

use acctl_api::billing::{Plan, Subscription};
use crossterm::event::KeyEvent;

use super::{Hints, Screen};
use crate::action::{Action, BillingRequest, Request, Response};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::Ui;
use crate::widgets::dialog::Dialog;
use crate::widgets::loadable::Loadable;
use crate::widgets::time;
use crate::widgets::toast::Toast;

pub use download::{Download, Phase, default_dir, has_desktop, progress_line};
pub use invoices::InvoiceList;
pub use payment::{Handoff, PaymentPane};
pub use plans::{Pending, PlanChooser, interval_word};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    Plan,
    Invoices,
    Payment,
}

pub const SECTIONS: [Section; 3] = [Section::Plan, Section::Invoices, Section::Payment];

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Plan => "Plan",
            Section::Invoices => "Invoices",
            Section::Payment => "Payment method",
        }
    }
}

/// What the console knows of the machine it runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desktop {
    /// Files can be opened in a viewer (a display, or macOS).
    pub can_open: bool,
    /// The folder offered for downloads, as typed ("~/Downloads").
    pub download_dir: String,
}

impl Default for Desktop {
    fn default() -> Self {
        Self {
            can_open: false,
            download_dir: "~".into(),
        }
    }
}

impl Desktop {
    pub fn from_env() -> Self {
        let var = |name| std::env::var(name).ok();
        Self {
            can_open: has_desktop(
                var("DISPLAY").as_deref(),
                var("WAYLAND_DISPLAY").as_deref(),
                cfg!(target_os = "macos"),
            ),
            download_dir: default_dir(),
        }
    }
}

#[derive(Debug, Default)]
pub struct BillingScreen {
    pub plans: Loadable<Vec<Plan>>,
    pub subscription: Loadable<Subscription>,
    pub chooser: PlanChooser,
    pub invoices: InvoiceList,
    pub payment: PaymentPane,
    pub section: Section,
    /// A cancellation or resumption is on its way.
    pub changing: bool,
    pub desktop: Desktop,
    /// The account's time zone, for the dates in dialogs.
    pub tz: chrono_tz::Tz,
}

fn billing(request: BillingRequest) -> Action {
    Action::Request(Request::Billing(request))
}

impl BillingScreen {
    pub fn new(desktop: Desktop) -> Self {
        Self {
            desktop,
            ..Self::default()
        }
    }

    /// Another account signed in: nothing of this one may show.
    pub fn reset(&mut self) {
        *self = Self {
            tz: self.tz,
            ..Self::new(self.desktop.clone())
        };
    }

    pub fn download(&self) -> Option<&Download> {
        match self.section {
            Section::Invoices => self.invoices.download.as_ref(),
            _ => None,
        }
    }

    /// Keys while a download runs or after it is done: Esc closes it (the
    /// download goes on), `o` opens the file. None lets the key through.
    fn download_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Option<Action>> {
        let command = keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))?;
        let download = self.invoices.download.as_ref()?;
        match (command, &download.phase) {
            (Command::Back, _) => {
                self.invoices.download = None;
                Some(None)
            }
            (Command::OpenFile, Phase::Done { path, .. }) if self.desktop.can_open => {
                let path = path.clone();
                Some(Some(billing(BillingRequest::OpenFile { path })))
            }
            _ => None,
        }
    }

    fn move_section(&mut self, by: usize) -> Option<Action> {
        let i = SECTIONS
            .iter()
            .position(|s| *s == self.section)
            .unwrap_or(0);
        self.section = SECTIONS[(i + by) % SECTIONS.len()];
        None
    }

    fn plan_command(&mut self, command: Command) -> Option<Action> {
        if self.chooser.pending.is_some() {
            return self.chooser.preview_command(command);
        }
        match command {
            Command::Refresh => Some(Action::Batch(vec![
                billing(BillingRequest::LoadPlans),
                billing(BillingRequest::LoadSubscription),
            ])),
            Command::CancelPlan => self.ask_to_cancel(),
            Command::ResumePlan => self.resume(),
            other => {
                let plans = self.plans.value().map_or(&[][..], Vec::as_slice);
                self.chooser
                    .command(other, plans, self.subscription.value())
            }
        }
    }

    fn ask_to_cancel(&self) -> Option<Action> {
        let s = self.subscription.value()?;
        let ends = time::date(s.current_period_end, self.tz);
        if s.plan == "free" {
            return Some(Action::Toast(Toast::success(
                "The free plan costs nothing; there is nothing to cancel.",
            )));
        }
        if s.cancel_at_period_end {
            return Some(Action::Toast(Toast::success(format!(
                "{} already ends on {ends}.",
                s.plan_name
            ))));
        }
        let body = vec![
            format!(
                "{} stays as it is until {ends}, then ends; nothing more is charged.",
                s.plan_name
            ),
            "You can resume it any time before then.".to_string(),
        ];
        Some(Action::Confirm {
            dialog: Dialog::confirm(
                format!("Cancel {}", s.plan_name),
                body,
                format!("Yes, end it on {ends}"),
            )
            .with_back("Keep my plan"),
            on_confirm: Request::Billing(BillingRequest::Cancel),
        })
    }

    fn resume(&self) -> Option<Action> {
        let s = self.subscription.value()?;
        if !s.cancel_at_period_end {
            return Some(Action::Toast(Toast::success(format!(
                "{} is not canceled; it renews as usual.",
                s.plan_name
            ))));
        }
        Some(billing(BillingRequest::Resume))
    }
}

impl Screen for BillingScreen {
    fn on_enter(&mut self) -> Vec<Action> {
        let mut out = Vec::new();
        if self.plans.wants_load() {
            out.push(billing(BillingRequest::LoadPlans));
        }
        if self.subscription.wants_load() {
            out.push(billing(BillingRequest::LoadSubscription));
        }
        out.extend(self.invoices.on_enter());
        if self.payment.card.wants_load() {
            out.push(PaymentPane::load());
        }
        out
    }

    /// True when keys type into a field (the download's path).
    fn takes_typing(&self) -> bool {
        self.download().is_some_and(Download::is_typing)
    }

    /// The hand-off's QR code needs the sidebar's columns at 80x24.
    fn wants_full_body(&self) -> bool {
        self.section == Section::Payment && self.payment.wants_full_body()
    }

    fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        if self.section == Section::Invoices
            && let Some(download) = &mut self.invoices.download
        {
            if download.is_typing() {
                return match download.handle_key(key, keymap) {
                    Some(Action::Command(Command::Back)) => {
                        self.invoices.download = None;
                        None
                    }
                    other => other,
                };
            }
            if let Some(action) = self.download_key(key, keymap) {
                return action;
            }
        }
        let command = keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))?;
        match command {
            Command::NextSection => return self.move_section(1),
            Command::PrevSection => return self.move_section(SECTIONS.len() - 1),
            _ => {}
        }
        match self.section {
            Section::Plan => self.plan_command(command),
            Section::Invoices => {
                let dir = self.desktop.download_dir.clone();
                match command {
                    Command::Refresh if self.invoices.open.is_none() => {
                        Some(InvoiceList::first_page())
                    }
                    _ => self.invoices.command(command, &dir),
                }
            }
            Section::Payment => self.payment.command(command),
        }
    }

    fn paste(&mut self, text: &str) {
        if self.section == Section::Invoices
            && let Some(download) = &mut self.invoices.download
        {
            download.paste(text);
        }
    }

    fn update(&mut self, action: &Action) -> Vec<Action> {
        match action {
            Action::Request(Request::Billing(request)) => self.requested(request),
            Action::Response(Response::Billing(answer)) => {
                self.answered(&answer.request, &answer.done);
                return self.said(&answer.request, &answer.done);
            }
            Action::TimeZone(tz) => self.tz = *tz,
            Action::SignedIn {
                same_account: false,
                ..
            } => self.reset(),
            Action::Cancelled(Request::Billing(request)) => self.cancelled(request),
            Action::Progress {
                request: Request::Billing(BillingRequest::Download { .. }),
                progress,
            } => {
                if let Some(d) = &mut self.invoices.download {
                    d.progressed(*progress);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn render(&self, frame: &mut ratatui::Frame<'_>, area: ratatui::layout::Rect, ui: &Ui<'_>) {
        self.draw(frame, area, ui);
    }

    fn hints(&self, keymap: &Keymap) -> Hints {
        self.key_hints(keymap)
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_invoices;
