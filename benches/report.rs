//! `cargo bench --bench report`: the console's and acctd's numbers as one
//! table (metric | value | unit). Numbers, not a test: nothing here fails
//! on a slow machine, and `cargo test` never builds or runs it
//! (`test = false` in Cargo.toml).
//!
//! Measured, in this order (memory first, so the server and the load test
//! do not inflate the peak):
//! 1. peak memory (VmHWM) after building the console with 10,000 sessions
//!    and drawing it;
//! 2. bytes a real crossterm backend writes: the first frame at 80x24, and
//!    each Down keypress in the 10,000-session list (ratatui's own diffing);
//! 3. start to first frame: a signed-in client of a local acctd, the real
//!    worker, `App::new` to the first frame that shows the account;
//! 4. acctd throughput and p50/p99 latency of `GET /v1/me` and
//!    `GET /v1/me/sessions` with 64 concurrent connections on loopback.
//!
//! Not here yet: security events and invoices screens (they do not exist
//! yet), and a comparison with a do-nothing server (out of scope for now).

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use acctl::app::testing::{Harness, buffer_to_string, fake_account, fake_sessions, fixed_now};
use acctl::app::{Action, App, AppOptions, Clock, Response, ScreenId, worker};
use acctl::config::Config;
use acctl::demo::Demo;
use acctl::widgets::loadable::Loadable;
use crossterm::event::KeyCode;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

const SESSIONS: usize = 10_000;
/// Down presses measured in the session list; enough to scroll a screenful.
const KEYPRESSES: usize = 100;
/// Cold starts measured (a fresh HTTP client each, so a fresh connection).
const STARTS: usize = 10;
const CONNECTIONS: usize = 64;
/// Each endpoint's load stops at whichever comes first.
const MAX_REQUESTS: usize = 20_000;
const MAX_TIME: Duration = Duration::from_secs(5);

/// One row of the table.
struct Row {
    metric: String,
    value: String,
    unit: &'static str,
}

#[derive(Default)]
struct Table(Vec<Row>);

impl Table {
    fn add(&mut self, metric: impl Into<String>, value: impl ToString, unit: &'static str) {
        self.0.push(Row {
            metric: metric.into(),
            value: value.to_string(),
            unit,
        });
    }

    fn print(&self) {
        let width = self.0.iter().map(|r| r.metric.len()).max().unwrap_or(6);
        let value_width = self.0.iter().map(|r| r.value.len()).max().unwrap_or(5);
        println!("| {:width$} | {:>value_width$} | unit |", "metric", "value");
        println!(
            "|{}|{}:|------|",
            "-".repeat(width + 2),
            "-".repeat(value_width + 1)
        );
        for r in &self.0 {
            println!(
                "| {:width$} | {:>value_width$} | {} |",
                r.metric, r.value, r.unit
            );
        }
    }
}

#[tokio::main]
async fn main() {
    let mut table = Table::default();
    machine(&mut table);
    memory(&mut table);
    terminal_bytes(&mut table);
    let demo = Demo::start(Config::default())
        .await
        .expect("start the demo server and sign in");
    startup(&demo, &mut table).await;
    let token = demo
        .context
        .client
        .tokens()
        .await
        .expect("the demo client is signed in")
        .access_token
        .expose()
        .to_string();
    let base = demo.server.base_url();
    for path in [acctl_api::paths::ME, acctl_api::paths::SESSIONS] {
        load(&base, path, &token, &mut table).await;
    }
    demo.stop().await;
    println!();
    table.print();
    println!();
    println!("Not measured yet: security events and invoices screens (not built yet);");
    println!("a do-nothing server as the floor of this machine (out of scope for now).");
}

fn machine(table: &mut Table) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    table.add("machine: cores available", cores, "cores");
}

// ---- 1. memory -----------------------------------------------------------

/// A field of /proc/self/status in kB (Linux only; None elsewhere).
fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn memory(table: &mut Table) {
    let before = proc_status_kb("VmRSS:");
    let h = Harness::with_sessions(SESSIONS);
    for (w, hgt) in [(80, 24), (200, 60)] {
        std::hint::black_box(h.draw(w, hgt));
    }
    let peak = proc_status_kb("VmHWM:");
    let mb = |kb: Option<u64>| {
        kb.map_or_else(
            || "n/a".to_string(),
            |kb| format!("{:.1}", kb as f64 / 1024.0),
        )
    };
    table.add("RSS before building the console", mb(before), "MB");
    table.add(
        format!("peak RSS, console with {SESSIONS} sessions drawn"),
        mb(peak),
        "MB",
    );
    drop(h);
}

// ---- 2. bytes to the terminal ---------------------------------------------

/// Counts what the backend writes, as an SSH link would carry it.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A crossterm terminal over a [`Counter`], and that counter.
struct ByteTerm {
    term: Terminal<CrosstermBackend<Counter>>,
    written: Counter,
}

/// A crossterm backend writing into a counter, at a fixed size (no real
/// terminal is asked for its size). It starts blank, like a freshly
/// entered alternate screen, so the first draw costs what it costs for real.
fn byte_terminal(width: u16, height: u16) -> ByteTerm {
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    let written = Counter::default();
    let term = Terminal::with_options(CrosstermBackend::new(written.clone()), options)
        .expect("a terminal in memory");
    ByteTerm { term, written }
}

/// Draws the app and returns the bytes that draw wrote.
fn draw_bytes(term: &mut ByteTerm, app: &App) -> usize {
    term.term.draw(|frame| app.render(frame)).expect("draws");
    term.written.0.swap(0, Ordering::Relaxed)
}

/// The default theme (colours cost bytes), account and sessions loaded.
fn big_app(screen: ScreenId) -> Harness {
    let mut h = Harness::new(Config::default(), true);
    h.respond(Response::Account(Ok(fake_account(fixed_now()))));
    h.app.update(Action::Navigate(ScreenId::Sessions));
    h.respond(Response::Sessions(Ok(fake_sessions(SESSIONS, fixed_now()))));
    h.app.update(Action::Navigate(screen));
    h.sent();
    h
}

fn terminal_bytes(table: &mut Table) {
    for (w, hgt) in [(80, 24), (200, 60)] {
        for (name, screen) in [
            ("overview", ScreenId::Overview),
            ("sessions", ScreenId::Sessions),
        ] {
            let h = big_app(screen);
            let mut term = byte_terminal(w, hgt);
            let bytes = draw_bytes(&mut term, &h.app);
            table.add(format!("first frame, {name} {w}x{hgt}"), bytes, "bytes");
        }
    }
    let mut h = big_app(ScreenId::Sessions);
    let mut term = byte_terminal(80, 24);
    draw_bytes(&mut term, &h.app);
    let mut per_key: Vec<usize> = (0..KEYPRESSES)
        .map(|_| {
            h.press(KeyCode::Down);
            draw_bytes(&mut term, &h.app)
        })
        .collect();
    let total: usize = per_key.iter().sum();
    per_key.sort_unstable();
    let label = |what: &str| format!("Down in sessions 80x24, {what} of {KEYPRESSES} keys");
    table.add(label("mean"), total / KEYPRESSES, "bytes/key");
    table.add(label("median"), per_key[KEYPRESSES / 2], "bytes/key");
    table.add(label("max"), per_key[KEYPRESSES - 1], "bytes/key");
}

// ---- 3. start to first frame ------------------------------------------------

/// From `App::new` with a signed-in client (tokens in memory, as if just
/// read from the keyring) to the first drawn frame that shows the account:
/// the real worker asks the local acctd for `/v1/me`, the answer goes
/// through `App::update`, and the frame is drawn through a crossterm
/// backend. Not included: process start, config and keyring reads,
/// terminal setup (raw mode, alternate screen).
async fn startup(demo: &Demo, table: &mut Table) {
    let tokens = demo.context.client.tokens().await;
    let mut loading = Vec::with_capacity(STARTS);
    let mut loaded = Vec::with_capacity(STARTS);
    for _ in 0..STARTS {
        // A fresh client: no pooled connection from the run before.
        let client =
            acctl::api::Client::new(&demo.server.base_url(), Config::default().client_options())
                .expect("a client for the demo server");
        client.set_tokens(tokens.clone()).await;
        let ctx = acctl::context::AppContext {
            client,
            ..demo.context.clone()
        };
        let (first, account) = tokio::time::timeout(Duration::from_secs(10), one_start(ctx))
            .await
            .expect("the account is shown within 10 s");
        loading.push(first);
        loaded.push(account);
    }
    let ms = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1000.0);
    loading.sort_unstable();
    loaded.sort_unstable();
    table.add(
        format!("start to first frame (loading), median of {STARTS}"),
        ms(loading[STARTS / 2]),
        "ms",
    );
    table.add(
        format!("start to frame with account, median of {STARTS}"),
        ms(loaded[STARTS / 2]),
        "ms",
    );
    table.add(
        format!("start to frame with account, max of {STARTS}"),
        ms(loaded[STARTS - 1]),
        "ms",
    );
}

/// One start: the times to the first frame and to the account's frame.
async fn one_start(ctx: acctl::context::AppContext) -> (Duration, Duration) {
    let started = Instant::now();
    let (actions_tx, mut actions) = tokio::sync::mpsc::unbounded_channel();
    let requests = worker::spawn(&ctx, actions_tx.clone());
    let options = AppOptions {
        clock: Clock::System,
        signed_in: true,
    };
    let mut app = App::new(ctx, options, requests);
    let mut term = byte_terminal(80, 24);
    // The event loop's order: draw when dirty, then wait for an action.
    app.take_dirty();
    draw_bytes(&mut term, &app);
    let first = started.elapsed();
    while let Some(action) = actions.recv().await {
        app.update(action);
        if app.take_dirty() {
            let frame = term.term.draw(|frame| app.render(frame)).expect("draws");
            let at = started.elapsed();
            if matches!(app.overview().account, Loadable::Loaded(_)) {
                let shown = buffer_to_string(frame.buffer);
                assert!(
                    shown.contains("Dana Demo"),
                    "the account is on screen:\n{shown}"
                );
                return (first, at);
            }
        }
    }
    panic!("the worker stopped before the account arrived");
}

// ---- 4. acctd under load -----------------------------------------------------

/// `CONNECTIONS` tasks, each on its own pooled keep-alive connection,
/// sending `GET path` back to back until `MAX_REQUESTS` were sent in all or
/// `MAX_TIME` passed. The server and this load generator share the
/// machine's cores (and one tokio runtime).
async fn load(base: &str, path: &str, token: &str, table: &mut Table) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .expect("an HTTP client");
    let url = format!("{base}{path}");
    let sent = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (client, url, token) = (client.clone(), url.clone(), token.to_string());
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
    let pct = |p: usize| {
        latencies
            .get((latencies.len() * p / 100).min(latencies.len().saturating_sub(1)))
            .map_or_else(
                || "n/a".to_string(),
                |d| format!("{:.2}", d.as_secs_f64() * 1000.0),
            )
    };
    let what = format!("GET {path}, {CONNECTIONS} conns");
    table.add(
        format!("{what}: throughput"),
        format!("{:.0}", latencies.len() as f64 / elapsed.as_secs_f64()),
        "req/s",
    );
    table.add(format!("{what}: p50 latency"), pct(50), "ms");
    table.add(format!("{what}: p99 latency"), pct(99), "ms");
    table.add(format!("{what}: requests ok"), latencies.len(), "requests");
    table.add(
        format!("{what}: errors"),
        errors.load(Ordering::Relaxed),
        "requests",
    );
}
