//! Billing without an outside payment service: a catalogue of plans, whole
//! day proration, a [`BillingProvider`] that "charges" the card on file,
//! renewals driven by the server's [`crate::Clock`], and invoice PDFs.
//!
//! Money is `i64` minor units (cents) from the catalogue to the wire; no
//! float ever holds an amount.

pub mod pdf;
pub mod periods;
pub mod plans;
pub mod proration;
pub mod provider;
pub mod renewals;
pub mod wire;

pub use provider::{BillingProvider, LocalProvider};
pub use renewals::{run_billing, spawn_renewals};
