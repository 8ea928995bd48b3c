//! Frame render time of each screen that exists, with big data (10,000
//! sessions; the security log with 100,000 events, paged in as the console
//! pages them), at 80x24 (the smallest supported terminal) and 200x60.
//!
//! Run: `cargo bench --bench render` (add `-- --quick` for a fast look).
//!
//! Each iteration is one `Terminal::draw` into a ratatui `TestBackend`:
//! the app's `render`, ratatui's diff against the previous frame, and
//! applying that diff. The screen does not change between iterations, so
//! the diff is empty: this is the cost of building a frame, not of
//! sending it (the `report` bench counts the bytes sent).
//!
//! Not here yet: invoices (1,000); the billing screen does not exist yet.

mod common;

use std::hint::black_box;
use std::time::Duration;

use acctl::action::{Action, ScreenId};
use acctl::app::testing::Harness;
use common::{EVENTS, SESSIONS, open_security_log};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

/// Signed in, account and 10,000 sessions loaded, on `screen`; the help
/// overlay open when `help`.
fn app_on(screen: ScreenId, help: bool) -> Harness {
    let mut h = Harness::with_sessions(SESSIONS);
    h.app.update(Action::Navigate(screen));
    if help {
        h.press(KeyCode::Char('?'));
    }
    // Navigating may ask for data; nobody answers in a render bench.
    h.sent();
    h
}

fn render(c: &mut Criterion) {
    let cases = [
        ("overview", ScreenId::Overview, false),
        ("sessions", ScreenId::Sessions, false),
        ("help_over_sessions", ScreenId::Sessions, true),
    ];
    let mut group = c.benchmark_group("render_10k_sessions");
    for (name, screen, help) in cases {
        let h = app_on(screen, help);
        for (width, height) in SIZES {
            bench_draw(&mut group, &h, name, width, height);
        }
    }
    group.finish();

    // The security log, all 100,000 events loaded, the first selected.
    let mut h = Harness::with_sessions(SESSIONS);
    open_security_log(&mut h, EVENTS);
    let mut group = c.benchmark_group("render_100k_events");
    for (width, height) in SIZES {
        bench_draw(&mut group, &h, "security_log", width, height);
    }
    group.finish();
}

/// One `Terminal::draw` of the unchanged screen per iteration.
fn bench_draw(
    group: &mut BenchmarkGroup<'_, WallTime>,
    h: &Harness,
    name: &str,
    width: u16,
    height: u16,
) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    let id = BenchmarkId::new(name, format!("{width}x{height}"));
    group.bench_function(id, |b| {
        b.iter(|| {
            terminal
                .draw(|frame| h.app.render(black_box(frame)))
                .expect("draws");
        });
    });
}

// Short runs: the machine is small and shared, and these are numbers to
// compare, not a gate.
criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = render
}
criterion_main!(benches);
