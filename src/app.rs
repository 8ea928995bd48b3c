//! The full-screen console. One tokio loop and one channel of
//! [`Action`](crate::action::Action)s:
//! keys, timers and server answers all arrive there, and [`App::update`] is
//! the only writer of state. Screens never hold the HTTP client; they send
//! a [`Request`](crate::action::Request), which the worker runs and answers.

pub mod clock;
mod event_loop;
mod footer;
mod keys;
pub mod lean_backend;
mod look;
pub mod nav;
mod offers;
mod responses;
mod retry;
mod state;
pub mod terminal;
pub mod testing;
mod view;
mod waiting;
pub mod worker;

pub use clock::Clock;
pub use responses::SESSION_ENDED;
pub use state::{App, AppOptions, Overlay};
pub use view::{MIN_HEIGHT, MIN_WIDTH};

use crate::context::AppContext;

/// Runs the console until the person quits. The terminal is restored on
/// every way out: normal exit, error, or panic.
pub async fn run(ctx: AppContext) -> anyhow::Result<()> {
    let signed_in = ctx.client.tokens().await.is_some();
    let (actions_tx, actions_rx) = tokio::sync::mpsc::unbounded_channel();
    let requests = worker::spawn(&ctx, actions_tx.clone());
    let options = AppOptions {
        clock: Clock::System,
        signed_in,
    };
    let mut app = App::new(ctx, options, requests);
    let hook = terminal::PanicHook::install();
    let result =
        match terminal::enter() {
            Ok(mut term) => event_loop::run(&mut term, &mut app, actions_rx).await,
            Err(e) => Err(anyhow::Error::new(e)
                .context("could not set up the terminal (is this a terminal?)")),
        };
    let restored = terminal::leave();
    hook.uninstall();
    // Keeps the channel open until the loop is done with it.
    drop(actions_tx);
    result?;
    restored?;
    Ok(())
}

#[cfg(test)]
mod cursor_tests;
#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod notice_snapshots;
#[cfg(test)]
mod notice_tests;
#[cfg(test)]
mod offers_snapshots;
#[cfg(test)]
mod snapshot_admin_tests;
#[cfg(test)]
mod snapshot_billing_tests;
#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;
