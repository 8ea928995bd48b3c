//! The real `acctl` binary run as a script would run it, one module per area.

#[path = "../support/mod.rs"]
mod support;

mod admin;
mod allauth;
mod basics;
mod better_auth;
mod billing;
mod hostile;
mod notifications;
mod privacy;
mod profile;
mod security;
mod shell;
