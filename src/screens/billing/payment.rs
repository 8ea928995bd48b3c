//! The card on file, and changing it: the server gives a link to finish in
//! a browser (shown as text and as a QR code for a phone, and copied), so
//! the card never passes through the terminal. `r` then shows the new one.

use acctl_api::SecretText;
use acctl_api::billing::{PaymentMethod, PaymentMethodHandoff, PaymentMethodState};

use crate::app::action::{Action, BillingRequest, Request};
use crate::keymap::Command;
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::qr::Qr;
use acctl_client::ApiError;

#[derive(Debug, Default)]
pub struct PaymentPane {
    pub card: Loadable<PaymentMethodState>,
    /// The hand-off asked for, while on show.
    pub handoff: Option<Loadable<Handoff>>,
}

/// A link to change the card at, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Handoff {
    pub link: PaymentMethodHandoff,
    /// None when the link cannot be drawn (then the text is the way).
    pub qr: Option<Qr>,
    /// Dark modules drawn in the foreground colour (light terminals).
    pub invert: bool,
}

impl Handoff {
    pub fn new(link: &PaymentMethodHandoff) -> Self {
        let qr = Qr::new(&link.url)
            .inspect_err(|e| tracing::warn!(error = %e, "no QR code for the hand-off"))
            .ok();
        Self {
            link: link.clone(),
            qr,
            invert: false,
        }
    }

    /// The link for the clipboard.
    pub fn copy(&self) -> Action {
        Action::Copy {
            text: SecretText::new(self.link.url.clone()),
            what: "the link",
        }
    }
}

impl PaymentPane {
    pub fn load() -> Action {
        Action::Request(Request::Billing(BillingRequest::LoadPaymentMethod))
    }

    pub fn command(&mut self, command: Command) -> Option<Action> {
        if let Some(handoff) = &mut self.handoff {
            let shown = handoff.value_mut();
            match (command, shown) {
                (Command::Back, _) => self.handoff = None,
                (Command::Copy, Some(h)) => return Some(h.copy()),
                (Command::Invert, Some(h)) => h.invert = !h.invert,
                (Command::Open, None) => return Some(handoff_request()),
                (Command::Refresh, _) => {
                    // Back from the browser: show the card as it is now.
                    self.handoff = None;
                    return Some(Self::load());
                }
                (other, _) => return Some(Action::Command(other)),
            }
            return None;
        }
        match command {
            Command::Open => {
                self.handoff = Some(Loadable::NotAsked);
                Some(handoff_request())
            }
            Command::Refresh => Some(Self::load()),
            other => Some(Action::Command(other)),
        }
    }

    pub fn requested(&mut self, request: &BillingRequest) {
        match request {
            BillingRequest::LoadPaymentMethod => self.card.start(),
            BillingRequest::PaymentHandoff => {
                if let Some(h) = &mut self.handoff {
                    h.start();
                }
            }
            _ => {}
        }
    }

    pub fn handed_off(&mut self, result: &Result<PaymentMethodHandoff, ApiError>) {
        if let Some(h) = &mut self.handoff {
            h.finish(result.as_ref().map(Handoff::new).map_err(Failure::from));
        }
    }

    pub fn wants_full_body(&self) -> bool {
        self.handoff
            .as_ref()
            .is_some_and(|h| h.value().is_some_and(|h| h.qr.is_some()))
    }
}

/// "Visa ending 4242, expires 04/2027".
pub fn describe(card: &PaymentMethod) -> String {
    let mut brand = card.brand.clone();
    if let Some(first) = brand.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    format!(
        "{brand} ending {}, expires {:02}/{}",
        card.last4, card.exp_month, card.exp_year
    )
}

fn handoff_request() -> Action {
    Action::Request(Request::Billing(BillingRequest::PaymentHandoff))
}
