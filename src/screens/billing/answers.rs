//! What the Billing screen makes of requests on their way and answers: the
//! part of the screen each concerns, and what follows (a toast, a preview or
//! the invoices again).

use crate::action::{Action, BillingDone, BillingRequest};
use crate::widgets::loadable::sentence;
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::time;
use crate::widgets::toast::Toast;
use acctl_api::billing::Subscription;

use super::*;

impl BillingScreen {
    /// Requests the screen wants sent after an answer (a preview again).
    pub(super) fn follow_up(&mut self) -> Vec<Action> {
        let mut out: Vec<Action> = self
            .chooser
            .take_preview_again()
            .map(Action::Request)
            .into_iter()
            .collect();
        if self.invoices.stale && !self.invoices.pages.items.is_loading() {
            out.push(billing(BillingRequest::LoadInvoices { cursor: None }));
        }
        out
    }

    /// What an answer leads to beyond the screen: what follows (a preview
    /// again, the invoices again) and toasts.
    pub(super) fn said(&mut self, request: &BillingRequest, done: &BillingDone) -> Vec<Action> {
        let mut out = self.follow_up();
        match (request, done) {
            (_, BillingDone::Changed(result)) => {
                out.extend(self.change_toast(request, result).map(Action::Toast));
            }
            // Not copied unasked: the clipboard may hold something of the
            // person's; the pane offers the link, its QR code and `y`.
            (BillingRequest::Download { path, .. }, BillingDone::Downloaded(Ok(_))) => out.push(
                Action::Toast(Toast::success(format!("Saved to {}.", path.display()))),
            ),
            (_, BillingDone::Opened(Err(why))) => {
                out.push(Action::Toast(Toast::error(why.to_string())))
            }
            _ => {}
        }
        out
    }

    /// How a change of the subscription went, in a toast.
    pub(super) fn change_toast(
        &self,
        request: &BillingRequest,
        result: &Result<Subscription, acctl_client::ApiError>,
    ) -> Option<Toast> {
        let s = match result {
            Ok(s) => s,
            // A moved price is shown again on the screen, not as an error.
            Err(e) if e.code() == Some(acctl_api::ErrorCode::PriceChanged) => return None,
            Err(e) => {
                let what = match request {
                    BillingRequest::Cancel => "cancel the plan",
                    BillingRequest::Resume => "resume the plan",
                    _ => "change the plan",
                };
                let text = format!("Could not {what}: {}", sentence(&e.to_string()));
                return Some(Toast::error(text));
            }
        };
        let end = time::date(s.current_period_end, self.tz);
        let text = match request {
            BillingRequest::Cancel => format!("Canceled: {} ends on {end}.", s.plan_name),
            BillingRequest::Resume => format!("Resumed: {} renews on {end}.", s.plan_name),
            _ => format!(
                "Now on {}, billed {}.",
                s.plan_name,
                interval_word(s.interval)
            ),
        };
        Some(Toast::success(text))
    }

    pub(super) fn requested(&mut self, request: &BillingRequest) {
        self.chooser.requested(request);
        self.invoices.requested(request);
        self.payment.requested(request);
        match request {
            BillingRequest::LoadPlans => self.plans.start(),
            BillingRequest::LoadSubscription => self.subscription.start(),
            BillingRequest::Cancel | BillingRequest::Resume => self.changing = true,
            BillingRequest::Download { path, .. } => {
                if let Some(d) = &mut self.invoices.download {
                    d.started(path);
                }
            }
            _ => {}
        }
    }

    pub(super) fn cancelled(&mut self, request: &BillingRequest) {
        match request {
            BillingRequest::LoadPlans => self.plans.cancel(),
            BillingRequest::LoadSubscription => self.subscription.cancel(),
            BillingRequest::LoadPaymentMethod => self.payment.card.cancel(),
            BillingRequest::LoadInvoices { .. } | BillingRequest::LoadInvoice { .. } => {
                self.invoices.cancelled()
            }
            _ => {}
        }
    }

    pub(super) fn answered(&mut self, request: &BillingRequest, done: &BillingDone) {
        match (request, done) {
            (_, BillingDone::Plans(result)) => {
                self.plans
                    .finish(result.as_ref().cloned().map_err(Failure::from));
                let plans = self.plans.value().map_or(&[][..], Vec::as_slice);
                self.chooser.loaded(plans, self.subscription.value());
            }
            (_, BillingDone::Subscription(result)) => {
                self.subscription
                    .finish(result.as_ref().cloned().map_err(Failure::from));
                let plans = self.plans.value().map_or(&[][..], Vec::as_slice);
                self.chooser.loaded(plans, self.subscription.value());
            }
            (_, BillingDone::PaymentMethod(result)) => {
                self.payment
                    .card
                    .finish(result.as_ref().cloned().map_err(Failure::from));
            }
            (BillingRequest::LoadInvoices { cursor }, BillingDone::Invoices(result)) => {
                self.invoices.page(cursor.as_deref(), result)
            }
            (_, BillingDone::Invoice(result)) => self.invoices.detail(result),
            (BillingRequest::Preview(change), BillingDone::Preview(result)) => {
                self.chooser.previewed(change, result)
            }
            (_, BillingDone::Changed(result)) => self.changed(request, result),
            (BillingRequest::Download { path, .. }, BillingDone::Downloaded(result)) => {
                if let Some(d) = &mut self.invoices.download {
                    d.finished(path, result);
                }
            }
            (_, BillingDone::Handoff(result)) => self.payment.handed_off(result),
            _ => {}
        }
    }

    pub(super) fn changed(
        &mut self,
        request: &BillingRequest,
        result: &Result<Subscription, acctl_client::ApiError>,
    ) {
        match request {
            BillingRequest::Cancel | BillingRequest::Resume => self.changing = false,
            _ => self.chooser.changed(result),
        }
        if let Ok(subscription) = result {
            self.subscription = Loadable::Loaded(subscription.clone());
            // A change issues an invoice; a cancellation may void one.
            self.invoices.stale = true;
        }
    }
}
