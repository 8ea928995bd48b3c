//! Tokens kept in this process only: the fallback when no keyring works, the
//! demo's store, and the store of unit tests.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::{StoreError, StoreKind, StoredTokens, TokenStore};

/// Forgets everything when the process ends.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, StoredTokens>>,
}

impl MemoryStore {
    fn entries(&self) -> MutexGuard<'_, HashMap<String, StoredTokens>> {
        // A panic elsewhere while holding the lock leaves the map intact.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Profile names only; the tokens are redacted anyway.
        let profiles: Vec<String> = self.entries().keys().cloned().collect();
        f.debug_struct("MemoryStore")
            .field("profiles", &profiles)
            .finish()
    }
}

impl TokenStore for MemoryStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Memory
    }

    fn load(&self, profile: &str) -> Result<Option<StoredTokens>, StoreError> {
        Ok(self.entries().get(profile).cloned())
    }

    fn save(&self, profile: &str, tokens: &StoredTokens) -> Result<(), StoreError> {
        self.entries().insert(profile.to_string(), tokens.clone());
        Ok(())
    }

    fn clear(&self, profile: &str) -> Result<(), StoreError> {
        self.entries().remove(profile);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use acctl_api::SecretText;

    fn tokens(access: &str) -> StoredTokens {
        StoredTokens {
            access_token: SecretText::new(access),
            refresh_token: SecretText::new("refresh-secret"),
            session_id: "s1".into(),
            access_expires_at: None,
        }
    }

    #[test]
    fn keeps_profiles_apart_and_forgets_on_clear() {
        let store = MemoryStore::default();
        store.save("work", &tokens("a-work")).expect("saved");
        store.save("home", &tokens("a-home")).expect("saved");
        store.clear("home").expect("cleared");

        let work = store.load("work").expect("loads").expect("present");
        assert_eq!(work.access_token.expose(), "a-work");
        assert!(store.load("home").expect("loads").is_none());
        assert_eq!(store.kind(), StoreKind::Memory);
    }

    #[test]
    fn debug_shows_profiles_but_no_tokens() {
        let store = MemoryStore::default();
        store
            .save("work", &tokens("a-secret-value"))
            .expect("saved");
        let debug = format!("{store:?}");
        assert!(debug.contains("work"), "{debug}");
        assert!(!debug.contains("a-secret-value"), "{debug}");
    }
}
