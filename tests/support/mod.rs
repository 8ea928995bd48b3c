//! Shared by the integration tests: a real acctd on loopback, and the real
//! `acctl` binary in a pseudo-terminal whose screen is read back through a
//! vt100 parser. Journeys read like a person at the keyboard:
//! `term.type_text("dana@example.com"); term.press(Key::Enter);
//! term.wait_for("Overview")`.

#![allow(dead_code)] // each test binary uses its own part of this module

pub mod pty;
pub mod server;
