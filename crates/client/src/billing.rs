//! Plans, the subscription, invoices and the payment method.

use acctl_api::billing::{
    Invoice, InvoiceSummary, PaymentMethodHandoff, PaymentMethodState, Plan, Subscription,
    SubscriptionChange, SubscriptionPreview,
};
use acctl_api::{Page, PageQuery, paths};
use reqwest::Method;

use super::answer::with_query;
use super::{ApiError, Client, Feature};

pub struct Billing<'a> {
    client: &'a Client,
}

impl<'a> Billing<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// What can be chosen, cheapest first.
    pub async fn plans(&self) -> Result<Vec<Plan>, ApiError> {
        self.client.require(Feature::Billing).await?;
        self.client.get_authed(paths::BILLING_PLANS).await
    }

    pub async fn subscription(&self) -> Result<Subscription, ApiError> {
        self.client.require(Feature::Billing).await?;
        self.client.get_authed(paths::SUBSCRIPTION).await
    }

    /// What `change` would cost now; nothing is charged.
    pub async fn preview(
        &self,
        change: &SubscriptionChange,
    ) -> Result<SubscriptionPreview, ApiError> {
        self.client.require(Feature::Billing).await?;
        self.client
            .json(Method::POST, paths::SUBSCRIPTION_PREVIEW, Some(change))
            .await
    }

    /// Makes the change. With `expected_amount_due_minor` set (from the
    /// preview), a price that moved meanwhile is refused with `price_changed`.
    pub async fn change(&self, change: &SubscriptionChange) -> Result<Subscription, ApiError> {
        self.client.require(Feature::Billing).await?;
        self.client
            .json(Method::PUT, paths::SUBSCRIPTION, Some(change))
            .await
    }

    /// Ends the subscription at the end of the period.
    pub async fn cancel(&self) -> Result<Subscription, ApiError> {
        self.client.require(Feature::Billing).await?;
        self.client
            .json(Method::POST, paths::SUBSCRIPTION_CANCEL, None::<&()>)
            .await
    }

    pub async fn resume(&self) -> Result<Subscription, ApiError> {
        self.client.require(Feature::Billing).await?;
        self.client
            .json(Method::POST, paths::SUBSCRIPTION_RESUME, None::<&()>)
            .await
    }

    /// A page of invoices, newest first.
    pub async fn invoices(&self, query: &PageQuery) -> Result<Page<InvoiceSummary>, ApiError> {
        self.client.require(Feature::Billing).await?;
        let path = with_query(paths::INVOICES, query);
        self.client.get_authed(&path).await
    }

    pub async fn invoice(&self, id: &str) -> Result<Invoice, ApiError> {
        self.client.require(Feature::Billing).await?;
        self.client.get_authed(&paths::invoice(id)).await
    }

    /// Saves an invoice's PDF to `dest`; answers the bytes written.
    pub async fn download_invoice(
        &self,
        id: &str,
        dest: &std::path::Path,
        progress: impl FnMut(super::Progress) + Send,
    ) -> Result<u64, ApiError> {
        self.client.require(Feature::Billing).await?;
        self.client
            .download_to(&paths::invoice_document(id), dest, progress)
            .await
    }

    pub async fn payment_method(&self) -> Result<PaymentMethodState, ApiError> {
        self.client.require(Feature::Billing).await?;
        self.client.get_authed(paths::PAYMENT_METHOD).await
    }

    /// Where to change the card, in a browser.
    pub async fn payment_method_handoff(&self) -> Result<PaymentMethodHandoff, ApiError> {
        self.client.require(Feature::Billing).await?;
        self.client
            .json(Method::POST, paths::PAYMENT_METHOD_UPDATE, None::<&()>)
            .await
    }
}
