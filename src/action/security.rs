//! The Security screen's sensitive changes and their answers.

use acctl_api::{RecoveryCodes, SecretText, TotpEnrollment};
use acctl_client::ApiError;

/// The sensitive changes of the Security screen, each confirmed with the
/// password or a code.
#[derive(Debug, Clone)]
pub enum SecurityChange {
    ChangePassword {
        current: SecretText,
        new: SecretText,
        sign_out_others: bool,
    },
    RequestEmailChange {
        new_email: String,
        password: SecretText,
    },
    VerifyEmail {
        code: SecretText,
    },
    EnrollTotp {
        password: SecretText,
    },
    ConfirmTotp {
        code: SecretText,
    },
    DisableTotp {
        password: SecretText,
        code: SecretText,
    },
    RegenerateRecoveryCodes {
        password: SecretText,
    },
}

/// The answers to the security changes, each for the request of that name.
#[derive(Debug)]
pub enum SecurityDone {
    PasswordChanged(Result<(), ApiError>),
    EmailChangeRequested {
        new_email: String,
        result: Result<(), ApiError>,
        /// In the demo: the mail with the code, from the server's outbox,
        /// since there is no real mailbox to look in.
        demo_mail: Option<String>,
    },
    EmailVerified(Result<(), ApiError>),
    TotpEnrolled(Result<TotpEnrollment, ApiError>),
    TotpConfirmed(Result<RecoveryCodes, ApiError>),
    TotpDisabled(Result<(), ApiError>),
    RecoveryCodesRegenerated(Result<RecoveryCodes, ApiError>),
}

impl SecurityDone {
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            SecurityDone::PasswordChanged(r)
            | SecurityDone::EmailChangeRequested { result: r, .. }
            | SecurityDone::EmailVerified(r)
            | SecurityDone::TotpDisabled(r) => r.as_ref().err(),
            SecurityDone::TotpEnrolled(r) => r.as_ref().err(),
            SecurityDone::TotpConfirmed(r) | SecurityDone::RecoveryCodesRegenerated(r) => {
                r.as_ref().err()
            }
        }
    }
}
