//! `client.profile()` and `client.preferences()`: the profile (with its
//! version), the avatar and the account's preferences.

use std::path::PathBuf;

use acctl_api::{Account, Preferences, PreferencesPatch, ProfilePatch};
use acctl_client::{ApiError, Versioned};

use super::{Call, Outcome, RequestKey, Worker};
use crate::widgets::avatar::{Picture, PictureError};

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

impl Call for ProfileRequest {
    fn key(&self) -> RequestKey {
        match self {
            Self::Load => RequestKey::of("profile.load"),
            // Saving the profile or changing the avatar: one at a time.
            Self::Save { .. } | Self::SetAvatar { .. } | Self::RemoveAvatar => {
                RequestKey::of("profile.change")
            }
            Self::LoadAvatar => RequestKey::of("profile.avatar"),
            Self::LoadPreferences => RequestKey::of("preferences.load"),
            Self::SavePreferences { .. } => RequestKey::of("preferences.save"),
        }
    }

    fn is_cancellable(&self) -> bool {
        matches!(self, Self::Load | Self::LoadAvatar | Self::LoadPreferences)
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

impl Outcome for ProfileDone {
    fn error(&self) -> Option<&ApiError> {
        match self {
            ProfileDone::Loaded(r) | ProfileDone::Saved(r) => r.error(),
            ProfileDone::Avatar(Err(AvatarLoadError::Api(e))) => Some(e),
            ProfileDone::Avatar(_) => None,
            ProfileDone::AvatarChanged(Err(AvatarFailure::Api(e))) => Some(e),
            ProfileDone::AvatarChanged(_) => None,
            ProfileDone::Preferences(r) | ProfileDone::PreferencesSaved(r) => r.error(),
        }
    }
}

pub(super) async fn run(worker: &Worker, request: &ProfileRequest) -> ProfileDone {
    let client = &worker.client;
    let profile = client.profile();
    match request {
        ProfileRequest::Load => ProfileDone::Loaded(profile.get().await),
        ProfileRequest::Save { patch, etag } => {
            ProfileDone::Saved(profile.update(patch, etag).await)
        }
        ProfileRequest::LoadAvatar => ProfileDone::Avatar(load_avatar(worker).await),
        ProfileRequest::SetAvatar { path } => {
            let bytes = match read_picture(path.clone()).await {
                Ok(bytes) => bytes,
                Err(why) => return ProfileDone::AvatarChanged(Err(AvatarFailure::File(why))),
            };
            let result = profile.set_avatar(&bytes).await;
            ProfileDone::AvatarChanged(result.map_err(AvatarFailure::Api))
        }
        ProfileRequest::RemoveAvatar => {
            ProfileDone::AvatarChanged(profile.remove_avatar().await.map_err(AvatarFailure::Api))
        }
        ProfileRequest::LoadPreferences => {
            ProfileDone::Preferences(client.preferences().get().await)
        }
        ProfileRequest::SavePreferences { patch, etag } => {
            ProfileDone::PreferencesSaved(client.preferences().update(patch, etag).await)
        }
    }
}

/// The avatar, decoded off the UI thread into the pixels the console draws.
async fn load_avatar(worker: &Worker) -> Result<Option<Picture>, AvatarLoadError> {
    let Some(png) = worker.client.profile().avatar().await? else {
        return Ok(None);
    };
    match tokio::task::spawn_blocking(move || Picture::from_png(&png)).await {
        Ok(decoded) => Ok(Some(decoded?)),
        // The decoding panicked: the picture is as unreadable as a bad one.
        Err(e) => Err(AvatarLoadError::Unreadable(PictureError::Decode(
            e.to_string(),
        ))),
    }
}

/// A picture file to upload: read whole, checked for size and kind first so
/// a wrong file is explained before anything is sent.
async fn read_picture(path: PathBuf) -> Result<Vec<u8>, PictureFileError> {
    let shown = path.clone();
    let bytes = tokio::task::spawn_blocking(move || read_small_file(&path))
        .await
        .unwrap_or_else(|e| {
            Err(PictureFileError::Unreadable {
                path: shown.clone(),
                reason: e.to_string(),
            })
        })?;
    if acctl_client::image_type(&bytes).is_none() {
        return Err(PictureFileError::NotAPicture(shown));
    }
    Ok(bytes)
}

/// The file's bytes, unless it is larger than an avatar may be.
fn read_small_file(path: &std::path::Path) -> Result<Vec<u8>, PictureFileError> {
    let unreadable = |e: std::io::Error| PictureFileError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.len() > acctl_api::AVATAR_MAX_BYTES as u64 {
        return Err(PictureFileError::TooLarge {
            path: path.to_path_buf(),
            kib: meta.len() / 1024,
            max_kib: acctl_api::AVATAR_MAX_BYTES / 1024,
        });
    }
    std::fs::read(path).map_err(unreadable)
}
