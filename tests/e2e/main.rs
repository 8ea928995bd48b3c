//! The real `acctl` console in a pseudo-terminal, one module per area.

#[path = "../support/mod.rs"]
mod support;

mod admin;
mod allauth;
mod billing;
mod hostile;
mod journeys;
mod privacy;
