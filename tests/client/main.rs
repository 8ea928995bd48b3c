//! `acctl-client` against a real acctd on 127.0.0.1, one module per area,
//! against a real django-allauth site (`allauth`) and a real Better Auth
//! service (`better_auth`).

#[path = "../support/mod.rs"]
mod support;

use support::allauth as allauth_site;

mod allauth;
mod basics;
mod better_auth;
mod faults;
mod profile;
mod security;
