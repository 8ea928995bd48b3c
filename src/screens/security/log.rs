//! The security log (being written).
