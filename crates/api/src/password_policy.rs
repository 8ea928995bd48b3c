//! The one password policy: acctd enforces it (signup, `acctd users add`,
//! password changes) and the console's strength meter shows it while typing,
//! so the two never disagree. Long enough, not the email, not a common
//! password, and hard enough to guess by zxcvbn's estimate.

use std::collections::HashSet;
use std::sync::OnceLock;

use zxcvbn::Score;

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 1024;
/// zxcvbn's work grows with the length; a longer password's prefix already
/// tells whether it is guessable.
const ESTIMATE_CHARS: usize = 100;

/// About a thousand of the most used passwords, lower case, one per line.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// How strong a password is, for a meter, and why it would be refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// zxcvbn's score, 0 (guessed at once) to 4 (very unlikely); 0 when a
    /// rule already refuses the password.
    pub score: u8,
    /// Why the password is refused; empty when it is accepted.
    pub problems: Vec<String>,
}

impl Assessment {
    pub fn accepted(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Why `password` is refused for the account `email`; empty when it is fine.
pub fn password_problems(password: &str, email: &str) -> Vec<String> {
    assess(password, email).problems
}

/// The policy's verdict on `password` for the account `email`.
pub fn assess(password: &str, email: &str) -> Assessment {
    let mut problems = Vec::new();
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        problems.push(format!("Use at least {MIN_PASSWORD_CHARS} characters."));
    }
    if chars > MAX_PASSWORD_CHARS {
        problems.push(format!("Use at most {MAX_PASSWORD_CHARS} characters."));
    }
    if password.chars().any(char::is_control) {
        problems.push("Leave out control characters such as tabs and line breaks.".to_string());
    }
    if !email.is_empty() && normalize_email(password) == normalize_email(email) {
        problems.push("Choose a password that is not your email address.".to_string());
    }
    if !problems.is_empty() || password.is_empty() {
        return Assessment { score: 0, problems };
    }
    if is_common(password) {
        problems.push("This is one of the most common passwords; choose another.".to_string());
        return Assessment { score: 0, problems };
    }
    let (score, feedback) = estimate(password, email);
    if score < 3 {
        problems.push(feedback);
    }
    Assessment { score, problems }
}

/// Emails compare without case and surrounding space.
fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn is_common(password: &str) -> bool {
    static COMMON: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let common = COMMON.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect()
    });
    common.contains(password.trim().to_lowercase().as_str())
}

/// zxcvbn's score, and its advice for when it is below "safely
/// unguessable" (3).
fn estimate(password: &str, email: &str) -> (u8, String) {
    let prefix: String = password.chars().take(ESTIMATE_CHARS).collect();
    let local_part = email.split('@').next().unwrap_or_default();
    let estimate = zxcvbn::zxcvbn(&prefix, &[email, local_part]);
    let score = match estimate.score() {
        Score::Zero => 0,
        Score::One => 1,
        Score::Two => 2,
        Score::Three => 3,
        _ => 4,
    };
    let feedback = estimate
        .feedback()
        .map(|f| f.to_string().trim().to_string())
        .filter(|text| !text.is_empty());
    let advice = match feedback {
        Some(text) => format!("This password is too easy to guess. {text}"),
        None => "This password is too easy to guess. Add another word or two.".to_string(),
    };
    (score, advice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_weak_passwords_are_refused() {
        assert!(!password_problems("qwertyuiop", "a@b.co").is_empty());
        assert!(!password_problems("QWERTYUIOP", "a@b.co").is_empty());
        assert!(password_problems("Password123", "a@b.co")[0].contains("common"));
        assert!(password_problems("aaaaaaaaaaaa", "a@b.co")[0].contains("guess"));
        assert!(password_problems("correct horse battery", "a@b.co").is_empty());
        assert!(password_problems("cedar-otter-lumen-4821", "a@b.co").is_empty());
    }

    #[test]
    fn the_meter_rises_with_strength_and_rules_pin_it_to_zero() {
        assert_eq!(assess("", "a@b.co").score, 0);
        assert_eq!(assess("short", "a@b.co").score, 0);
        assert_eq!(assess("a@b.co.a@b.co", "a@b.co.a@b.co").score, 0);
        let weak = assess("aaaaaaaaaaaa", "a@b.co");
        let strong = assess("cedar-otter-lumen-4821", "a@b.co");
        assert!(weak.score < strong.score, "{weak:?} {strong:?}");
        assert!(strong.accepted() && strong.score >= 3);
        assert!(!weak.accepted());
    }
}
