//! Whatever a server (or a proxy in between) sends back, turning it into a
//! value or an error never panics, and an error always has words.

#![no_main]

use acctl::api::decode_answer;
use acctl_api::{Account, LoginResponse, MfaStatus, Page, SecurityEvent, Session, TotpEnrollment};
use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: [Option<&str>; 5] = [
    None,
    Some("application/json"),
    Some("application/problem+json"),
    Some("text/html; charset=utf-8"),
    Some("application/json; charset=utf-8"),
];

fn check<T: serde::de::DeserializeOwned>(status: u16, ct: Option<&str>, body: &[u8]) {
    if let Err(error) = decode_answer::<T>(status, ct, Some("req_fuzz".into()), body) {
        assert!(!error.to_string().is_empty());
    }
}

fuzz_target!(|data: &[u8]| {
    let [a, b, c, body @ ..] = data else { return };
    let status = 100 + u16::from_be_bytes([*a, *b]) % 500;
    let ct = CONTENT_TYPES[usize::from(*c) % CONTENT_TYPES.len()];
    check::<Account>(status, ct, body);
    check::<Page<Session>>(status, ct, body);
    check::<Page<SecurityEvent>>(status, ct, body);
    check::<LoginResponse>(status, ct, body);
    check::<TotpEnrollment>(status, ct, body);
    check::<MfaStatus>(status, ct, body);
});
