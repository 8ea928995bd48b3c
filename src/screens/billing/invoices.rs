//! Invoices, newest first: pages load as the selection nears the end of
//! what is loaded (as the security log does), so hundreds scroll smoothly.
//! Enter opens one; `s` saves its PDF.

use acctl_api::Page;
use acctl_api::billing::{Invoice, InvoiceSummary};

use super::download::Download;
use crate::api::ApiError;
use crate::app::action::{Action, BillingRequest, Request};
use crate::keymap::Command;
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::table::ScrollState;

#[derive(Debug, Default)]
pub struct InvoiceList {
    pub items: Loadable<Vec<InvoiceSummary>>,
    /// Where the next, older page starts; None when all are loaded.
    next_cursor: Option<String>,
    pub loading_more: bool,
    pub more_failed: Option<Failure>,
    pub table: ScrollState,
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
        (self.stale || self.items.wants_load()).then(Self::first_page)
    }

    pub fn first_page() -> Action {
        request(BillingRequest::LoadInvoices { cursor: None })
    }

    pub fn has_more(&self) -> bool {
        self.next_cursor.is_some()
    }

    pub fn selected(&self) -> Option<&InvoiceSummary> {
        self.items.value()?.get(self.table.selected()?)
    }

    /// Keys on the list or the open invoice (the download has its own).
    pub fn command(&mut self, command: Command, download_dir: &str) -> Option<Action> {
        if self.open.is_some() {
            return self.detail_command(command, download_dir);
        }
        if self.table.apply(command) {
            return self.more_if_near_the_end();
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

    /// Asks for the next page once the selection is within a page of the
    /// end of what is loaded.
    fn more_if_near_the_end(&mut self) -> Option<Action> {
        let len = self.items.value()?.len();
        let selected = self.table.selected()?;
        if self.loading_more || selected + self.table.page() < len {
            return None;
        }
        let cursor = self.next_cursor.clone()?;
        Some(request(BillingRequest::LoadInvoices {
            cursor: Some(cursor),
        }))
    }

    pub fn requested(&mut self, request: &BillingRequest) {
        match request {
            BillingRequest::LoadInvoices { cursor: None } => self.items.start(),
            BillingRequest::LoadInvoices { cursor: Some(_) } => {
                self.loading_more = true;
                self.more_failed = None;
            }
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
        self.items.cancel();
        self.loading_more = false;
        if let Some((_, detail)) = &mut self.open {
            detail.cancel();
        }
    }

    pub fn page(&mut self, cursor: Option<&str>, result: &Result<Page<InvoiceSummary>, ApiError>) {
        match cursor {
            None => {
                self.stale = false;
                self.loading_more = false;
                self.more_failed = None;
                match result {
                    Ok(page) => {
                        self.next_cursor = page.next_cursor.clone();
                        self.items.finish::<Failure>(Ok(page.items.clone()));
                    }
                    Err(e) => self.items.finish(Err(Failure::from(e))),
                }
            }
            Some(cursor) => {
                if self.next_cursor.as_deref() != Some(cursor) {
                    return; // Loaded afresh meanwhile.
                }
                self.loading_more = false;
                match result {
                    Ok(page) => {
                        if let Some(items) = self.items.value_mut() {
                            items.extend(page.items.iter().cloned());
                        }
                        self.next_cursor = page.next_cursor.clone();
                    }
                    Err(e) => self.more_failed = Some(Failure::from(e)),
                }
            }
        }
        let len = self.items.value().map_or(0, Vec::len);
        self.table.set_len(len);
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
