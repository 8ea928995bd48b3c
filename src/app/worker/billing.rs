//! The worker's part for the Billing screen.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc::UnboundedSender;

use crate::app::action::{
    Action, BillingDone, BillingKey, BillingRequest, ChangeKind, OpenError, RequestKey,
};
use acctl_client::{Client, Progress};

/// Invoices asked for per page.
const INVOICE_PAGE: u32 = 50;

pub(super) async fn billing(
    client: &Client,
    request: BillingRequest,
    actions: &UnboundedSender<Action>,
) -> BillingDone {
    let billing = client.billing();
    match request {
        BillingRequest::LoadPlans => BillingDone::Plans(billing.plans().await),
        BillingRequest::LoadSubscription => BillingDone::Subscription(billing.subscription().await),
        BillingRequest::LoadPaymentMethod => {
            BillingDone::PaymentMethod(billing.payment_method().await)
        }
        BillingRequest::LoadInvoices { cursor } => {
            let query = acctl_api::PageQuery {
                limit: Some(INVOICE_PAGE),
                cursor: cursor.clone(),
            };
            let result = billing.invoices(&query).await;
            BillingDone::Invoices { cursor, result }
        }
        BillingRequest::LoadInvoice { id } => BillingDone::Invoice(billing.invoice(&id).await),
        BillingRequest::Preview(change) => {
            let result = billing.preview(&change).await;
            BillingDone::Preview { change, result }
        }
        BillingRequest::Change(change) => {
            let result = billing.change(&change).await;
            changed(ChangeKind::Change(change), result)
        }
        BillingRequest::Cancel => changed(ChangeKind::Cancel, billing.cancel().await),
        BillingRequest::Resume => changed(ChangeKind::Resume, billing.resume().await),
        BillingRequest::Download { id, path } => {
            let result = billing
                .download_invoice(&id, &path, progress_sender(actions))
                .await;
            BillingDone::Downloaded { path, result }
        }
        BillingRequest::OpenFile { path } => BillingDone::Opened(open_file(path).await),
        BillingRequest::PaymentHandoff => {
            BillingDone::Handoff(billing.payment_method_handoff().await)
        }
    }
}

fn changed(
    request: ChangeKind,
    result: Result<acctl_api::billing::Subscription, acctl_client::ApiError>,
) -> BillingDone {
    BillingDone::Changed { request, result }
}

/// Passes the download's progress on to the app, once per percent (or per
/// 64 KiB when the size is unknown), so a fast download does not flood the
/// channel with redraws.
fn progress_sender(actions: &UnboundedSender<Action>) -> impl FnMut(Progress) + Send + use<> {
    let actions = actions.clone();
    let mut last: Option<(bool, u64)> = None;
    move |progress: Progress| {
        let step = match progress.percent() {
            Some(percent) => (true, u64::from(percent)),
            None => (false, progress.received / 65_536),
        };
        let done = progress.total == Some(progress.received);
        if last == Some(step) && !done {
            return;
        }
        last = Some(step);
        let key = RequestKey::Billing(BillingKey::Download);
        // The app may be gone (quitting); nobody is watching then.
        let _ = actions.send(Action::Progress { key, progress });
    }
}

/// Starts the desktop's viewer for `path` (xdg-open, or open on macOS)
/// and waits for the launcher, which returns once the viewer is started.
async fn open_file(path: PathBuf) -> Result<(), OpenError> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let file = path.clone();
    let run = tokio::task::spawn_blocking(move || launch(program, &file)).await;
    let why = match run {
        Ok(Ok(status)) if status.success() => return Ok(()),
        Ok(Ok(status)) => format!("it ended with {status}"),
        Ok(Err(e)) => e.to_string(),
        Err(e) => e.to_string(),
    };
    Err(OpenError { path, program, why })
}

fn launch(program: &str, path: &Path) -> std::io::Result<std::process::ExitStatus> {
    std::process::Command::new(program)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_passed_on_once_per_percent_and_always_at_the_end() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut send = progress_sender(&tx);
        let total = 1_000_000u64;
        for received in (0..=total).step_by(1_000) {
            send(Progress {
                received,
                total: Some(total),
            });
        }
        let sent: Vec<Progress> = std::iter::from_fn(|| rx.try_recv().ok())
            .filter_map(|a| match a {
                Action::Progress { progress, .. } => Some(progress),
                _ => None,
            })
            .collect();
        // 0 % .. 100 %: one each, not a thousand.
        assert_eq!(sent.len(), 101, "{}", sent.len());
        assert_eq!(sent.last().map(|p| p.received), Some(total));
    }
}
