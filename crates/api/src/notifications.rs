//! Notifications: which categories arrive on which channels (the settings
//! matrix), and the in-app inbox the server fills from real events.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a notification is about. Rows of the settings matrix.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum NotificationCategory {
    Security,
    Account,
    Billing,
    Product,
    Marketing,
}

impl NotificationCategory {
    pub const ALL: [Self; 5] = [
        Self::Security,
        Self::Account,
        Self::Billing,
        Self::Product,
        Self::Marketing,
    ];

    /// The wire name, e.g. `security`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Security => "security",
            Self::Account => "account",
            Self::Billing => "billing",
            Self::Product => "product",
            Self::Marketing => "marketing",
        }
    }

    /// A name for people, e.g. "Security".
    pub fn label(self) -> &'static str {
        match self {
            Self::Security => "Security",
            Self::Account => "Account",
            Self::Billing => "Billing",
            Self::Product => "Product news",
            Self::Marketing => "Marketing",
        }
    }

    /// One line on what the category carries.
    pub fn explain(self) -> &'static str {
        match self {
            Self::Security => "Sign-ins, password, two-factor and deletion changes",
            Self::Account => "Profile, export and account changes",
            Self::Billing => "Invoices, plan changes and payment problems",
            Self::Product => "New features and changes to the service",
            Self::Marketing => "Offers and newsletters",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// Where a notification is delivered. Columns of the settings matrix.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum NotificationChannel {
    Email,
    Push,
    Sms,
    InApp,
}

impl NotificationChannel {
    pub const ALL: [Self; 4] = [Self::Email, Self::Push, Self::Sms, Self::InApp];

    /// The wire name, e.g. `in_app`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Push => "push",
            Self::Sms => "sms",
            Self::InApp => "in_app",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "Email",
            Self::Push => "Push",
            Self::Sms => "SMS",
            Self::InApp => "In-app",
        }
    }

    /// Accepts the wire name and `in-app`, as people type it.
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.replace('-', "_");
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// The one cell that cannot be turned off: security alerts by email, so a
/// stolen session cannot silence the warning about itself.
pub fn is_locked(category: NotificationCategory, channel: NotificationChannel) -> bool {
    category == NotificationCategory::Security && channel == NotificationChannel::Email
}

/// Why [`is_locked`] cells stay on; the server sends it with the cell and in
/// the error when a client tries.
pub const LOCKED_REASON: &str =
    "Security alerts by email stay on, so you always hear about sign-ins and changes";

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationSetting {
    pub category: NotificationCategory,
    pub channel: NotificationChannel,
    pub enabled: bool,
    /// True when the cell cannot be changed; `locked_reason` says why.
    #[serde(default)]
    pub locked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_reason: Option<String>,
}

/// `GET /v1/me/notification-settings`: every cell, categories in
/// a fixed order, channels in a fixed order within each. Also the answer to a `PUT`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationSettings {
    pub settings: Vec<NotificationSetting>,
}

impl NotificationSettings {
    pub fn get(
        &self,
        category: NotificationCategory,
        channel: NotificationChannel,
    ) -> Option<&NotificationSetting> {
        self.settings
            .iter()
            .find(|s| s.category == category && s.channel == channel)
    }
}

/// One cell to set, in a `PUT /v1/me/notification-settings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationToggle {
    pub category: NotificationCategory,
    pub channel: NotificationChannel,
    pub enabled: bool,
}

/// `PUT /v1/me/notification-settings`: the cells listed are set, the rest
/// stay as they are (so two terminals toggling different cells do not undo
/// each other). Turning a locked cell off is a 422 with code
/// `setting_locked` and the error on the field `security.email`; the whole
/// request is then refused, nothing changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettingsUpdate {
    pub settings: Vec<NotificationToggle>,
}

/// The field name errors about a cell are keyed by, e.g. `security.email`.
pub fn cell_field(category: NotificationCategory, channel: NotificationChannel) -> String {
    format!("{}.{}", category.as_str(), channel.as_str())
}

/// One message in the inbox (`GET /v1/me/notifications`, newest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Notification {
    pub id: String,
    pub category: NotificationCategory,
    /// One line, e.g. "New sign-in from acctl on laptop".
    pub title: String,
    /// A few lines more, for when it is opened.
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// When it was marked read; None while unread.
    pub read_at: Option<DateTime<Utc>>,
}

/// Query of `GET /v1/me/notifications`: `?unread=true&limit=&cursor=`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationQuery {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unread: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// `GET /v1/me/notifications/unread-count`, and the answer to
/// `POST /v1/me/notifications/read-all` (then the count left, 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnreadCount {
    pub unread: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_in_app_takes_a_dash() {
        for c in NotificationCategory::ALL {
            assert_eq!(NotificationCategory::parse(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).expect("encodes");
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        for c in NotificationChannel::ALL {
            assert_eq!(NotificationChannel::parse(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).expect("encodes");
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(
            NotificationChannel::parse("in-app"),
            Some(NotificationChannel::InApp)
        );
        assert_eq!(NotificationChannel::parse("pigeon"), None);
    }

    #[test]
    fn only_security_email_is_locked() {
        let locked: Vec<_> = NotificationCategory::ALL
            .into_iter()
            .flat_map(|c| NotificationChannel::ALL.map(|ch| (c, ch)))
            .filter(|(c, ch)| is_locked(*c, *ch))
            .collect();
        assert_eq!(
            locked,
            [(NotificationCategory::Security, NotificationChannel::Email)]
        );
        assert_eq!(
            cell_field(NotificationCategory::Security, NotificationChannel::InApp),
            "security.in_app"
        );
    }
}
