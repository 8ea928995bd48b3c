//! The console's state and `App::update`, the single place it changes.

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

use acctl_api::SecretText;
use tokio::sync::mpsc::UnboundedSender;

use super::clock::Clock;
use super::look::Look;
use super::retry::Retries;
use super::worker::Dispatcher;
use crate::action::{Action, Request, RequestKey, ScreenId};
use crate::context::AppContext;
use crate::keymap::{self, Keymap};
use crate::screens::billing::Desktop;
use crate::screens::{Screens, ScreensSetup};
use crate::theme::{self, Theme};
use crate::widgets::dialog::Dialog;
use crate::widgets::toast::{Toast, ToastKind, Toasts};

mod reading;

/// How an [`App`] starts.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppOptions {
    pub clock: Clock,
    /// The client holds tokens: start on the overview, else at sign-in.
    pub signed_in: bool,
}

/// Drawn over the screen; takes the keys while open.
#[derive(Debug)]
pub enum Overlay {
    Help {
        offset: usize,
    },
    Dialog {
        dialog: Dialog,
        /// Done when confirmed; None for a notice.
        on_confirm: Option<Box<Action>>,
    },
}

pub struct App {
    pub(super) ctx: AppContext,
    pub(super) theme: Theme,
    pub(super) keymap: Keymap,
    pub(super) clock: Clock,
    pub(super) screen: ScreenId,
    /// Where to go back to after signing in again.
    pub(super) return_to: Option<ScreenId>,
    /// Every screen; the app goes through the `Screen` trait only.
    pub(super) screens: Screens,
    /// Unread notifications, for the header; None until first known.
    pub(super) unread: Option<u32>,
    /// When the signed-in account is to be deleted, for the banner.
    pub(super) deletion_on: Option<chrono::DateTime<chrono::Utc>>,
    /// What the frame follows of the account's preferences.
    pub(super) look: Look,
    /// The theme in force, by name (the account's preference or the config's).
    pub(super) theme_name: String,
    /// The account's time zone, once its preferences are known.
    pub(super) tz: chrono_tz::Tz,
    pub(super) overlay: Option<Overlay>,
    pub(super) toasts: Toasts,
    pub(super) dispatcher: Dispatcher,
    /// The server in use, for the header, and its kind of service.
    pub(super) server: String,
    pub(super) service: acctl_client::ServiceKind,
    /// The email signed in with, to prefill the form when a session ends.
    pub(super) email: Option<String>,
    /// The email of the account as last loaded, since the last sign-in.
    pub(super) account_email: Option<String>,
    /// The account is an administrator (`/v1/me`): the Admin screen shows.
    pub(super) admin: bool,
    pub(super) spinner_frame: usize,
    /// The terminal size, as last reported.
    pub(super) size: (u16, u16),
    /// The last frame drawn was the "too small" notice: what a key would do
    /// cannot be seen, so only quitting works. Read from the frame itself,
    /// not `size`, which can still hold a burst's earlier size.
    pub(super) drawn_too_small: std::cell::Cell<bool>,
    pub(super) dirty: bool,
    pub(super) quit: bool,
    /// Ctrl-C was pressed once while recovery codes were on show unsaved;
    /// a second press quits.
    pub(super) quit_warned: bool,
    pub(super) suspend: bool,
    pub(super) clear: bool,
    /// Text for the terminal's clipboard, written by the event loop.
    pub(super) copy: Option<SecretText>,
    pub(super) retries: Retries,
    /// Answers still to come for requests the person cancelled, to drop.
    pub(super) cancelled: HashMap<RequestKey, u32>,
    /// Actions produced while handling one, applied next (never re-entered).
    pub(super) queue: VecDeque<Action>,
    /// Counts calls of `update`; `toast_turn` is the one whose handling
    /// raised the toast on show. Moving to another screen in a later turn
    /// clears a success toast: it spoke of the screen left (warnings stay
    /// their time: they may concern more than one screen).
    pub(super) turn: u64,
    pub(super) toast_turn: u64,
}

impl App {
    /// A console for `ctx`. Theme and keymap come from `ctx.config` (and
    /// the config dir, if any); problems with them become warning toasts.
    /// Requests go to `requests`; in tests, read them from its receiver.
    pub fn new(ctx: AppContext, options: AppOptions, requests: UnboundedSender<Request>) -> Self {
        let dir = ctx.config_dir.as_deref();
        let (theme, theme_warning) = theme::load(&ctx.config.ui.theme, dir);
        let (keymap, keymap_warning) = keymap::load(&ctx.config.ui.keymap, dir);
        let server = ctx.client.base_url().to_string();
        let service = ctx.client.service();
        let screens = Screens::new(ScreensSetup {
            server: server.clone(),
            email: ctx.email.clone(),
            demo_password: ctx.demo.as_ref().map(|d| d.password.clone()),
            desktop: Desktop::from_env(),
            export_dir: crate::screens::privacy::default_dir(),
            offers: ctx.offers,
        });
        let theme_name = ctx.config.ui.theme.clone();
        let mut app = Self {
            theme_name,
            tz: chrono_tz::Tz::UTC,
            email: ctx.email.clone(),
            account_email: None,
            admin: false,
            ctx,
            theme,
            keymap,
            clock: options.clock,
            screen: ScreenId::Login,
            return_to: None,
            screens,
            unread: None,
            deletion_on: None,
            look: Look::default(),
            overlay: None,
            toasts: Toasts::default(),
            dispatcher: Dispatcher::new(requests),
            service,
            server,
            spinner_frame: 0,
            size: (80, 24),
            drawn_too_small: std::cell::Cell::new(false),
            turn: 0,
            toast_turn: 0,
            dirty: true,
            quit: false,
            quit_warned: false,
            suspend: false,
            clear: false,
            copy: None,
            retries: Retries::default(),
            cancelled: HashMap::new(),
            queue: VecDeque::new(),
        };
        for warning in [theme_warning, keymap_warning].into_iter().flatten() {
            app.toast(Toast::warning(warning));
        }
        if options.signed_in {
            app.update(Action::Navigate(ScreenId::Overview));
        }
        app
    }

    /// Applies one action, then the ones it leads to, in order: each runs
    /// to its end before the next starts (nothing re-enters this). All
    /// that changes the console goes through here.
    pub fn update(&mut self, action: Action) {
        self.turn += 1;
        self.queue.push_front(action);
        while let Some(action) = self.queue.pop_front() {
            self.dirty = true;
            self.apply(action);
            self.sync_preferences();
        }
    }

    /// Queues what handling an action produced, to run next, in order.
    pub(super) fn then(&mut self, actions: Vec<Action>) {
        for action in actions.into_iter().rev() {
            self.queue.push_front(action);
        }
    }

    /// Follows the account's preferences: its time zone, and the theme it
    /// prefers (or is trying out in the picker) unless this terminal forced
    /// one (`--theme`, `NO_COLOR`). Cheap when nothing changed.
    fn sync_preferences(&mut self) {
        let tz = self.look.tz();
        if tz != self.tz {
            self.tz = tz;
            self.queue.push_front(Action::TimeZone(tz));
        }
        let config = &self.ctx.config.ui;
        let wanted = match self.look.theme() {
            Some(name) if !config.theme_forced && name != acctl_api::profile::DEFAULT_THEME => {
                name.to_string()
            }
            _ => config.theme.clone(),
        };
        if wanted == self.theme_name {
            return;
        }
        let (theme, warning) = theme::load(&wanted, self.ctx.config_dir.as_deref());
        self.theme = theme;
        self.theme_name = wanted;
        if let Some(warning) = warning {
            self.toast(Toast::warning(warning));
        }
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Key(key) => self.on_key(key),
            Action::Paste(text) => self.on_paste(&text),
            Action::Resize(width, height) => self.size = (width, height),
            Action::Tick => self.spinner_frame = self.spinner_frame.wrapping_add(1),
            Action::ExpireToasts => self.dirty = self.toasts.expire(Instant::now()),
            Action::RetryDue => self.retry_due(Instant::now()),
            Action::Command(command) => self.on_command(command),
            Action::Request(request) => self.dispatch(request),
            Action::Response(response) => self.on_response(response),
            Action::Confirm { dialog, on_confirm } => {
                self.overlay = Some(Overlay::Dialog {
                    dialog,
                    on_confirm: Some(Box::new(Action::Request(on_confirm))),
                });
            }
            Action::Notice(dialog) => {
                self.overlay = Some(Overlay::Dialog {
                    dialog,
                    on_confirm: None,
                });
            }
            Action::Toast(toast) => self.toast(toast),
            Action::Navigate(screen) => self.navigate(screen),
            Action::Batch(actions) => self.then(actions),
            Action::Copy { text, what } => {
                self.copy = Some(text);
                self.toast(Toast::success(format!(
                    "Copied {what} to the clipboard (if your terminal allows OSC 52)."
                )));
            }
            Action::DemoPassword(password) => {
                if let Some(demo) = &mut self.ctx.demo {
                    demo.password = password;
                }
            }
            // Cancellations, progress, notices and the like are the
            // screens' to take.
            other => self.forward(&other),
        }
    }

    /// Sends a request (unless the same one is running) and lets the
    /// screens show that it is on its way.
    pub(super) fn dispatch(&mut self, request: Request) {
        if self.dispatcher.submit(request.clone()) {
            self.retries.sent(&request);
            self.forward(&Action::Request(request));
        }
    }

    /// Every screen sees every action and picks what concerns it; what they
    /// return runs next.
    pub(super) fn forward(&mut self, action: &Action) {
        self.look.update(action);
        let follow = self.screens.update_all(action);
        self.then(follow);
    }

    pub(super) fn navigate(&mut self, screen: ScreenId) {
        let success = self
            .toasts
            .current()
            .is_some_and(|t| t.kind == ToastKind::Success);
        if screen != self.screen && self.toast_turn != self.turn && success {
            self.toasts.dismiss();
        }
        self.screen = screen;
        let mut next = self.screens.get_mut(screen).on_enter();
        if screen != ScreenId::Login {
            // Theme and time zone follow the account everywhere, so its
            // preferences are wanted whichever screen comes first; the
            // header's unread count is fresh on every screen change.
            next.extend(self.frame_requests());
        }
        self.then(next);
    }

    pub(super) fn toast(&mut self, toast: Toast) {
        match toast.kind {
            ToastKind::Warning | ToastKind::Error => tracing::warn!(message = %toast.text, "toast"),
            _ => tracing::info!(message = %toast.text, "toast"),
        }
        self.toasts.push(toast, Instant::now());
        self.toast_turn = self.turn;
    }

    fn on_paste(&mut self, text: &str) {
        // Into a field that cannot be seen, it would be typed blind.
        if self.overlay.is_none() && !self.drawn_too_small.get() {
            self.screens.get_mut(self.screen).paste(text);
            // Pasted: what follows from it (a search after a pause).
            self.forward(&Action::Paste(text.to_string()));
        }
    }
}
