//! Exit codes and the one line of error a command prints.

use std::process::ExitCode;

use crate::config::ConfigError;
use acctl_client::ApiError;
use acctl_client::profiles::ProfileError;
use acctl_client::tokens::StoreError;

/// What a command's exit status means to a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// Anything else that went wrong.
    Error = 1,
    /// A bad flag, argument or setting.
    Usage = 2,
    /// The server could not be reached (or did not answer in time).
    Unreachable = 3,
    /// Sign in (again) first.
    AuthNeeded = 4,
    /// What was to be changed changed on the server since it was read
    /// (another device, or the console); nothing was changed. Run again.
    Conflict = 5,
    /// The server will not allow this change (a setting that stays on);
    /// nothing was changed, and running again will not help.
    Refused = 6,
    /// The service does not offer this at all (django-allauth has no
    /// security log, say); nothing was sent or changed.
    Unsupported = 7,
    /// Stopped with Ctrl-C (128 + SIGINT, as shells report it); nothing
    /// half-written was left behind.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// A failed command: its exit status and what to tell the person.
#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub message: String,
    pub request_id: Option<String>,
}

impl CliError {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
            request_id: None,
        }
    }

    /// The line printed on stderr: what happened, what to do, and the
    /// request id to quote when there is one. `login_hint` is the command
    /// that signs in to the profile in use.
    pub fn line(&self, login_hint: &str) -> String {
        let mut line = format!("error: {}", self.message);
        if let Some(id) = &self.request_id
            && !line.contains(id.as_str())
        {
            line.push_str(&format!(" (request id {id})"));
        }
        if self.exit == Exit::AuthNeeded && !line.contains("acctl") {
            append_sentence(&mut line, &format!("run `{login_hint}`"));
        }
        line
    }
}

/// Adds `more` to a message as its own clause: after a full stop it starts a
/// new sentence, otherwise it follows a semicolon.
fn append_sentence(line: &mut String, more: &str) {
    if line.ends_with('.') {
        let mut chars = more.chars();
        let first = chars
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default();
        line.push_str(&format!(" {first}{}.", chars.as_str()));
    } else {
        line.push_str(&format!("; {more}"));
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ApiError> for CliError {
    fn from(error: ApiError) -> Self {
        let exit = match &error {
            ApiError::InvalidServerUrl { .. } => Exit::Usage,
            ApiError::Unsupported { .. } => Exit::Unsupported,
            ApiError::Unreachable { .. } | ApiError::Timeout { .. } => Exit::Unreachable,
            e if e.needs_login() => Exit::AuthNeeded,
            ApiError::Problem { problem } if problem.status == 401 => Exit::AuthNeeded,
            ApiError::TokenStore(StoreError::Corrupt { .. }) => Exit::AuthNeeded,
            _ => Exit::Error,
        };
        Self {
            exit,
            request_id: error.request_id().map(str::to_string),
            message: error.to_string(),
        }
    }
}

impl From<StoreError> for CliError {
    fn from(error: StoreError) -> Self {
        CliError::from(ApiError::TokenStore(error))
    }
}

impl From<ProfileError> for CliError {
    fn from(error: ProfileError) -> Self {
        let exit = match error {
            ProfileError::InvalidName { .. } => Exit::Usage,
            _ => Exit::Error,
        };
        CliError::new(exit, error.to_string())
    }
}

impl From<ConfigError> for CliError {
    fn from(error: ConfigError) -> Self {
        CliError::new(Exit::Usage, error.to_string())
    }
}

impl From<anyhow::Error> for CliError {
    fn from(error: anyhow::Error) -> Self {
        // The chain, on one line: "could not start the server: address in use".
        CliError::new(Exit::Error, format!("{error:#}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use acctl_api::{ErrorCode, Problem};

    fn problem(code: ErrorCode, request_id: &str) -> ApiError {
        let mut problem = Problem::new(code, "nope");
        problem.request_id = Some(request_id.into());
        ApiError::Problem {
            problem: Box::new(problem),
        }
    }

    #[test]
    fn api_errors_map_to_exit_codes() {
        let cases = [
            (
                ApiError::Unreachable {
                    server: "s".into(),
                    reason: "refused".into(),
                },
                Exit::Unreachable,
            ),
            (ApiError::Timeout { server: "s".into() }, Exit::Unreachable),
            (ApiError::NotSignedIn, Exit::AuthNeeded),
            (
                ApiError::SessionEnded {
                    reason: "revoked".into(),
                },
                Exit::AuthNeeded,
            ),
            (
                problem(ErrorCode::InvalidCredentials, "r1"),
                Exit::AuthNeeded,
            ),
            (problem(ErrorCode::NotFound, "r2"), Exit::Error),
            (problem(ErrorCode::Internal, "r3"), Exit::Error),
            (
                ApiError::InvalidServerUrl {
                    url: "x".into(),
                    reason: "bad".into(),
                },
                Exit::Usage,
            ),
        ];
        for (error, exit) in cases {
            let text = error.to_string();
            assert_eq!(CliError::from(error).exit, exit, "{text}");
        }
        assert_eq!(ExitCode::from(Exit::AuthNeeded), ExitCode::from(4));
        assert_eq!(ExitCode::from(Exit::Conflict), ExitCode::from(5));
        let lacking = ApiError::Unsupported {
            service: acctl_client::ServiceKind::Allauth,
            server: "http://h/_allauth/app/v1".into(),
            feature: acctl_client::Feature::SecurityLog,
        };
        let error = CliError::from(lacking);
        assert_eq!(error.exit, Exit::Unsupported);
        assert_eq!(
            error.line("acctl login"),
            "error: django-allauth at http://h/_allauth/app/v1 offers no security log"
        );
        assert_eq!(ExitCode::from(Exit::Unsupported), ExitCode::from(7));
    }

    #[test]
    fn the_line_carries_the_request_id_and_what_to_do() {
        let line = CliError::from(problem(ErrorCode::NotFound, "req-42")).line("acctl login");
        assert_eq!(line, "error: nope (request id req-42)");

        let line = CliError::new(Exit::AuthNeeded, "your session has ended")
            .line("acctl --profile work login");
        assert_eq!(
            line,
            "error: your session has ended; run `acctl --profile work login`"
        );

        // Not told twice.
        let line = CliError::from(ApiError::NotSignedIn).line("acctl login");
        assert_eq!(line.matches("acctl login").count(), 1, "{line}");
    }

    #[test]
    fn usage_problems_exit_with_two() {
        let name = ProfileError::InvalidName { name: "a b".into() };
        assert_eq!(CliError::from(name).exit, Exit::Usage);
        let config = ConfigError::Env {
            var: "ACCTL_KEYMAP".into(),
            message: "bad".into(),
        };
        assert_eq!(CliError::from(config).exit, Exit::Usage);
    }
}
