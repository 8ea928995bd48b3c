//! Requests on their way, as the app minds them: reads that failed are sent
//! again when due (if still on show), and Esc gives up waiting for reads.

use std::time::Instant;

use super::state::App;
use crate::action::{Action, NotificationsRequest, ProfileRequest, Request};

impl App {
    /// Sends the reads due again, if the screen on show still wants them.
    pub(super) fn retry_due(&mut self, now: Instant) {
        for request in self.retries.due(now) {
            if self.shows(&request) {
                self.dispatch(request);
            } else {
                // Loaded again on the way back to that screen.
                self.retries.forget(&request.key());
            }
        }
    }

    /// True when what `request` loads is on show: on the screen, or in the
    /// frame (the theme and time zone, the header's unread count).
    pub(super) fn shows(&self, request: &Request) -> bool {
        let frame = matches!(
            request,
            Request::Profile(ProfileRequest::LoadPreferences)
                | Request::Notifications(NotificationsRequest::LoadUnread)
        );
        frame || self.screens.get(self.screen).shows(request)
    }

    /// Stops waiting for loads and a sign-in (Esc): the screens stop
    /// showing them as on their way. Changes are not cancelled: once sent,
    /// the server may have made them. True when something was cancelled.
    pub(super) fn cancel_waiting(&mut self) -> bool {
        let requests: Vec<Request> = self
            .dispatcher
            .in_flight()
            .filter(|r| r.call().is_cancellable())
            .cloned()
            .collect();
        for request in &requests {
            let key = request.key();
            self.dispatcher.cancel(&key);
            self.retries.forget(&key);
            *self.cancelled.entry(key).or_default() += 1;
        }
        let any = !requests.is_empty();
        self.then(requests.into_iter().map(Action::Cancelled).collect());
        any
    }

    /// When the next failed read is tried again.
    pub fn retry_deadline(&self) -> Option<Instant> {
        self.retries.deadline()
    }
}
