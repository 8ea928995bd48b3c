//! The worker's side of the Notifications and Privacy screens.

use std::time::Duration;

use acctl_api::PageQuery;
use acctl_api::notifications::NotificationToggle;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::action::{
    Action, NotificationsDone, NotificationsRequest, PrivacyDone, PrivacyRequest,
};
use acctl_client::{ApiError, Client, Progress};

/// Messages asked for per page of the inbox.
const INBOX_PAGE: u32 = 30;
/// How long a poll of a running export waits before it asks: the timer
/// that paces polling, so nothing spins while the export is built.
const POLL_EVERY: Duration = Duration::from_secs(1);

pub(super) async fn notifications(
    client: &Client,
    request: NotificationsRequest,
) -> NotificationsDone {
    let api = client.notifications();
    match request {
        NotificationsRequest::LoadSettings => NotificationsDone::Settings(api.settings().await),
        NotificationsRequest::Set {
            category,
            channel,
            enabled,
        } => {
            let cell = NotificationToggle {
                category,
                channel,
                enabled,
            };
            let result = api.set(vec![cell]).await;
            NotificationsDone::Set {
                category,
                channel,
                enabled,
                result,
            }
        }
        NotificationsRequest::LoadInbox { cursor, unread } => {
            let query = PageQuery {
                limit: Some(INBOX_PAGE),
                cursor: cursor.clone(),
            };
            let result = api.list(&query, unread).await;
            NotificationsDone::Inbox {
                cursor,
                unread,
                result,
            }
        }
        NotificationsRequest::MarkRead { id } => {
            let result = api.mark_read(&id).await;
            NotificationsDone::MarkedRead { id, result }
        }
        NotificationsRequest::MarkAllRead => {
            NotificationsDone::MarkedAllRead(api.mark_all_read().await)
        }
        NotificationsRequest::LoadUnread => NotificationsDone::Unread(api.unread_count().await),
    }
}

pub(super) async fn privacy(
    client: &Client,
    request: PrivacyRequest,
    actions: &UnboundedSender<Action>,
) -> PrivacyDone {
    let api = client.privacy();
    match request {
        PrivacyRequest::Load => PrivacyDone::Settings(api.settings().await),
        PrivacyRequest::Save(patch) => {
            let result = api.update(&patch).await;
            PrivacyDone::Saved { patch, result }
        }
        PrivacyRequest::LoadExports => PrivacyDone::Exports(api.exports().await),
        PrivacyRequest::StartExport => PrivacyDone::ExportStarted(api.start_export().await),
        PrivacyRequest::PollExport { id } => {
            tokio::time::sleep(POLL_EVERY).await;
            PrivacyDone::Export(api.export(&id).await)
        }
        PrivacyRequest::Download { id, path, replace } => {
            let result = download(client, &id, &path, replace, actions).await;
            PrivacyDone::Downloaded { path, result }
        }
        PrivacyRequest::LoadDeletion => PrivacyDone::Deletion(api.deletion().await),
        PrivacyRequest::ScheduleDeletion {
            password,
            confirmation,
            sign_out_others,
        } => PrivacyDone::DeletionScheduled(
            api.schedule_deletion(password, &confirmation, sign_out_others)
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
    client: &Client,
    id: &str,
    path: &std::path::Path,
    replace: bool,
    actions: &UnboundedSender<Action>,
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
            let _ = actions.send(Action::DownloadProgress(p));
        }
    };
    client.privacy().download_export(id, path, report).await
}
