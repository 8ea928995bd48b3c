//! Settings: compiled defaults < embedded `config/default.toml` < the user's
//! file < `ACCTL_*` environment < command-line flags. `acctl
//! --print-default-config` prints the merged result.

mod env;
mod load;

use serde::{Deserialize, Serialize};

pub use env::ENV_VARS;
pub use load::{ConfigError, ConfigSources, DEFAULT_TOML, Overrides, USER_CONFIG_FILE};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Server used when neither `--server` nor the profile names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    pub ui: UiConfig,
    pub network: NetworkConfig,
    pub keyring: KeyringConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// A theme name: default, light, high-contrast, mono, or a file in the
    /// config dir's `themes/`.
    pub theme: String,
    /// `default` or `vim`: the keymap the user's `keymap.toml` is merged onto.
    pub keymap: String,
    /// No animation (spinners become static text).
    pub reduce_motion: bool,
    /// Plain layout for screen readers: no animation, no decorative glyphs.
    pub screen_reader: bool,
    /// The theme was forced here (`--theme`, `NO_COLOR`): the account's
    /// theme preference does not override it.
    #[serde(skip)]
    pub theme_forced: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkConfig {
    pub connect_timeout_secs: u64,
    pub request_timeout_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeyringConfig {
    /// `auto`, `secret-service`, `keyutils` or `memory`.
    pub backend: String,
    /// How long to wait for a keyring before falling back to memory.
    pub timeout_secs: u64,
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            theme_forced: false,
            theme: "default".into(),
            keymap: "default".into(),
            reduce_motion: false,
            screen_reader: false,
        }
    }
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            connect_timeout_secs: 5,
            request_timeout_secs: 20,
        }
    }
}

impl Default for KeyringConfig {
    fn default() -> Self {
        Self {
            backend: "auto".into(),
            timeout_secs: 3,
        }
    }
}

/// The keymaps the user's `keymap.toml` can be merged onto.
pub const KEYMAPS: &[&str] = &["default", "vim"];

impl Config {
    /// The first setting that cannot work, as (`section.key`, why).
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if let Some(server) = &self.server {
            acctl_client::normalize_base_url(server).map_err(|e| ("server", e.to_string()))?;
        }
        if !KEYMAPS.contains(&self.ui.keymap.as_str()) {
            let why = format!(
                "'{}' is not a keymap; use one of: {}",
                self.ui.keymap,
                KEYMAPS.join(", ")
            );
            return Err(("ui.keymap", why));
        }
        if self.ui.theme.trim().is_empty() {
            return Err(("ui.theme", "the theme name is empty".into()));
        }
        let seconds = [
            (
                "network.connect_timeout_secs",
                self.network.connect_timeout_secs,
            ),
            (
                "network.request_timeout_secs",
                self.network.request_timeout_secs,
            ),
            ("keyring.timeout_secs", self.keyring.timeout_secs),
        ];
        if let Some((key, _)) = seconds.iter().find(|(_, value)| *value == 0) {
            return Err((key, "must be at least 1 second".into()));
        }
        self.keyring
            .backend
            .parse::<acctl_client::tokens::Backend>()
            .map(|_| ())
            .map_err(|why| ("keyring.backend", why.to_string()))
    }

    /// HTTP client settings from `network`.
    pub fn client_options(&self) -> acctl_client::ClientOptions {
        acctl_client::ClientOptions {
            connect_timeout: std::time::Duration::from_secs(self.network.connect_timeout_secs),
            request_timeout: std::time::Duration::from_secs(self.network.request_timeout_secs),
            device_name: acctl_client::default_device_name(),
            service: Default::default(),
        }
    }

    /// Which keyring to open, from `keyring`.
    pub fn keyring_settings(&self) -> acctl_client::tokens::KeyringSettings {
        acctl_client::tokens::KeyringSettings {
            backend: self.keyring.backend.clone(),
            timeout: std::time::Duration::from_secs(self.keyring.timeout_secs),
        }
    }

    /// The settings as TOML, as `--print-default-config` shows them.
    pub fn to_toml(&self) -> String {
        // Plain data of strings, numbers and booleans always serialises.
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

// Where acctl keeps files: the client's, since profiles and refresh locks
// live there too.
pub use acctl_client::dirs::{config_dir, state_dir};
