//! The one loop: terminal events, worker answers and timers in, `update`,
//! and a redraw only when something changed. Idle, it sleeps: no fixed
//! frame rate, no bytes over SSH.

use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

use super::state::App;
use super::terminal::{self, Term};
use crate::action::Action;

/// How often the spinner turns while something loads.
const TICK: Duration = Duration::from_millis(120);

pub async fn run(
    term: &mut Term,
    app: &mut App,
    mut actions: UnboundedReceiver<Action>,
) -> anyhow::Result<()> {
    let mut events = EventStream::new();
    let mut stop = StopSignals::new()?;
    let size = term.size()?;
    app.update(Action::Resize(size.width, size.height));
    loop {
        if app.take_clear() {
            term.clear()?;
            let size = term.size()?;
            app.update(Action::Resize(size.width, size.height));
        }
        if let Some(text) = app.take_copy() {
            terminal::copy_to_clipboard(term, text.expose())?;
        }
        if app.take_dirty() {
            term.draw(|frame| app.render(frame))?;
        }
        if app.should_quit() {
            return Ok(());
        }
        if app.take_suspend() {
            terminal::suspend(term)?;
            let size = term.size()?;
            app.update(Action::Resize(size.width, size.height));
            continue;
        }
        let ticking = app.wants_ticks();
        let deadline = app.toast_deadline().map(Instant::from_std);
        let retry = app.retry_deadline().map(Instant::from_std);
        let action = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match from_event(event) {
                    Some(action) => action,
                    None => continue,
                },
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(()),
            },
            Some(action) = actions.recv() => action,
            () = tokio::time::sleep(TICK), if ticking => Action::Tick,
            () = sleep_until(deadline), if deadline.is_some() => Action::ExpireToasts,
            () = sleep_until(retry), if retry.is_some() => Action::RetryDue,
            () = stop.recv() => return Ok(()),
        };
        app.update(action);
    }
}

/// The terminal closed (SIGHUP) or we were asked to stop (SIGTERM). Left to
/// their default, either kills the process mid-way: the terminal stays raw
/// and `acctl demo` leaves its database behind. Caught, they end the loop and
/// the normal exit path runs.
struct StopSignals {
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                hangup: signal(SignalKind::hangup())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.hangup.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    if let Some(deadline) = deadline {
        tokio::time::sleep_until(deadline).await;
    }
}

/// Terminal events that matter; key releases (sent by some terminals) and
/// mouse or focus events do not.
fn from_event(event: Event) -> Option<Action> {
    #[cfg(debug_assertions)]
    panic_if_asked(&event);
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Action::Key(key)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(width, height) => Some(Action::Resize(width, height)),
        _ => None,
    }
}

/// Debug builds only: the key named by `ACCTL_DEBUG_PANIC_KEY` panics, so
/// an end-to-end test can check the terminal is given back after a panic.
#[cfg(debug_assertions)]
fn panic_if_asked(event: &Event) {
    if let Event::Key(key) = event
        && let crossterm::event::KeyCode::Char(c) = key.code
        && std::env::var("ACCTL_DEBUG_PANIC_KEY").is_ok_and(|k| k == c.to_string())
    {
        panic!("ACCTL_DEBUG_PANIC_KEY ({c}) was pressed");
    }
}
