//! Saving from the Profile screen: the changed fields (made to the version
//! loaded), the language, the other preferences and the picture.

use super::*;

impl ProfileScreen {
    pub(super) fn submit(&mut self) -> Option<Action> {
        if self.saving {
            return None;
        }
        match (self.form.focused(), self.form.focus_index()) {
            (Some(LANGUAGE), _) => self.save_language(),
            (Some(AVATAR), _) => self.set_avatar(),
            (Some(_), _) => self.save_profile(),
            (None, i) if i == self.theme_stop() => self.open_picker(Choice::Theme),
            (None, i) if i == self.theme_stop() + 1 => self.open_picker(Choice::Timezone),
            (None, _) => None,
        }
    }

    /// Sends the changed fields, after the checks that need no server.
    pub(super) fn save_profile(&mut self) -> Option<Action> {
        let etag = self.etag()?;
        self.form.clear_errors();
        let changed = self.changed_fields();
        if changed.is_empty() {
            self.note = Some("Nothing to save: no field was changed.".into());
            return None;
        }
        let mut patch = ProfilePatch::default();
        for field in changed {
            let typed = self.form.value(field).trim().to_string();
            match field {
                "name" if typed.is_empty() => {
                    self.form
                        .set_error("name", Some("Enter a name; it cannot be empty.".into()));
                }
                "name" => patch.name = Some(typed),
                "display_name" => patch.display_name = Some(typed),
                "phone" => match normalize_phone(&typed) {
                    Ok(_) => patch.phone = Some(typed),
                    Err(advice) => self.form.set_error("phone", Some(format!("{advice}."))),
                },
                "bio" if typed.chars().count() > BIO_MAX_CHARS => {
                    let count = typed.chars().count();
                    let message =
                        format!("Keep it to {BIO_MAX_CHARS} characters; this is {count}.");
                    self.form.set_error("bio", Some(message));
                }
                _ => patch.bio = Some(typed),
            }
        }
        if self.form.focus_first_error() {
            return None;
        }
        Some(request(ProfileRequest::Save { patch, etag }))
    }

    pub(super) fn save_language(&mut self) -> Option<Action> {
        let typed = self.form.value(LANGUAGE).trim().to_string();
        if let Some(problem) = language_problem(&typed) {
            self.form.set_error(LANGUAGE, Some(format!("{problem}.")));
            return None;
        }
        self.save_preferences(PreferencesPatch {
            language: Some(typed),
            ..PreferencesPatch::default()
        })
    }

    pub(super) fn save_preferences(&mut self, patch: PreferencesPatch) -> Option<Action> {
        let etag = self.preferences.value()?.etag.clone();
        Some(request(ProfileRequest::SavePreferences { patch, etag }))
    }

    pub(super) fn set_avatar(&mut self) -> Option<Action> {
        let typed = self.form.value(AVATAR).trim().to_string();
        if !typed.is_empty() {
            self.form.set_error(AVATAR, None);
            let path = crate::files::expand_home(&typed);
            return Some(request(ProfileRequest::SetAvatar { path }));
        }
        if self.base.as_ref().is_some_and(|a| a.has_avatar) {
            let body = vec!["Remove your picture? Others see your initials instead.".to_string()];
            return Some(Action::Confirm {
                dialog: Dialog::confirm("Remove picture", body, "Remove"),
                on_confirm: Request::Profile(ProfileRequest::RemoveAvatar),
            });
        }
        let message = "Type the path of a PNG or JPEG picture (Tab completes it).";
        self.form.set_error(AVATAR, Some(message.into()));
        None
    }
}
