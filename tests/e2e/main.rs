//! The real `acctl` console in a pseudo-terminal, one module per area.

#[path = "../support/mod.rs"]
mod support;

mod allauth;
mod billing;
mod journeys;
mod privacy;
