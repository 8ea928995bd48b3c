//! What the frame follows of the account's preferences: the theme it
//! prefers (or is trying out in the profile's picker), its time zone and
//! its language. Learnt from the Actions that pass, as every screen learns.

use acctl_api::Preferences;
use acctl_client::ApiError;

use crate::action::{Action, Answer, ProfileDone, ProfileRequest, Request, Response};
use crate::widgets::loadable::{Failure, Loadable};

#[derive(Debug, Default)]
pub(super) struct Look {
    prefs: Loadable<Preferences>,
    /// The theme on trial in the profile's picker.
    preview_theme: Option<String>,
}

impl Look {
    pub fn update(&mut self, action: &Action) {
        match action {
            Action::Request(Request::Profile(ProfileRequest::LoadPreferences)) => {
                self.prefs.start()
            }
            Action::Cancelled(Request::Profile(ProfileRequest::LoadPreferences)) => {
                self.prefs.cancel()
            }
            Action::PreviewTheme(theme) => self.preview_theme = theme.clone(),
            Action::Response(Response::Profile(Answer { done, .. })) => self.answered(done),
            _ => {}
        }
    }

    fn answered(&mut self, done: &ProfileDone) {
        match done {
            // A session that ended leaves things as they were until the
            // next sign-in.
            ProfileDone::Preferences(Err(e)) | ProfileDone::PreferencesSaved(Err(e))
                if e.needs_login() => {}
            ProfileDone::Preferences(result) => self.prefs.finish(
                result
                    .as_ref()
                    .map(|v| v.value.clone())
                    .map_err(Failure::from),
            ),
            ProfileDone::PreferencesSaved(Ok(fresh)) => {
                self.prefs = Loadable::Loaded(fresh.value.clone())
            }
            // Changed elsewhere meanwhile: asked for again.
            ProfileDone::PreferencesSaved(Err(e)) if ApiError::is_conflict(e) => {
                self.prefs = Loadable::NotAsked
            }
            _ => {}
        }
    }

    /// True when the preferences are not known (or a load failed).
    pub fn wants_load(&self) -> bool {
        self.prefs.wants_load()
    }

    /// The theme the account wants now, if it says.
    pub fn theme(&self) -> Option<&str> {
        self.preview_theme
            .as_deref()
            .or_else(|| self.prefs.value().map(|p| p.theme.as_str()))
    }

    /// The account's time zone; UTC until known.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.prefs
            .value()
            .and_then(|p| p.timezone.parse().ok())
            .unwrap_or(chrono_tz::Tz::UTC)
    }

    /// The account's language (for amounts), English until it is known.
    pub fn language(&self) -> &str {
        self.prefs.value().map_or("en", |p| p.language.as_str())
    }
}
