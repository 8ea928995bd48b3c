//! The Profile screen's keys: browsing the fields, editing one, the pickers
//! (language, theme, time zone) and the prompt after a conflicting save.

use super::*;

impl ProfileScreen {
    pub(super) fn on_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
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

    /// Keys while moving between fields: arrows and Tab move, Enter edits
    /// the field (or opens the choice), everything else is global.
    pub(super) fn browse_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
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

    pub(super) fn complete_path(&mut self) {
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

    pub(super) fn open_picker(&mut self, choice: Choice) -> Option<Action> {
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

    pub(super) fn picker_key(&mut self, key: KeyEvent) -> Option<Action> {
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
    pub(super) fn conflict_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
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
}
