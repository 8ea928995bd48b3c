//! What the console is handed at start: no globals, so tests stay hermetic.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use acctl_client::Client;
use acctl_client::tokens::TokenStore;

/// Everything the TUI needs from the outside world.
#[derive(Clone)]
pub struct AppContext {
    /// Signed in when it holds tokens; the login screen shows otherwise.
    pub client: Client,
    /// Where tokens of `profile` are kept; its kind shows in the status bar.
    pub store: Arc<dyn TokenStore>,
    pub profile: String,
    /// The profile's account email, to prefill the login form.
    pub email: Option<String>,
    pub config: Config,
    /// The user's config directory (themes, keymap.toml, profiles), if any.
    /// `None` in demo mode and tests: nothing is read from or written there.
    pub config_dir: Option<PathBuf>,
    /// Running against the embedded demo server: its account, so a person
    /// who signs out of the demo can sign back in.
    pub demo: Option<DemoLogin>,
    /// What the service offers: screens and keys for the rest are hidden.
    pub offers: acctl_client::Capabilities,
}

/// The demo account's credentials. Not a secret worth keeping: the demo
/// server and its database vanish when the console quits.
#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub email: String,
    pub password: acctl_api::SecretText,
}
