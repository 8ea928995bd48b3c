//! `acctl-client` against a real acctd on 127.0.0.1, one module per area,
//! and against the other kinds of service it speaks to.

#[path = "../support/mod.rs"]
mod support;

mod basics;
mod better_auth;
mod faults;
mod profile;
mod security;
