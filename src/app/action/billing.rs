//! The Billing screen's requests and their answers.

use std::path::PathBuf;

use acctl_api::Page;
use acctl_api::billing::{
    Invoice, InvoiceSummary, PaymentMethodHandoff, PaymentMethodState, Plan, Subscription,
    SubscriptionChange, SubscriptionPreview,
};

use super::RequestKey;
use acctl_client::ApiError;

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
    /// [`super::Action::Progress`] while it runs.
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

/// One at a time of each: the subscription changes share one key, so a
/// second press of Enter never sends a second change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BillingKey {
    Plans,
    Subscription,
    PaymentMethod,
    Invoices,
    Invoice,
    Preview,
    Change,
    Download,
    OpenFile,
    PaymentHandoff,
}

impl BillingKey {
    /// Reads the person may stop waiting for (Esc).
    pub fn is_load(self) -> bool {
        matches!(
            self,
            Self::Plans | Self::Subscription | Self::PaymentMethod | Self::Invoices | Self::Invoice
        )
    }
}

impl BillingRequest {
    pub fn key(&self) -> RequestKey {
        RequestKey::Billing(match self {
            Self::LoadPlans => BillingKey::Plans,
            Self::LoadSubscription => BillingKey::Subscription,
            Self::LoadPaymentMethod => BillingKey::PaymentMethod,
            Self::LoadInvoices { .. } => BillingKey::Invoices,
            Self::LoadInvoice { .. } => BillingKey::Invoice,
            Self::Preview(_) => BillingKey::Preview,
            Self::Change(_) | Self::Cancel | Self::Resume => BillingKey::Change,
            Self::Download { .. } => BillingKey::Download,
            Self::OpenFile { .. } => BillingKey::OpenFile,
            Self::PaymentHandoff => BillingKey::PaymentHandoff,
        })
    }
}

/// The answers to [`BillingRequest`]s.
#[derive(Debug)]
pub enum BillingDone {
    Plans(Result<Vec<Plan>, ApiError>),
    Subscription(Result<Subscription, ApiError>),
    PaymentMethod(Result<PaymentMethodState, ApiError>),
    Invoices {
        /// The cursor asked with: None for the first page.
        cursor: Option<String>,
        result: Result<Page<InvoiceSummary>, ApiError>,
    },
    Invoice(Result<Invoice, ApiError>),
    Preview {
        change: SubscriptionChange,
        result: Result<SubscriptionPreview, ApiError>,
    },
    /// A change, a cancellation or a resumption: the subscription now.
    Changed {
        request: ChangeKind,
        result: Result<Subscription, ApiError>,
    },
    Downloaded {
        path: PathBuf,
        result: Result<u64, ApiError>,
    },
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

/// Which subscription change an answer is for.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeKind {
    Change(SubscriptionChange),
    Cancel,
    Resume,
}

impl BillingDone {
    pub fn key(&self) -> RequestKey {
        RequestKey::Billing(match self {
            Self::Plans(_) => BillingKey::Plans,
            Self::Subscription(_) => BillingKey::Subscription,
            Self::PaymentMethod(_) => BillingKey::PaymentMethod,
            Self::Invoices { .. } => BillingKey::Invoices,
            Self::Invoice(_) => BillingKey::Invoice,
            Self::Preview { .. } => BillingKey::Preview,
            Self::Changed { .. } => BillingKey::Change,
            Self::Downloaded { .. } => BillingKey::Download,
            Self::Opened(_) => BillingKey::OpenFile,
            Self::Handoff(_) => BillingKey::PaymentHandoff,
        })
    }

    pub fn error(&self) -> Option<&ApiError> {
        match self {
            Self::Plans(r) => r.as_ref().err(),
            Self::Subscription(r) | Self::Changed { result: r, .. } => r.as_ref().err(),
            Self::PaymentMethod(r) => r.as_ref().err(),
            Self::Invoices { result, .. } => result.as_ref().err(),
            Self::Invoice(r) => r.as_ref().err(),
            Self::Preview { result, .. } => result.as_ref().err(),
            Self::Downloaded { result, .. } => result.as_ref().err(),
            Self::Opened(_) => None,
            Self::Handoff(r) => r.as_ref().err(),
        }
    }
}
