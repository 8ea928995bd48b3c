//! `client.billing()`: plans, the subscription, invoices and the payment
//! method; also opening a saved invoice with the desktop's viewer.

use std::path::{Path, PathBuf};

use acctl_api::Page;
use acctl_api::billing::{
    Invoice, InvoiceSummary, PaymentMethodHandoff, PaymentMethodState, Plan, Subscription,
    SubscriptionChange, SubscriptionPreview,
};

use acctl_client::{ApiError, Progress};
use tokio::sync::mpsc::UnboundedSender;

use super::{Action, Call, Outcome, Request, RequestKey, Worker};

/// Invoices asked for per page.
const INVOICE_PAGE: u32 = 50;

#[derive(Debug, Clone)]
pub enum BillingRequest {
    LoadPlans,
    LoadSubscription,
    LoadPaymentMethod,
    /// A page of invoices: the first when `cursor` is None.
    LoadInvoices {
        cursor: Option<String>,
    },
    LoadInvoice {
        id: String,
    },
    /// What a change would cost; nothing is charged.
    Preview(SubscriptionChange),
    /// Makes the change (with the amount the preview showed).
    Change(SubscriptionChange),
    Cancel,
    Resume,
    /// Saves the invoice's PDF at `path`; progress comes as
    /// [`Action::Progress`] while it runs.
    Download {
        id: String,
        path: PathBuf,
    },
    /// Opens a saved file with the desktop's viewer.
    OpenFile {
        path: PathBuf,
    },
    /// Where to change the card, in a browser.
    PaymentHandoff,
}

impl Call for BillingRequest {
    fn key(&self) -> RequestKey {
        RequestKey::of(match self {
            Self::LoadPlans => "billing.plans",
            Self::LoadSubscription => "billing.subscription",
            Self::LoadPaymentMethod => "billing.payment_method",
            Self::LoadInvoices { .. } => "billing.invoices",
            Self::LoadInvoice { .. } => "billing.invoice",
            Self::Preview(change) => {
                return RequestKey::on("billing.preview", format!("{change:?}"));
            }
            // The subscription changes share one key, so a second press of
            // Enter never sends a second change.
            Self::Change(_) | Self::Cancel | Self::Resume => "billing.change",
            Self::Download { .. } => "billing.download",
            Self::OpenFile { .. } => "billing.open_file",
            Self::PaymentHandoff => "billing.payment_handoff",
        })
    }

    fn is_cancellable(&self) -> bool {
        matches!(
            self,
            Self::LoadPlans
                | Self::LoadSubscription
                | Self::LoadPaymentMethod
                | Self::LoadInvoices { .. }
                | Self::LoadInvoice { .. }
        )
    }

    /// One preview at a time: a plan chosen while another's preview is on
    /// its way is priced once that one answers (the newest chosen wins).
    fn waits_its_turn(&self) -> bool {
        matches!(self, Self::Preview(_))
    }
}

/// The answers to [`BillingRequest`]s.
#[derive(Debug)]
pub enum BillingDone {
    Plans(Result<Vec<Plan>, ApiError>),
    Subscription(Result<Subscription, ApiError>),
    PaymentMethod(Result<PaymentMethodState, ApiError>),
    Invoices(Result<Page<InvoiceSummary>, ApiError>),
    Invoice(Result<Invoice, ApiError>),
    Preview(Result<SubscriptionPreview, ApiError>),
    /// A change, a cancellation or a resumption: the subscription now.
    Changed(Result<Subscription, ApiError>),
    /// The bytes written.
    Downloaded(Result<u64, ApiError>),
    Opened(Result<(), OpenError>),
    Handoff(Result<PaymentMethodHandoff, ApiError>),
}

/// Why a saved file could not be shown in the desktop's viewer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Could not open {} with {program}: {why}.", .path.display())]
pub struct OpenError {
    pub path: PathBuf,
    pub program: &'static str,
    pub why: String,
}

impl Outcome for BillingDone {
    fn error(&self) -> Option<&ApiError> {
        match self {
            Self::Plans(r) => r.error(),
            Self::Subscription(r) | Self::Changed(r) => r.error(),
            Self::PaymentMethod(r) => r.error(),
            Self::Invoices(r) => r.error(),
            Self::Invoice(r) => r.error(),
            Self::Preview(r) => r.error(),
            Self::Downloaded(r) => r.error(),
            Self::Opened(_) => None,
            Self::Handoff(r) => r.error(),
        }
    }
}

pub(super) async fn run(worker: &Worker, request: &BillingRequest) -> BillingDone {
    let billing = worker.client.billing();
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
            BillingDone::Invoices(billing.invoices(&query).await)
        }
        BillingRequest::LoadInvoice { id } => BillingDone::Invoice(billing.invoice(id).await),
        BillingRequest::Preview(change) => BillingDone::Preview(billing.preview(change).await),
        BillingRequest::Change(change) => BillingDone::Changed(billing.change(change).await),
        BillingRequest::Cancel => BillingDone::Changed(billing.cancel().await),
        BillingRequest::Resume => BillingDone::Changed(billing.resume().await),
        BillingRequest::Download { id, path } => {
            let progress = progress_sender(&worker.actions, request);
            BillingDone::Downloaded(billing.download_invoice(id, path, progress).await)
        }
        BillingRequest::OpenFile { path } => BillingDone::Opened(open_file(path.clone()).await),
        BillingRequest::PaymentHandoff => {
            BillingDone::Handoff(billing.payment_method_handoff().await)
        }
    }
}

/// Passes the download's progress on to the app, once per percent (or per
/// 64 KiB when the size is unknown), so a fast download does not flood the
/// channel with redraws.
fn progress_sender(
    actions: &UnboundedSender<Action>,
    request: &BillingRequest,
) -> impl FnMut(Progress) + Send + use<> {
    let actions = actions.clone();
    let request = Request::Billing(request.clone());
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
        let request = request.clone();
        // The app may be gone (quitting); nobody is watching then.
        let _ = actions.send(Action::Progress { request, progress });
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
        let request = BillingRequest::Download {
            id: "in_1".into(),
            path: PathBuf::from("in_1.pdf"),
        };
        let mut send = progress_sender(&tx, &request);
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
