//! The requests and answers of the Notifications screen: the settings
//! matrix, the inbox and the unread count the header shows.

use acctl_api::Page;
use acctl_api::notifications::{
    Notification, NotificationCategory, NotificationChannel, NotificationSettings, UnreadCount,
};

use super::RequestKey;
use acctl_client::ApiError;

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

/// The [`RequestKey`]s of the notifications requests.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NotificationsKey {
    Settings,
    /// Each cell on its own: toggling two cells sends two requests.
    Set(NotificationCategory, NotificationChannel),
    Inbox,
    MarkRead(String),
    MarkAllRead,
    Unread,
}

impl NotificationsRequest {
    pub fn key(&self) -> RequestKey {
        RequestKey::Notifications(match self {
            Self::LoadSettings => NotificationsKey::Settings,
            Self::Set {
                category, channel, ..
            } => NotificationsKey::Set(*category, *channel),
            Self::LoadInbox { .. } => NotificationsKey::Inbox,
            Self::MarkRead { id } => NotificationsKey::MarkRead(id.clone()),
            Self::MarkAllRead => NotificationsKey::MarkAllRead,
            Self::LoadUnread => NotificationsKey::Unread,
        })
    }
}

/// The answers, each for the request of that name.
#[derive(Debug)]
pub enum NotificationsDone {
    Settings(Result<NotificationSettings, ApiError>),
    Set {
        category: NotificationCategory,
        channel: NotificationChannel,
        enabled: bool,
        result: Result<NotificationSettings, ApiError>,
    },
    Inbox {
        cursor: Option<String>,
        unread: bool,
        result: Result<Page<Notification>, ApiError>,
    },
    MarkedRead {
        id: String,
        result: Result<Notification, ApiError>,
    },
    MarkedAllRead(Result<UnreadCount, ApiError>),
    Unread(Result<UnreadCount, ApiError>),
}

impl NotificationsDone {
    pub fn key(&self) -> RequestKey {
        RequestKey::Notifications(match self {
            Self::Settings(_) => NotificationsKey::Settings,
            Self::Set {
                category, channel, ..
            } => NotificationsKey::Set(*category, *channel),
            Self::Inbox { .. } => NotificationsKey::Inbox,
            Self::MarkedRead { id, .. } => NotificationsKey::MarkRead(id.clone()),
            Self::MarkedAllRead(_) => NotificationsKey::MarkAllRead,
            Self::Unread(_) => NotificationsKey::Unread,
        })
    }

    pub fn error(&self) -> Option<&ApiError> {
        match self {
            Self::Settings(r) | Self::Set { result: r, .. } => r.as_ref().err(),
            Self::Inbox { result, .. } => result.as_ref().err(),
            Self::MarkedRead { result, .. } => result.as_ref().err(),
            Self::MarkedAllRead(r) | Self::Unread(r) => r.as_ref().err(),
        }
    }
}
