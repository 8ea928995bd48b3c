//! Profile and preference checks shared by acctd (which enforces them) and
//! acctl (which checks as the person types, so a mistake shows on its field
//! before anything is sent). Messages say what to change.

use std::str::FromStr;

/// Default preferences of an account that never set any.
pub const DEFAULT_THEME: &str = "system";
pub const DEFAULT_LANGUAGE: &str = "en";
pub const DEFAULT_TIMEZONE: &str = "UTC";

/// The phone number as stored: `+` and 8 to 15 digits (E.164). Spaces,
/// dashes, dots and brackets people type between digits are dropped; an
/// empty value means "no phone". Err says what to change.
pub fn normalize_phone(typed: &str) -> Result<Option<String>, PhoneAdvice> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let mut digits = String::with_capacity(typed.len());
    for (i, c) in typed.chars().enumerate() {
        match c {
            '+' if i == 0 => {}
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(PhoneAdvice),
        }
    }
    let plus = typed.starts_with('+');
    let fits = (8..=15).contains(&digits.len()) && !digits.starts_with('0');
    if !plus || !fits {
        return Err(PhoneAdvice);
    }
    Ok(Some(format!("+{digits}")))
}

/// A phone number not in the stored form, and how to write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneAdvice;

impl std::fmt::Display for PhoneAdvice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Start with + and the country code, e.g. +44 1632 960961")
    }
}

impl std::error::Error for PhoneAdvice {}

/// The advice as a field error's message.
impl From<PhoneAdvice> for String {
    fn from(advice: PhoneAdvice) -> Self {
        advice.to_string()
    }
}

/// A BCP 47 language tag of the usual shape: a 2-3 letter language, then
/// optionally a 4-letter script, a 2-letter or 3-digit region, and variants
/// (`en`, `en-GB`, `zh-Hant-TW`, `de-CH-1996`). None when it is one.
pub fn language_problem(tag: &str) -> Option<String> {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    let letters = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic())
    };
    if !letters(language, 2..=3) {
        return Some(language_advice());
    }
    for part in parts {
        let script = letters(part, 4..=4);
        let region =
            letters(part, 2..=2) || (part.len() == 3 && part.chars().all(|c| c.is_ascii_digit()));
        let variant = (5..=8).contains(&part.len())
            && part.chars().all(|c| c.is_ascii_alphanumeric())
            || (part.len() == 4 && part.starts_with(|c: char| c.is_ascii_digit()));
        if !(script || region || variant) {
            return Some(language_advice());
        }
    }
    None
}

fn language_advice() -> String {
    "Enter a language tag like en, en-GB or pt-BR".to_string()
}

/// True for an IANA time zone name such as `Europe/London` or `UTC`.
pub fn is_timezone(name: &str) -> bool {
    chrono_tz::Tz::from_str(name).is_ok()
}

/// Every IANA time zone name, in the database's order (alphabetical).
pub fn timezones() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
}

/// What to say about a time zone that is not one.
pub fn timezone_advice() -> String {
    "Choose an IANA time zone such as Europe/London, America/New_York or UTC".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_kept_in_international_form() {
        assert_eq!(
            normalize_phone(" +44 (1632) 960-961 "),
            Ok(Some("+441632960961".into()))
        );
        assert_eq!(normalize_phone(""), Ok(None), "empty clears the number");
        for bad in [
            "01632 960961",
            "+0441632960961",
            "+44 1632 ext 9",
            "+1234",
            "++4412345678",
        ] {
            assert!(normalize_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn language_tags_of_the_usual_shapes_are_accepted() {
        for good in ["en", "en-GB", "pt-BR", "zh-Hant-TW", "es-419", "de-CH-1996"] {
            assert_eq!(language_problem(good), None, "{good}");
        }
        for bad in ["", "e", "english", "en_GB", "en-", "en-G", "12"] {
            assert!(language_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn only_iana_zones_are_time_zones() {
        assert!(is_timezone("Europe/London") && is_timezone("UTC"));
        assert!(!is_timezone("Mars/Olympus") && !is_timezone("europe/london "));
        assert!(timezones().count() > 300);
        assert!(timezones().any(|z| z == "America/New_York"));
    }
}
