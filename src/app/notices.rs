//! What the answers of the Notifications and Privacy screens mean across
//! the app: the unread count in the header, the banner of an account to be
//! deleted, the requests that follow (the next poll of an export), toasts.

use acctl_api::privacy::ExportStatus;

use super::action::{NotificationsDone, NotificationsRequest, PrivacyDone, Request, Response};
use super::state::App;
use crate::widgets::toast::Toast;

impl App {
    /// Keeps the banner in step with whatever says when the account is to
    /// be deleted: the account itself, or the deletion's status.
    pub(super) fn note_deletion(&mut self, response: &Response) {
        use super::action::ProfileDone;
        self.deletion_on = match response {
            Response::Account(Ok(account)) => account.deletion_scheduled_for,
            Response::Profile(ProfileDone::Loaded(Ok(v)) | ProfileDone::Saved(Ok(v))) => {
                v.value.deletion_scheduled_for
            }
            Response::Privacy(PrivacyDone::Deletion(Ok(s)))
            | Response::Privacy(PrivacyDone::DeletionScheduled(Ok(s))) => s.scheduled_for,
            Response::Privacy(PrivacyDone::DeletionCancelled(Ok(()))) => None,
            _ => return,
        };
    }

    pub(super) fn notifications_answered(&mut self, done: &NotificationsDone) {
        for request in self.notifications.follow_up() {
            self.dispatch(request);
        }
        match done {
            NotificationsDone::Unread(Ok(count)) | NotificationsDone::MarkedAllRead(Ok(count)) => {
                self.unread = Some(count.unread);
            }
            NotificationsDone::MarkedRead { result: Ok(_), .. } => {
                self.dispatch(Request::Notifications(NotificationsRequest::LoadUnread));
            }
            _ => {}
        }
        if let NotificationsDone::MarkedAllRead(Ok(_)) = done {
            self.toast(Toast::success("Every notification is marked read."));
        }
    }

    pub(super) fn privacy_answered(&mut self, done: &PrivacyDone) {
        for request in self.privacy.follow_up() {
            self.dispatch(request);
        }
        let said = match done {
            PrivacyDone::Downloaded {
                path,
                result: Ok(bytes),
            } => Some(format!(
                "Export saved to {} ({} KiB).",
                path.display(),
                bytes.div_ceil(1024)
            )),
            PrivacyDone::Export(Ok(e)) if e.status == ExportStatus::Ready => {
                Some("Your export is ready; choose where to save it.".into())
            }
            PrivacyDone::DeletionScheduled(Ok(_)) => {
                Some("Deletion scheduled; you can cancel it until then.".into())
            }
            PrivacyDone::DeletionCancelled(Ok(())) => {
                Some("Deletion cancelled; your account stays.".into())
            }
            _ => None,
        };
        if let Some(text) = said {
            self.toast(Toast::success(text));
        }
        if matches!(
            done,
            PrivacyDone::DeletionScheduled(Ok(_)) | PrivacyDone::DeletionCancelled(Ok(()))
        ) {
            // The overview shows the account; the log has a new event.
            self.overview.mark_stale();
            self.security.log.mark_stale();
        }
    }
}
