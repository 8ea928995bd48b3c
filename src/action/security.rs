//! `client.security()` and `client.security_events()`: two-factor status,
//! the sensitive changes (each confirmed with the password or a code), and
//! the security log.

use acctl_api::{
    ChangePasswordRequest, MfaStatus, Page, PageQuery, RecoveryCodes, SecretText, SecurityEvent,
    SecurityEventKind, TotpEnrollment,
};
use acctl_client::ApiError;

use super::{Call, Outcome, Request, RequestKey, Worker};

/// Rows asked for per page of the security log.
const SECURITY_LOG_PAGE: u32 = 50;

#[derive(Debug, Clone)]
pub enum SecurityRequest {
    LoadMfaStatus,
    /// A page of the security log: the first when `cursor` is None.
    LoadEvents {
        cursor: Option<String>,
        kind: Option<SecurityEventKind>,
    },
    /// One of the sensitive changes; one runs at a time.
    Change(SecurityChange),
}

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

/// The answers, each for the request of that name.
#[derive(Debug)]
pub enum SecurityDone {
    MfaStatus(Result<MfaStatus, ApiError>),
    Events(Result<Page<SecurityEvent>, ApiError>),
    Change(ChangeDone),
}

/// The answers to the security changes, each for the request of that name.
#[derive(Debug)]
pub enum ChangeDone {
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

impl From<SecurityChange> for Request {
    fn from(change: SecurityChange) -> Self {
        Request::Security(SecurityRequest::Change(change))
    }
}

impl Call for SecurityRequest {
    fn key(&self) -> RequestKey {
        match self {
            Self::LoadMfaStatus => RequestKey::of("security.mfa_status"),
            Self::LoadEvents { cursor, kind } => {
                RequestKey::on("security.events", format!("{kind:?} {cursor:?}"))
            }
            Self::Change(_) => RequestKey::of("security.change"),
        }
    }

    fn is_cancellable(&self) -> bool {
        !matches!(self, Self::Change(_))
    }

    fn is_retried(&self) -> bool {
        !matches!(self, Self::Change(_))
    }

    /// One page of the log at a time: the list knows one page on its way.
    fn waits_its_turn(&self) -> bool {
        matches!(self, Self::LoadEvents { .. })
    }
}

impl Outcome for SecurityDone {
    fn error(&self) -> Option<&ApiError> {
        match self {
            Self::MfaStatus(r) => r.error(),
            Self::Events(r) => r.error(),
            Self::Change(done) => done.error(),
        }
    }
}

impl ChangeDone {
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            ChangeDone::PasswordChanged(r)
            | ChangeDone::EmailChangeRequested { result: r, .. }
            | ChangeDone::EmailVerified(r)
            | ChangeDone::TotpDisabled(r) => r.error(),
            ChangeDone::TotpEnrolled(r) => r.error(),
            ChangeDone::TotpConfirmed(r) | ChangeDone::RecoveryCodesRegenerated(r) => r.error(),
        }
    }
}

pub(super) async fn run(worker: &Worker, request: &SecurityRequest) -> SecurityDone {
    let client = &worker.client;
    match request {
        SecurityRequest::LoadMfaStatus => {
            SecurityDone::MfaStatus(client.security().mfa_status().await)
        }
        SecurityRequest::LoadEvents { cursor, kind } => {
            let query = PageQuery {
                limit: Some(SECURITY_LOG_PAGE),
                cursor: cursor.clone(),
            };
            SecurityDone::Events(client.security_events().list(&query, *kind).await)
        }
        SecurityRequest::Change(change) => SecurityDone::Change(run_change(worker, change).await),
    }
}

async fn run_change(worker: &Worker, change: &SecurityChange) -> ChangeDone {
    let security = worker.client.security();
    match change.clone() {
        SecurityChange::ChangePassword {
            current,
            new,
            sign_out_others,
        } => {
            let body = ChangePasswordRequest {
                current_password: current,
                new_password: new,
                sign_out_other_sessions: sign_out_others,
            };
            ChangeDone::PasswordChanged(security.change_password(&body).await)
        }
        SecurityChange::RequestEmailChange {
            new_email,
            password,
        } => {
            let result = security.request_email_change(&new_email, password).await;
            let demo_mail = match (&result, worker.demo) {
                (Ok(()), true) => security
                    .dev_outbox(&new_email)
                    .await
                    .ok()
                    .and_then(|mail| mail.into_iter().last())
                    .map(|m| format!("{}\n\n{}", m.subject, m.body)),
                _ => None,
            };
            ChangeDone::EmailChangeRequested {
                new_email,
                result,
                demo_mail,
            }
        }
        SecurityChange::VerifyEmail { code } => {
            ChangeDone::EmailVerified(security.verify_email(code).await)
        }
        SecurityChange::EnrollTotp { password } => {
            ChangeDone::TotpEnrolled(security.enroll_totp(password).await)
        }
        SecurityChange::ConfirmTotp { code } => {
            ChangeDone::TotpConfirmed(security.confirm_totp(code).await)
        }
        SecurityChange::DisableTotp { password, code } => {
            ChangeDone::TotpDisabled(security.disable_totp(password, code).await)
        }
        SecurityChange::RegenerateRecoveryCodes { password } => {
            ChangeDone::RecoveryCodesRegenerated(security.regenerate_recovery_codes(password).await)
        }
    }
}
