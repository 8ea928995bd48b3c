//! acctl: a keyboard-first terminal console for your account.
//!
//! `api`, `auth` and `config` never import the UI; the TUI (`app`, `screens`,
//! `widgets`, `theme`, `keymap`) talks to the server only through Actions that
//! a worker turns into `api` calls.

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod context;
pub mod demo;
pub mod files;
pub mod keymap;
pub mod logging;
pub mod screens;
pub mod theme;
pub mod widgets;
