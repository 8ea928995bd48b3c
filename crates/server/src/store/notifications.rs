//! Notification settings (categories × channels) and [`notify`], the one
//! way anything reaches a person: an inbox row when the in-app channel is
//! on, a mail in the outbox when the email channel is on.

use acctl_api::notifications::{
    NotificationCategory, NotificationChannel, NotificationToggle, is_locked,
};
use sqlx::AnyConnection;

use super::email::{OutboxRecord, insert_mail};
use super::events::{EventRecord, insert_event};
use super::{Flag, Store};

/// The defaults of a cell nobody set: everything on, except marketing
/// (off everywhere: opt-in only) and product news by SMS or push (too
/// intrusive for what it is).
pub fn default_enabled(category: NotificationCategory, channel: NotificationChannel) -> bool {
    use NotificationCategory as C;
    use NotificationChannel as Ch;
    !matches!(
        (category, channel),
        (C::Marketing, _) | (C::Product, Ch::Sms | Ch::Push)
    )
}

/// One cell as it stands for a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub category: NotificationCategory,
    pub channel: NotificationChannel,
    pub enabled: bool,
}

/// Every cell, categories then channels in their `ALL` order.
pub async fn cells_in(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<Cell>, sqlx::Error> {
    let stored: Vec<(String, String, Flag)> = sqlx::query_as(
        "SELECT category, channel, enabled FROM notification_settings WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    let cells = NotificationCategory::ALL
        .into_iter()
        .flat_map(|category| NotificationChannel::ALL.map(|channel| (category, channel)))
        .map(|(category, channel)| {
            let set = stored
                .iter()
                .find(|(c, ch, _)| c == category.as_str() && ch == channel.as_str())
                .map(|(_, _, enabled)| enabled.0);
            Cell {
                category,
                channel,
                // A locked cell is on whatever a row says.
                enabled: is_locked(category, channel)
                    || set.unwrap_or_else(|| default_enabled(category, channel)),
            }
        })
        .collect();
    Ok(cells)
}

async fn cell_enabled(
    conn: &mut AnyConnection,
    user_id: &str,
    category: NotificationCategory,
    channel: NotificationChannel,
) -> Result<bool, sqlx::Error> {
    if is_locked(category, channel) {
        return Ok(true);
    }
    let set: Option<Flag> = sqlx::query_scalar(
        "SELECT enabled FROM notification_settings
         WHERE user_id = $1 AND category = $2 AND channel = $3",
    )
    .bind(user_id)
    .bind(category.as_str())
    .bind(channel.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(set.map_or_else(|| default_enabled(category, channel), bool::from))
}

/// Tells `user_id` about something, inside the caller's transaction so the
/// notice exists exactly when the thing it is about does. The in-app
/// channel decides the inbox row, the email channel the mail; push and SMS
/// have no sender in acctd, so they are settings only.
pub async fn notify(
    conn: &mut AnyConnection,
    user_id: &str,
    category: NotificationCategory,
    title: &str,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    if cell_enabled(conn, user_id, category, NotificationChannel::InApp).await? {
        sqlx::query(
            "INSERT INTO notifications (id, user_id, category, title, body, created_at, read_at)
             VALUES ($1, $2, $3, $4, $5, $6, NULL)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(user_id)
        .bind(category.as_str())
        .bind(title)
        .bind(body)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    if cell_enabled(conn, user_id, category, NotificationChannel::Email).await? {
        let recipient: Option<String> =
            sqlx::query_scalar("SELECT email_norm FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(recipient) = recipient {
            let mail = OutboxRecord::new(&recipient, title, body.to_string(), now);
            insert_mail(conn, &mail).await?;
        }
    }
    Ok(())
}

/// What changing `toggles` would change: the cells whose value differs.
fn changes(current: &[Cell], toggles: &[NotificationToggle]) -> Vec<Cell> {
    let mut changed: Vec<Cell> = Vec::new();
    for toggle in toggles {
        let differs = current.iter().any(|cell| {
            cell.category == toggle.category
                && cell.channel == toggle.channel
                && cell.enabled != toggle.enabled
        });
        changed.retain(|c| !(c.category == toggle.category && c.channel == toggle.channel));
        if differs {
            changed.push(Cell {
                category: toggle.category,
                channel: toggle.channel,
                enabled: toggle.enabled,
            });
        }
    }
    changed
}

/// "marketing.email on, product.push off": the detail of the event.
fn describe(changed: &[Cell]) -> String {
    let cells: Vec<String> = changed
        .iter()
        .map(|c| {
            let state = if c.enabled { "on" } else { "off" };
            format!("{}.{} {state}", c.category.as_str(), c.channel.as_str())
        })
        .collect();
    format!("Changed: {}", cells.join(", "))
}

impl Store {
    /// [`notify`] in a transaction of its own, for a notice that is not
    /// part of any other write (the demo's history).
    pub async fn notify(
        &self,
        user_id: &str,
        category: NotificationCategory,
        title: &str,
        body: &str,
        at: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.write().await?;
        notify(&mut tx, user_id, category, title, body, at).await?;
        tx.commit().await
    }

    pub async fn notification_cells(&self, user_id: &str) -> Result<Vec<Cell>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        cells_in(&mut conn, user_id).await
    }

    /// Sets the cells of `toggles` (the caller refused locked ones) and,
    /// when any changed, logs `event` with the changes as its detail; the
    /// matrix afterwards.
    pub async fn set_notification_cells(
        &self,
        user_id: &str,
        toggles: &[NotificationToggle],
        mut event: EventRecord,
    ) -> Result<Vec<Cell>, sqlx::Error> {
        let mut tx = self.write().await?;
        let current = cells_in(&mut tx, user_id).await?;
        let changed = changes(&current, toggles);
        if changed.is_empty() {
            return Ok(current);
        }
        for cell in &changed {
            sqlx::query(
                "INSERT INTO notification_settings (user_id, category, channel, enabled, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (user_id, category, channel)
                 DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
            )
            .bind(user_id)
            .bind(cell.category.as_str())
            .bind(cell.channel.as_str())
            .bind(cell.enabled)
            .bind(event.at)
            .execute(&mut *tx)
            .await?;
        }
        event.detail = Some(describe(&changed));
        insert_event(&mut tx, &event).await?;
        let after = cells_in(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_keep_marketing_off_and_product_off_the_phone() {
        use NotificationCategory as C;
        use NotificationChannel as Ch;
        assert!(default_enabled(C::Security, Ch::Sms));
        assert!(default_enabled(C::Product, Ch::Email));
        assert!(!default_enabled(C::Product, Ch::Push));
        assert!(!default_enabled(C::Marketing, Ch::InApp));
    }

    #[test]
    fn only_cells_that_differ_are_changes_and_the_last_toggle_wins() {
        let current = vec![Cell {
            category: NotificationCategory::Billing,
            channel: NotificationChannel::Sms,
            enabled: true,
        }];
        let toggle = |enabled| NotificationToggle {
            category: NotificationCategory::Billing,
            channel: NotificationChannel::Sms,
            enabled,
        };
        assert!(changes(&current, &[toggle(true)]).is_empty());
        let changed = changes(&current, &[toggle(true), toggle(false)]);
        assert_eq!(describe(&changed), "Changed: billing.sms off");
        assert!(changes(&current, &[toggle(false), toggle(true)]).is_empty());
    }
}
