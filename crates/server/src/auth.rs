//! Tokens, passwords, and the bearer-token extractor.

pub mod mfa;
pub mod password;
pub mod session;
pub mod tokens;

pub use session::{Authenticated, CallerAccount};
