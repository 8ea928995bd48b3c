//! The only place that calls the server. Screens send a [`Request`]; the
//! [`Dispatcher`] drops it if an identical one is already running (a refresh
//! pressed ten times costs one request), holds it back if it waits its turn
//! ([`Call::waits_its_turn`](crate::action::Call::waits_its_turn)), and the
//! worker runs it on its own task and answers with an [`Action::Response`]
//! that carries the request.

use std::collections::HashMap;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::action::{Action, Answer, AuthDone, AuthRequest, Request, RequestKey, Response, Worker};
use crate::context::AppContext;
use acctl_client::{ApiError, Client, TokenPersistence, normalize_base_url};

/// The app's side: what is in flight, what waits its turn, and the way to
/// the worker.
#[derive(Debug)]
pub struct Dispatcher {
    tx: UnboundedSender<Request>,
    in_flight: HashMap<RequestKey, Request>,
    /// By call: the newest request asked for while another of that call
    /// was on its way, sent once that one answers.
    waiting: HashMap<&'static str, Request>,
}

impl Dispatcher {
    pub fn new(tx: UnboundedSender<Request>) -> Self {
        Self {
            tx,
            in_flight: HashMap::new(),
            waiting: HashMap::new(),
        }
    }

    /// Sends `request` unless the same one is running, or holds it back
    /// until the one of its call on the way answers. True when sent.
    pub fn submit(&mut self, request: Request) -> bool {
        let key = request.key();
        let one_at_a_time = request.call().waits_its_turn();
        if self.in_flight.contains_key(&key) {
            if one_at_a_time {
                // The one on its way is the one wanted after all.
                self.waiting.remove(key.call);
            }
            tracing::debug!(?key, "request already in flight; not sent again");
            return false;
        }
        if one_at_a_time && self.in_flight.keys().any(|k| k.call == key.call) {
            tracing::debug!(?key, "waits for the one on its way");
            self.waiting.insert(key.call, request);
            return false;
        }
        if self.tx.send(request.clone()).is_err() {
            tracing::error!(?key, "the worker has stopped; request dropped");
            return false;
        }
        self.in_flight.insert(key, request);
        true
    }

    /// The answer to `key` came: returns the request that waited for it,
    /// to be sent now.
    pub fn finish(&mut self, key: &RequestKey) -> Option<Request> {
        self.in_flight.remove(key)?;
        self.waiting.remove(key.call)
    }

    /// Stops waiting for `key`, and forgets what waited for it: returns
    /// the request given up.
    pub fn cancel(&mut self, key: &RequestKey) -> Option<Request> {
        self.waiting.remove(key.call);
        self.in_flight.remove(key)
    }

    pub fn is_busy(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// What is on its way now.
    pub fn in_flight(&self) -> impl Iterator<Item = &Request> {
        self.in_flight.values()
    }

    pub fn is_in_flight(&self, key: &RequestKey) -> bool {
        self.in_flight.contains_key(key)
    }

    /// Forgets everything in flight (signed out: their answers no longer
    /// matter, and the same requests must be allowed again).
    pub fn clear(&mut self) {
        self.in_flight.clear();
        self.waiting.clear();
    }
}

/// Starts the worker on the current tokio runtime; returns where to send it
/// requests. It stops when that sender is dropped.
pub fn spawn(ctx: &AppContext, actions: UnboundedSender<Action>) -> UnboundedSender<Request> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = Worker {
        client: ctx.client.clone(),
        store: ctx.store.clone(),
        profile: ctx.profile.clone(),
        config_dir: ctx.config_dir.clone(),
        demo: ctx.demo.is_some(),
        actions,
    };
    tokio::spawn(run(worker, rx));
    tx
}

async fn run(mut worker: Worker, mut requests: UnboundedReceiver<Request>) {
    while let Some(request) = requests.recv().await {
        if let Request::Auth(login @ AuthRequest::Login { server, .. }) = &request {
            match switch_server(&worker, server).await {
                Ok(Some(new)) => worker.client = new,
                Ok(None) => {}
                Err(e) => {
                    let answer = Answer {
                        request: login.clone(),
                        done: AuthDone::Login(Err(e)),
                    };
                    let _ = worker
                        .actions
                        .send(Action::Response(Response::Auth(answer)));
                    continue;
                }
            }
        }
        let worker = worker.clone();
        tokio::spawn(async move {
            let response = worker.run(request).await;
            // The app may be gone (quitting); nothing is waiting then.
            let _ = worker.actions.send(Action::Response(response));
        });
    }
}

/// A client for `server` when it is not the one in use, of the kind of
/// service that answers there.
async fn switch_server(worker: &Worker, server: &str) -> Result<Option<Client>, ApiError> {
    let client = &worker.client;
    let base = normalize_base_url(server)?;
    if base == client.base_url() {
        return Ok(None);
    }
    let mut options = client.options().clone();
    let new = if worker.demo {
        Client::new(&base, options)?
    } else {
        let found = acctl_client::detect(&base, None, &options).await?;
        if found.base_url == client.base_url() {
            return Ok(None);
        }
        let base = found.base_url;
        options.service = found.kind;
        let persistence = TokenPersistence::new(worker.store.clone(), &worker.profile);
        Client::with_persistence(&base, options, persistence)?
    };
    tracing::info!(server = %base, "switched server from the login screen");
    Ok(Some(new))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::action::{SecurityRequest, SessionsRequest};

    fn worker() -> Worker {
        let client = Client::new("http://127.0.0.1:9", Default::default()).expect("client");
        Worker {
            client,
            store: Arc::new(acctl_client::tokens::MemoryStore::default()),
            profile: "default".into(),
            config_dir: None,
            demo: false,
            actions: tokio::sync::mpsc::unbounded_channel().0,
        }
    }

    #[tokio::test]
    async fn the_login_form_switches_servers_only_when_the_address_changes() {
        let mut worker = worker();
        let same = switch_server(&worker, "127.0.0.1:9/").await.expect("valid");
        assert!(same.is_none(), "the same server, spelled differently");
        let bad = switch_server(&worker, "ftp://x").await;
        assert!(matches!(bad, Err(ApiError::InvalidServerUrl { .. })));
        // Elsewhere, what answers is asked first: nothing does here.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = closed.local_addr().expect("addr").port();
        drop(closed);
        let gone = switch_server(&worker, &format!("127.0.0.1:{port}")).await;
        assert!(
            matches!(gone, Err(ApiError::Unreachable { .. })),
            "{:?}",
            gone.err()
        );
        // The demo's server is acctd: nothing to ask.
        worker.demo = true;
        let other = switch_server(&worker, "https://acct.example.com")
            .await
            .expect("valid")
            .expect("a new client");
        assert_eq!(other.base_url(), "https://acct.example.com");
    }

    fn sessions(request: SessionsRequest) -> Request {
        Request::Sessions(request)
    }

    #[test]
    fn identical_requests_in_flight_are_sent_once() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut d = Dispatcher::new(tx);
        for _ in 0..10 {
            d.submit(sessions(SessionsRequest::List));
        }
        assert!(d.submit(Request::Account(crate::action::AccountRequest::Load)));
        assert_eq!(std::iter::from_fn(|| rx.try_recv().ok()).count(), 2);
        d.finish(&sessions(SessionsRequest::List).key());
        assert!(
            d.submit(sessions(SessionsRequest::List)),
            "allowed again once answered"
        );
        assert!(d.submit(sessions(SessionsRequest::Revoke { id: "a".into() })));
        assert!(
            d.submit(sessions(SessionsRequest::Revoke { id: "b".into() })),
            "different ids differ"
        );
    }

    fn page(cursor: Option<&str>) -> Request {
        Request::Security(SecurityRequest::LoadEvents {
            cursor: cursor.map(str::to_string),
            kind: None,
        })
    }

    #[test]
    fn a_page_waits_for_the_one_on_its_way_and_the_newest_replaces_the_waiting_one() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut d = Dispatcher::new(tx);
        assert!(d.submit(page(None)));
        assert!(!d.submit(page(Some("a"))), "waits its turn");
        assert!(!d.submit(page(Some("b"))), "replaces the one waiting");
        assert_eq!(std::iter::from_fn(|| rx.try_recv().ok()).count(), 1);
        let next = d.finish(&page(None).key()).expect("the waiting one");
        assert_eq!(next.key(), page(Some("b")).key());
        assert!(d.submit(next));
        assert!(d.finish(&page(Some("b")).key()).is_none(), "nothing waits");
    }

    #[test]
    fn asking_again_for_the_page_on_its_way_drops_the_one_waiting() {
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let mut d = Dispatcher::new(tx);
        assert!(d.submit(page(None)));
        assert!(!d.submit(page(Some("a"))));
        assert!(!d.submit(page(None)), "the one on its way is wanted again");
        assert!(d.finish(&page(None).key()).is_none());
    }

    #[test]
    fn a_cancelled_page_takes_the_one_waiting_with_it() {
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let mut d = Dispatcher::new(tx);
        assert!(d.submit(page(None)));
        assert!(!d.submit(page(Some("a"))));
        assert!(d.cancel(&page(None).key()).is_some());
        assert!(!d.is_busy());
        assert!(d.submit(page(Some("c"))), "nothing on its way now");
    }
}
