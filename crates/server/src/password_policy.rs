//! The one password policy of acctd, used by signup, `acctd users add` and
//! password changes: long enough, not the email, not a common password, and
//! hard enough to guess by zxcvbn's estimate.

use std::collections::HashSet;
use std::sync::OnceLock;

use zxcvbn::Score;

use crate::validate::normalize_email;

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 1024;
/// zxcvbn's work grows with the length; a longer password's prefix already
/// tells whether it is guessable.
const ESTIMATE_CHARS: usize = 100;

/// About a thousand of the most used passwords, lower case, one per line.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Why `password` is refused for the account `email`; empty when it is fine.
pub fn password_problems(password: &str, email: &str) -> Vec<String> {
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
    if !problems.is_empty() {
        return problems;
    }
    if is_common(password) {
        problems.push("This is one of the most common passwords; choose another.".to_string());
    } else if let Some(message) = too_guessable(password, email) {
        problems.push(message);
    }
    problems
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

/// zxcvbn's feedback when the estimate is below "safely unguessable" (3).
fn too_guessable(password: &str, email: &str) -> Option<String> {
    let prefix: String = password.chars().take(ESTIMATE_CHARS).collect();
    let local_part = email.split('@').next().unwrap_or_default();
    let estimate = zxcvbn::zxcvbn(&prefix, &[email, local_part]);
    if estimate.score() >= Score::Three {
        return None;
    }
    let feedback = estimate
        .feedback()
        .map(|f| f.to_string().trim().to_string())
        .filter(|text| !text.is_empty());
    Some(match feedback {
        Some(text) => format!("This password is too easy to guess. {text}"),
        None => "This password is too easy to guess. Add another word or two.".to_string(),
    })
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
}
