//! What the event loop, the frame and tests read of an [`App`], and the
//! one-shot requests they take (quit, suspend, clear, copy, redraw).

use std::time::Instant;

use acctl_api::SecretText;

use super::{App, Overlay};
use crate::action::ScreenId;
use crate::app::worker::Dispatcher;
use crate::keymap::Keymap;
use crate::screens::Screens;
use crate::theme::Theme;
use crate::widgets::toast::Toast;

impl App {
    pub(in crate::app) fn last_height(&self) -> u16 {
        self.size.1
    }

    /// True once the person asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// True (once) when the person asked to suspend (Ctrl-Z).
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }

    /// True (once) when the whole screen must be repainted (Ctrl-L).
    pub fn take_clear(&mut self) -> bool {
        std::mem::take(&mut self.clear)
    }

    /// Text to put on the clipboard (once).
    pub fn take_copy(&mut self) -> Option<SecretText> {
        self.copy.take()
    }

    /// True (once) when something changed since the last draw.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Whether the spinner should turn: something loads and motion is on.
    pub fn wants_ticks(&self) -> bool {
        let ui = &self.ctx.config.ui;
        self.dispatcher.is_busy() && !ui.reduce_motion && !ui.screen_reader
    }

    /// When the toast on show expires.
    pub fn toast_deadline(&self) -> Option<Instant> {
        self.toasts.deadline()
    }

    pub fn screen(&self) -> ScreenId {
        self.screen
    }

    /// The screens, to read their state in tests and benchmarks.
    pub fn screens(&self) -> &Screens {
        &self.screens
    }

    /// The screens, for tests that set one up directly.
    #[cfg(test)]
    pub(crate) fn screens_mut(&mut self) -> &mut Screens {
        &mut self.screens
    }

    /// Unread notifications, once known.
    pub fn unread(&self) -> Option<u32> {
        self.unread
    }

    /// When the account is to be deleted, if it is.
    pub fn deletion_on(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.deletion_on
    }

    /// The account's language (for amounts), English until it is known.
    pub fn language(&self) -> &str {
        self.look.language()
    }

    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    pub fn toast_on_show(&self) -> Option<&Toast> {
        self.toasts.current()
    }

    pub fn dispatcher(&self) -> &Dispatcher {
        &self.dispatcher
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }
}
