//! The requests and answers of the Privacy screen: settings, the data
//! export and its download, and deleting the account.

use std::path::PathBuf;

use acctl_api::privacy::{DataExport, DeletionStatus, PrivacyPatch, PrivacySettings};
use acctl_api::{Page, SecretText};

use super::RequestKey;
use acctl_client::ApiError;

#[derive(Debug, Clone)]
pub enum PrivacyRequest {
    Load,
    /// One field, sent as soon as it is changed.
    Save(PrivacyPatch),
    /// The exports there are, to offer one that is ready.
    LoadExports,
    StartExport,
    /// Waits a moment in the worker, then asks how the export is doing.
    PollExport {
        id: String,
    },
    /// Saves a ready export to `path`; an existing file is replaced only
    /// with `replace` (the person was asked).
    Download {
        id: String,
        path: PathBuf,
        replace: bool,
    },
    LoadDeletion,
    ScheduleDeletion {
        password: SecretText,
        confirmation: String,
        sign_out_others: bool,
    },
    CancelDeletion,
}

/// The [`RequestKey`]s of the privacy requests.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrivacyKey {
    Load,
    /// Each field on its own.
    Save(&'static str),
    Exports,
    StartExport,
    Poll,
    Download,
    Deletion,
    /// Scheduling or cancelling: one at a time.
    DeletionChange,
}

/// The name of the one field a patch sets (the screen sends one at a time).
pub fn patch_field(patch: &PrivacyPatch) -> &'static str {
    if patch.profile_visibility.is_some() {
        "profile_visibility"
    } else if patch.data_sharing.is_some() {
        "data_sharing"
    } else if patch.analytics.is_some() {
        "analytics"
    } else {
        "personalized_ads"
    }
}

impl PrivacyRequest {
    pub fn key(&self) -> RequestKey {
        RequestKey::Privacy(match self {
            Self::Load => PrivacyKey::Load,
            Self::Save(patch) => PrivacyKey::Save(patch_field(patch)),
            Self::LoadExports => PrivacyKey::Exports,
            Self::StartExport => PrivacyKey::StartExport,
            Self::PollExport { .. } => PrivacyKey::Poll,
            Self::Download { .. } => PrivacyKey::Download,
            Self::LoadDeletion => PrivacyKey::Deletion,
            Self::ScheduleDeletion { .. } | Self::CancelDeletion => PrivacyKey::DeletionChange,
        })
    }
}

/// The answers, each for the request of that name.
#[derive(Debug)]
pub enum PrivacyDone {
    Settings(Result<PrivacySettings, ApiError>),
    Saved {
        patch: PrivacyPatch,
        result: Result<PrivacySettings, ApiError>,
    },
    Exports(Result<Page<DataExport>, ApiError>),
    ExportStarted(Result<DataExport, ApiError>),
    /// The answer to a poll.
    Export(Result<DataExport, ApiError>),
    Downloaded {
        path: PathBuf,
        /// The bytes written.
        result: Result<u64, ApiError>,
    },
    Deletion(Result<DeletionStatus, ApiError>),
    DeletionScheduled(Result<DeletionStatus, ApiError>),
    DeletionCancelled(Result<(), ApiError>),
}

impl PrivacyDone {
    pub fn key(&self) -> RequestKey {
        RequestKey::Privacy(match self {
            Self::Settings(_) => PrivacyKey::Load,
            Self::Saved { patch, .. } => PrivacyKey::Save(patch_field(patch)),
            Self::Exports(_) => PrivacyKey::Exports,
            Self::ExportStarted(_) => PrivacyKey::StartExport,
            Self::Export(_) => PrivacyKey::Poll,
            Self::Downloaded { .. } => PrivacyKey::Download,
            Self::Deletion(_) => PrivacyKey::Deletion,
            Self::DeletionScheduled(_) | Self::DeletionCancelled(_) => PrivacyKey::DeletionChange,
        })
    }

    pub fn error(&self) -> Option<&ApiError> {
        match self {
            Self::Settings(r) | Self::Saved { result: r, .. } => r.as_ref().err(),
            Self::Exports(r) => r.as_ref().err(),
            Self::ExportStarted(r) | Self::Export(r) => r.as_ref().err(),
            Self::Downloaded { result, .. } => result.as_ref().err(),
            Self::Deletion(r) | Self::DeletionScheduled(r) => r.as_ref().err(),
            Self::DeletionCancelled(r) => r.as_ref().err(),
        }
    }
}
