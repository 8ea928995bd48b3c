//! The messages of the console. Everything that happens becomes an
//! [`Action`] on one channel: keys, timers, and answers from the server.
//! `App::update` is the only place that changes state in response; screens
//! and the app both speak these, so neither imports the other for them.

pub mod account;
pub mod admin;
pub mod auth;
pub mod billing;
pub mod files;
pub mod notifications;
pub mod privacy;
pub mod profile;
pub mod security;
pub mod sessions;
mod worker;

use acctl_api::SecretText;
use acctl_client::ApiError;
use crossterm::event::KeyEvent;

use crate::keymap::Command;
use crate::widgets::dialog::Dialog;
use crate::widgets::toast::Toast;

pub use account::{AccountDone, AccountRequest};
pub use admin::{AdminDone, AdminRequest, AuditFilter};
pub use auth::{AuthDone, AuthRequest, LoginDone};
pub use billing::{BillingDone, BillingRequest, OpenError};
pub use files::{FilesDone, FilesRequest};
pub use notifications::{NotificationsDone, NotificationsRequest};
pub use privacy::{PrivacyDone, PrivacyRequest, patch_field};
pub use profile::{AvatarFailure, AvatarLoadError, PictureFileError, ProfileDone, ProfileRequest};
pub use security::{ChangeDone, SecurityChange, SecurityDone, SecurityRequest};
pub use sessions::{SessionsDone, SessionsRequest};
pub use worker::Worker;

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
    Admin,
}

/// The sidebar's entries, in order, with the command that opens each.
/// Admin is shown only to administrators.
pub const SECTIONS: [(ScreenId, Command); 8] = [
    (ScreenId::Overview, Command::GoOverview),
    (ScreenId::Sessions, Command::GoSessions),
    (ScreenId::Profile, Command::GoProfile),
    (ScreenId::Security, Command::GoSecurity),
    (ScreenId::Notifications, Command::GoNotifications),
    (ScreenId::Privacy, Command::GoPrivacy),
    (ScreenId::Billing, Command::GoBilling),
    (ScreenId::Admin, Command::GoAdmin),
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
            ScreenId::Admin => "Admin",
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
    /// The person gave up waiting (Esc) for this request: screens stop
    /// showing it loading; its answer, when it comes, is dropped.
    Cancelled(Request),
    /// A command a screen did not handle itself, for the app to handle.
    Command(Command),
    /// Ask the worker; identical requests already in flight are dropped,
    /// and one that must wait its turn replaces the one waiting.
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
    /// How far the download `request` is (the worker sends these while it
    /// runs; the answer comes as a [`Response`]).
    Progress {
        request: Request,
        progress: acctl_client::Progress,
    },
    /// Put text on the clipboard of the terminal (OSC 52), which works over
    /// SSH where the terminal supports it.
    Copy {
        text: SecretText,
        /// What was copied, for the toast ("the key").
        what: &'static str,
    },
    /// Something changed on the server that a screen shows: it loads it
    /// again when next entered.
    Stale(Data),
    /// A sign-in went through (the app has taken its part); `same_account`
    /// when it is the account signed in before, whose typing stays.
    SignedIn {
        same_account: bool,
        /// What the service signed in to offers.
        offers: acctl_client::Capabilities,
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

/// The resources, each named once: its variant of [`Request`] and of
/// [`Response`], its request and answer types, and the module that runs
/// its requests. A new resource is one line here; a new call of a resource
/// touches only that resource's module.
macro_rules! resources {
    ($($(#[$doc:meta])* $name:ident: $module:ident, $request:ty => $done:ty;)*) => {
        /// Work for the worker: one variant per resource of the client
        /// (`client.sessions()` ...), each an enum of that resource's calls,
        /// kept with the code that runs them in the module of that name.
        #[derive(Debug, Clone)]
        pub enum Request {
            $($(#[$doc])* $name($request),)*
        }

        /// The worker's answers, one variant per resource like [`Request`].
        #[derive(Debug)]
        pub enum Response {
            $($name(Answer<$request, $done>),)*
        }

        impl Request {
            /// The resource's request, as what every request says about itself.
            pub fn call(&self) -> &dyn Call {
                match self {
                    $(Request::$name(r) => r,)*
                }
            }
        }

        impl Response {
            /// The request answered, and its outcome.
            fn parts(&self) -> (&dyn Call, &dyn Outcome) {
                match self {
                    $(Response::$name(a) => (&a.request, &a.done),)*
                }
            }
        }

        $(impl $request {
            /// This request's answer, as the worker sends it.
            pub fn answered(self, done: $done) -> Response {
                Response::$name(Answer { request: self, done })
            }
        })*

        impl Worker {
            /// Runs `request` against the server (or the disk) and answers it.
            pub async fn run(&self, request: Request) -> Response {
                match request {
                    $(Request::$name(r) => {
                        let done = $module::run(self, &r).await;
                        r.answered(done)
                    })*
                }
            }
        }
    };
}

resources! {
    Auth: auth, AuthRequest => AuthDone;
    Account: account, AccountRequest => AccountDone;
    Sessions: sessions, SessionsRequest => SessionsDone;
    Security: security, SecurityRequest => SecurityDone;
    Profile: profile, ProfileRequest => ProfileDone;
    Notifications: notifications, NotificationsRequest => NotificationsDone;
    Privacy: privacy, PrivacyRequest => PrivacyDone;
    Billing: billing, BillingRequest => BillingDone;
    Admin: admin, AdminRequest => AdminDone;
    /// Local files (nothing is sent).
    Files: files, FilesRequest => FilesDone;
}

/// What every request of every resource says about itself.
pub trait Call {
    /// What "the same request" means: a second one with the same key is
    /// dropped while the first runs.
    fn key(&self) -> RequestKey;

    /// A read the person may stop waiting for (Esc), or a sign-in: changes
    /// are never cancelled, since the server may have made them once sent.
    fn is_cancellable(&self) -> bool;

    /// A read that is tried again by itself after a transient failure.
    fn is_retried(&self) -> bool {
        false
    }

    /// Only one of these runs at a time (one per [`RequestKey::call`]); a
    /// different one asked for meanwhile waits, and a newer one replaces it.
    fn waits_its_turn(&self) -> bool {
        false
    }
}

/// Identifies a request for de-duplication, built from the request itself
/// ([`Call::key`]): the call, and what it is about when calls on different
/// things may run side by side (two sessions revoked at once).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestKey {
    pub call: &'static str,
    pub on: Option<String>,
}

impl RequestKey {
    pub const fn of(call: &'static str) -> Self {
        Self { call, on: None }
    }

    pub fn on(call: &'static str, on: impl Into<String>) -> Self {
        Self {
            call,
            on: Some(on.into()),
        }
    }
}

impl Request {
    pub fn key(&self) -> RequestKey {
        self.call().key()
    }
}

/// An answer with the request it answers.
#[derive(Debug)]
pub struct Answer<R, D> {
    pub request: R,
    pub done: D,
}

/// The answer's part that says whether the call failed at the server.
pub trait Outcome {
    /// The error, if the call failed.
    fn error(&self) -> Option<&ApiError>;
}

impl<T> Outcome for Result<T, ApiError> {
    fn error(&self) -> Option<&ApiError> {
        self.as_ref().err()
    }
}

impl Response {
    pub fn key(&self) -> RequestKey {
        self.parts().0.key()
    }

    /// The error, if the call failed at the server.
    pub fn error(&self) -> Option<&ApiError> {
        self.parts().1.error()
    }
}
