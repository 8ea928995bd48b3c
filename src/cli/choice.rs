//! A value that is not one of the names a flag takes: the error lists them.

/// `what` is not one of `choices`; the message lists them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{lead}use one of: {}", .choices.join(", "))]
pub struct NotOneOf {
    /// Words before the list, e.g. "no such channel; ".
    lead: &'static str,
    choices: Vec<String>,
}

impl NotOneOf {
    pub fn new(lead: &'static str, choices: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            lead,
            choices: choices.into_iter().map(Into::into).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choices_are_listed_after_the_lead() {
        let err = NotOneOf::new("no such colour; ", ["red", "green"]);
        assert_eq!(err.to_string(), "no such colour; use one of: red, green");
    }
}
