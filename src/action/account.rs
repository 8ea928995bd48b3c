//! `client.me()`: the account as the overview shows it.

use acctl_api::Account;
use acctl_client::ApiError;

use super::{Call, RequestKey, Worker};

#[derive(Debug, Clone)]
pub enum AccountRequest {
    Load,
}

/// The answer to [`AccountRequest::Load`].
pub type AccountDone = Result<Account, ApiError>;

impl Call for AccountRequest {
    fn key(&self) -> RequestKey {
        match self {
            Self::Load => RequestKey::of("account.load"),
        }
    }

    fn is_cancellable(&self) -> bool {
        true
    }

    fn is_retried(&self) -> bool {
        true
    }
}

pub(super) async fn run(worker: &Worker, request: &AccountRequest) -> AccountDone {
    match request {
        AccountRequest::Load => worker.client.me().get().await,
    }
}
