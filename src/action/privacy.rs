//! `client.privacy()`: settings, the data export and its download, and
//! deleting the account.

use std::path::{Path, PathBuf};
use std::time::Duration;

use acctl_api::privacy::{DataExport, DeletionStatus, PrivacyPatch, PrivacySettings};
use acctl_api::{Page, SecretText};
use acctl_client::{ApiError, Progress};

use super::{Action, Call, Outcome, Request, RequestKey, Worker};

/// How long a poll of a running export waits before it asks: the timer
/// that paces polling, so nothing spins while the export is built.
const POLL_EVERY: Duration = Duration::from_secs(1);

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

impl Call for PrivacyRequest {
    fn key(&self) -> RequestKey {
        match self {
            Self::Load => RequestKey::of("privacy.load"),
            // Each field on its own.
            Self::Save(patch) => RequestKey::on("privacy.save", patch_field(patch)),
            Self::LoadExports => RequestKey::of("privacy.exports"),
            Self::StartExport => RequestKey::of("privacy.start_export"),
            Self::PollExport { .. } => RequestKey::of("privacy.poll_export"),
            Self::Download { .. } => RequestKey::of("privacy.download"),
            Self::LoadDeletion => RequestKey::of("privacy.deletion"),
            // Scheduling or cancelling: one at a time.
            Self::ScheduleDeletion { .. } | Self::CancelDeletion => {
                RequestKey::of("privacy.deletion_change")
            }
        }
    }

    fn is_cancellable(&self) -> bool {
        matches!(self, Self::Load | Self::LoadExports | Self::LoadDeletion)
    }

    fn is_retried(&self) -> bool {
        self.is_cancellable()
    }
}

/// The answers, each for the request of that name.
#[derive(Debug)]
pub enum PrivacyDone {
    Settings(Result<PrivacySettings, ApiError>),
    Saved(Result<PrivacySettings, ApiError>),
    Exports(Result<Page<DataExport>, ApiError>),
    ExportStarted(Result<DataExport, ApiError>),
    /// The answer to a poll.
    Export(Result<DataExport, ApiError>),
    /// The bytes written.
    Downloaded(Result<u64, ApiError>),
    Deletion(Result<DeletionStatus, ApiError>),
    DeletionScheduled(Result<DeletionStatus, ApiError>),
    DeletionCancelled(Result<(), ApiError>),
}

impl Outcome for PrivacyDone {
    fn error(&self) -> Option<&ApiError> {
        match self {
            Self::Settings(r) | Self::Saved(r) => r.error(),
            Self::Exports(r) => r.error(),
            Self::ExportStarted(r) | Self::Export(r) => r.error(),
            Self::Downloaded(r) => r.error(),
            Self::Deletion(r) | Self::DeletionScheduled(r) => r.error(),
            Self::DeletionCancelled(r) => r.error(),
        }
    }
}

pub(super) async fn run(worker: &Worker, request: &PrivacyRequest) -> PrivacyDone {
    let api = worker.client.privacy();
    match request {
        PrivacyRequest::Load => PrivacyDone::Settings(api.settings().await),
        PrivacyRequest::Save(patch) => PrivacyDone::Saved(api.update(patch).await),
        PrivacyRequest::LoadExports => PrivacyDone::Exports(api.exports().await),
        PrivacyRequest::StartExport => PrivacyDone::ExportStarted(api.start_export().await),
        PrivacyRequest::PollExport { id } => {
            tokio::time::sleep(POLL_EVERY).await;
            PrivacyDone::Export(api.export(id).await)
        }
        PrivacyRequest::Download { id, path, replace } => {
            PrivacyDone::Downloaded(download(worker, request, id, path, *replace).await)
        }
        PrivacyRequest::LoadDeletion => PrivacyDone::Deletion(api.deletion().await),
        PrivacyRequest::ScheduleDeletion {
            password,
            confirmation,
            sign_out_others,
        } => PrivacyDone::DeletionScheduled(
            api.schedule_deletion(password.clone(), confirmation, *sign_out_others)
                .await,
        ),
        PrivacyRequest::CancelDeletion => {
            PrivacyDone::DeletionCancelled(api.cancel_deletion().await)
        }
    }
}

/// Downloads an export, telling the app how far it is whenever the percent
/// moves (not on every chunk: each message is a redraw).
async fn download(
    worker: &Worker,
    request: &PrivacyRequest,
    id: &str,
    path: &Path,
    replace: bool,
) -> Result<u64, ApiError> {
    if !replace && path.exists() {
        // Checked on the screen too; this covers a file made since.
        return Err(ApiError::File {
            path: path.display().to_string(),
            reason: "it already exists; choose another name".into(),
        });
    }
    let mut last: Option<Option<u8>> = None;
    let report = |p: Progress| {
        let percent = p.percent();
        if last != Some(percent) || percent.is_none() {
            last = Some(percent);
            let request = Request::Privacy(request.clone());
            let _ = worker.actions.send(Action::Progress {
                request,
                progress: p,
            });
        }
    };
    worker
        .client
        .privacy()
        .download_export(id, path, report)
        .await
}
