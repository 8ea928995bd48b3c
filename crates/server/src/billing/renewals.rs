//! Renewals: a background task on an interval, and [`run_billing`] for
//! callers (tests, after moving a manual clock) that want them now.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::state::AppState;

/// Issues every invoice due by the server's clock; answers how many.
pub async fn run_billing(state: &AppState) -> Result<usize, sqlx::Error> {
    let issued = state
        .store
        .renew_due(state.now_ms(), state.billing.as_ref())
        .await?;
    if issued > 0 {
        tracing::info!(issued, "billing: invoices issued");
    }
    Ok(issued)
}

/// Runs [`run_billing`] every `every` until the handle is aborted.
pub fn spawn_renewals(state: AppState, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every.max(Duration::from_secs(1)));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = run_billing(&state).await {
                tracing::error!(%error, "billing: renewals failed; trying again later");
            }
        }
    })
}
