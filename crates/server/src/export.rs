//! The data export: [`assemble`] is the one place the [`ExportDocument`]
//! is put together, stage by stage, and [`run`] is the background job that
//! builds and stores it. Only wire types go in, and none of them carries a
//! password hash, TOTP secret, recovery code or token.

use acctl_api::privacy::{EXPORT_FORMAT_VERSION, EXPORT_TTL_DAYS, ExportDocument};
use acctl_api::{MAX_PAGE_LIMIT, Preferences};
use chrono::Duration;

use crate::auth::Authenticated;
use crate::clock::{duration_ms, from_ms};
use crate::routes::{events, me, notification_settings, notifications, sessions};
use crate::state::AppState;
use crate::store::{EventCursor, FinishedExport, NotificationCursor, SessionCursor, StaleExport};

/// A running export's lease, renewed at each stage. One that runs out was
/// left by an instance that stopped, and another instance takes it over.
pub const LEASE: std::time::Duration = std::time::Duration::from_secs(60);

/// The end of a lease taken or renewed now.
pub fn lease_until(state: &AppState) -> i64 {
    state.now_ms() + duration_ms(LEASE)
}

/// Takes over, one after the other, every export whose instance stopped
/// before finishing it; how many.
pub async fn resume_stale(state: &AppState) -> Result<usize, sqlx::Error> {
    let mut resumed = 0;
    while let Some(stale) = state
        .store
        .claim_stale_export(state.now_ms(), lease_until(state))
        .await?
    {
        tracing::info!(export = %stale.id, "taking over a data export a stopped instance left");
        match owner(state, &stale).await? {
            Some(me) => run(state.clone(), me, stale.id).await,
            // Started before exports remembered their session: start anew.
            None => state.store.fail_export(&stale.id).await?,
        }
        resumed += 1;
    }
    Ok(resumed)
}

/// The session that asked for `stale`, as the caller it was.
async fn owner(
    state: &AppState,
    stale: &StaleExport,
) -> Result<Option<Authenticated>, sqlx::Error> {
    let Some(session_id) = &stale.session_id else {
        return Ok(None);
    };
    let session = state.store.session_by_id(session_id).await?;
    Ok(session
        .filter(|session| session.user_id == stale.user_id)
        .map(|session| Authenticated {
            session_id: session.id,
            user_id: session.user_id,
            device_name: session.device_name,
            ip: session.ip,
            signed_in_at: session.created_at,
        }))
}

/// Builds and stores the export `id` for `me`; a failure marks it failed.
pub async fn run(state: AppState, me: Authenticated, id: String) {
    if let Err(error) = build_and_store(&state, &me, &id).await {
        tracing::error!(error = %format!("{error:#}"), "a data export failed");
        if let Err(error) = state.store.fail_export(&id).await {
            tracing::error!(%error, "could not mark a data export failed");
        }
    }
}

async fn build_and_store(state: &AppState, me: &Authenticated, id: &str) -> anyhow::Result<()> {
    let document = assemble(state, me, |percent| async move {
        state
            .store
            .set_export_progress(id, percent, lease_until(state))
            .await
    })
    .await?;
    let json = serde_json::to_string_pretty(&document)?;
    let ready_at = state.now_ms();
    let expires = from_ms(ready_at) + Duration::days(EXPORT_TTL_DAYS);
    let body = format!(
        "Everything we hold about you is ready to download until {}. \
         After that, start a new export.",
        expires.format("%Y-%m-%d %H:%M UTC")
    );
    let done = FinishedExport {
        document: &json,
        ready_at,
        expires_at: expires.timestamp_millis(),
        title: "Your data export is ready",
        body: &body,
    };
    state.store.finish_export(&me.user_id, id, &done).await?;
    Ok(())
}

/// Everything held about `me`'s account, reporting progress after each
/// stage.
pub async fn assemble<F, Fut>(
    state: &AppState,
    me: &Authenticated,
    progress: F,
) -> anyhow::Result<ExportDocument>
where
    F: Fn(u8) -> Fut,
    Fut: Future<Output = Result<(), sqlx::Error>>,
{
    let store = &state.store;
    let (_, account) = me::account(state, me).await?;
    let record = store.preferences(&me.user_id).await?;
    let preferences = Preferences {
        theme: record.theme,
        language: record.language,
        timezone: record.timezone,
    };
    let privacy = store.privacy(&me.user_id).await?;
    let cells = store.notification_cells(&me.user_id).await?;
    progress(20).await?;
    let sessions = all_sessions(state, me).await?;
    progress(40).await?;
    let security_events = all_events(state, &me.user_id).await?;
    progress(65).await?;
    let notifications = all_notifications(state, &me.user_id).await?;
    progress(90).await?;
    let billing = store.billing_export(&me.user_id).await?;
    progress(95).await?;
    Ok(ExportDocument {
        format_version: EXPORT_FORMAT_VERSION,
        exported_at: state.clock().now(),
        account,
        preferences,
        sessions,
        security_events,
        notification_settings: notification_settings::to_wire(&cells),
        notifications,
        privacy,
        billing: Some(billing),
    })
}

async fn all_sessions(
    state: &AppState,
    me: &Authenticated,
) -> anyhow::Result<Vec<acctl_api::Session>> {
    let mut all = Vec::new();
    let mut cursor: Option<SessionCursor> = None;
    loop {
        let (page, more) = state
            .store
            .list_sessions(&me.user_id, MAX_PAGE_LIMIT, cursor.as_ref())
            .await?;
        cursor = page.last().map(|s| SessionCursor {
            last_active_at: s.last_active_at,
            id: s.id.clone(),
        });
        all.extend(
            page.into_iter()
                .map(|s| sessions::to_wire(s, &me.session_id)),
        );
        if !more {
            return Ok(all);
        }
    }
}

async fn all_events(
    state: &AppState,
    user_id: &str,
) -> anyhow::Result<Vec<acctl_api::SecurityEvent>> {
    let mut all = Vec::new();
    let mut cursor: Option<EventCursor> = None;
    loop {
        let (page, more) = state
            .store
            .list_events(user_id, None, MAX_PAGE_LIMIT, cursor.as_ref())
            .await?;
        cursor = page.last().map(|e| EventCursor {
            at: e.at,
            id: e.id.clone(),
        });
        all.extend(page.into_iter().map(events::to_wire));
        if !more {
            return Ok(all);
        }
    }
}

async fn all_notifications(
    state: &AppState,
    user_id: &str,
) -> anyhow::Result<Vec<acctl_api::notifications::Notification>> {
    let mut all = Vec::new();
    let mut cursor: Option<NotificationCursor> = None;
    loop {
        let (page, more) = state
            .store
            .list_notifications(user_id, false, MAX_PAGE_LIMIT, cursor.as_ref())
            .await?;
        cursor = page.last().map(|n| NotificationCursor {
            created_at: n.created_at,
            id: n.id.clone(),
        });
        all.extend(page.into_iter().map(notifications::to_wire));
        if !more {
            return Ok(all);
        }
    }
}
