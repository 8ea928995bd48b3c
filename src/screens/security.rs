//! Security: password, email, two-factor sign-in, recovery codes and the
//! security log (being written).

pub mod log;
