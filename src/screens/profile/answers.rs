//! What the Profile screen makes of requests on their way and of answers:
//! the form, the picture and the preferences as the server has them now, and
//! what follows (a toast, a reload).

use super::*;

impl ProfileScreen {
    pub(super) fn set_version(&mut self, account: Account, etag: String) {
        self.profile = Loadable::Loaded(Versioned {
            value: account,
            etag,
        });
    }

    pub(super) fn started(&mut self, request: &ProfileRequest) {
        match request {
            ProfileRequest::Load => self.profile.start(),
            ProfileRequest::LoadPreferences => self.preferences.start(),
            ProfileRequest::LoadAvatar => self.avatar.start(),
            ProfileRequest::Save { .. }
            | ProfileRequest::SetAvatar { .. }
            | ProfileRequest::RemoveAvatar => self.saving = true,
            ProfileRequest::SavePreferences { .. } => {}
        }
    }

    pub(super) fn done(&mut self, done: &ProfileDone) {
        // A session that ended is the app's to handle; the form keeps
        // what was typed for when it comes back.
        if done.error().is_some_and(ApiError::needs_login) {
            self.saving = false;
            return;
        }
        match done {
            ProfileDone::Loaded(result) => self.loaded(result),
            ProfileDone::Saved(result) => self.saved(result),
            ProfileDone::Avatar(result) => self.avatar.finish(match result {
                Ok(picture) => Ok(picture.clone()),
                Err(AvatarLoadError::Api(e)) => Err(Failure::from(e)),
                Err(unreadable) => Err(Failure::from(unreadable.to_string().as_str())),
            }),
            ProfileDone::AvatarChanged(result) => self.avatar_changed(result),
            ProfileDone::Preferences(result) => self.preferences_loaded(result),
            ProfileDone::PreferencesSaved(result) => self.preferences_saved(result),
        }
    }

    pub(super) fn loaded(&mut self, result: &Result<Versioned<Account>, ApiError>) {
        let Ok(fresh) = result else {
            let failure = result.as_ref().err().map(Failure::from);
            if let Some(failure) = failure {
                self.profile.finish::<Failure>(Err(failure));
            }
            return;
        };
        let stale_save = std::mem::take(&mut self.stale_save);
        let theirs = &fresh.value;
        let they_changed: Vec<&'static str> = match &self.base {
            Some(base) => PROFILE_FIELDS
                .into_iter()
                .filter(|f| account_field(base, f) != account_field(theirs, f))
                .collect(),
            None => Vec::new(),
        };
        if self.changed_fields().is_empty() {
            self.fill(theirs);
            self.profile.finish::<Failure>(Ok(fresh.clone()));
        } else if they_changed.is_empty() {
            // Only the version moved (or nothing): the edits stand.
            self.base = Some(theirs.clone());
            self.profile.finish::<Failure>(Ok(fresh.clone()));
            if stale_save {
                self.note = Some("Nothing you edited was changed elsewhere; save again.".into());
            }
        } else {
            self.profile.cancel();
            self.conflict = Some(Conflict {
                theirs: theirs.clone(),
                etag: fresh.etag.clone(),
                fields: they_changed,
            });
        }
    }

    pub(super) fn saved(&mut self, result: &Result<Versioned<Account>, ApiError>) {
        self.saving = false;
        match result {
            Ok(fresh) => {
                self.fill(&fresh.value);
                // The app says so in a toast; saying it here too would be twice.
                self.set_version(fresh.value.clone(), fresh.etag.clone());
            }
            Err(e) if e.is_conflict() => {
                // Shown once the current version is here: see `loaded`.
                self.stale_save = true;
            }
            Err(e) => self.form.place_error(e),
        }
    }

    pub(super) fn avatar_changed(&mut self, result: &Result<Account, AvatarFailure>) {
        self.saving = false;
        match result {
            Ok(account) => {
                self.form.clear(AVATAR);
                if let Some(base) = &mut self.base {
                    base.has_avatar = account.has_avatar;
                }
                if let Some(v) = self.profile.value_mut() {
                    v.value.has_avatar = account.has_avatar;
                }
                self.avatar = Loadable::NotAsked;
            }
            Err(AvatarFailure::File(why)) => self.form.set_error(AVATAR, Some(why.to_string())),
            Err(AvatarFailure::Api(e)) => self.form.place_error(e),
        }
    }

    pub(super) fn preferences_loaded(&mut self, result: &Result<Versioned<Preferences>, ApiError>) {
        let untouched = !self.language_changed();
        self.preferences
            .finish(result.as_ref().cloned().map_err(Failure::from));
        if let (true, Some(language)) = (untouched, self.prefs().map(|p| p.language.clone())) {
            self.form.set_value(LANGUAGE, &language);
        }
    }

    pub(super) fn preferences_saved(&mut self, result: &Result<Versioned<Preferences>, ApiError>) {
        self.preview_theme = None;
        match result {
            Ok(fresh) => {
                self.preferences = Loadable::Loaded(fresh.clone());
                self.form.set_value(LANGUAGE, &fresh.value.language);
            }
            Err(e) if e.is_conflict() => {
                self.preferences = Loadable::NotAsked;
                self.note = Some(
                    "Preferences changed elsewhere meanwhile; press r and choose again.".into(),
                );
            }
            Err(e) => self.form.place_error(e),
        }
    }

    /// What follows an answer: the requests (see [`Self::follow_up`]), and
    /// a toast with "stale" notices once a change went through (the
    /// overview shows the name; the log has a new event).
    pub(super) fn answered(&self, done: &ProfileDone) -> Vec<Action> {
        let mut out: Vec<Action> = self.follow_up().into_iter().map(Action::Request).collect();
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
            out.push(Action::Toast(Toast::success(text)));
            out.push(Action::Stale(Data::Account));
            out.push(Action::Stale(Data::SecurityLog));
        }
        out
    }

    /// The requests that should follow an answer: the current version
    /// after a stale save, the avatar once the profile says there is one.
    pub fn follow_up(&self) -> Vec<Request> {
        let mut out = Vec::new();
        if self.stale_save {
            out.push(Request::Profile(ProfileRequest::Load));
        }
        let has_avatar = self.base.as_ref().is_some_and(|a| a.has_avatar);
        if has_avatar && matches!(self.avatar, Loadable::NotAsked) {
            out.push(Request::Profile(ProfileRequest::LoadAvatar));
        }
        if !has_avatar && self.avatar.value().is_some_and(Option::is_some) {
            out.push(Request::Profile(ProfileRequest::LoadAvatar));
        }
        out
    }
}
