//! Field checks shared by signup, `acctd users add`, login and the security
//! routes. Messages say what to change, since the console shows them next to
//! the field.

use acctl_api::FieldErrors;

pub use acctl_api::password_policy::{MAX_PASSWORD_CHARS, password_problems};

pub const MAX_NAME_CHARS: usize = acctl_api::NAME_MAX_CHARS;
pub const MAX_EMAIL_CHARS: usize = 254;
pub const UNKNOWN_DEVICE: &str = "Unknown device";

/// Collects messages per field.
#[derive(Debug, Default)]
pub struct Checks(FieldErrors);

impl Checks {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_default()
            .push(message.into());
    }

    /// `Ok` when nothing was added, otherwise the messages.
    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// The form an email is stored and compared in: trimmed, lower case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A new account's fields, trimmed and checked.
pub struct NewAccount {
    pub email: String,
    pub name: String,
}

pub fn new_account(email: &str, password: &str, name: &str) -> Result<NewAccount, FieldErrors> {
    let mut checks = Checks::default();
    let email = email.trim();
    if let Some(message) = email_problem(email) {
        checks.add("email", message);
    }
    for message in password_problems(password, email) {
        checks.add("password", message);
    }
    let name = name.trim();
    if let Some(message) = text_problem(name, MAX_NAME_CHARS, true) {
        checks.add("name", message);
    }
    checks.finish()?;
    Ok(NewAccount {
        email: email.to_string(),
        name: name.to_string(),
    })
}

pub fn email_problem(email: &str) -> Option<String> {
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Some(format!(
            "Use an email address of at most {MAX_EMAIL_CHARS} characters."
        ));
    }
    let shape_ok = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    }) && !email
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || is_direction_control(c));
    (!shape_ok).then(|| "Enter an email address like name@example.com.".to_string())
}

/// Unicode's invisible direction embeddings, overrides and isolates. They
/// reorder the text around them on screen ("Ann\u{202e}gpj.exe" shows as
/// "Annexe.jpg"), so a name holding one can pose as another.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Control characters and the Unicode line and paragraph separators, which
/// `char::is_control` does not count but which break a line just the same.
fn is_control_or_line_break(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Why a free-text field is refused, if it is: empty (when required), too
/// long, or holding control characters.
pub fn text_problem(text: &str, max_chars: usize, required: bool) -> Option<String> {
    if required && text.trim().is_empty() {
        return Some("Fill this in.".to_string());
    }
    if text.chars().count() > max_chars {
        return Some(format!("Use at most {max_chars} characters."));
    }
    if text.chars().any(is_control_or_line_break) {
        return Some("Leave out control characters such as tabs and line breaks.".to_string());
    }
    if text.chars().any(is_direction_control) {
        return Some(DIRECTION_ADVICE.to_string());
    }
    None
}

const DIRECTION_ADVICE: &str =
    "Leave out invisible text-direction characters (U+202A to U+202E, U+2066 to U+2069).";

/// A bio as stored: line breaks as `\n` (from `\r\n` or `\r` too), and
/// no spaces or blank lines around it.
pub fn normalize_bio(typed: &str) -> String {
    typed
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

/// Why a (normalised) bio is refused, if it is: too long, or holding
/// control or direction characters. Unlike names, it may span lines.
pub fn bio_problem(bio: &str) -> Option<String> {
    let max = acctl_api::BIO_MAX_CHARS;
    if bio.chars().count() > max {
        return Some(format!("Use at most {max} characters."));
    }
    if bio
        .chars()
        .any(|c| c != '\n' && is_control_or_line_break(c))
    {
        return Some(
            "Leave out control characters such as tabs; ordinary line breaks are fine.".to_string(),
        );
    }
    if bio.chars().any(is_direction_control) {
        return Some(DIRECTION_ADVICE.to_string());
    }
    None
}

/// The device name a session is listed under: the one given, else one made
/// from the user agent, else "Unknown device".
pub fn device_name(given: Option<&str>, user_agent: Option<&str>) -> Result<String, FieldErrors> {
    let given = given.map(str::trim).filter(|name| !name.is_empty());
    if let Some(name) = given {
        let mut checks = Checks::default();
        if let Some(message) = text_problem(name, MAX_NAME_CHARS, true) {
            checks.add("device_name", message);
        }
        checks.finish()?;
        return Ok(name.to_string());
    }
    Ok(user_agent.map_or_else(|| UNKNOWN_DEVICE.to_string(), device_from_user_agent))
}

/// "Firefox on Linux" from a browser's user agent; the first product token
/// ("curl", "acctl") from anything else.
pub fn device_from_user_agent(user_agent: &str) -> String {
    const BROWSERS: [(&str, &str); 5] = [
        ("Firefox/", "Firefox"),
        ("Edg/", "Edge"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];
    const SYSTEMS: [(&str, &str); 6] = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];
    let browser = BROWSERS
        .iter()
        .find(|(needle, _)| user_agent.contains(needle));
    let system = SYSTEMS
        .iter()
        .find(|(needle, _)| user_agent.contains(needle));
    match (browser, system) {
        (Some((_, b)), Some((_, s))) => format!("{b} on {s}"),
        (Some((_, b)), None) => (*b).to_string(),
        _ => first_product(user_agent),
    }
}

fn first_product(user_agent: &str) -> String {
    let product: String = user_agent
        .split(['/', ' '])
        .next()
        .unwrap_or_default()
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    if product.is_empty() {
        UNKNOWN_DEVICE.to_string()
    } else {
        product
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_checked_per_field() {
        let errors = new_account("nope", "short", "\u{7}")
            .err()
            .expect("invalid");
        assert!(errors.contains_key("email"));
        assert!(errors.contains_key("password"));
        assert!(errors.contains_key("name"));
        let errors = new_account("a@b.co", "A@B.co", "Ann")
            .err()
            .expect("invalid");
        assert!(errors["password"].iter().any(|m| m.contains("email")));
        let ok = new_account("  Ann@Example.com ", "correct horse", " Ann ").expect("valid");
        assert_eq!(
            (ok.email.as_str(), ok.name.as_str()),
            ("Ann@Example.com", "Ann")
        );
        assert!(new_account("a@b.co", "long enough!", &"n".repeat(101)).is_err());
    }

    #[test]
    fn devices_are_named_from_user_agents() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(device_from_user_agent(firefox), "Firefox on Linux");
        assert_eq!(device_from_user_agent("acctl/0.1.0"), "acctl");
        assert_eq!(device_name(None, None).expect("ok"), UNKNOWN_DEVICE);
        assert_eq!(device_name(Some(" laptop "), None).expect("ok"), "laptop");
        assert!(device_name(Some("a\nb"), None).is_err());
    }

    #[test]
    fn direction_controls_and_line_separators_are_refused() {
        for bad in ["Ann\u{202e}gpj.exe", "Ann\u{2066}", "Ann\u{2028}Bo"] {
            assert!(text_problem(bad, MAX_NAME_CHARS, true).is_some(), "{bad:?}");
            assert!(device_name(Some(bad), None).is_err(), "{bad:?}");
        }
        assert!(email_problem("ann\u{202e}@example.com").is_some());
        // Letters of right-to-left scripts are fine; only the controls are not.
        assert_eq!(
            text_problem("\u{5e9}\u{5e8}\u{5d4}", MAX_NAME_CHARS, true),
            None
        );
    }

    #[test]
    fn bios_may_span_lines_but_hold_no_other_controls() {
        assert_eq!(normalize_bio(" a\r\nb\rc \n"), "a\nb\nc");
        assert_eq!(bio_problem("Line one\nLine two"), None);
        for bad in ["tab\there", "bell\u{7}", "Ann\u{202e}x", "a\u{2028}b"] {
            assert!(bio_problem(bad).is_some(), "{bad:?}");
        }
        let max = acctl_api::BIO_MAX_CHARS;
        assert_eq!(bio_problem(&"é".repeat(max)), None, "characters, not bytes");
        assert!(bio_problem(&"é".repeat(max + 1)).is_some());
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        const PASSWORD: &str = "correct horse battery";

        /// Arbitrary text, weighted toward the edges: surrounding spaces,
        /// control and direction characters, lengths around the limits.
        fn text() -> impl Strategy<Value = String> {
            prop_oneof![
                any::<String>(),
                "\\PC{0,120}",
                " {0,2}[a-z@.]{0,105} {0,2}",
                ".{0,4}[\u{0}-\u{1f}\u{7f}\u{85}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{2028}\u{2029}].{0,4}",
            ]
        }

        /// The rule for names, written out again independently of the code.
        fn acceptable_name(trimmed: &str) -> bool {
            let banned = |c: char| {
                c.is_control()
                    || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            };
            !trimmed.is_empty()
                && trimmed.chars().count() <= MAX_NAME_CHARS
                && !trimmed.chars().any(banned)
        }

        proptest! {
            #![proptest_config(ProptestConfig {
                failure_persistence: None,
                ..ProptestConfig::with_cases(256)
            })]

            #[test]
            fn accounts_keep_exactly_the_trimmed_input_or_say_which_field(
                email in text(),
                name in text(),
            ) {
                match new_account(&email, PASSWORD, &name) {
                    Ok(account) => {
                        prop_assert_eq!(account.name.as_str(), name.trim());
                        prop_assert_eq!(account.email.as_str(), email.trim());
                        prop_assert!(acceptable_name(&account.name));
                        prop_assert!(email_problem(&account.email).is_none());
                        prop_assert_eq!(account.email.matches('@').count(), 1);
                    }
                    Err(errors) => {
                        prop_assert!(!errors.is_empty());
                        prop_assert!(errors.values().all(|messages| !messages.is_empty()));
                        prop_assert_eq!(errors.contains_key("name"), !acceptable_name(name.trim()));
                        prop_assert_eq!(
                            errors.contains_key("email"),
                            email_problem(email.trim()).is_some()
                        );
                    }
                }
            }

            #[test]
            fn accepted_emails_have_no_spaces_controls_or_direction_marks(email in text()) {
                if email_problem(&email).is_none() {
                    prop_assert!(!email.chars().any(|c| c.is_whitespace()
                        || c.is_control()
                        || is_direction_control(c)));
                    prop_assert!(email.chars().count() <= MAX_EMAIL_CHARS);
                }
            }

            #[test]
            fn device_names_are_the_trimmed_input_or_refused(given in text()) {
                let trimmed = given.trim();
                match device_name(Some(&given), None) {
                    Ok(name) if trimmed.is_empty() => prop_assert_eq!(name.as_str(), UNKNOWN_DEVICE),
                    Ok(name) => {
                        prop_assert_eq!(name.as_str(), trimmed);
                        prop_assert!(acceptable_name(&name));
                    }
                    Err(errors) => {
                        prop_assert!(!acceptable_name(trimmed));
                        prop_assert!(errors.contains_key("device_name"));
                    }
                }
            }

            #[test]
            fn any_user_agent_names_a_short_device(user_agent in "[ -~]{0,600}") {
                let name = device_from_user_agent(&user_agent);
                prop_assert!(!name.is_empty());
                prop_assert!(name.chars().count() <= MAX_NAME_CHARS);
            }
        }
    }
}
