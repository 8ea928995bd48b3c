//! acctl: a keyboard-first terminal console for your account.
//!
//! The client of the account service (transport, token stores, profiles)
//! is the `acctl-client` crate, which cannot import the UI; the TUI (`app`,
//! `screens`, `widgets`, `theme`, `keymap`) talks to the server only through
//! Actions that a worker turns into client calls.

pub mod app;
pub mod cli;
pub mod config;
pub mod context;
#[cfg(feature = "demo")]
pub mod demo;
pub mod files;
pub mod keymap;
pub mod logging;
pub mod screens;
pub mod theme;
pub mod widgets;
