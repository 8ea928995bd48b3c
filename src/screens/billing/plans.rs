//! Choosing a plan: the plans side by side, monthly or yearly, and the
//! preview of a change, which must be confirmed before anything is charged.
//! A price that moved since the preview is shown again, never charged.

use acctl_api::ErrorCode;
use acctl_api::billing::{
    BillingInterval, Plan, Subscription, SubscriptionChange, SubscriptionPreview,
};

use crate::action::{Action, BillingRequest, Request};
use crate::keymap::Command;
use crate::widgets::loadable::{Failure, Loadable, sentence};
use crate::widgets::toast::{Toast, ToastKind};
use acctl_client::ApiError;

/// A change being priced or confirmed.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The plan and interval chosen (no expected amount).
    pub change: SubscriptionChange,
    pub preview: Loadable<SubscriptionPreview>,
    /// The price moved since the last preview: this one is the new price.
    pub price_changed: bool,
    /// Confirmed and on its way.
    pub sending: bool,
    /// Why the last confirmed change did not go through.
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct PlanChooser {
    pub selected: usize,
    /// The interval the prices are shown for and a change is made to.
    pub interval: Option<BillingInterval>,
    pub pending: Option<Pending>,
    /// A preview to ask for again: the price moved since the last one.
    /// (A plan chosen while another's preview is on its way waits its turn
    /// in the dispatcher, which sends the newest once that one answers.)
    pub preview_again: Option<SubscriptionChange>,
    /// The selection was put on the current plan (once both were known).
    placed: bool,
}

impl PlanChooser {
    /// The interval in force: chosen, or the subscription's.
    pub fn interval(&self, subscription: Option<&Subscription>) -> BillingInterval {
        self.interval
            .or(subscription.map(|s| s.interval))
            .unwrap_or(BillingInterval::Month)
    }

    /// Selects the current plan once plans and subscription are known.
    pub fn loaded(&mut self, plans: &[Plan], subscription: Option<&Subscription>) {
        if !self.placed
            && let Some(i) = subscription.and_then(|s| plans.iter().position(|p| p.id == s.plan))
        {
            self.selected = i;
            self.placed = true;
        }
        self.selected = self.selected.min(plans.len().saturating_sub(1));
    }

    /// Keys while no preview is on show.
    pub fn command(
        &mut self,
        command: Command,
        plans: &[Plan],
        subscription: Option<&Subscription>,
    ) -> Option<Action> {
        let last = plans.len().saturating_sub(1);
        match command {
            // The plans stand side by side (or stacked when narrow), so
            // either pair of arrows moves between them.
            Command::Up | Command::Left | Command::Top | Command::PageUp => {
                self.selected = match command {
                    Command::Up | Command::Left => self.selected.saturating_sub(1),
                    _ => 0,
                }
            }
            Command::Down | Command::Right => self.selected = (self.selected + 1).min(last),
            Command::Bottom | Command::PageDown => self.selected = last,
            Command::Toggle => {
                self.interval = Some(match self.interval(subscription) {
                    BillingInterval::Month => BillingInterval::Year,
                    BillingInterval::Year => BillingInterval::Month,
                });
            }
            Command::Open => return self.choose(plans, subscription),
            other => return Some(Action::Command(other)),
        }
        None
    }

    /// Asks for the price of the selected plan at the interval shown.
    fn choose(&mut self, plans: &[Plan], subscription: Option<&Subscription>) -> Option<Action> {
        let plan = plans.get(self.selected)?;
        let interval = self.interval(subscription);
        if let Some(s) = subscription
            && s.plan == plan.id
            && s.interval == interval
            && !s.cancel_at_period_end
        {
            let text = format!(
                "You are on {} ({}) already.",
                plan.name,
                interval_word(interval)
            );
            return Some(Action::Toast(Toast::new(ToastKind::Info, text)));
        }
        let change = SubscriptionChange {
            plan: plan.id.clone(),
            interval,
            expected_amount_due_minor: None,
        };
        self.pending = Some(Pending {
            change: change.clone(),
            preview: Loadable::NotAsked,
            price_changed: false,
            sending: false,
            error: None,
        });
        Some(preview_request(change))
    }

    /// Keys while a preview is on show: confirm, or back out.
    pub fn preview_command(&mut self, command: Command) -> Option<Action> {
        let pending = self.pending.as_mut()?;
        match command {
            Command::Open | Command::Submit if !pending.sending => {
                let preview = pending.preview.value()?;
                let change = SubscriptionChange {
                    expected_amount_due_minor: Some(preview.amount_due_now.amount_minor),
                    ..pending.change.clone()
                };
                Some(Action::Request(Request::Billing(BillingRequest::Change(
                    change,
                ))))
            }
            // Backing out sends nothing; once sent, the change is the
            // server's, so Esc only waits.
            Command::Back if !pending.sending => {
                self.pending = None;
                None
            }
            Command::Open | Command::Submit | Command::Back => None,
            other => Some(Action::Command(other)),
        }
    }

    pub fn requested(&mut self, request: &BillingRequest) {
        let Some(pending) = &mut self.pending else {
            return;
        };
        match request {
            BillingRequest::Preview(change) if *change == pending.change => {
                pending.preview.start();
            }
            BillingRequest::Change(_) => {
                pending.sending = true;
                pending.error = None;
            }
            _ => {}
        }
    }

    pub fn previewed(
        &mut self,
        change: &SubscriptionChange,
        result: &Result<SubscriptionPreview, ApiError>,
    ) {
        let Some(pending) = &mut self.pending else {
            return;
        };
        if pending.change != *change {
            // For a plan chosen before; the one chosen since follows.
            return;
        }
        pending
            .preview
            .finish(result.as_ref().cloned().map_err(Failure::from));
    }

    /// The answer to a confirmed change.
    pub fn changed(&mut self, result: &Result<Subscription, ApiError>) {
        let Some(pending) = &mut self.pending else {
            return;
        };
        pending.sending = false;
        match result {
            Ok(_) => {
                self.pending = None;
                self.interval = None;
            }
            Err(e) if e.code() == Some(ErrorCode::PriceChanged) => {
                // Nothing was charged: price it again and show that.
                pending.price_changed = true;
                pending.preview = Loadable::NotAsked;
                self.preview_again = Some(pending.change.clone());
            }
            Err(e) => pending.error = Some(sentence(&e.to_string())),
        }
    }

    /// The preview to ask for now, if one is due.
    pub fn take_preview_again(&mut self) -> Option<Request> {
        let change = self.preview_again.take()?;
        Some(Request::Billing(BillingRequest::Preview(change)))
    }
}

fn preview_request(change: SubscriptionChange) -> Action {
    Action::Request(Request::Billing(BillingRequest::Preview(change)))
}

/// "monthly" or "yearly".
pub fn interval_word(interval: BillingInterval) -> &'static str {
    match interval {
        BillingInterval::Month => "monthly",
        BillingInterval::Year => "yearly",
    }
}

/// "month" or "year", after "per".
pub fn period_word(interval: BillingInterval) -> &'static str {
    interval.as_str()
}
