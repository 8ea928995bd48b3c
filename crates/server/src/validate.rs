//! Field checks shared by signup, `acctd users add`, login and the security
//! routes. Messages say what to change, since the console shows them next to
//! the field.

use acctl_api::FieldErrors;

pub use acctl_api::password_policy::{MAX_PASSWORD_CHARS, password_problems};

pub const MAX_NAME_CHARS: usize = 100;
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
    }) && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    (!shape_ok).then(|| "Enter an email address like name@example.com.".to_string())
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
    if text.chars().any(char::is_control) {
        return Some("Leave out control characters such as tabs and line breaks.".to_string());
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
}
