//! What the worker runs requests with ([`Worker::run`] is made with the
//! list of resources in `action.rs`).

use std::path::PathBuf;
use std::sync::Arc;

use acctl_client::Client;
use acctl_client::tokens::TokenStore;
use tokio::sync::mpsc::UnboundedSender;

use super::Action;

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
