//! Shared by the integration tests: a real acctd on loopback, and the real
//! `acctl` binary in a pseudo-terminal whose screen is read back through a
//! vt100 parser. Journeys read like a person at the keyboard:
//! `term.type_text("dana@example.com"); term.press(Key::Enter);
//! term.wait_for("Overview")`. Scripted commands run as [`cli::Person`],
//! who has a keyring of their own. [`better_auth::BetterAuth`] is a real
//! Better Auth service for the backend's journeys.

#![allow(dead_code)] // each test binary uses its own part of this module

pub mod allauth;
pub mod better_auth;
pub mod cli;
pub mod hostile;
pub mod pty;
pub mod server;

/// Seconds since 1970, as an authenticator app's clock reads.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// The code an authenticator app shows at `unix_seconds` for the base32
/// `secret` (SHA-1, 6 digits, 30 s: what every service here uses).
pub fn totp_at(secret: &str, unix_seconds: u64) -> String {
    use totp_rs::{Algorithm, Builder, Secret};
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_secret(Secret::try_from_base32(secret).expect("base32 key"))
        .build()
        .expect("totp");
    totp.generate(unix_seconds).to_string()
}

/// True when every program is installed. Missing programs skip the test
/// with the reason, unless `CI` is set: there they must be present.
pub fn programs_present(programs: &[&str]) -> bool {
    let missing: Vec<&str> = programs
        .iter()
        .copied()
        .filter(|p| {
            std::process::Command::new("sh")
                .args(["-c", &format!("command -v {p}")])
                .output()
                .map_or(true, |o| !o.status.success())
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    let reason = format!(
        "missing programs: {} (apt-get install dbus gnome-keyring keyutils)",
        missing.join(", ")
    );
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the keyring tests: {reason}"
    );
    eprintln!("skipped: {reason}");
    false
}
