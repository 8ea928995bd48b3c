//! Any body (and some junk paths) sent to any endpoint: acctd answers with
//! a 4xx or a 2xx, never a 500 (a panic or an unhandled case).

#![no_main]

use std::sync::OnceLock;

use acctd::fuzzing::Harness;
use acctl_api::paths;
use libfuzzer_sys::fuzz_target;

const ENDPOINTS: &[(&str, &str)] = &[
    ("POST", paths::SIGNUP),
    ("POST", paths::LOGIN),
    ("POST", paths::LOGIN_MFA),
    ("POST", paths::REFRESH),
    ("POST", paths::LOGOUT),
    ("GET", paths::ME),
    ("GET", paths::SESSIONS),
    ("DELETE", paths::SESSIONS),
    ("GET", paths::SECURITY_EVENTS),
    ("POST", paths::PASSWORD),
    ("POST", paths::EMAIL),
    ("POST", paths::EMAIL_VERIFY),
    ("GET", paths::MFA),
    ("POST", paths::MFA_TOTP),
    ("DELETE", paths::MFA_TOTP),
    ("POST", paths::MFA_TOTP_CONFIRM),
    ("POST", paths::MFA_RECOVERY_CODES),
];

const CONTENT_TYPES: [&str; 4] = [
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
];

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(Harness::new)
}

fuzz_target!(|data: &[u8]| {
    let [pick, flags, body @ ..] = data else {
        return;
    };
    let (method, path) = ENDPOINTS[usize::from(*pick) % ENDPOINTS.len()];
    let ct = CONTENT_TYPES[usize::from(*flags) % CONTENT_TYPES.len()];
    let authed = flags & 0x10 != 0;
    // Now and then the body is a path or query instead: ids and cursors.
    let junk_path;
    let (path, body) = if flags & 0x20 != 0 {
        let tail = String::from_utf8_lossy(body);
        junk_path = if flags & 0x40 != 0 {
            format!("{}?cursor={tail}&kind={tail}", paths::SECURITY_EVENTS)
        } else {
            format!("{}/{tail}", paths::SESSIONS)
        };
        (junk_path.as_str(), &[][..])
    } else {
        (path, body)
    };
    let status = harness().handle(method, path, ct, authed, body);
    assert!(status != 500 && status < 600, "{method} {path}: {status}");
});
