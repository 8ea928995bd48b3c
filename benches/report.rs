//! `cargo bench --bench report`: the console's and acctd's numbers as one
//! table (metric | value | unit). Numbers, not a test: nothing here fails
//! on a slow machine, and `cargo test` never builds or runs it
//! (`test = false` in Cargo.toml). BENCHMARKS.md explains every row.
//!
//! Measured, in this order (memory first, so the server and the load test
//! do not inflate the peak):
//! 1. peak memory (VmHWM) after building the console with the big data set
//!    (10,000 sessions and 100,000 security events, paged in as the console
//!    pages them) and drawing it;
//! 2. render time of each screen at 80x24 and 200x60: median and p99 of
//!    200 `Terminal::draw` calls into a `TestBackend`;
//! 3. bytes the console's own backend writes: the first frame of each
//!    screen, and each Down keypress in the 10,000-session list and in the
//!    100,000-event security log (ratatui's diff), and Up at the
//!    top of each list, a key that changes nothing;
//! 4. start to first frame: a signed-in client of a local acctd, the real
//!    worker, `App::new` to the first frame that shows the account;
//! 5. throughput and p50/p99 latency with 64 concurrent connections on
//!    loopback of a do-nothing axum handler (the floor of this machine),
//!    then of acctd's `GET /v1/me` and `GET /v1/me/sessions`, each also as a
//!    percentage of the floor's throughput.
//!

mod common;
#[path = "report/load.rs"]
mod load;
#[path = "report/postgres.rs"]
mod postgres;
#[path = "common/postgres_database.rs"]
mod postgres_database;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use acctl::action::{AccountRequest, Action, ScreenId, SessionsDone, SessionsRequest};
use acctl::app::lean_backend::LeanBackend;
use acctl::app::testing::{Harness, buffer_to_string, fake_account, fake_sessions, fixed_now};
use acctl::app::{App, AppOptions, Clock, worker};
use acctl::config::Config;
use acctl::demo::Demo;
use acctl::widgets::loadable::Loadable;
use common::{EVENTS, SESSIONS, open_security_log};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::layout::{Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};

/// Down presses measured in each list; enough to scroll a screenful.
const KEYPRESSES: usize = 100;
/// Invoices in the billing screen's table.
const INVOICES: usize = 1_000;
/// Timed draws per screen and size (after [`WARM_UP_DRAWS`] untimed ones).
const DRAWS: usize = 200;
const WARM_UP_DRAWS: usize = 10;
/// Cold starts measured (a fresh HTTP client each, so a fresh connection).
const STARTS: usize = 10;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

/// The screens measured: a name, the screen, and whether the help overlay
/// is open over it.
const SCREENS: [(&str, ScreenId, bool); 4] = [
    ("overview", ScreenId::Overview, false),
    ("sessions", ScreenId::Sessions, false),
    ("security log", ScreenId::Security, false),
    ("help over sessions", ScreenId::Sessions, true),
];

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
    let mut console = memory(&mut table);
    render_times(&mut console, &mut table);
    let per_key = terminal_bytes(&mut console, &mut table);
    drop(console);
    let invoice_keys = invoices(&mut table);
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
    let (floor_base, floor_server) = load::start_floor().await;
    let floor = load::load(&[floor_base], load::FLOOR, &token).await;
    floor.add_to(&mut table, load::FLOOR, "", None);
    let base = demo.server.base_url();
    // /healthz passes every layer of acctd and reads no database: what is
    // left between it and /v1/me is the session check and the route.
    for path in [
        acctl_api::paths::HEALTHZ,
        acctl_api::paths::ME,
        acctl_api::paths::SESSIONS,
    ] {
        load::load(std::slice::from_ref(&base), path, &token)
            .await
            .add_to(&mut table, path, "", Some(&floor));
    }
    demo.stop().await;
    postgres::rows(&mut table, &floor).await;
    floor_server.abort();
    println!();
    table.print();
    println!();
    println!("Bytes each Down wrote at 80x24, in the order of the keys:");
    for line in per_key.iter().chain([&invoice_keys]) {
        println!("{line}");
    }
}

fn machine(table: &mut Table) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    table.add("machine: cores available", cores, "cores");
}

/// Milliseconds with `decimals` places.
fn ms(d: Duration, decimals: usize) -> String {
    format!("{:.decimals$}", d.as_secs_f64() * 1000.0)
}

// ---- 1. memory -----------------------------------------------------------

/// A field of /proc/self/status in kB (Linux only; None elsewhere).
fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Puts the console on `screen`, with the help overlay open when `help`.
/// Everything is loaded already, so nothing may be asked for.
fn show(h: &mut Harness, screen: ScreenId, help: bool) {
    if h.app.overlay().is_some() {
        h.press(KeyCode::Char('?'));
    }
    h.app.update(Action::Navigate(screen));
    if help {
        h.press(KeyCode::Char('?'));
    }
    assert_eq!(
        h.app.overlay().is_some(),
        help,
        "help shown only when asked"
    );
    let sent = h.sent();
    assert!(sent.is_empty(), "all is loaded, nothing to ask: {sent:?}");
}

/// Builds the big console and reads the resident set: with the sessions
/// loaded and drawn, then with the security log too, and the peak. The
/// console has the default theme (colours cost bytes), is signed in, and
/// holds the account, 10,000 sessions and all 100,000 security events; it
/// is returned on the security log, first event selected, for what follows.
fn memory(table: &mut Table) -> Harness {
    let before = proc_status_kb("VmRSS:");
    let mut h = Harness::new(Config::default(), true);
    h.respond(AccountRequest::Load.answered(Ok(fake_account(fixed_now()))));
    h.app.update(Action::Navigate(ScreenId::Sessions));
    h.respond(
        SessionsRequest::List
            .answered(SessionsDone::List(Ok(fake_sessions(SESSIONS, fixed_now())))),
    );
    for (w, hgt) in SIZES {
        std::hint::black_box(h.draw(w, hgt));
    }
    let with_sessions = proc_status_kb("VmRSS:");
    open_security_log(&mut h, EVENTS);
    for (w, hgt) in SIZES {
        std::hint::black_box(h.draw(w, hgt));
    }
    let with_events = proc_status_kb("VmRSS:");
    let peak = proc_status_kb("VmHWM:");
    let mb = |kb: Option<u64>| {
        kb.map_or_else(
            || "n/a".to_string(),
            |kb| format!("{:.1}", kb as f64 / 1024.0),
        )
    };
    table.add("RSS before building the console", mb(before), "MB");
    table.add(
        format!("RSS, console with {SESSIONS} sessions drawn"),
        mb(with_sessions),
        "MB",
    );
    table.add(
        format!("RSS, and with {EVENTS} events in the log drawn"),
        mb(with_events),
        "MB",
    );
    table.add("peak RSS (VmHWM) of all the above", mb(peak), "MB");
    let events = &h.app.screens().security().log.events.items;
    let capacity = events.value().map_or(0, Vec::capacity);
    table.add(
        "security log: events the Vec has room for",
        capacity,
        "events",
    );
    table.add(
        "security log: one kept event's size_of (its text apart)",
        std::mem::size_of::<acctl::screens::security::log::StoredEvent>(),
        "bytes",
    );
    h
}

// ---- 2. render time ---------------------------------------------------------

/// Median and p99 of [`DRAWS`] draws of the unchanged screen into a
/// `TestBackend`: the app's `render`, ratatui's diff against the previous
/// frame and applying it (an empty diff: this is building a frame, not
/// sending it).
fn draw_times(h: &Harness, width: u16, height: u16) -> (Duration, Duration) {
    let mut term = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    let mut draw = || {
        let started = Instant::now();
        term.draw(|frame| h.app.render(frame)).expect("draws");
        started.elapsed()
    };
    for _ in 0..WARM_UP_DRAWS {
        draw();
    }
    let mut times: Vec<Duration> = (0..DRAWS).map(|_| draw()).collect();
    times.sort_unstable();
    (times[DRAWS / 2], times[DRAWS * 99 / 100])
}

fn render_times(h: &mut Harness, table: &mut Table) {
    for (name, screen, help) in SCREENS {
        show(h, screen, help);
        for (w, hgt) in SIZES {
            let (median, p99) = draw_times(h, w, hgt);
            let what = format!("render {name} {w}x{hgt}");
            table.add(format!("{what}, median of {DRAWS}"), ms(median, 3), "ms");
            table.add(format!("{what}, p99 of {DRAWS}"), ms(p99, 3), "ms");
        }
    }
}

// ---- 3. bytes to the terminal ---------------------------------------------

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

/// The console's terminal over a [`Counter`], and that counter.
struct ByteTerm {
    term: Terminal<LeanBackend<Counter>>,
    written: Counter,
}

/// The console's own backend (what `acctl` writes to the terminal) writing
/// into a counter, at a fixed size (no real terminal is asked for its
/// size). It starts blank, like a freshly entered alternate screen, so the
/// first draw costs what it costs for real.
fn byte_terminal(width: u16, height: u16) -> ByteTerm {
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    let written = Counter::default();
    let term = Terminal::with_options(
        LeanBackend::fixed(written.clone(), Size::new(width, height)),
        options,
    )
    .expect("a terminal in memory");
    ByteTerm { term, written }
}

/// Draws the app and returns the bytes that draw wrote.
fn draw_bytes(term: &mut ByteTerm, app: &App) -> usize {
    term.term.draw(|frame| app.render(frame)).expect("draws");
    term.written.0.swap(0, Ordering::Relaxed)
}

/// Adds the rows; returns, for each list, the bytes of each key in order.
fn terminal_bytes(h: &mut Harness, table: &mut Table) -> Vec<String> {
    let mut in_order = Vec::new();
    for (w, hgt) in SIZES {
        for (name, screen, help) in &SCREENS[..3] {
            show(h, *screen, *help);
            let mut term = byte_terminal(w, hgt);
            let bytes = draw_bytes(&mut term, &h.app);
            table.add(format!("first frame, {name} {w}x{hgt}"), bytes, "bytes");
        }
    }
    for (name, screen) in [
        (format!("sessions ({SESSIONS})"), ScreenId::Sessions),
        (format!("security log ({EVENTS})"), ScreenId::Security),
    ] {
        show(h, screen, false);
        in_order.push(down_bytes(h, &name, table));
    }
    in_order
}

/// Presses Up at the top of the list on show at 80x24 (a key that changes
/// nothing) and adds its bytes; then presses Down [`KEYPRESSES`] times, one
/// draw per key; adds mean, median, min and max; the bytes of each key in order.
fn down_bytes(h: &mut Harness, name: &str, table: &mut Table) -> String {
    let mut term = byte_terminal(80, 24);
    draw_bytes(&mut term, &h.app);
    h.press(KeyCode::Up);
    let nothing = draw_bytes(&mut term, &h.app);
    table.add(
        format!("Up at the top of {name} 80x24 (changes nothing)"),
        nothing,
        "bytes",
    );
    let mut per_key: Vec<usize> = (0..KEYPRESSES)
        .map(|_| {
            h.press(KeyCode::Down);
            draw_bytes(&mut term, &h.app)
        })
        .collect();
    let sent = h.sent();
    assert!(sent.is_empty(), "all is loaded, nothing to ask: {sent:?}");
    let in_order = format!("{name}: {per_key:?}");
    let total: usize = per_key.iter().sum();
    per_key.sort_unstable();
    let label = |what: &str| format!("Down in {name} 80x24, {what} of {KEYPRESSES} keys");
    table.add(label("mean"), total / KEYPRESSES, "bytes/key");
    table.add(label("median"), per_key[KEYPRESSES / 2], "bytes/key");
    table.add(label("min"), per_key[0], "bytes/key");
    table.add(label("max"), per_key[KEYPRESSES - 1], "bytes/key");
    in_order
}

/// The Billing screen's invoice table with [`INVOICES`] loaded (the
/// server's largest pages would take five requests; the table holds the
/// same rows either way): render times, and bytes per Down.
fn invoices(table: &mut Table) -> String {
    let mut h = acctl::app::testing::billing::loaded(INVOICES, false);
    h.press(KeyCode::Tab);
    assert!(
        h.render(80, 24).contains("Number"),
        "the invoice table is on show"
    );
    for (w, hgt) in SIZES {
        let (median, p99) = draw_times(&h, w, hgt);
        let what = format!("render invoices ({INVOICES}) {w}x{hgt}");
        table.add(format!("{what}, median of {DRAWS}"), ms(median, 3), "ms");
        table.add(format!("{what}, p99 of {DRAWS}"), ms(p99, 3), "ms");
    }
    down_bytes(&mut h, &format!("invoices ({INVOICES})"), table)
}

// ---- 4. start to first frame ------------------------------------------------

/// From `App::new` with a signed-in client (tokens in memory, as if just
/// read from the keyring) to the first drawn frame that shows the account:
/// the real worker asks the local acctd for `/v1/me`, the answer goes
/// through `App::update`, and the frame is drawn through the console's
/// backend. Not included: process start, config and keyring reads,
/// terminal setup (raw mode, alternate screen).
async fn startup(demo: &Demo, table: &mut Table) {
    let tokens = demo.context.client.tokens().await;
    let mut loading = Vec::with_capacity(STARTS);
    let mut loaded = Vec::with_capacity(STARTS);
    for _ in 0..STARTS {
        // A fresh client: no pooled connection from the run before.
        let client =
            acctl_client::Client::new(&demo.server.base_url(), Config::default().client_options())
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
    loading.sort_unstable();
    loaded.sort_unstable();
    table.add(
        format!("start to first frame (loading), median of {STARTS}"),
        ms(loading[STARTS / 2], 2),
        "ms",
    );
    table.add(
        format!("start to frame with account, median of {STARTS}"),
        ms(loaded[STARTS / 2], 2),
        "ms",
    );
    table.add(
        format!("start to frame with account, max of {STARTS}"),
        ms(loaded[STARTS - 1], 2),
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
            if matches!(app.screens().overview().account, Loadable::Loaded(_)) {
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
