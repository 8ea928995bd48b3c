//! `client.notifications()`: the settings matrix, the inbox and the unread
//! count the header shows.

use acctl_api::notifications::{
    Notification, NotificationCategory, NotificationChannel, NotificationSettings,
    NotificationToggle, UnreadCount,
};
use acctl_api::{Page, PageQuery};
use acctl_client::ApiError;

use super::{Call, Outcome, RequestKey, Worker};

/// Messages asked for per page of the inbox.
const INBOX_PAGE: u32 = 30;

#[derive(Debug, Clone)]
pub enum NotificationsRequest {
    LoadSettings,
    /// One cell of the matrix, sent as soon as it is toggled.
    Set {
        category: NotificationCategory,
        channel: NotificationChannel,
        enabled: bool,
    },
    /// A page of the inbox: the first when `cursor` is None.
    LoadInbox {
        cursor: Option<String>,
        unread: bool,
    },
    MarkRead {
        id: String,
    },
    MarkAllRead,
    LoadUnread,
}

/// The answers, each for the request of that name.
#[derive(Debug)]
pub enum NotificationsDone {
    Settings(Result<NotificationSettings, ApiError>),
    Set(Result<NotificationSettings, ApiError>),
    Inbox(Result<Page<Notification>, ApiError>),
    MarkedRead(Result<Notification, ApiError>),
    MarkedAllRead(Result<UnreadCount, ApiError>),
    Unread(Result<UnreadCount, ApiError>),
}

impl Call for NotificationsRequest {
    fn key(&self) -> RequestKey {
        match self {
            Self::LoadSettings => RequestKey::of("notifications.settings"),
            // Each cell on its own: toggling two cells sends two requests.
            Self::Set {
                category, channel, ..
            } => RequestKey::on("notifications.set", format!("{category:?} {channel:?}")),
            Self::LoadInbox { cursor, unread } => {
                RequestKey::on("notifications.inbox", format!("{unread} {cursor:?}"))
            }
            Self::MarkRead { id } => RequestKey::on("notifications.mark_read", id),
            Self::MarkAllRead => RequestKey::of("notifications.mark_all_read"),
            Self::LoadUnread => RequestKey::of("notifications.unread"),
        }
    }

    fn is_cancellable(&self) -> bool {
        matches!(self, Self::LoadSettings | Self::LoadInbox { .. })
    }

    fn is_retried(&self) -> bool {
        matches!(
            self,
            Self::LoadSettings | Self::LoadInbox { .. } | Self::LoadUnread
        )
    }

    /// One page of the inbox at a time: the list knows one page on its way.
    fn waits_its_turn(&self) -> bool {
        matches!(self, Self::LoadInbox { .. })
    }
}

impl Outcome for NotificationsDone {
    fn error(&self) -> Option<&ApiError> {
        match self {
            Self::Settings(r) | Self::Set(r) => r.error(),
            Self::Inbox(r) => r.error(),
            Self::MarkedRead(r) => r.error(),
            Self::MarkedAllRead(r) | Self::Unread(r) => r.error(),
        }
    }
}

pub(super) async fn run(worker: &Worker, request: &NotificationsRequest) -> NotificationsDone {
    let api = worker.client.notifications();
    match request {
        NotificationsRequest::LoadSettings => NotificationsDone::Settings(api.settings().await),
        NotificationsRequest::Set {
            category,
            channel,
            enabled,
        } => {
            let cell = NotificationToggle {
                category: *category,
                channel: *channel,
                enabled: *enabled,
            };
            NotificationsDone::Set(api.set(vec![cell]).await)
        }
        NotificationsRequest::LoadInbox { cursor, unread } => {
            let query = PageQuery {
                limit: Some(INBOX_PAGE),
                cursor: cursor.clone(),
            };
            NotificationsDone::Inbox(api.list(&query, *unread).await)
        }
        NotificationsRequest::MarkRead { id } => {
            NotificationsDone::MarkedRead(api.mark_read(id).await)
        }
        NotificationsRequest::MarkAllRead => {
            NotificationsDone::MarkedAllRead(api.mark_all_read().await)
        }
        NotificationsRequest::LoadUnread => NotificationsDone::Unread(api.unread_count().await),
    }
}
