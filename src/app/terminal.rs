//! Taking over the terminal and always giving it back: raw mode and the
//! alternate screen on the way in; restored on exit, on panic, and around
//! a suspend (Ctrl-Z).

use std::io::{self, Stdout};
use std::sync::Arc;
use std::thread::ThreadId;

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::layout::Size;

use super::lean_backend::LeanBackend;

pub type Term = Terminal<LeanBackend<Stdout>>;

/// Raw mode, alternate screen, bracketed paste (so a pasted password
/// arrives as text, not as keys that could trigger commands).
pub fn enter() -> io::Result<Term> {
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableBracketedPaste) {
        let _ = leave();
        return Err(e);
    }
    let term = crossterm::terminal::size().and_then(|(width, height)| {
        Terminal::new(LeanBackend::new(stdout, Size { width, height }))
    });
    if term.is_err() {
        let _ = leave();
    }
    term
}

/// Undoes [`enter`]; safe to call more than once.
pub fn leave() -> io::Result<()> {
    let raw = disable_raw_mode();
    let screen = execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    raw.and(screen)
}

type Hook = Arc<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync + 'static>;

/// The panic hook in force while the console runs; [`PanicHook::uninstall`]
/// puts the previous one back.
pub struct PanicHook {
    previous: Hook,
}

impl PanicHook {
    /// A panic on the UI thread restores the terminal before the message is
    /// printed, so it is readable. A panic elsewhere (a request task) goes
    /// to the log only: printing it would scribble over the screen, and the
    /// console keeps running.
    pub fn install() -> Self {
        let previous: Hook = Arc::from(std::panic::take_hook());
        let ui_thread: ThreadId = std::thread::current().id();
        let chained = previous.clone();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().id() == ui_thread {
                let _ = leave();
                chained(info);
            } else {
                tracing::error!(%info, "a background task panicked");
            }
        }));
        Self { previous }
    }

    pub fn uninstall(self) {
        let previous = self.previous;
        std::panic::set_hook(Box::new(move |info| previous(info)));
    }
}

/// Gives the terminal back, stops like any Ctrl-Z'd program, and takes the
/// terminal again when resumed (`fg`).
#[cfg(unix)]
pub fn suspend(term: &mut Term) -> io::Result<()> {
    leave()?;
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    term.clear()
}

/// No job control here: suspending does nothing.
#[cfg(not(unix))]
pub fn suspend(_term: &mut Term) -> io::Result<()> {
    Ok(())
}

/// The OSC 52 sequence that asks the terminal to put `text` on the system
/// clipboard. It travels with the output, so it works over SSH and in
/// tmux (with `set-clipboard on`); terminals that do not support it ignore it.
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

/// Writes [`osc52`] for `text` to the terminal.
pub fn copy_to_clipboard(term: &mut Term, text: &str) -> io::Result<()> {
    use std::io::Write;
    let backend = term.backend_mut();
    backend.write_all(osc52(text).as_bytes())?;
    backend.flush()
}

#[cfg(test)]
mod tests {
    #[test]
    fn osc52_carries_the_text_in_base64() {
        assert_eq!(super::osc52("hi there"), "\x1b]52;c;aGkgdGhlcmU=\x07");
    }
}
