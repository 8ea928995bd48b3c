//! A secret string that crosses the wire: tokens, passwords, codes.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Serialises as a plain JSON string, but never shows itself in `Debug`, so a
/// request or response logged with `{:?}` leaks nothing.
#[derive(Clone)]
pub struct SecretText(SecretString);

impl SecretText {
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The secret itself. Call only where it is sent or checked.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl From<String> for SecretText {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SecretText {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<SecretString> for SecretText {
    fn from(value: SecretString) -> Self {
        Self(value)
    }
}

impl From<SecretText> for SecretString {
    fn from(value: SecretText) -> Self {
        value.0
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for SecretText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let s = SecretText::new("hunter2-token");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert!(!format!("{:?}", Some(&s)).contains("hunter2"));
    }

    #[test]
    fn round_trips_as_a_plain_string() {
        let s = SecretText::new("abc");
        let json = serde_json::to_string(&s).expect("serialises");
        assert_eq!(json, "\"abc\"");
        let back: SecretText = serde_json::from_str(&json).expect("parses");
        assert_eq!(back.expose(), "abc");
    }
}
