//! Invoices, newest first: pages load as the selection nears the end of
//! what is loaded ([`PagedList`]), so hundreds scroll smoothly.
//! Enter opens one; `s` saves its PDF.

use acctl_api::Page;
use acctl_api::billing::{Invoice, InvoiceSummary};

use super::download::Download;
use crate::app::action::{Action, BillingRequest, Request};
use crate::keymap::Command;
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::paged::PagedList;
use acctl_client::ApiError;

#[derive(Debug, Default)]
pub struct InvoiceList {
    pub pages: PagedList<InvoiceSummary>,
    /// The invoice open, by id, and its details.
    pub open: Option<(InvoiceSummary, Loadable<Invoice>)>,
    pub download: Option<Download>,
    /// A change made a new invoice: load again on entry.
    pub stale: bool,
}

fn request(request: BillingRequest) -> Action {
    Action::Request(Request::Billing(request))
}

impl InvoiceList {
    pub fn on_enter(&mut self) -> Option<Action> {
        (self.stale || self.pages.items.wants_load()).then(Self::first_page)
    }

    pub fn first_page() -> Action {
        request(BillingRequest::LoadInvoices { cursor: None })
    }

    pub fn selected(&self) -> Option<&InvoiceSummary> {
        self.pages.selected()
    }

    /// Keys on the list or the open invoice (the download has its own).
    pub fn command(&mut self, command: Command, download_dir: &str) -> Option<Action> {
        if self.open.is_some() {
            return self.detail_command(command, download_dir);
        }
        if let Some(more) = self.pages.moved(command) {
            return more.map(|cursor| {
                request(BillingRequest::LoadInvoices {
                    cursor: Some(cursor),
                })
            });
        }
        match command {
            Command::Open => {
                let summary = self.selected()?.clone();
                let id = summary.id.clone();
                self.open = Some((summary, Loadable::NotAsked));
                Some(request(BillingRequest::LoadInvoice { id }))
            }
            Command::SaveFile => {
                let summary = self.selected()?;
                self.download = Some(Download::new(summary, download_dir));
                None
            }
            other => Some(Action::Command(other)),
        }
    }

    fn detail_command(&mut self, command: Command, download_dir: &str) -> Option<Action> {
        match command {
            Command::Back => {
                self.open = None;
                None
            }
            Command::SaveFile => {
                let (summary, _) = self.open.as_ref()?;
                self.download = Some(Download::new(summary, download_dir));
                None
            }
            Command::Refresh => {
                let id = self.open.as_ref()?.0.id.clone();
                Some(request(BillingRequest::LoadInvoice { id }))
            }
            Command::Up | Command::Down => None,
            other => Some(Action::Command(other)),
        }
    }

    pub fn requested(&mut self, request: &BillingRequest) {
        match request {
            BillingRequest::LoadInvoices { cursor } => self.pages.requested(cursor.as_deref()),
            BillingRequest::LoadInvoice { id } => {
                if let Some((summary, detail)) = &mut self.open
                    && summary.id == *id
                {
                    detail.start();
                }
            }
            _ => {}
        }
    }

    pub fn cancelled(&mut self) {
        self.pages.cancelled();
        if let Some((_, detail)) = &mut self.open {
            detail.cancel();
        }
    }

    pub fn page(&mut self, cursor: Option<&str>, result: &Result<Page<InvoiceSummary>, ApiError>) {
        if cursor.is_none() {
            self.stale = false;
        }
        self.pages.answered(cursor, result);
    }

    pub fn detail(&mut self, result: &Result<Invoice, ApiError>) {
        let Some((summary, detail)) = &mut self.open else {
            return;
        };
        match result {
            Ok(invoice) if invoice.id != summary.id => {} // Another one, closed since.
            _ => detail.finish(result.as_ref().cloned().map_err(Failure::from)),
        }
    }
}
