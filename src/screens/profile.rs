//! Profile: who you are (name, display name, phone, bio), your avatar, and
//! the preferences every terminal signed in to the account follows
//! (language, theme, time zone). Changes are sent with the version they
//! were made to; when someone changed the profile meanwhile, the screen
//! shows what changed and lets the person take theirs or overwrite.
//! Nothing typed is lost on a failed save.

mod view;

use acctl_api::profile::{language_problem, normalize_phone, timezones};
use acctl_api::{Account, BIO_MAX_CHARS, Preferences, PreferencesPatch, ProfilePatch, THEMES};
use crossterm::event::KeyEvent;

use super::{Hints, Screen};
use crate::action::{
    Action, AvatarFailure, AvatarLoadError, Data, ProfileDone, ProfileRequest, Request, RequestKey,
    Response,
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
use acctl_client::{ApiError, Versioned};

/// The profile's fields, as the server names them.
pub const PROFILE_FIELDS: [&str; 4] = ["name", "display_name", "phone", "bio"];
const LANGUAGE: &str = "language";
const AVATAR: &str = "avatar";
/// Rows the bio shows at once (it scrolls past that).
const BIO_ROWS: u16 = 3;
/// Focus stops after the fields: the theme, then the time zone.
const THEME_STOP: usize = 6;
const TIMEZONE_STOP: usize = 7;

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
}

impl Default for ProfileScreen {
    fn default() -> Self {
        let form = Form::new(vec![
            ("name", FormField::new("Name")),
            ("display_name", FormField::new("Display name")),
            ("phone", FormField::new("Phone")),
            ("bio", FormField::new("Bio").multiline(BIO_ROWS)),
            // In the order the screen shows them, so focus follows the eye.
            (AVATAR, FormField::new("Picture file")),
            (LANGUAGE, FormField::new("Language")),
        ])
        .with_extra_stops(2);
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
        }
    }
}

impl Screen for ProfileScreen {
    fn on_enter(&mut self) -> Vec<Action> {
        let mut out = Vec::new();
        if self.profile.wants_load() {
            out.push(request(ProfileRequest::Load));
        }
        if self.preferences.wants_load() {
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
            Action::DiscardEdits => self.discard_edits(),
            Action::Request(Request::Profile(request)) => self.started(request),
            Action::Cancelled(RequestKey::LoadProfile) => self.profile.cancel(),
            Action::Cancelled(RequestKey::LoadPreferences) => self.preferences.cancel(),
            Action::Cancelled(RequestKey::LoadAvatar) => self.avatar.cancel(),
            Action::Response(Response::Profile(done)) => {
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

    fn shows(&self, key: &RequestKey) -> bool {
        matches!(key, RequestKey::LoadProfile | RequestKey::LoadAvatar)
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
    fn on_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        if self.picker.is_some() {
            return self.picker_key(key);
        }
        if self.conflict.is_some() {
            return self.conflict_key(key, keymap);
        }
        if self.browsing {
            return self.browse_key(key, keymap);
        }
        let k = Key::from(key);
        // Tab completes a path being typed; from an empty field it moves on.
        if self.form.focused() == Some(AVATAR)
            && !self.form.value(AVATAR).is_empty()
            && k == Key::new(
                crossterm::event::KeyCode::Tab,
                crossterm::event::KeyModifiers::NONE,
            )
        {
            self.complete_path();
            return None;
        }
        let command = self
            .form
            .key_command(key, keymap, &[Command::Toggle, Command::Open])?;
        self.note = None;
        match command {
            Command::NextField => self.form.next(),
            Command::PrevField => self.form.prev(),
            Command::Submit | Command::Toggle | Command::Open => return self.submit(),
            Command::Refresh => return Some(Action::Batch(self.reload())),
            Command::Back => self.browsing = true,
            other => return Some(Action::Command(other)),
        }
        None
    }

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

    /// Keys while moving between fields: arrows and Tab move, Enter edits
    /// the field (or opens the choice), everything else is global.
    fn browse_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let k = Key::from(key);
        let command = match keymap.get(Scope::Form, k) {
            Some(c @ (Command::NextField | Command::PrevField)) => c,
            _ => keymap.resolve(&[Scope::List, Scope::Global], k)?,
        };
        self.note = None;
        match command {
            Command::NextField | Command::Down => self.form.next(),
            Command::PrevField | Command::Up => self.form.prev(),
            Command::Open | Command::Toggle if self.form.focused().is_some() => {
                self.browsing = false;
            }
            Command::Open | Command::Toggle => return self.submit(),
            Command::Refresh => return Some(Action::Batch(self.reload())),
            other => return Some(Action::Command(other)),
        }
        None
    }

    /// Typing into a field (not moving between them).
    pub fn is_editing(&self) -> bool {
        !self.browsing
    }

    fn reload(&mut self) -> Vec<Action> {
        vec![
            request(ProfileRequest::Load),
            request(ProfileRequest::LoadPreferences),
            request(ProfileRequest::LoadAvatar),
        ]
    }

    fn complete_path(&mut self) {
        let done = crate::files::complete_path(self.form.value(AVATAR));
        self.form.set_value(AVATAR, &done.text);
        self.note = match done.candidates.len() {
            0 => None,
            n => Some(format!(
                "{n} matches: {}",
                done.candidates
                    .iter()
                    .take(8)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("  ")
            )),
        };
    }

    fn submit(&mut self) -> Option<Action> {
        if self.saving {
            return None;
        }
        match (self.form.focused(), self.form.focus_index()) {
            (Some(LANGUAGE), _) => self.save_language(),
            (Some(AVATAR), _) => self.set_avatar(),
            (Some(_), _) => self.save_profile(),
            (None, THEME_STOP) => self.open_picker(Choice::Theme),
            (None, TIMEZONE_STOP) => self.open_picker(Choice::Timezone),
            (None, _) => None,
        }
    }

    /// Sends the changed fields, after the checks that need no server.
    fn save_profile(&mut self) -> Option<Action> {
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

    fn save_language(&mut self) -> Option<Action> {
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

    fn save_preferences(&mut self, patch: PreferencesPatch) -> Option<Action> {
        let etag = self.preferences.value()?.etag.clone();
        Some(request(ProfileRequest::SavePreferences { patch, etag }))
    }

    fn set_avatar(&mut self) -> Option<Action> {
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

    fn open_picker(&mut self, choice: Choice) -> Option<Action> {
        let prefs = self.prefs()?;
        let (title, items, current): (&str, Vec<String>, &str) = match choice {
            Choice::Theme => (
                "Theme",
                THEMES.iter().map(|t| t.to_string()).collect(),
                &prefs.theme,
            ),
            Choice::Timezone => (
                "Time zone (type to filter)",
                timezones().map(str::to_string).collect(),
                &prefs.timezone,
            ),
        };
        self.picker = Some((choice, Picker::new(title, items, Some(current))));
        None
    }

    fn picker_key(&mut self, key: KeyEvent) -> Option<Action> {
        let (choice, picker) = self.picker.as_mut()?;
        let choice = *choice;
        let picked = picker.handle_key(key)?;
        let chosen = picker.selected().map(str::to_string);
        match picked {
            Picked::Moved(_) if choice == Choice::Theme => {
                // Shown at once, kept only when chosen.
                self.preview_theme = chosen;
                None
            }
            Picked::Moved(_) => None,
            Picked::Cancelled => {
                self.picker = None;
                self.preview_theme = None;
                None
            }
            Picked::Chose(_) => {
                self.picker = None;
                let value = chosen?;
                let patch = match choice {
                    Choice::Theme => PreferencesPatch {
                        theme: Some(value),
                        ..PreferencesPatch::default()
                    },
                    Choice::Timezone => PreferencesPatch {
                        timezone: Some(value),
                        ..PreferencesPatch::default()
                    },
                };
                self.save_preferences(patch)
            }
        }
    }

    /// `o` keeps what was typed over theirs, `t` takes theirs, Esc goes on
    /// editing (a later save overwrites theirs). Either way only the fields
    /// this person edited stay theirs; every other field takes the newer
    /// value, so keeping mine never undoes a change made elsewhere.
    fn conflict_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        let conflict = self.conflict.take()?;
        let k = Key::from(key);
        if k == Key::char('t') {
            self.fill(&conflict.theirs);
            self.set_version(conflict.theirs, conflict.etag);
            self.note = Some("Took the version saved elsewhere.".into());
            return None;
        }
        let keep_mine = k == Key::char('o');
        let go_on = keymap.get(Scope::Form, k) == Some(Command::Back);
        if !keep_mine && !go_on {
            self.conflict = Some(conflict);
            // Help, quitting and the other screens still work meanwhile.
            return keymap.get(Scope::Global, k).map(Action::Command);
        }
        let mine = self.changed_fields();
        for field in PROFILE_FIELDS.into_iter().filter(|f| !mine.contains(f)) {
            self.form
                .set_value(field, &account_field(&conflict.theirs, field));
        }
        self.base = Some(conflict.theirs.clone());
        self.set_version(conflict.theirs, conflict.etag);
        if keep_mine {
            return self.save_profile();
        }
        self.note = Some(
            "Your edits stay on the form and saving overwrites theirs; the other fields show the newer values."
                .into(),
        );
        None
    }

    fn set_version(&mut self, account: Account, etag: String) {
        self.profile = Loadable::Loaded(Versioned {
            value: account,
            etag,
        });
    }

    fn started(&mut self, request: &ProfileRequest) {
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

    fn done(&mut self, done: &ProfileDone) {
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

    fn loaded(&mut self, result: &Result<Versioned<Account>, ApiError>) {
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

    fn saved(&mut self, result: &Result<Versioned<Account>, ApiError>) {
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

    fn avatar_changed(&mut self, result: &Result<Account, AvatarFailure>) {
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

    fn preferences_loaded(&mut self, result: &Result<Versioned<Preferences>, ApiError>) {
        let untouched = !self.language_changed();
        self.preferences
            .finish(result.as_ref().cloned().map_err(Failure::from));
        if let (true, Some(language)) = (untouched, self.prefs().map(|p| p.language.clone())) {
            self.form.set_value(LANGUAGE, &language);
        }
    }

    fn preferences_saved(&mut self, result: &Result<Versioned<Preferences>, ApiError>) {
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
    fn answered(&self, done: &ProfileDone) -> Vec<Action> {
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

#[cfg(test)]
mod tests;
