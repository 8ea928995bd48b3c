//! Privacy: who sees the profile and what data is used, the export of
//! everything held about the person, and deleting the account after a grace
//! period.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::billing::{Invoice, PaymentMethod, Subscription};
use crate::notifications::{Notification, NotificationSettings};
use crate::{Account, Preferences, SecretText, SecurityEvent, Session};

/// Who can see the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProfileVisibility {
    Private,
    Contacts,
    Public,
}

impl ProfileVisibility {
    pub const ALL: [Self; 3] = [Self::Private, Self::Contacts, Self::Public];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Contacts => "contacts",
            Self::Public => "public",
        }
    }

    /// One line on what the choice means.
    pub fn explain(self) -> &'static str {
        match self {
            Self::Private => "Only you see your profile",
            Self::Contacts => "People you are connected with see your profile",
            Self::Public => "Anyone can see your name, display name and picture",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == name)
    }
}

/// `GET /v1/me/privacy`, and the answer to a `PATCH`. New accounts start
/// private with everything optional off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PrivacySettings {
    pub profile_visibility: ProfileVisibility,
    /// Share usage data with partners who improve the service.
    pub data_sharing: bool,
    /// Measure how the service is used, to improve it.
    pub analytics: bool,
    /// Choose ads from what the service knows about you.
    pub personalized_ads: bool,
}

/// `PATCH /v1/me/privacy`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrivacyPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_visibility: Option<ProfileVisibility>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_sharing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personalized_ads: Option<bool>,
}

impl PrivacyPatch {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Where an export job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    /// Waiting for or being built; `progress_percent` says how far.
    Running,
    /// `GET .../download` gives the document until `expires_at`.
    Ready,
    Failed,
    /// Past `expires_at`; start a new export.
    Expired,
}

/// `POST /v1/me/exports` (202) and `GET /v1/me/exports/{id}`; `GET
/// /v1/me/exports` lists them newest first (a [`crate::Page`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DataExport {
    pub id: String,
    pub status: ExportStatus,
    /// 0 to 100.
    pub progress_percent: u8,
    pub created_at: DateTime<Utc>,
    pub ready_at: Option<DateTime<Utc>>,
    /// When the download stops working: [`EXPORT_TTL_DAYS`] after ready.
    pub expires_at: Option<DateTime<Utc>>,
    /// Size of the document once ready, so a download can show progress.
    pub size_bytes: Option<u64>,
}

/// How long a ready export can be downloaded.
pub const EXPORT_TTL_DAYS: i64 = 7;
/// The version of [`ExportDocument`]'s shape.
pub const EXPORT_FORMAT_VERSION: u32 = 1;

/// `GET /v1/me/exports/{id}/download`: one JSON document with everything
/// held about the person. Never a password hash, TOTP secret, recovery code
/// or token, not even hashed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ExportDocument {
    pub format_version: u32,
    pub exported_at: DateTime<Utc>,
    pub account: Account,
    pub preferences: Preferences,
    pub sessions: Vec<Session>,
    pub security_events: Vec<SecurityEvent>,
    pub notification_settings: NotificationSettings,
    pub notifications: Vec<Notification>,
    pub privacy: PrivacySettings,
    /// Present when the server has billing.
    #[serde(default)]
    pub billing: Option<BillingExport>,
}

/// The billing part of an [`ExportDocument`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BillingExport {
    pub subscription: Option<Subscription>,
    pub payment_method: Option<PaymentMethod>,
    /// Every invoice with its lines, newest first.
    pub invoices: Vec<Invoice>,
}

/// The word typed to confirm a deletion, exactly.
pub const DELETE_CONFIRMATION: &str = "DELETE";
/// Days between scheduling a deletion and the purge, unless acctd is told
/// otherwise (`deletion_grace_days`).
pub const DEFAULT_DELETION_GRACE_DAYS: u32 = 14;

/// `POST /v1/me/deletion`. A wrong password is a 422 on `password`; any
/// word but [`DELETE_CONFIRMATION`] a 422 on `confirmation`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeletionRequest {
    #[schema(value_type = String, format = Password)]
    pub password: SecretText,
    pub confirmation: String,
    /// Also sign out every other session now. Off unless asked: the
    /// person may cancel within the grace period, and cancelling cannot
    /// bring signed-out devices back.
    #[serde(default)]
    pub sign_out_others: bool,
}

/// `GET /v1/me/deletion`, and the answer to `POST` (202). `DELETE
/// /v1/me/deletion` cancels (then `scheduled_for` is None). While a deletion
/// is scheduled, sign-in still works and [`Account::deletion_scheduled_for`]
/// says when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeletionStatus {
    /// When the personal data will be removed; None when nothing is scheduled.
    pub scheduled_for: Option<DateTime<Utc>>,
    pub requested_at: Option<DateTime<Utc>>,
    /// The grace period this server gives, in days.
    pub grace_days: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_send_only_what_changed() {
        let patch = PrivacyPatch {
            analytics: Some(true),
            ..PrivacyPatch::default()
        };
        let json = serde_json::to_string(&patch).expect("encodes");
        assert_eq!(json, r#"{"analytics":true}"#);
        assert!(serde_json::from_str::<PrivacyPatch>(r#"{"tracking":true}"#).is_err());
        assert_eq!(
            ProfileVisibility::parse("contacts"),
            Some(ProfileVisibility::Contacts)
        );
    }

    #[test]
    fn deletion_requests_hide_the_password() {
        let json = r#"{"password":"hunter2","confirmation":"DELETE"}"#;
        let parsed: DeletionRequest = serde_json::from_str(json).expect("parses");
        assert!(!format!("{parsed:?}").contains("hunter2"));
    }
}
