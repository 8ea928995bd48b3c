//! The Profile screen's requests and their answers: the profile (with its
//! version), the avatar and the account's preferences.

use std::path::PathBuf;

use acctl_api::{Account, Preferences, PreferencesPatch, ProfilePatch};
use acctl_client::{ApiError, Versioned};

use super::RequestKey;
use crate::widgets::avatar::Picture;

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
