//! Answers from the worker: screens take their data; the app handles what
//! crosses screens (sign-in, a session that ended, reloads, toasts).

use super::action::{Action, LoginDone, Request, Response, SecurityDone};
use super::nav::ScreenId;
use super::state::App;
use crate::screens::overview::OverviewScreen;
use crate::screens::sessions::SessionsScreen;
use crate::widgets::loadable::sentence;
use crate::widgets::toast::Toast;
use acctl_client::ApiError;

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
        self.dispatcher.finish(&key);
        self.note_deletion(&response);
        let transient = response
            .error()
            .is_some_and(|e| e.is_transient() && !e.needs_login());
        self.retries
            .answered(&key, transient, std::time::Instant::now());
        if let Some(error) = response.error() {
            log_error(&response, error);
        }
        let ended = response.error().is_some_and(ApiError::needs_login)
            && !matches!(response, Response::Login(_) | Response::LoggedOut(_));
        let action = Action::Response(response);
        self.forward(&action);
        let Action::Response(response) = &action else {
            return;
        };
        if ended {
            return self.session_ended();
        }
        self.after(response);
    }

    /// Effects across screens, once the screens have taken their part.
    fn after(&mut self, response: &Response) {
        match response {
            Response::Login(Ok(LoginDone::SignedIn {
                server,
                email,
                profile_warning,
            })) => self.signed_in(server, email, profile_warning.as_deref()),
            Response::LoggedOut(result) => self.signed_out(result.as_ref().err()),
            Response::Revoked { result, .. } => {
                match result {
                    Ok(()) => self.toast(Toast::success("Session revoked.")),
                    Err(e) => self.toast(Toast::error(format!(
                        "Could not revoke the session: {}",
                        sentence(&e.to_string())
                    ))),
                }
                self.reload_after_change();
            }
            Response::RevokedOthers(result) => {
                match result {
                    Ok(done) => {
                        let noun = if done.revoked == 1 {
                            "session"
                        } else {
                            "sessions"
                        };
                        self.toast(Toast::success(format!(
                            "Signed out {} other {noun}.",
                            done.revoked
                        )));
                    }
                    Err(e) => self.toast(Toast::error(format!(
                        "Could not sign out the other sessions: {}",
                        sentence(&e.to_string())
                    ))),
                }
                self.reload_after_change();
            }
            Response::Security(done) if done.error().is_none() => self.security_changed(done),
            Response::Profile(done) => self.profile_answered(done),
            Response::Notifications(done) => self.notifications_answered(done),
            Response::Privacy(done) => self.privacy_answered(done),
            Response::Billing(done) => self.billing_answered(done),
            Response::SecurityEvents { .. } => {
                // A page asked for while another was on its way.
                if let Some(request) = self.security.log.wanted() {
                    self.dispatch(request);
                }
            }
            Response::FileSaved {
                path,
                result: Ok(()),
            } => self.toast(Toast::success(format!(
                "Saved to {}; only you can read it.",
                path.display()
            ))),
            _ => {}
        }
    }

    /// A security change went through: say so, and reload what it touched
    /// (the log has a new event; the overview shows email and two-factor).
    fn security_changed(&mut self, done: &SecurityDone) {
        let said = match done {
            SecurityDone::PasswordChanged(_) => Some("Password changed."),
            SecurityDone::EmailChangeRequested { .. } => Some("Code sent; check the new address."),
            SecurityDone::EmailVerified(_) => Some("Email changed."),
            SecurityDone::TotpEnrolled(_) => None,
            SecurityDone::TotpConfirmed(_) => Some("Two-factor sign-in is on."),
            SecurityDone::TotpDisabled(_) => Some("Two-factor sign-in is off."),
            SecurityDone::RecoveryCodesRegenerated(_) => Some("New recovery codes made."),
        };
        if let Some(text) = said {
            self.toast(Toast::success(text));
        }
        if let SecurityDone::EmailChangeRequested {
            new_email,
            demo_mail: Some(mail),
            ..
        } = done
        {
            let mut body = vec![format!(
                "The demo has no real mailbox; this went to {new_email}:"
            )];
            body.extend(mail.lines().map(str::to_string));
            self.overlay = Some(super::state::Overlay::Dialog {
                dialog: crate::widgets::dialog::Dialog::notice("Demo mailbox", body),
                on_confirm: None,
            });
        }
        self.security.log.mark_stale();
        self.overview.mark_stale();
        if let (Some(demo), Some(password)) = (&mut self.ctx.demo, &self.security.demo_password) {
            // Signing out of the demo tells the password to sign back in.
            demo.password = password.clone();
        }
        match done {
            SecurityDone::PasswordChanged(_) => self.dispatch(Request::LoadSessions),
            SecurityDone::EmailChangeRequested { .. } | SecurityDone::EmailVerified(_) => {
                self.dispatch(Request::LoadAccount)
            }
            SecurityDone::TotpConfirmed(_)
            | SecurityDone::TotpDisabled(_)
            | SecurityDone::RecoveryCodesRegenerated(_) => {
                self.dispatch(Request::LoadMfaStatus);
                self.dispatch(Request::LoadAccount);
            }
            SecurityDone::TotpEnrolled(_) => self.dispatch(Request::LoadMfaStatus),
        }
    }

    /// The profile's answers: what follows from them, and what the other
    /// screens show of the account.
    fn profile_answered(&mut self, done: &super::action::ProfileDone) {
        use super::action::ProfileDone;
        for request in self.profile.follow_up() {
            self.dispatch(request);
        }
        let said = match done {
            ProfileDone::Saved(Ok(_)) => Some("Profile saved."),
            ProfileDone::AvatarChanged(Ok(a)) if a.has_avatar => Some("Picture set."),
            ProfileDone::AvatarChanged(Ok(_)) => Some("Picture removed."),
            ProfileDone::PreferencesSaved(Ok(_)) => {
                Some("Preferences saved; every terminal you sign in from follows them.")
            }
            _ => None,
        };
        if let Some(text) = said {
            self.toast(Toast::success(text));
            // The overview shows the name; the log has a new event.
            self.overview.mark_stale();
            self.security.log.mark_stale();
        }
    }

    /// Sessions changed: the list reloads now, the overview's count on entry.
    fn reload_after_change(&mut self) {
        self.overview.mark_stale();
        self.dispatch(Request::LoadSessions);
    }

    fn signed_in(&mut self, server: &str, email: &str, warning: Option<&str>) {
        // Possibly another account now: nothing of the last one may show.
        // The same account keeps what was being typed on the Security screen.
        let previous = self
            .email
            .clone()
            .or_else(|| self.overview.account.value().map(|a| a.email.clone()))
            .or_else(|| self.security.account.value().map(|a| a.email.clone()));
        let same = self.server == server && previous.as_deref() == Some(email);
        if same {
            self.security.reload_on_enter();
            self.notifications.reload_on_enter();
            self.privacy.reload_on_enter();
        } else {
            self.security.reset();
            self.notifications = Default::default();
            self.privacy = Default::default();
            self.billing.reset();
        }
        self.unread = None;
        self.deletion_on = None;
        self.server = server.to_string();
        self.email = Some(email.to_string());
        self.overview = OverviewScreen::default();
        self.sessions = SessionsScreen::default();
        self.toast(Toast::success(format!("Signed in as {email}.")));
        if let Some(warning) = warning {
            self.toast(Toast::warning(sentence(warning)));
        }
        let target = self.return_to.take().unwrap_or(ScreenId::Overview);
        self.navigate(target);
    }

    fn signed_out(&mut self, error: Option<&ApiError>) {
        self.dispatcher.clear();
        self.retries.clear();
        self.overlay = None;
        self.return_to = None;
        self.screen = ScreenId::Login;
        let banner = match (error, &self.ctx.demo) {
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
        self.login.reopen(self.email.as_deref(), banner);
    }

    /// The server no longer accepts this session: sign in again, then come
    /// back here.
    fn session_ended(&mut self) {
        if self.screen == ScreenId::Login {
            // Already there; don't wipe what is being typed.
            return;
        }
        self.return_to = Some(self.screen);
        self.screen = ScreenId::Login;
        self.overlay = None;
        let email = self
            .overview
            .account
            .value()
            .map(|a| a.email.clone())
            .or_else(|| self.email.clone());
        self.login
            .reopen(email.as_deref(), Toast::warning(SESSION_ENDED));
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
