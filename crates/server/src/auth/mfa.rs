//! TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, one step of skew), recovery
//! codes and emailed codes. Every secret comes from the OS CSPRNG; recovery
//! and email codes are stored only as hashes.

use rand::Rng as _;
use rand::RngCore as _;
use rand::rngs::OsRng;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use crate::auth::tokens;

/// How many recovery codes a set holds.
pub const RECOVERY_CODE_COUNT: usize = 10;
const STEP_SECS: u64 = 30;
/// Lower-case letters and digits without the look-alikes 0/o, 1/l/i.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A new random 160-bit secret, base32 (what authenticator apps take).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    Secret::from(bytes.to_vec()).to_base32()
}

fn totp(secret_base32: &str, label: Option<(&str, &str)>) -> anyhow::Result<Totp> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(|e| anyhow::anyhow!("stored TOTP secret: {e:?}"))?;
    let mut builder = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP_SECS)
        .with_secret(secret);
    if let Some((issuer, account)) = label {
        // ':' separates issuer and account in the label, so neither may hold one.
        builder = builder
            .with_issuer(Some(issuer.replace(':', " ")))
            .with_account_name(account.replace(':', " "));
    }
    builder.build().map_err(|e| anyhow::anyhow!("TOTP: {e:?}"))
}

/// `otpauth://totp/...` for an authenticator app.
pub fn otpauth_uri(secret_base32: &str, issuer: &str, account: &str) -> anyhow::Result<String> {
    totp(secret_base32, Some((issuer, account)))?
        .to_url()
        .map_err(|e| anyhow::anyhow!("otpauth URI: {e:?}"))
}

/// The time step `code` belongs to, if it is right at `now_ms` (± one step).
pub fn check_code(secret_base32: &str, code: &str, now_ms: i64) -> anyhow::Result<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let now_secs = u64::try_from(now_ms / 1000).unwrap_or_default();
    let step = totp(secret_base32, None)?.check(&code, now_secs);
    Ok(step.and_then(|s| i64::try_from(s).ok()))
}

/// A fresh set of recovery codes like `abcd-efgh-jk`.
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODE_COUNT).map(|_| recovery_code()).collect()
}

fn recovery_code() -> String {
    let mut rng = OsRng;
    let chars: String = (0..10)
        .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..])
}

/// The stored form of a recovery code: salted with the account id so equal
/// codes of two accounts never share a row, and read leniently (case,
/// dashes, spaces) since people type them.
pub fn recovery_code_hash(user_id: &str, code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    tokens::hash(&format!("{user_id}:{normal}"))
}

/// The hash to look a typed recovery code up by; `None` when it holds
/// anything but letters, digits, dashes and spaces, which no code does
/// (a NUL or an escape sequence is not a typing slip to forgive).
pub fn typed_recovery_code_hash(user_id: &str, typed: &str) -> Option<String> {
    typed
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
        .then(|| recovery_code_hash(user_id, typed))
}

/// A 6-digit code to send by email.
pub fn new_email_code() -> String {
    format!("{:06}", OsRng.gen_range(0..1_000_000))
}

/// The stored form of an email code, salted with the account id.
pub fn email_code_hash(user_id: &str, code: &str) -> String {
    tokens::hash(&format!("email:{user_id}:{}", code.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_check_once_per_step_window() {
        let secret = new_secret();
        let now_ms = 1_700_000_000_000;
        let code = totp(&secret, None).expect("totp").generate(1_700_000_000);
        let step = check_code(&secret, &code.to_string(), now_ms).expect("checks");
        assert_eq!(step, Some(1_700_000_000 / 30));
        assert_eq!(check_code(&secret, "12345", now_ms).expect("checks"), None);
        let uri = otpauth_uri(&secret, "acctd", "ann@example.com").expect("uri");
        assert!(uri.starts_with("otpauth://totp/"));
    }

    #[test]
    fn recovery_codes_look_alike_and_hash_leniently() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODE_COUNT);
        assert_eq!(codes[0].len(), 12);
        assert_eq!(
            recovery_code_hash("u", &codes[0]),
            recovery_code_hash("u", &codes[0].to_uppercase().replace('-', " "))
        );
        assert_ne!(
            recovery_code_hash("u", &codes[0]),
            recovery_code_hash("v", &codes[0])
        );
        let typed = format!(" {} ", codes[0].to_uppercase());
        assert_eq!(
            typed_recovery_code_hash("u", &typed),
            Some(recovery_code_hash("u", &codes[0]))
        );
        assert_eq!(
            typed_recovery_code_hash("u", &format!("{}\u{0}", codes[0])),
            None
        );
        assert_eq!(new_email_code().len(), 6);
    }
}
