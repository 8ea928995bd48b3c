//! What a Better Auth client remembers for its life and never stores: the
//! features found missing, the other sessions' tokens (to revoke them by
//! id), the backup codes of an enrolment waiting for its first code, and
//! the address an email change waits on (the service does not say).

use std::collections::HashMap;
use std::sync::Mutex;

use acctl_api::SecretText;

use crate::{Capabilities, Feature};

#[derive(Default)]
pub(crate) struct Memory {
    missing: Mutex<Vec<Feature>>,
    /// Session id -> that session's bearer token, from the last list.
    session_tokens: Mutex<HashMap<String, SecretText>>,
    /// Made by `two-factor/enable`, shown once the first code is accepted.
    pending_codes: Mutex<Option<Vec<SecretText>>>,
    /// The new address a link was mailed to, until it is confirmed.
    pending_email: Mutex<Option<String>>,
}

/// A poisoned lock only means another task panicked mid-update; the data
/// (a set, a map) is still whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Memory {
    /// Without two-factor there are no backup codes either.
    pub(super) fn lacks(&self, feature: Feature) {
        let mut missing = lock(&self.missing);
        let implied: &[Feature] = match feature {
            Feature::Mfa => &[Feature::Mfa, Feature::RecoveryCodes],
            _ => &[feature],
        };
        for feature in implied {
            if !missing.contains(feature) {
                missing.push(*feature);
            }
        }
    }

    /// `at_most` without what was found missing.
    pub(super) fn offered(&self, at_most: Capabilities) -> Capabilities {
        lock(&self.missing)
            .iter()
            .fold(at_most, |caps, feature| caps.without(*feature))
    }

    pub(super) fn remember_sessions(&self, tokens: HashMap<String, SecretText>) {
        *lock(&self.session_tokens) = tokens;
    }

    pub(super) fn session_token(&self, id: &str) -> Option<SecretText> {
        lock(&self.session_tokens).get(id).cloned()
    }

    pub(super) fn forget_session(&self, id: &str) {
        lock(&self.session_tokens).remove(id);
    }

    pub(super) fn hold_codes(&self, codes: Vec<SecretText>) {
        *lock(&self.pending_codes) = Some(codes);
    }

    pub(super) fn take_codes(&self) -> Option<Vec<SecretText>> {
        lock(&self.pending_codes).take()
    }

    pub(super) fn codes_pending(&self) -> bool {
        lock(&self.pending_codes).is_some()
    }

    pub(super) fn set_pending_email(&self, email: Option<String>) {
        *lock(&self.pending_email) = email;
    }

    pub(super) fn pending_email(&self) -> Option<String> {
        lock(&self.pending_email).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_features_stay_missing() {
        let memory = Memory::default();
        let all = Capabilities::of(&[Feature::Mfa, Feature::Sessions]);
        assert_eq!(memory.offered(all), all);
        memory.lacks(Feature::Sessions);
        memory.lacks(Feature::Sessions);
        assert_eq!(memory.offered(all), Capabilities::of(&[Feature::Mfa]));
        let codes = Capabilities::of(&[Feature::Mfa, Feature::RecoveryCodes, Feature::Profile]);
        memory.lacks(Feature::Mfa);
        assert_eq!(memory.offered(codes), Capabilities::of(&[Feature::Profile]));
    }

    #[test]
    fn session_tokens_are_found_by_id_and_forgotten() {
        let memory = Memory::default();
        let tokens = HashMap::from([("s1".to_string(), SecretText::new("t1"))]);
        memory.remember_sessions(tokens);
        assert_eq!(
            memory
                .session_token("s1")
                .map(|t| t.expose().to_string())
                .as_deref(),
            Some("t1")
        );
        memory.forget_session("s1");
        assert!(memory.session_token("s1").is_none());
    }
}
