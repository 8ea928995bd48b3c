//! Keys map to bindable [`Command`]s through a keymap that is data:
//! `config/keymap.toml` (or `config/vim.toml`) compiled in, the user's
//! `keymap.toml` merged on top. The help overlay and the footer are generated
//! from the live keymap, so they never disagree with it.

mod key;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde::de::IntoDeserializer;

pub use key::{Key, KeyParseError};

/// The built-in keymaps, by the name `ui.keymap` uses.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../config/keymap.toml")),
    ("vim", include_str!("../config/vim.toml")),
];

/// What a key can be bound to. Data-free, so it can live in a file; the
/// screens turn a command into a data-carrying `Action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    Quit,
    Help,
    Back,
    Refresh,
    Redraw,
    Suspend,
    SignOut,
    GoOverview,
    GoSessions,
    GoProfile,
    GoSecurity,
    GoNotifications,
    GoPrivacy,
    GoBilling,
    GoAdmin,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Revoke,
    RevokeOthers,
    NextField,
    PrevField,
    Submit,
    ToggleRecovery,
    Open,
    Toggle,
    Copy,
    Invert,
    SaveFile,
    Filter,
    Left,
    Right,
    MarkAllRead,
    NextSection,
    PrevSection,
    CancelPlan,
    ResumePlan,
    OpenFile,
    Disable,
    ResetMfa,
    ResetPassword,
}

impl Command {
    /// What the command does, for the help overlay.
    pub fn desc(self) -> &'static str {
        use Command::*;
        match self {
            Quit => "Quit acctl",
            Help => "Show or hide this help",
            Back => "Go back, close, cancel (never destructive)",
            Refresh => "Reload what is on screen",
            Redraw => "Redraw the screen",
            Suspend => "Suspend to the shell (fg resumes)",
            SignOut => "Sign out on this device",
            GoOverview => "Overview",
            GoSessions => "Sessions",
            GoProfile => "Profile",
            GoSecurity => "Security",
            GoNotifications => "Notifications",
            GoPrivacy => "Privacy",
            GoBilling => "Billing",
            GoAdmin => "Admin (administrators)",
            Up => "Move up",
            Down => "Move down",
            PageUp => "Page up",
            PageDown => "Page down",
            Top => "First row",
            Bottom => "Last row",
            Revoke => "Revoke the selected session",
            RevokeOthers => "Sign out all other sessions",
            NextField => "Next field or button",
            PrevField => "Previous field or button",
            Submit => "Submit, or press the focused button",
            ToggleRecovery => "Use a recovery code instead of a code (and back)",
            Open => "Open the selected item",
            Toggle => "Switch the selected option on or off",
            Copy => "Copy to the clipboard (OSC 52)",
            Invert => "Invert the QR code (for light terminals)",
            SaveFile => "Save to a file",
            Filter => "Filter the list (the inbox: unread only or all)",
            Left => "Move left (the notification settings)",
            Right => "Move right (the notification settings)",
            MarkAllRead => "Mark every notification read",
            NextSection => "Next section of the screen",
            PrevSection => "Previous section of the screen",
            CancelPlan => "Cancel the plan at the end of the period",
            ResumePlan => "Resume a canceled plan",
            OpenFile => "Open the saved file",
            Disable => "Disable the account (or enable it again), with a reason",
            ResetMfa => "Turn the account's two-factor sign-in off, with a reason",
            ResetPassword => "Reset the account's password, with a reason",
        }
    }

    /// A word or two for the footer.
    pub fn short(self) -> &'static str {
        use Command::*;
        match self {
            Quit => "quit",
            Help => "help",
            Back => "back",
            Refresh => "refresh",
            SignOut => "sign out",
            Revoke => "revoke",
            RevokeOthers => "end others",
            NextField => "next field",
            PrevField => "previous field",
            Submit => "submit",
            ToggleRecovery => "recovery code",
            Open => "open",
            Toggle => "toggle",
            Copy => "copy",
            Invert => "invert",
            SaveFile => "save",
            Filter => "filter",
            Left | Right => "move",
            MarkAllRead => "mark all read",
            NextSection | PrevSection => "section",
            CancelPlan => "cancel plan",
            ResumePlan => "resume",
            OpenFile => "open file",
            Disable => "disable",
            ResetMfa => "reset 2FA",
            ResetPassword => "reset password",
            Up | Down => "move",
            PageUp | PageDown => "page",
            Top | Bottom => "first/last",
            _ => self.desc(),
        }
    }
}

/// Where a binding applies. Lookups try the focused context first, then
/// `global` (except while typing, when only non-text keys fall through).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Global,
    List,
    Form,
    Dialog,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::Global, Scope::List, Scope::Form, Scope::Dialog];

    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::List => "Lists and tables",
            Scope::Form => "Forms (other keys type)",
            Scope::Dialog => "Dialogs",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("no keymap named '{0}' (built in: default, vim)")]
    Unknown(String),
    #[error("the keymap is not valid TOML: {0}")]
    Toml(String),
    #[error("[{scope:?}] \"{key}\": {reason}")]
    Binding {
        scope: Scope,
        key: String,
        reason: String,
    },
    #[error("could not read {path}: {reason}")]
    Read { path: String, reason: String },
}

type KeymapFile = BTreeMap<Scope, BTreeMap<String, String>>;

/// The live key bindings, per scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keymap {
    scopes: BTreeMap<Scope, Vec<(Key, Command)>>,
}

impl Keymap {
    /// A built-in keymap: `default` or `vim`.
    pub fn builtin(name: &str) -> Result<Self, KeymapError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| KeymapError::Unknown(name.to_string()))?;
        let mut map = Self::default();
        map.merge_toml(text)?;
        Ok(map)
    }

    /// Merges a keymap file on top, key by key; `"none"` unbinds a key.
    /// Nothing changes if any binding in `text` is invalid.
    pub fn merge_toml(&mut self, text: &str) -> Result<(), KeymapError> {
        let file: KeymapFile =
            toml::from_str(text).map_err(|e| KeymapError::Toml(e.message().to_string()))?;
        let mut merged = self.clone();
        for (scope, bindings) in file {
            for (name, value) in bindings {
                let key = Key::parse(&name).map_err(|e| binding_error(scope, &name, e))?;
                let command = parse_binding(&value).map_err(|e| binding_error(scope, &name, e))?;
                merged.bind(scope, key, command);
            }
        }
        *self = merged;
        Ok(())
    }

    fn bind(&mut self, scope: Scope, key: Key, command: Option<Command>) {
        let entries = self.scopes.entry(scope).or_default();
        entries.retain(|(k, _)| *k != key);
        if let Some(command) = command {
            entries.push((key, command));
        }
    }

    /// The command `key` means in `scope`, if any.
    pub fn get(&self, scope: Scope, key: Key) -> Option<Command> {
        self.scopes
            .get(&scope)?
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, c)| *c)
    }

    /// The first of `scopes` that binds `key` decides.
    pub fn resolve(&self, scopes: &[Scope], key: Key) -> Option<Command> {
        scopes.iter().find_map(|scope| self.get(*scope, key))
    }

    /// Every key bound to `command` in `scope`, the most readable first.
    pub fn keys_for(&self, scope: Scope, command: Command) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .scopes
            .get(&scope)
            .into_iter()
            .flatten()
            .filter(|(_, c)| *c == command)
            .map(|(k, _)| *k)
            .collect();
        keys.sort_by_key(|k| (k.display_rank(), k.to_string()));
        keys
    }

    /// The key to name in a hint ("press r to retry"), if one is bound.
    pub fn hint(&self, scope: Scope, command: Command) -> Option<String> {
        self.keys_for(scope, command).first().map(Key::to_string)
    }

    /// Commands bound in `scope`, in a stable order, each with its keys.
    pub fn bindings(&self, scope: Scope) -> Vec<(Command, Vec<Key>)> {
        let mut commands: Vec<Command> = self
            .scopes
            .get(&scope)
            .into_iter()
            .flatten()
            .map(|(_, c)| *c)
            .collect();
        commands.sort();
        commands.dedup();
        commands
            .into_iter()
            .map(|c| (c, self.keys_for(scope, c)))
            .collect()
    }
}

fn parse_binding(value: &str) -> Result<Option<Command>, serde::de::value::Error> {
    if value == "none" {
        return Ok(None);
    }
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        value.into_deserializer();
    Command::deserialize(de).map(Some)
}

fn binding_error(scope: Scope, key: &str, reason: impl ToString) -> KeymapError {
    KeymapError::Binding {
        scope,
        key: key.to_string(),
        reason: reason.to_string(),
    }
}

/// The keymap `base` (`default` or `vim`) with the user's
/// `<config_dir>/keymap.toml` merged on top. On any problem, what could be
/// loaded is used and a warning to show comes back.
pub fn load(base: &str, config_dir: Option<&Path>) -> (Keymap, Option<String>) {
    let (mut keymap, mut warning) = match Keymap::builtin(base) {
        Ok(map) => (map, None),
        Err(e) => (
            default_keymap(),
            Some(format!("{e}; using the default keymap")),
        ),
    };
    let Some(path) = config_dir.map(|d| d.join("keymap.toml")) else {
        return (keymap, warning);
    };
    if !path.is_file() {
        return (keymap, warning);
    }
    let result = std::fs::read_to_string(&path)
        .map_err(|e| KeymapError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
        .and_then(|text| keymap.merge_toml(&text));
    if let Err(e) = result {
        let note = format!("{} ignored: {e}", path.display());
        warning = Some(match warning {
            Some(w) => format!("{w}; {note}"),
            None => note,
        });
    }
    (keymap, warning)
}

/// The compiled-in default keymap (tested to parse).
pub fn default_keymap() -> Keymap {
    Keymap::builtin("default").unwrap_or_default()
}

#[cfg(test)]
mod tests;
