//! `acctl-client` against a real acctd on 127.0.0.1, one module per area,
//! and against a real django-allauth site (`allauth`).

#[path = "../support/allauth.rs"]
#[allow(dead_code)] // the CLI tests use more of it
mod allauth_site;

mod allauth;
mod basics;
mod faults;
mod profile;
mod security;
