//! Load on loopback: the do-nothing floor server and acctd's endpoints,
//! from `CONNECTIONS` keep-alive connections in this process.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{Table, ms};

pub const CONNECTIONS: usize = 64;
/// Each endpoint's load stops at whichever comes first.
const MAX_REQUESTS: usize = 20_000;
const MAX_TIME: Duration = Duration::from_secs(5);
/// The do-nothing handler's path on the floor server.
pub const FLOOR: &str = "/floor";

/// A do-nothing axum server on 127.0.0.1:0, in this process's runtime like
/// acctd: `GET /floor` answers 200 "ok". Its base URL and its task.
pub async fn start_floor() -> (String, tokio::task::JoinHandle<()>) {
    let router = axum::Router::new().route(FLOOR, axum::routing::get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port for the floor server");
    let addr = listener.local_addr().expect("the floor server's address");
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .await
            .expect("the floor server runs");
    });
    (format!("http://{addr}"), task)
}

/// What one load run measured.
pub struct Load {
    elapsed: Duration,
    /// Latencies of the successful requests, sorted.
    latencies: Vec<Duration>,
    errors: usize,
}

impl Load {
    fn throughput(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: usize) -> String {
        let n = self.latencies.len();
        self.latencies
            .get((n * p / 100).min(n.saturating_sub(1)))
            .map_or_else(|| "n/a".to_string(), |d| ms(*d, 2))
    }

    /// Its rows; with `floor`, also the throughput as a share of the floor's.
    /// `on` names where, e.g. " on PostgreSQL", after the path.
    pub fn add_to(&self, table: &mut Table, path: &str, on: &str, floor: Option<&Load>) {
        let what = format!("GET {path}{on}, {CONNECTIONS} conns");
        table.add(
            format!("{what}: throughput"),
            format!("{:.0}", self.throughput()),
            "req/s",
        );
        if let Some(floor) = floor {
            table.add(
                format!("{what}: throughput, % of the floor's"),
                format!("{:.0}", 100.0 * self.throughput() / floor.throughput()),
                "%",
            );
        }
        table.add(format!("{what}: p50 latency"), self.percentile(50), "ms");
        table.add(format!("{what}: p99 latency"), self.percentile(99), "ms");
        table.add(
            format!("{what}: requests ok"),
            self.latencies.len(),
            "requests",
        );
        table.add(format!("{what}: errors"), self.errors, "requests");
    }
}

/// `CONNECTIONS` tasks, each on its own pooled keep-alive connection to one
/// of `bases` in turn, sending `GET path` with the bearer token back to back until
/// `MAX_REQUESTS` were sent in all or `MAX_TIME` passed. The server and
/// this load generator share the machine's cores (and one tokio runtime).
pub async fn load(bases: &[String], path: &str, token: &str) -> Load {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .expect("an HTTP client");

    let sent = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|task| {
            let url = format!("{}{path}", bases[task % bases.len()]);
            let (client, token) = (client.clone(), token.to_string());
            let (sent, errors) = (sent.clone(), errors.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while sent.fetch_add(1, Ordering::Relaxed) < MAX_REQUESTS
                    && started.elapsed() < MAX_TIME
                {
                    let t = Instant::now();
                    let ok = match client.get(&url).bearer_auth(&token).send().await {
                        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    if ok {
                        latencies.push(t.elapsed());
                    } else {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a load task finished"));
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    Load {
        elapsed,
        latencies,
        errors: errors.load(Ordering::Relaxed),
    }
}
