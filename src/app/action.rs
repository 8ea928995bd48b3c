//! Everything that happens becomes an [`Action`] on one channel: keys,
//! timers, and answers from the server. `App::update` is the only place
//! that changes state in response.

use acctl_api::{Account, MfaChallenge, RevokedSessions, SecretText, Session};
use crossterm::event::KeyEvent;

use crate::api::ApiError;
use crate::keymap::Command;
use crate::widgets::dialog::Dialog;
use crate::widgets::toast::Toast;

use super::nav::ScreenId;

#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// The spinner moves on (only sent while something loads).
    Tick,
    /// A toast's time is up.
    ExpireToasts,
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
        }
    }
}
