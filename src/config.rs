//! Settings: compiled defaults < embedded `config/default.toml` < the user's
//! file < `ACCTL_*` environment < command-line flags.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Server used by `acctl login` when `--server` is not given.
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
