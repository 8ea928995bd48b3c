//! Notifications (settings matrix and inbox) and privacy (settings, data
//! export, account deletion).

use acctl_api::notifications::{
    Notification, NotificationQuery, NotificationSettings, NotificationSettingsUpdate,
    NotificationToggle, UnreadCount,
};
use acctl_api::privacy::{
    DataExport, DeletionRequest, DeletionStatus, PrivacyPatch, PrivacySettings,
};
use acctl_api::{Page, PageQuery, SecretText, paths};
use reqwest::Method;

use super::answer::{expect_success, with_query};
use super::backend::dispatch;
use super::{ApiError, Client, Feature};

/// The settings matrix and the inbox of the signed-in account.
pub struct Notifications<'a> {
    client: &'a Client,
}

impl<'a> Notifications<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    pub async fn settings(&self) -> Result<NotificationSettings, ApiError> {
        self.client.require(Feature::Notifications).await?;
        self.client.get_authed(paths::NOTIFICATION_SETTINGS).await
    }

    /// Sets the cells in `cells`; the rest stay. A locked cell is refused
    /// with `setting_locked` on its field (see [`acctl_api::notifications::cell_field`]).
    pub async fn set(
        &self,
        cells: Vec<NotificationToggle>,
    ) -> Result<NotificationSettings, ApiError> {
        self.client.require(Feature::Notifications).await?;
        let body = NotificationSettingsUpdate { settings: cells };
        self.client
            .json(Method::PUT, paths::NOTIFICATION_SETTINGS, Some(&body))
            .await
    }

    /// A page of the inbox, newest first; only the unread with `unread`.
    pub async fn list(
        &self,
        query: &PageQuery,
        unread: bool,
    ) -> Result<Page<Notification>, ApiError> {
        self.client.require(Feature::Notifications).await?;
        let query = NotificationQuery {
            unread,
            limit: query.limit,
            cursor: query.cursor.clone(),
        };
        let path = with_query(paths::NOTIFICATIONS, &query);
        self.client.get_authed(&path).await
    }

    pub async fn unread_count(&self) -> Result<UnreadCount, ApiError> {
        self.client.require(Feature::Notifications).await?;
        self.client
            .get_authed(paths::NOTIFICATIONS_UNREAD_COUNT)
            .await
    }

    pub async fn mark_read(&self, id: &str) -> Result<Notification, ApiError> {
        self.client.require(Feature::Notifications).await?;
        let path = paths::notification_read(id);
        self.client.json(Method::POST, &path, None::<&()>).await
    }

    /// Marks every notification read; answers the count left (0).
    pub async fn mark_all_read(&self) -> Result<UnreadCount, ApiError> {
        self.client.require(Feature::Notifications).await?;
        self.client
            .json(Method::POST, paths::NOTIFICATIONS_READ_ALL, None::<&()>)
            .await
    }
}

/// Privacy settings, data exports and account deletion.
pub struct Privacy<'a> {
    client: &'a Client,
}

impl<'a> Privacy<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    pub async fn settings(&self) -> Result<PrivacySettings, ApiError> {
        self.client.require(Feature::PrivacySettings).await?;
        self.client.get_authed(paths::PRIVACY).await
    }

    pub async fn update(&self, patch: &PrivacyPatch) -> Result<PrivacySettings, ApiError> {
        self.client.require(Feature::PrivacySettings).await?;
        self.client
            .json(Method::PATCH, paths::PRIVACY, Some(patch))
            .await
    }

    /// Starts an export job; poll [`Privacy::export`] until it is ready.
    pub async fn start_export(&self) -> Result<DataExport, ApiError> {
        self.client.require(Feature::DataExport).await?;
        self.client
            .json(Method::POST, paths::EXPORTS, None::<&()>)
            .await
    }

    /// Exports, newest first.
    pub async fn exports(&self) -> Result<Page<DataExport>, ApiError> {
        self.client.require(Feature::DataExport).await?;
        self.client.get_authed(paths::EXPORTS).await
    }

    pub async fn export(&self, id: &str) -> Result<DataExport, ApiError> {
        self.client.require(Feature::DataExport).await?;
        self.client.get_authed(&paths::export(id)).await
    }

    /// Saves a ready export's document to `dest`; answers the bytes written.
    pub async fn download_export(
        &self,
        id: &str,
        dest: &std::path::Path,
        progress: impl FnMut(super::Progress) + Send,
    ) -> Result<u64, ApiError> {
        self.client.require(Feature::DataExport).await?;
        self.client
            .download_to(&paths::export_download(id), dest, progress)
            .await
    }

    pub async fn deletion(&self) -> Result<DeletionStatus, ApiError> {
        self.client.require(Feature::AccountDeletion).await?;
        dispatch!(self.client, deletion(), acctd => self.client.get_authed(paths::DELETION).await)
    }

    /// Schedules deletion after the grace period; other sessions end now
    /// only with `sign_out_others`. A wrong password lands on `password`, a
    /// wrong word on `confirmation`.
    pub async fn schedule_deletion(
        &self,
        password: SecretText,
        confirmation: &str,
        sign_out_others: bool,
    ) -> Result<DeletionStatus, ApiError> {
        self.client.require(Feature::AccountDeletion).await?;
        dispatch!(self.client, schedule_deletion(password, confirmation, sign_out_others), acctd => {
            let body = DeletionRequest {
                password,
                confirmation: confirmation.to_string(),
                sign_out_others,
            };
            self.client
                .json(Method::POST, paths::DELETION, Some(&body))
                .await
        })
    }

    pub async fn cancel_deletion(&self) -> Result<(), ApiError> {
        self.client.require(Feature::AccountDeletion).await?;
        dispatch!(self.client, cancel_deletion(), acctd => {
            let response = self
                .client
                .send_authed(Method::DELETE, paths::DELETION, None)
                .await?;
            expect_success(response).await
        })
    }
}
