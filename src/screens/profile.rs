//! Profile: who you are (name, display name, phone, bio), your avatar, and
//! the preferences every terminal signed in to the account follows
//! (language, theme, time zone). Changes are sent with the version they
//! were made to; when someone changed the profile meanwhile, the screen
//! shows what changed and lets the person take theirs or overwrite.
//! Nothing typed is lost on a failed save.

mod answers;
mod keys;
mod save;
mod view;

use acctl_api::profile::{language_problem, normalize_phone, timezones};
use acctl_api::{Account, BIO_MAX_CHARS, Preferences, PreferencesPatch, ProfilePatch, THEMES};
use crossterm::event::KeyEvent;

use super::{Hints, Screen};
use crate::action::{
    Action, Answer, AvatarFailure, AvatarLoadError, Data, Outcome, ProfileDone, ProfileRequest,
    Request, Response,
};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::Ui;
use crate::widgets::avatar::Picture;
use crate::widgets::dialog::Dialog;
use crate::widgets::form::Form;
use crate::widgets::form_field::FormField;
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::picker::{Picked, Picker};
use crate::widgets::toast::Toast;
use acctl_client::{ApiError, Capabilities, Feature, Versioned};

/// The profile's fields, as the server names them.
pub const PROFILE_FIELDS: [&str; 4] = ["name", "display_name", "phone", "bio"];
const LANGUAGE: &str = "language";
const AVATAR: &str = "avatar";
/// Rows the bio shows at once (it scrolls past that).
const BIO_ROWS: u16 = 3;

/// What a picker is choosing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Theme,
    Timezone,
}

/// Someone changed the profile since the form was filled.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub theirs: Account,
    pub etag: String,
    /// The fields they changed, by the server's names.
    pub fields: Vec<&'static str>,
}

#[derive(Debug)]
pub struct ProfileScreen {
    pub profile: Loadable<Versioned<Account>>,
    pub preferences: Loadable<Versioned<Preferences>>,
    pub avatar: Loadable<Option<Picture>>,
    form: Form,
    /// What the form's profile fields were filled from.
    base: Option<Account>,
    /// A save or avatar change is on its way.
    saving: bool,
    /// The save was refused as stale: the reload that follows shows why.
    stale_save: bool,
    pub conflict: Option<Conflict>,
    picker: Option<(Choice, Picker)>,
    /// The theme on show while choosing, before it is kept.
    preview_theme: Option<String>,
    /// What the last action did, in words.
    pub note: Option<String>,
    /// Moving between fields rather than typing in one: the other screens
    /// and help stay one key away. Enter starts editing, Esc stops.
    browsing: bool,
    /// What the service offers: fields and parts of the rest are left out.
    offers: Capabilities,
}

impl Default for ProfileScreen {
    fn default() -> Self {
        Self::new(Capabilities::ALL)
    }
}

/// The fields a service offering `offers` keeps, in the order the screen
/// shows them (so focus follows the eye); the theme and time zone stops
/// come after them.
fn form_for(offers: Capabilities) -> Form {
    let mut fields = vec![("name", FormField::new("Name"))];
    if offers.has(Feature::ProfileDetails) {
        fields.push(("display_name", FormField::new("Display name")));
        fields.push(("phone", FormField::new("Phone")));
        fields.push(("bio", FormField::new("Bio").multiline(BIO_ROWS)));
    }
    if offers.has(Feature::Avatar) {
        fields.push((AVATAR, FormField::new("Picture file")));
    }
    if !offers.has(Feature::Preferences) {
        return Form::new(fields);
    }
    fields.push((LANGUAGE, FormField::new("Language")));
    Form::new(fields).with_extra_stops(2)
}

impl ProfileScreen {
    /// The screen for a service that offers `offers`.
    pub fn new(offers: Capabilities) -> Self {
        let form = form_for(offers);
        Self {
            profile: Loadable::NotAsked,
            preferences: Loadable::NotAsked,
            avatar: Loadable::NotAsked,
            form,
            base: None,
            saving: false,
            stale_save: false,
            conflict: None,
            picker: None,
            preview_theme: None,
            note: None,
            browsing: true,
            offers,
        }
    }

    /// Focus stops after the fields: the theme, then the time zone.
    fn theme_stop(&self) -> usize {
        self.form.field_count()
    }
}

impl Screen for ProfileScreen {
    fn on_enter(&mut self) -> Vec<Action> {
        let mut out = Vec::new();
        if self.profile.wants_load() {
            out.push(request(ProfileRequest::Load));
        }
        if self.offers.has(Feature::Preferences) && self.preferences.wants_load() {
            out.push(request(ProfileRequest::LoadPreferences));
        }
        out
    }

    /// Keys type into something (a field, the picker's filter): the
    /// footer then offers F1 for help rather than the list keys.
    fn takes_typing(&self) -> bool {
        // The conflict panel takes its own keys too (o, t, Esc).
        self.picker.is_some()
            || self.conflict.is_some()
            || (!self.browsing && self.form.focused().is_some())
    }

    fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let preview = self.preview_theme.clone();
        let action = self.on_key(key, keymap);
        if self.preview_theme == preview {
            return action;
        }
        // The theme on trial is shown at once, kept only when chosen.
        let shown = Action::PreviewTheme(self.preview_theme.clone());
        Some(match action {
            Some(action) => Action::Batch(vec![shown, action]),
            None => shown,
        })
    }

    fn paste(&mut self, text: &str) {
        match &mut self.picker {
            Some((_, picker)) => picker.paste(text),
            None => self.form.paste(text),
        }
    }

    fn update(&mut self, action: &Action) -> Vec<Action> {
        let preview = self.preview_theme.clone();
        let mut out = Vec::new();
        match action {
            // Signed in to a service that offers other parts.
            Action::SignedIn { offers, .. } if *offers != self.offers => {
                *self = Self::new(*offers);
            }
            Action::DiscardEdits => self.discard_edits(),
            Action::Request(Request::Profile(request)) => self.started(request),
            Action::Cancelled(Request::Profile(ProfileRequest::Load)) => self.profile.cancel(),
            Action::Cancelled(Request::Profile(ProfileRequest::LoadPreferences)) => {
                self.preferences.cancel()
            }
            Action::Cancelled(Request::Profile(ProfileRequest::LoadAvatar)) => self.avatar.cancel(),
            Action::Response(Response::Profile(Answer { done, .. })) => {
                self.done(done);
                out = self.answered(done);
            }
            _ => {}
        }
        if self.preview_theme != preview {
            out.push(Action::PreviewTheme(self.preview_theme.clone()));
        }
        out
    }

    fn render(&self, frame: &mut ratatui::Frame<'_>, area: ratatui::layout::Rect, ui: &Ui<'_>) {
        self.draw(frame, area, ui);
    }

    fn shows(&self, request: &Request) -> bool {
        matches!(
            request,
            Request::Profile(ProfileRequest::Load | ProfileRequest::LoadAvatar)
        )
    }

    fn quit_warning(&self, on_show: bool) -> Option<&'static str> {
        (on_show && self.has_unsaved())
            .then_some("Your profile changes are not saved; Ctrl-C again quits without them.")
    }

    fn leave_warning(&self) -> Option<String> {
        if !self.has_unsaved() {
            return None;
        }
        let changed = self.changed_fields();
        Some(match changed.is_empty() {
            true => "Your changes on this screen are not saved.".to_string(),
            false => format!(
                "Your changes to {} are not saved.",
                changed.join(", ").replace('_', " ")
            ),
        })
    }

    fn hints(&self, keymap: &Keymap) -> Hints {
        let mut out = Vec::new();
        let add = |out: &mut Vec<(String, &'static str)>, scope, command, label| {
            if let Some(key) = keymap.hint(scope, command) {
                out.push((key, label));
            }
        };
        if self.picker.is_some() {
            add(&mut out, Scope::Form, Command::Submit, "choose");
            add(&mut out, Scope::Form, Command::Back, "cancel");
            return out;
        }
        if self.conflict.is_some() {
            add(&mut out, Scope::Form, Command::Back, "decide later");
            let mut keys = vec![
                ("o".to_string(), "keep mine"),
                ("t".to_string(), "take theirs"),
            ];
            keys.append(&mut out);
            return keys;
        }
        if self.browsing {
            let what = match self.form.focused() {
                Some(_) => "edit field",
                None => "choose",
            };
            add(&mut out, Scope::List, Command::Open, what);
            add(&mut out, Scope::List, Command::Down, "move");
            return out;
        }
        let submit = match (self.form.focused(), self.form.focus_index()) {
            (Some(LANGUAGE), _) => "save language",
            (Some(AVATAR), _) => "set picture",
            (Some(_), _) => "save profile",
            (None, _) => "choose",
        };
        add(&mut out, Scope::Form, Command::Submit, submit);
        if self
            .form
            .field_focused()
            .is_some_and(FormField::is_multiline)
        {
            out.push(("Alt-Enter".into(), "new line"));
        }
        if self.form.focused() == Some(AVATAR) {
            // Tab completes the path here; Down still moves on.
            out.push(("Tab".into(), "complete path"));
        } else {
            add(&mut out, Scope::Form, Command::NextField, "next field");
        }
        add(&mut out, Scope::Form, Command::Back, "stop editing");
        out
    }
}

fn account_field(account: &Account, name: &str) -> String {
    match name {
        "name" => account.name.clone(),
        "display_name" => account.display_name.clone().unwrap_or_default(),
        "phone" => account.phone.clone().unwrap_or_default(),
        "bio" => account.bio.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

fn request(request: ProfileRequest) -> Action {
    Action::Request(Request::Profile(request))
}

impl ProfileScreen {
    /// The preferences in force, if loaded.
    pub fn prefs(&self) -> Option<&Preferences> {
        self.preferences.value().map(|v| &v.value)
    }

    /// The theme to show: the one being previewed, else the account's.
    pub fn wanted_theme(&self) -> Option<&str> {
        self.preview_theme
            .as_deref()
            .or_else(|| self.prefs().map(|p| p.theme.as_str()))
    }

    pub fn value(&self, name: &str) -> &str {
        self.form.value(name)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.form.error(name)
    }

    pub fn focus_index(&self) -> usize {
        self.form.focus_index()
    }

    pub fn is_picking(&self) -> bool {
        self.picker.is_some()
    }

    /// The profile fields that differ from what was loaded.
    pub fn changed_fields(&self) -> Vec<&'static str> {
        let Some(base) = &self.base else {
            return Vec::new();
        };
        PROFILE_FIELDS
            .into_iter()
            .filter(|f| self.form.value(f).trim() != account_field(base, f).trim())
            .collect()
    }

    fn language_changed(&self) -> bool {
        self.prefs()
            .is_some_and(|p| self.form.value(LANGUAGE).trim() != p.language)
    }

    /// Something typed here would be lost by leaving.
    pub fn has_unsaved(&self) -> bool {
        !self.changed_fields().is_empty()
            || self.language_changed()
            || !self.form.value(AVATAR).trim().is_empty()
    }

    /// Leaving without saving: the form goes back to what was loaded.
    pub fn discard_edits(&mut self) {
        if let Some(base) = self.base.clone() {
            self.fill(&base);
        }
        if let Some(language) = self.prefs().map(|p| p.language.clone()) {
            self.form.set_value(LANGUAGE, &language);
        }
        self.form.clear(AVATAR);
        self.form.clear_errors();
    }

    fn fill(&mut self, account: &Account) {
        for field in PROFILE_FIELDS {
            self.form.set_value(field, &account_field(account, field));
        }
        self.base = Some(account.clone());
    }

    fn etag(&self) -> Option<String> {
        self.profile.value().map(|v| v.etag.clone())
    }

    /// Typing into a field (not moving between them).
    pub fn is_editing(&self) -> bool {
        !self.browsing
    }

    fn reload(&mut self) -> Vec<Action> {
        let mut out = vec![request(ProfileRequest::Load)];
        if self.offers.has(Feature::Preferences) {
            out.push(request(ProfileRequest::LoadPreferences));
        }
        if self.offers.has(Feature::Avatar) {
            out.push(request(ProfileRequest::LoadAvatar));
        }
        out
    }
}

#[cfg(test)]
mod tests;
