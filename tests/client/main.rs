//! `acctl-client` against a real acctd on 127.0.0.1, one module per area.

mod basics;
mod faults;
mod profile;
mod security;
