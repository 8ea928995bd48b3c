//! Answers from the worker. The screens take their part (and say what
//! follows); the app keeps the frame in step: what is in flight and to be
//! retried, the header's unread count, the deletion banner, and signing in
//! and out.

use std::time::Instant;

use acctl_client::ApiError;

use super::state::App;
use crate::action::{
    Action, Answer, AuthDone, LoginDone, NotificationsDone, PrivacyDone, ProfileDone, Response,
};
use crate::widgets::loadable::sentence;
use crate::widgets::toast::Toast;

/// Shown on the sign-in form when the server ended the session.
pub const SESSION_ENDED: &str = "Your session ended; sign in again.";

impl App {
    pub(super) fn on_response(&mut self, response: Response) {
        let key = response.key();
        if let Some(count) = self.cancelled.get_mut(&key) {
            // The answer to a request the person gave up on: already
            // finished here, and whatever it says is not wanted now.
            *count -= 1;
            if *count == 0 {
                self.cancelled.remove(&key);
            }
            self.dirty = false;
            return;
        }
        let waited = self.dispatcher.finish(&key);
        self.frame_answered(&response);
        let transient = response
            .error()
            .is_some_and(|e| e.is_transient() && !e.needs_login());
        self.retries.answered(&key, transient, Instant::now());
        if let Some(error) = response.error() {
            log_error(&response, error);
        }
        if let Some(ApiError::Unsupported { feature, .. }) = response.error() {
            // Found missing on use (Better Auth lists nothing it offers):
            // the sidebar and the help leave it out from now on.
            self.ctx.offers = self.ctx.offers.without(*feature);
        }
        let ended = response.error().is_some_and(ApiError::needs_login)
            && !matches!(response, Response::Auth(_));
        // A service without a grace period (Better Auth) deleted it now.
        let deleted = matches!(
            &response,
            Response::Privacy(Answer { done: PrivacyDone::DeletionScheduled(Ok(s)), .. })
                if s.grace_days == 0
        );
        let action = Action::Response(response);
        self.look.update(&action);
        let mut follow = self.screens.update_all(&action);
        if ended {
            // Back to sign-in; what the screens would do next waits for it.
            return self.session_ended();
        }
        if deleted {
            return self.back_to_login(Toast::success(
                "Your account was deleted, and this device signed out.",
            ));
        }
        // A request that waited for this one goes first.
        follow.splice(0..0, waited.map(Action::Request));
        self.then(follow);
        let Action::Response(Response::Auth(Answer { done, .. })) = action else {
            return;
        };
        match done {
            AuthDone::Login(Ok(LoginDone::SignedIn {
                server,
                email,
                profile_warning,
                offers,
                service,
            })) => {
                self.ctx.offers = offers;
                self.service = service;
                self.signed_in(server, email, profile_warning)
            }
            AuthDone::Logout(result) => self.signed_out(result.err()),
            _ => {}
        }
    }

    /// What the frame shows of an answer: the account's email (to prefill
    /// the sign-in form), the unread count, the deletion banner.
    fn frame_answered(&mut self, response: &Response) {
        match response {
            Response::Account(Answer {
                done: Ok(account), ..
            }) => {
                self.account_email = Some(account.email.clone());
                self.admin = account.admin;
            }
            Response::Notifications(Answer {
                done:
                    NotificationsDone::Unread(Ok(count)) | NotificationsDone::MarkedAllRead(Ok(count)),
                ..
            }) => self.unread = Some(count.unread),
            _ => {}
        }
        self.note_deletion(response);
    }

    /// Keeps the banner in step with whatever says when the account is to
    /// be deleted: the account itself, or the deletion's status.
    fn note_deletion(&mut self, response: &Response) {
        self.deletion_on = match response {
            Response::Account(Answer {
                done: Ok(account), ..
            }) => account.deletion_scheduled_for,
            Response::Profile(Answer {
                done: ProfileDone::Loaded(Ok(v)) | ProfileDone::Saved(Ok(v)),
                ..
            }) => v.value.deletion_scheduled_for,
            Response::Privacy(Answer {
                done: PrivacyDone::Deletion(Ok(s)) | PrivacyDone::DeletionScheduled(Ok(s)),
                ..
            }) => s.scheduled_for,
            Response::Privacy(Answer {
                done: PrivacyDone::DeletionCancelled(Ok(())),
                ..
            }) => None,
            _ => return,
        };
    }

    /// The account's address: as last loaded, else as signed in with.
    fn known_email(&self) -> Option<String> {
        self.account_email.clone().or_else(|| self.email.clone())
    }

    fn signed_in(&mut self, server: String, email: String, warning: Option<String>) {
        // Possibly another account now: nothing of the last one may show.
        // The same account keeps what was being typed on the Security screen.
        let previous = self.known_email();
        let same_account = self.server == server && previous.as_deref() == Some(email.as_str());
        self.unread = None;
        self.deletion_on = None;
        self.account_email = None;
        self.admin = false;
        self.server = server;
        let mut next = vec![
            Action::SignedIn {
                same_account,
                offers: self.ctx.offers,
            },
            Action::Toast(Toast::success(format!("Signed in as {email}."))),
        ];
        self.email = Some(email);
        if let Some(warning) = warning {
            next.push(Action::Toast(Toast::warning(sentence(&warning))));
        }
        let target = self
            .return_to
            .take()
            .unwrap_or(crate::action::ScreenId::Overview);
        next.push(Action::Navigate(target));
        self.then(next);
    }

    fn signed_out(&mut self, error: Option<ApiError>) {
        let notice = match (error, &self.ctx.demo) {
            (None, Some(demo)) => Toast::success(format!(
                "Signed out. The demo password is {}",
                demo.password.expose()
            )),
            (None, None) => Toast::success("Signed out."),
            (Some(e), _) => Toast::warning(format!(
                "Signed out on this device; the server could not be told: {}",
                sentence(&e.to_string())
            )),
        };
        self.back_to_login(notice);
    }

    /// To the sign-in form, nothing left of the session, saying `notice`.
    fn back_to_login(&mut self, notice: Toast) {
        self.dispatcher.clear();
        self.retries.clear();
        self.overlay = None;
        self.return_to = None;
        self.screen = crate::action::ScreenId::Login;
        let email = self.known_email();
        self.then(vec![Action::ReopenLogin { email, notice }]);
    }

    /// The server no longer accepts this session: sign in again, then come
    /// back here.
    fn session_ended(&mut self) {
        if self.screen == crate::action::ScreenId::Login {
            // Already there; don't wipe what is being typed.
            return;
        }
        self.return_to = Some(self.screen);
        self.screen = crate::action::ScreenId::Login;
        self.overlay = None;
        let email = self.known_email();
        let notice = Toast::warning(SESSION_ENDED);
        self.then(vec![Action::ReopenLogin { email, notice }]);
    }
}

fn log_error(response: &Response, error: &ApiError) {
    tracing::warn!(
        request = ?response.key(),
        request_id = error.request_id().unwrap_or("-"),
        %error,
        "request failed"
    );
}
