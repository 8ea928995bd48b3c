//! What the Billing screen's answers mean beyond the screen: what follows
//! (a preview again, the invoices again), toasts, and the copied link.

use super::action::{BillingDone, ChangeKind};
use super::state::App;
use crate::screens::billing::interval_word;
use crate::widgets::loadable::sentence;
use crate::widgets::time;
use crate::widgets::toast::Toast;
use acctl_client::ApiError;

impl App {
    pub(super) fn billing_answered(&mut self, done: &BillingDone) {
        for request in self.billing.follow_up() {
            self.dispatch(request);
        }
        match done {
            BillingDone::Changed { request, result } => self.billing_changed(request, result),
            BillingDone::Handoff(Ok(handoff)) => {
                // Copied at once: the likeliest next step is a browser.
                let copy = crate::screens::billing::Handoff::new(handoff).copy();
                self.update(copy);
            }
            BillingDone::Downloaded {
                path,
                result: Ok(_),
            } => {
                self.toast(Toast::success(format!("Saved to {}.", path.display())));
            }
            BillingDone::Opened(Err(why)) => self.toast(Toast::error(why.to_string())),
            _ => {}
        }
    }

    fn billing_changed(
        &mut self,
        request: &ChangeKind,
        result: &Result<acctl_api::billing::Subscription, ApiError>,
    ) {
        let s = match result {
            Ok(s) => s,
            // A moved price is shown again on the screen, not as an error.
            Err(e) if e.code() == Some(acctl_api::ErrorCode::PriceChanged) => return,
            Err(e) => {
                let what = match request {
                    ChangeKind::Change(_) => "change the plan",
                    ChangeKind::Cancel => "cancel the plan",
                    ChangeKind::Resume => "resume the plan",
                };
                let text = format!("Could not {what}: {}", sentence(&e.to_string()));
                return self.toast(Toast::error(text));
            }
        };
        let end = time::date(s.current_period_end, self.tz);
        let text = match request {
            ChangeKind::Change(_) => format!(
                "Now on {}, billed {}.",
                s.plan_name,
                interval_word(s.interval)
            ),
            ChangeKind::Cancel => format!("Canceled: {} ends on {end}.", s.plan_name),
            ChangeKind::Resume => format!("Resumed: {} renews on {end}.", s.plan_name),
        };
        self.toast(Toast::success(text));
    }
}
