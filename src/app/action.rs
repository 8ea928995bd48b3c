//! Everything that happens becomes an [`Action`] on one channel: keys,
//! timers, and answers from the server. `App::update` is the only place
//! that changes state in response.

use std::path::PathBuf;

use acctl_api::{
    Account, MfaChallenge, MfaStatus, Page, Preferences, PreferencesPatch, ProfilePatch,
    RecoveryCodes, RevokedSessions, SecretText, SecurityEvent, SecurityEventKind, Session,
    TotpEnrollment,
};
use crossterm::event::KeyEvent;

use crate::keymap::Command;
use crate::widgets::avatar::Picture;
use crate::widgets::dialog::Dialog;
use crate::widgets::toast::Toast;
use acctl_client::{ApiError, Versioned};

use super::nav::ScreenId;

mod notifications;
mod privacy;

pub use notifications::{NotificationsDone, NotificationsKey, NotificationsRequest};
pub use privacy::{PrivacyDone, PrivacyKey, PrivacyRequest, patch_field};
mod billing;
pub use billing::{BillingDone, BillingKey, BillingRequest, ChangeKind, OpenError};

#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// The spinner moves on (only sent while something loads).
    Tick,
    /// A toast's time is up.
    ExpireToasts,
    /// A failed read is due to be tried again.
    RetryDue,
    /// The person gave up waiting (Esc): screens stop showing it loading;
    /// its answer, when it comes, is dropped.
    Cancelled(RequestKey),
    /// A command a screen did not handle itself, for the app to handle.
    Command(Command),
    /// Ask the worker; identical requests already in flight are dropped.
    Request(Request),
    /// The worker's answer.
    Response(Response),
    /// Open a confirmation; `on_confirm` is sent only if the person confirms.
    Confirm {
        dialog: Dialog,
        on_confirm: Request,
    },
    /// Open a notice with an OK button.
    Notice(Dialog),
    Toast(Toast),
    Navigate(ScreenId),
    /// The profile's unsaved edits are given up (leaving was confirmed).
    DiscardEdits,
    /// Several actions, applied in order.
    Batch(Vec<Action>),
    /// How far the download of `key` is (the worker sends these while it
    /// runs; the answer comes as a [`Response`]).
    Progress {
        key: RequestKey,
        progress: acctl_client::Progress,
    },
    /// Put text on the clipboard of the terminal (OSC 52), which works over
    /// SSH where the terminal supports it.
    Copy {
        text: SecretText,
        /// What was copied, for the toast ("the key").
        what: &'static str,
    },
    /// How far the download on its way is (sent while it runs).
    DownloadProgress(acctl_client::Progress),
}

/// Work for the worker: one variant per API call the console makes.
#[derive(Debug, Clone)]
pub enum Request {
    /// Sign in; a different `server` than the current one switches servers.
    Login {
        server: String,
        email: String,
        password: SecretText,
    },
    /// The second step of a login that asked for a code.
    LoginMfa {
        email: String,
        mfa_token: SecretText,
        code: SecretText,
        recovery: bool,
    },
    Logout,
    LoadAccount,
    LoadSessions,
    Revoke {
        id: String,
    },
    RevokeOthers,
    LoadMfaStatus,
    /// One of the sensitive changes; one runs at a time.
    Security(SecurityChange),
    /// A page of the security log: the first when `cursor` is None.
    LoadSecurityEvents {
        cursor: Option<String>,
        kind: Option<SecurityEventKind>,
    },
    /// Writes `contents` to a new file at `path`, readable only by its
    /// owner (0600); never overwrites.
    SaveFile {
        path: PathBuf,
        contents: SecretText,
    },
    /// The profile, its avatar and the account's preferences.
    Profile(ProfileRequest),
    Notifications(NotificationsRequest),
    Privacy(PrivacyRequest),
    /// Plans, the subscription, invoices and the payment method.
    Billing(BillingRequest),
}

#[derive(Debug, Clone)]
pub enum ProfileRequest {
    /// `GET /v1/me` with its version.
    Load,
    /// The changed fields, made to version `etag`.
    Save {
        patch: ProfilePatch,
        etag: String,
    },
    LoadAvatar,
    /// Reads the picture at `path` and uploads it.
    SetAvatar {
        path: PathBuf,
    },
    RemoveAvatar,
    LoadPreferences,
    SavePreferences {
        patch: PreferencesPatch,
        etag: String,
    },
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

/// Identifies a request for de-duplication: two requests with the same key
/// would do the same thing, so the second is dropped while the first runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RequestKey {
    Login,
    Logout,
    LoadAccount,
    LoadSessions,
    Revoke(String),
    RevokeOthers,
    LoadMfaStatus,
    /// The security changes: one at a time.
    SecurityChange,
    LoadSecurityEvents,
    SaveFile,
    LoadProfile,
    /// Saving the profile or changing the avatar: one at a time.
    ProfileChange,
    LoadAvatar,
    LoadPreferences,
    SavePreferences,
    Notifications(NotificationsKey),
    Privacy(PrivacyKey),
    Billing(BillingKey),
}

impl ProfileRequest {
    pub fn key(&self) -> RequestKey {
        match self {
            ProfileRequest::Load => RequestKey::LoadProfile,
            ProfileRequest::Save { .. }
            | ProfileRequest::SetAvatar { .. }
            | ProfileRequest::RemoveAvatar => RequestKey::ProfileChange,
            ProfileRequest::LoadAvatar => RequestKey::LoadAvatar,
            ProfileRequest::LoadPreferences => RequestKey::LoadPreferences,
            ProfileRequest::SavePreferences { .. } => RequestKey::SavePreferences,
        }
    }
}

impl Request {
    pub fn key(&self) -> RequestKey {
        match self {
            Request::Login { .. } | Request::LoginMfa { .. } => RequestKey::Login,
            Request::Logout => RequestKey::Logout,
            Request::LoadAccount => RequestKey::LoadAccount,
            Request::LoadSessions => RequestKey::LoadSessions,
            Request::Revoke { id } => RequestKey::Revoke(id.clone()),
            Request::RevokeOthers => RequestKey::RevokeOthers,
            Request::LoadMfaStatus => RequestKey::LoadMfaStatus,
            Request::Security(_) => RequestKey::SecurityChange,
            Request::LoadSecurityEvents { .. } => RequestKey::LoadSecurityEvents,
            Request::SaveFile { .. } => RequestKey::SaveFile,
            Request::Profile(request) => request.key(),
            Request::Notifications(request) => request.key(),
            Request::Privacy(request) => request.key(),
            Request::Billing(request) => request.key(),
        }
    }
}

/// A login that went through.
#[derive(Debug, Clone)]
pub enum LoginDone {
    SignedIn {
        /// The server signed in to, normalised.
        server: String,
        email: String,
        /// Saving the profile failed; the sign-in itself worked.
        profile_warning: Option<String>,
    },
    MfaRequired(MfaChallenge),
}

#[derive(Debug)]
pub enum Response {
    Login(Result<LoginDone, ApiError>),
    LoggedOut(Result<(), ApiError>),
    Account(Result<Account, ApiError>),
    Sessions(Result<Vec<Session>, ApiError>),
    Revoked {
        id: String,
        result: Result<(), ApiError>,
    },
    RevokedOthers(Result<RevokedSessions, ApiError>),
    MfaStatus(Result<MfaStatus, ApiError>),
    /// The answer to one of the security changes.
    Security(SecurityDone),
    SecurityEvents {
        /// The cursor asked with: None for the first page.
        cursor: Option<String>,
        kind: Option<SecurityEventKind>,
        result: Result<Page<SecurityEvent>, ApiError>,
    },
    FileSaved {
        path: PathBuf,
        result: Result<(), crate::files::SaveError>,
    },
    Profile(ProfileDone),
    Notifications(NotificationsDone),
    Privacy(PrivacyDone),
    Billing(BillingDone),
}

/// The answers to [`ProfileRequest`]s, each for the request of that name.
#[derive(Debug)]
pub enum ProfileDone {
    Loaded(Result<Versioned<Account>, ApiError>),
    Saved(Result<Versioned<Account>, ApiError>),
    /// None: the account has no avatar.
    Avatar(Result<Option<Picture>, AvatarLoadError>),
    AvatarChanged(Result<Account, AvatarFailure>),
    Preferences(Result<Versioned<Preferences>, ApiError>),
    PreferencesSaved(Result<Versioned<Preferences>, ApiError>),
}

/// Why a new avatar was not set: the file, before anything was sent, or
/// the server.
#[derive(Debug)]
pub enum AvatarFailure {
    File(PictureFileError),
    Api(ApiError),
}

/// Why a picture file cannot be uploaded, found before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureFileError {
    #[error("Cannot use {}: {reason}.", .path.display())]
    Unreadable { path: PathBuf, reason: String },
    #[error(
        "Cannot use {}: it is {kib} KiB; pictures up to {max_kib} KiB are taken.",
        .path.display()
    )]
    TooLarge {
        path: PathBuf,
        kib: u64,
        max_kib: usize,
    },
    #[error("{} is not a PNG or JPEG picture.", .0.display())]
    NotAPicture(PathBuf),
}

/// Why the avatar could not be shown: the server, or a picture that does
/// not decode (the server answered, so this is not an API error).
#[derive(Debug, thiserror::Error)]
pub enum AvatarLoadError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("the avatar could not be read ({0})")]
    Unreadable(#[from] crate::widgets::avatar::PictureError),
}

impl ProfileDone {
    pub fn key(&self) -> RequestKey {
        match self {
            ProfileDone::Loaded(_) => RequestKey::LoadProfile,
            ProfileDone::Saved(_) | ProfileDone::AvatarChanged(_) => RequestKey::ProfileChange,
            ProfileDone::Avatar(_) => RequestKey::LoadAvatar,
            ProfileDone::Preferences(_) => RequestKey::LoadPreferences,
            ProfileDone::PreferencesSaved(_) => RequestKey::SavePreferences,
        }
    }

    pub fn error(&self) -> Option<&ApiError> {
        match self {
            ProfileDone::Loaded(r) | ProfileDone::Saved(r) => r.as_ref().err(),
            ProfileDone::Avatar(Err(AvatarLoadError::Api(e))) => Some(e),
            ProfileDone::Avatar(_) => None,
            ProfileDone::AvatarChanged(Err(AvatarFailure::Api(e))) => Some(e),
            ProfileDone::AvatarChanged(_) => None,
            ProfileDone::Preferences(r) | ProfileDone::PreferencesSaved(r) => r.as_ref().err(),
        }
    }
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

impl Response {
    pub fn key(&self) -> RequestKey {
        match self {
            Response::Login(_) => RequestKey::Login,
            Response::LoggedOut(_) => RequestKey::Logout,
            Response::Account(_) => RequestKey::LoadAccount,
            Response::Sessions(_) => RequestKey::LoadSessions,
            Response::Revoked { id, .. } => RequestKey::Revoke(id.clone()),
            Response::RevokedOthers(_) => RequestKey::RevokeOthers,
            Response::MfaStatus(_) => RequestKey::LoadMfaStatus,
            Response::Security(_) => RequestKey::SecurityChange,
            Response::SecurityEvents { .. } => RequestKey::LoadSecurityEvents,
            Response::FileSaved { .. } => RequestKey::SaveFile,
            Response::Profile(done) => done.key(),
            Response::Notifications(done) => done.key(),
            Response::Privacy(done) => done.key(),
            Response::Billing(done) => done.key(),
        }
    }

    /// The error, if the call failed.
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            Response::Login(r) => r.as_ref().err(),
            Response::LoggedOut(r) => r.as_ref().err(),
            Response::Account(r) => r.as_ref().err(),
            Response::Sessions(r) => r.as_ref().err(),
            Response::Revoked { result, .. } => result.as_ref().err(),
            Response::RevokedOthers(r) => r.as_ref().err(),
            Response::MfaStatus(r) => r.as_ref().err(),
            Response::Security(done) => done.error(),
            Response::SecurityEvents { result, .. } => result.as_ref().err(),
            Response::FileSaved { .. } => None,
            Response::Profile(done) => done.error(),
            Response::Notifications(done) => done.error(),
            Response::Privacy(done) => done.error(),
            Response::Billing(done) => done.error(),
        }
    }
}
