//! What the worker runs requests with, and the one place that hands each
//! request to its resource's module.

use std::path::PathBuf;
use std::sync::Arc;

use acctl_client::Client;
use acctl_client::tokens::TokenStore;
use tokio::sync::mpsc::UnboundedSender;

use super::{
    Action, Request, Response, account, auth, billing, files, notifications, privacy, profile,
    security, sessions,
};

/// The client, and what some calls need besides: the token store and
/// profile to save after a sign-in, whether this is the demo, and the way
/// back to the app for a download's progress.
#[derive(Clone)]
pub struct Worker {
    pub client: Client,
    pub store: Arc<dyn TokenStore>,
    pub profile: String,
    pub config_dir: Option<PathBuf>,
    pub demo: bool,
    pub actions: UnboundedSender<Action>,
}

impl Worker {
    /// Runs `request` against the server (or the disk) and answers it.
    pub async fn run(&self, request: Request) -> Response {
        match request {
            Request::Auth(r) => {
                let done = auth::run(self, &r).await;
                r.answered(done)
            }
            Request::Account(r) => {
                let done = account::run(self, &r).await;
                r.answered(done)
            }
            Request::Sessions(r) => {
                let done = sessions::run(self, &r).await;
                r.answered(done)
            }
            Request::Security(r) => {
                let done = security::run(self, &r).await;
                r.answered(done)
            }
            Request::Profile(r) => {
                let done = profile::run(self, &r).await;
                r.answered(done)
            }
            Request::Notifications(r) => {
                let done = notifications::run(self, &r).await;
                r.answered(done)
            }
            Request::Privacy(r) => {
                let done = privacy::run(self, &r).await;
                r.answered(done)
            }
            Request::Billing(r) => {
                let done = billing::run(self, &r).await;
                r.answered(done)
            }
            Request::Files(r) => {
                let done = files::run(&r).await;
                r.answered(done)
            }
        }
    }
}
