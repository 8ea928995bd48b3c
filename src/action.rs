//! The messages of the console. Everything that happens becomes an
//! [`Action`] on one channel: keys, timers, and answers from the server.
//! `App::update` is the only place that changes state in response; screens
//! and the app both speak these, so neither imports the other for them.

mod billing;
mod notifications;
mod privacy;
mod profile;
mod security;

use std::path::PathBuf;

use acctl_api::{
    Account, MfaChallenge, MfaStatus, Page, RevokedSessions, SecretText, SecurityEvent,
    SecurityEventKind, Session,
};
use acctl_client::ApiError;
use crossterm::event::KeyEvent;

use crate::keymap::Command;
use crate::widgets::dialog::Dialog;
use crate::widgets::toast::Toast;

pub use billing::{BillingDone, BillingKey, BillingRequest, ChangeKind, OpenError};
pub use notifications::{NotificationsDone, NotificationsKey, NotificationsRequest};
pub use privacy::{PrivacyDone, PrivacyKey, PrivacyRequest, patch_field};
pub use profile::{AvatarFailure, AvatarLoadError, PictureFileError, ProfileDone, ProfileRequest};
pub use security::{SecurityChange, SecurityDone};

/// The screens of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenId {
    Login,
    Overview,
    Sessions,
    Profile,
    Security,
    Notifications,
    Privacy,
    Billing,
}

/// The sidebar's entries, in order, with the command that opens each.
pub const SECTIONS: [(ScreenId, Command); 7] = [
    (ScreenId::Overview, Command::GoOverview),
    (ScreenId::Sessions, Command::GoSessions),
    (ScreenId::Profile, Command::GoProfile),
    (ScreenId::Security, Command::GoSecurity),
    (ScreenId::Notifications, Command::GoNotifications),
    (ScreenId::Privacy, Command::GoPrivacy),
    (ScreenId::Billing, Command::GoBilling),
];

impl ScreenId {
    pub fn title(self) -> &'static str {
        match self {
            ScreenId::Login => "Sign in",
            ScreenId::Overview => "Overview",
            ScreenId::Sessions => "Sessions",
            ScreenId::Profile => "Profile",
            ScreenId::Security => "Security",
            ScreenId::Notifications => "Notifications",
            ScreenId::Privacy => "Privacy",
            ScreenId::Billing => "Billing",
        }
    }

    pub fn for_command(command: Command) -> Option<Self> {
        SECTIONS
            .iter()
            .find(|(_, c)| *c == command)
            .map(|(s, _)| *s)
    }
}

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
    /// Something changed on the server that a screen shows: it loads it
    /// again when next entered.
    Stale(Data),
    /// A sign-in went through (the app has taken its part); `same_account`
    /// when it is the account signed in before, whose typing stays.
    SignedIn {
        same_account: bool,
    },
    /// Back to the sign-in form, with `notice` above it; `email` (the
    /// account's current address, when known) fills the email field.
    ReopenLogin {
        email: Option<String>,
        notice: Toast,
    },
    /// The theme being tried in the profile's picker; None when it closes.
    PreviewTheme(Option<String>),
    /// The time zone every time is shown in changed (the account's
    /// preference became known or changed).
    TimeZone(chrono_tz::Tz),
    /// The demo account's password changed; signing back in needs the new one.
    DemoPassword(SecretText),
}

/// What a [`Action::Stale`] notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    /// The account as the overview shows it.
    Account,
    /// The security log (it has a new event).
    SecurityLog,
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

impl RequestKey {
    /// Reads the person may stop waiting for (Esc), and a sign-in: changes
    /// are never cancelled, since the server may have made them once sent.
    pub fn is_read(&self) -> bool {
        match self {
            RequestKey::Login
            | RequestKey::LoadAccount
            | RequestKey::LoadSessions
            | RequestKey::LoadMfaStatus
            | RequestKey::LoadSecurityEvents
            | RequestKey::LoadProfile
            | RequestKey::LoadAvatar
            | RequestKey::LoadPreferences => true,
            RequestKey::Notifications(key) => {
                matches!(key, NotificationsKey::Settings | NotificationsKey::Inbox)
            }
            RequestKey::Privacy(key) => matches!(
                key,
                PrivacyKey::Load | PrivacyKey::Exports | PrivacyKey::Deletion
            ),
            RequestKey::Billing(key) => key.is_load(),
            _ => false,
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
