//! One module per screen. Each owns its state: `handle_key` turns keys into
//! an `Action` (or changes only itself), `update` takes what happened, and
//! `render` draws read-only. Screens never hold the HTTP client.

pub mod billing;
pub mod login;
pub mod notifications;
pub mod overview;
pub mod privacy;
pub mod profile;
pub mod security;
pub mod sessions;
