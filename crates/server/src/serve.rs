//! The accept loop: every connection gets hyper's header-read timeout (a
//! timer is set, which `axum::serve` does not do), an idle timeout, and a
//! place under a cap below the file limit. At the cap the oldest idle
//! connection is closed to make room, so a crowd of silent clients cannot
//! keep a new one (a health check) out; when every connection is busy, new
//! ones wait in the kernel's backlog.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1::Builder;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tower::ServiceExt as _;

use crate::config::EdgeLimits;

/// After a failed accept (e.g. out of file descriptors), wait this long
/// before the next, rather than spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// One open connection, as the accept loop sees it.
struct Connection {
    /// Requests being answered on it now.
    busy: watch::Sender<usize>,
    /// Asked to close (idle, over the cap) or the server is stopping.
    close: Notify,
    /// Already asked to close, so not picked again to make room.
    closing: AtomicBool,
}

/// The open connections, oldest first.
#[derive(Default)]
struct Registry {
    open: Mutex<BTreeMap<u64, Arc<Connection>>>,
}

impl Registry {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<u64, Arc<Connection>>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks the oldest connection with no request in flight to close.
    fn close_oldest_idle(&self) -> bool {
        let open = self.lock();
        let idle = open
            .values()
            .find(|c| *c.busy.borrow() == 0 && !c.closing.load(Ordering::Relaxed));
        if let Some(connection) = idle {
            connection.closing.store(true, Ordering::Relaxed);
            connection.close.notify_one();
        }
        idle.is_some()
    }

    fn close_all(&self) {
        for connection in self.lock().values() {
            connection.close.notify_one();
        }
    }
}

/// Serves `app` on `listener` until `stop` resolves, then lets open
/// requests finish (the caller bounds how long).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: EdgeLimits,
    stop: impl Future<Output = ()>,
) {
    let registry = Arc::new(Registry::default());
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    // HTTP/1.1 only: hyper's automatic HTTP/2 detection reads the first
    // bytes before its header timer starts, so a silent client would wait
    // forever there.
    let mut builder = Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let builder = Arc::new(builder);
    let mut tasks = JoinSet::new();
    let mut next_id = 0_u64;
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            () = &mut stop => break,
            accepted = accept(&listener, &slots, &registry) => accepted,
        };
        let Some((stream, peer, slot)) = accepted else {
            continue;
        };
        next_id += 1;
        let connection = Arc::new(Connection {
            busy: watch::Sender::new(0),
            close: Notify::new(),
            closing: AtomicBool::new(false),
        });
        registry.lock().insert(next_id, connection.clone());
        let (app, builder, registry, id) =
            (app.clone(), builder.clone(), registry.clone(), next_id);
        tasks.spawn(async move {
            run_connection(
                stream,
                peer,
                app,
                &builder,
                &connection,
                limits.idle_timeout,
            )
            .await;
            registry.lock().remove(&id);
            drop(slot);
        });
        // Reap finished connections so the set does not grow.
        while tasks.try_join_next().is_some() {}
    }
    drop(listener);
    registry.close_all();
    while tasks.join_next().await.is_some() {}
}

/// The next connection with a slot for it, or None after a failed accept.
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
    registry: &Registry,
) -> Option<(TcpStream, SocketAddr, OwnedSemaphorePermit)> {
    let slot = free_slot(slots, registry).await;
    match listener.accept().await {
        Ok((stream, peer)) => Some((stream, peer, slot)),
        Err(error) => {
            tracing::warn!(%error, "could not accept a connection");
            tokio::time::sleep(ACCEPT_BACKOFF).await;
            None
        }
    }
}

/// A slot under the cap: free, or made by closing the oldest idle
/// connection; while every connection is busy, waits.
async fn free_slot(slots: &Arc<Semaphore>, registry: &Registry) -> OwnedSemaphorePermit {
    loop {
        if let Ok(slot) = slots.clone().try_acquire_owned() {
            return slot;
        }
        registry.close_oldest_idle();
        let wait = tokio::time::timeout(ACCEPT_BACKOFF, slots.clone().acquire_owned());
        if let Ok(Ok(slot)) = wait.await {
            return slot;
        }
    }
}

async fn run_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    builder: &Builder,
    connection: &Arc<Connection>,
    idle_timeout: Duration,
) {
    let counter = connection.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let guard = Busy::start(&counter);
        let answer = app.clone().oneshot(request);
        async move {
            let response = answer.await;
            drop(guard);
            response
        }
    });
    let served = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(served);
    let closing = async {
        tokio::select! {
            () = connection.close.notified() => {}
            () = idle_for(connection.busy.subscribe(), idle_timeout) => {}
        }
    };
    tokio::select! {
        _ = served.as_mut() => return,
        () = closing => {}
    }
    // Finish the request in flight, if any, then close.
    served.as_mut().graceful_shutdown();
    if let Err(error) = served.await {
        tracing::debug!(%error, "connection closed with an error");
    }
}

/// Resolves once no request has been in flight for `timeout`.
async fn idle_for(mut busy: watch::Receiver<usize>, timeout: Duration) {
    loop {
        if busy.wait_for(|n| *n == 0).await.is_err() {
            return;
        }
        if tokio::time::timeout(timeout, busy.changed()).await.is_err() {
            return;
        }
    }
}

/// Counts one request in flight on a connection while it lives.
struct Busy(Arc<Connection>);

impl Busy {
    fn start(connection: &Arc<Connection>) -> Self {
        connection.busy.send_modify(|n| *n += 1);
        Self(connection.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.send_modify(|n| *n = n.saturating_sub(1));
    }
}
