//! The security log.

use acctl_api::SecurityEventKind;
use sqlx::{AnyConnection, FromRow};

use super::sql::Sql;
use super::{Store, limit_plus_one};

/// One row of the security log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub id: String,
    pub user_id: String,
    pub session_id: Option<String>,
    pub kind: SecurityEventKind,
    pub at: i64,
    pub ip: Option<String>,
    pub device_name: Option<String>,
    pub detail: Option<String>,
}

impl EventRecord {
    /// An event with a fresh id and no extra facts; fill in the rest.
    pub fn new(user_id: &str, kind: SecurityEventKind, at: i64) -> Self {
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: user_id.to_string(),
            session_id: None,
            kind,
            at,
            ip: None,
            device_name: None,
            detail: None,
        }
    }
}

/// Position after the last event of a page: newest first, ties by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCursor {
    pub at: i64,
    pub id: String,
}

#[derive(FromRow)]
struct EventRow {
    id: String,
    user_id: String,
    session_id: Option<String>,
    kind: String,
    at: i64,
    ip: Option<String>,
    device_name: Option<String>,
    detail: Option<String>,
}

impl From<EventRow> for EventRecord {
    fn from(row: EventRow) -> Self {
        Self {
            id: row.id,
            user_id: row.user_id,
            session_id: row.session_id,
            kind: kind_from_name(&row.kind),
            at: row.at,
            ip: row.ip,
            device_name: row.device_name,
            detail: row.detail,
        }
    }
}

/// The stored (and wire) name of a kind.
pub fn kind_name(kind: SecurityEventKind) -> &'static str {
    match kind {
        SecurityEventKind::AccountCreated => "account_created",
        SecurityEventKind::LoginSucceeded => "login_succeeded",
        SecurityEventKind::LoginFailed => "login_failed",
        SecurityEventKind::Logout => "logout",
        SecurityEventKind::SessionRevoked => "session_revoked",
        SecurityEventKind::RefreshTokenReused => "refresh_token_reused",
        SecurityEventKind::PasswordChanged => "password_changed",
        SecurityEventKind::EmailChangeRequested => "email_change_requested",
        SecurityEventKind::EmailChanged => "email_changed",
        SecurityEventKind::MfaEnabled => "mfa_enabled",
        SecurityEventKind::MfaDisabled => "mfa_disabled",
        SecurityEventKind::RecoveryCodesRegenerated => "recovery_codes_regenerated",
        SecurityEventKind::RecoveryCodeUsed => "recovery_code_used",
        SecurityEventKind::MfaFailed => "mfa_failed",
        SecurityEventKind::ProfileUpdated => "profile_updated",
        SecurityEventKind::AvatarChanged => "avatar_changed",
        SecurityEventKind::NotificationSettingsChanged => "notification_settings_changed",
        SecurityEventKind::PrivacySettingsChanged => "privacy_settings_changed",
        SecurityEventKind::DataExportRequested => "data_export_requested",
        SecurityEventKind::DeletionScheduled => "deletion_scheduled",
        SecurityEventKind::DeletionCanceled => "deletion_canceled",
        SecurityEventKind::PlanChanged => "plan_changed",
        SecurityEventKind::SubscriptionCanceled => "subscription_canceled",
        SecurityEventKind::SubscriptionResumed => "subscription_resumed",
        SecurityEventKind::PaymentMethodChanged => "payment_method_changed",
        SecurityEventKind::Other => "other",
    }
}

fn kind_from_name(name: &str) -> SecurityEventKind {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .unwrap_or(SecurityEventKind::Other)
}

const EVENT_COLUMNS: &str = "id, user_id, session_id, kind, at, ip, device_name, detail";

/// Logs `event`, and notifies about it when it is one people hear about
/// (see `notices`), inside the caller's transaction.
pub(super) async fn insert_event(
    conn: &mut AnyConnection,
    event: &EventRecord,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO security_events (id, user_id, session_id, kind, at, ip, device_name, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&event.id)
    .bind(&event.user_id)
    .bind(&event.session_id)
    .bind(kind_name(event.kind))
    .bind(event.at)
    .bind(&event.ip)
    .bind(&event.device_name)
    .bind(&event.detail)
    .execute(&mut *conn)
    .await?;
    super::notices::notify_event(conn, event).await
}

impl Store {
    pub async fn record_event(&self, event: &EventRecord) -> Result<(), sqlx::Error> {
        // A transaction, since the event may bring a notification along.
        let mut tx = self.write().await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await
    }

    /// Up to `limit` events after `cursor`, newest first, and whether more follow.
    pub async fn list_events(
        &self,
        user_id: &str,
        kind: Option<SecurityEventKind>,
        limit: u32,
        cursor: Option<&EventCursor>,
    ) -> Result<(Vec<EventRecord>, bool), sqlx::Error> {
        // Built per case (rather than `$n IS NULL OR ...`) so PostgreSQL
        // never has to guess the type of an unused parameter.
        let mut query = Sql::new(format!(
            "SELECT {EVENT_COLUMNS} FROM security_events WHERE user_id = "
        ));
        query.push_bind(user_id);
        if let Some(kind) = kind {
            query.push(" AND kind = ").push_bind(kind_name(kind));
        }
        if let Some(cursor) = cursor {
            query.push_past("at, id", "<", cursor.at, cursor.id.as_str());
        }
        query
            .push(" ORDER BY at DESC, id DESC LIMIT ")
            .push_bind(limit_plus_one(limit));
        let rows: Vec<EventRow> = query.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() > limit as usize;
        let events = rows
            .into_iter()
            .take(limit as usize)
            .map(Into::into)
            .collect();
        Ok((events, more))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_match_the_wire_names() {
        for kind in SecurityEventKind::ALL {
            let wire = serde_json::to_value(kind).expect("serialises");
            assert_eq!(wire, kind_name(kind));
            assert_eq!(kind_from_name(kind_name(kind)), kind);
        }
    }
}
