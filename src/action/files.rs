//! Local files the console writes (nothing is sent to the server).

use std::path::PathBuf;

use acctl_api::SecretText;
use acctl_client::ApiError;

use super::{Call, Outcome, RequestKey, Worker};
use crate::files::SaveError;

#[derive(Debug, Clone)]
pub enum FilesRequest {
    /// Writes `contents` to a new file at `path`, readable only by its
    /// owner (0600); never overwrites.
    Save { path: PathBuf, contents: SecretText },
}

/// The answer to [`FilesRequest::Save`].
pub type FilesDone = Result<(), SaveError>;

impl Call for FilesRequest {
    fn key(&self) -> RequestKey {
        match self {
            Self::Save { .. } => RequestKey::of("files.save"),
        }
    }

    fn is_cancellable(&self) -> bool {
        false
    }
}

impl Outcome for FilesDone {
    /// A file that could not be written is no failure of the server.
    fn error(&self) -> Option<&ApiError> {
        None
    }
}

pub(super) async fn run(_worker: &Worker, request: &FilesRequest) -> FilesDone {
    match request {
        FilesRequest::Save { path, contents } => {
            let (path, contents) = (path.clone(), contents.clone());
            tokio::task::spawn_blocking(move || crate::files::create_private(&path, &contents))
                .await
                .unwrap_or_else(|e| Err(SaveError::Stopped(e.to_string())))
        }
    }
}
