//! The console's state and `App::update`, the single place it changes.

use std::time::Instant;

use acctl_api::SecretText;
use tokio::sync::mpsc::UnboundedSender;

use std::collections::HashMap;

use super::action::{Action, Request, RequestKey};
use super::clock::Clock;
use super::nav::ScreenId;
use super::retry::Retries;
use super::worker::Dispatcher;
use crate::context::AppContext;
use crate::keymap::{self, Keymap};
use crate::screens::billing::{BillingScreen, Desktop};
use crate::screens::login::LoginScreen;
use crate::screens::notifications::NotificationsScreen;
use crate::screens::overview::OverviewScreen;
use crate::screens::privacy::PrivacyScreen;
use crate::screens::profile::ProfileScreen;
use crate::screens::security::SecurityScreen;
use crate::screens::sessions::SessionsScreen;
use crate::theme::{self, Theme};
use crate::widgets::dialog::Dialog;
use crate::widgets::toast::{Toast, ToastKind, Toasts};

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
    pub(super) login: LoginScreen,
    pub(super) overview: OverviewScreen,
    pub(super) sessions: SessionsScreen,
    pub(super) security: SecurityScreen,
    pub(super) profile: ProfileScreen,
    pub(super) notifications: NotificationsScreen,
    pub(super) privacy: PrivacyScreen,
    /// Unread notifications, for the header; None until first known.
    pub(super) unread: Option<u32>,
    /// When the signed-in account is to be deleted, for the banner.
    pub(super) deletion_on: Option<chrono::DateTime<chrono::Utc>>,
    pub(crate) billing: BillingScreen,
    /// The theme in force, by name (the account's preference or the config's).
    pub(super) theme_name: String,
    /// The account's time zone, once its preferences are known.
    pub(super) tz: chrono_tz::Tz,
    pub(super) overlay: Option<Overlay>,
    pub(super) toasts: Toasts,
    pub(super) dispatcher: Dispatcher,
    /// The server in use, for the header.
    pub(super) server: String,
    /// The email signed in with, to prefill the form when a session ends.
    pub(super) email: Option<String>,
    pub(super) spinner_frame: usize,
    /// The terminal size, as last reported.
    pub(super) size: (u16, u16),
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
        let login = LoginScreen::new(&server, ctx.email.as_deref());
        let theme_name = ctx.config.ui.theme.clone();
        let mut app = Self {
            theme_name,
            tz: chrono_tz::Tz::UTC,
            email: ctx.email.clone(),
            ctx,
            theme,
            keymap,
            clock: options.clock,
            screen: ScreenId::Login,
            return_to: None,
            login,
            overview: OverviewScreen::default(),
            sessions: SessionsScreen::default(),
            security: SecurityScreen::default(),
            profile: ProfileScreen::default(),
            notifications: NotificationsScreen::default(),
            privacy: PrivacyScreen::default(),
            unread: None,
            deletion_on: None,
            billing: BillingScreen::new(Desktop::from_env()),
            overlay: None,
            toasts: Toasts::default(),
            dispatcher: Dispatcher::new(requests),
            server,
            spinner_frame: 0,
            size: (80, 24),
            dirty: true,
            quit: false,
            quit_warned: false,
            suspend: false,
            clear: false,
            copy: None,
            retries: Retries::default(),
            cancelled: HashMap::new(),
        };
        app.security.demo_password = app.ctx.demo.as_ref().map(|d| d.password.clone());
        app.privacy.export.dir = crate::screens::privacy::default_dir();
        for warning in [theme_warning, keymap_warning].into_iter().flatten() {
            app.toast(Toast::warning(warning));
        }
        if options.signed_in {
            app.navigate(ScreenId::Overview);
        }
        app
    }

    /// Applies one action. Everything that changes the console goes
    /// through here.
    pub fn update(&mut self, action: Action) {
        self.dirty = true;
        self.apply(action);
        self.sync_preferences();
    }

    /// Follows the account's preferences: its time zone, and the theme it
    /// prefers (or is trying out in the picker) unless this terminal forced
    /// one (`--theme`, `NO_COLOR`). Cheap when nothing changed.
    fn sync_preferences(&mut self) {
        self.tz = self
            .profile
            .prefs()
            .and_then(|p| p.timezone.parse().ok())
            .unwrap_or(chrono_tz::Tz::UTC);
        self.billing.tz = self.tz;
        let config = &self.ctx.config.ui;
        let wanted = match self.profile.wanted_theme() {
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
            Action::Cancelled(key) => self.forward(&Action::Cancelled(key)),
            progress @ Action::Progress { .. } => self.forward(&progress),
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
            Action::Batch(actions) => {
                for action in actions {
                    self.update(action);
                }
            }
            Action::DiscardEdits => self.profile.discard_edits(),
            Action::DownloadProgress(_) => self.forward(&action),
            Action::Copy { text, what } => {
                self.copy = Some(text);
                self.toast(Toast::success(format!(
                    "Copied {what} to the clipboard (if your terminal allows OSC 52)."
                )));
            }
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

    /// Every screen sees every action and picks what concerns it.
    pub(super) fn forward(&mut self, action: &Action) {
        self.login.update(action);
        self.overview.update(action);
        self.sessions.update(action);
        self.security.update(action);
        self.profile.update(action);
        self.notifications.update(action);
        self.privacy.update(action);
        self.billing.update(action);
    }

    pub(super) fn navigate(&mut self, screen: ScreenId) {
        self.screen = screen;
        let enter = match screen {
            ScreenId::Overview => self.overview.on_enter().into_iter().collect(),
            ScreenId::Sessions => self.sessions.on_enter().into_iter().collect(),
            ScreenId::Security => self.security.on_enter(),
            ScreenId::Profile => self.profile.on_enter(),
            ScreenId::Notifications => self.notifications.on_enter(),
            ScreenId::Privacy => self.privacy.on_enter(),
            ScreenId::Billing => self.billing.on_enter(),
            _ => Vec::new(),
        };
        for action in enter {
            self.update(action);
        }
        // Theme and time zone follow the account everywhere, so its
        // preferences are wanted whichever screen comes first.
        if screen != ScreenId::Login && self.profile.preferences.wants_load() {
            self.dispatch(Request::Profile(
                super::action::ProfileRequest::LoadPreferences,
            ));
        }
        // The header's unread count is fresh on every screen change.
        if screen != ScreenId::Login {
            self.dispatch(Request::Notifications(
                super::action::NotificationsRequest::LoadUnread,
            ));
        }
    }

    pub(super) fn toast(&mut self, toast: Toast) {
        match toast.kind {
            ToastKind::Warning | ToastKind::Error => tracing::warn!(message = %toast.text, "toast"),
            _ => tracing::info!(message = %toast.text, "toast"),
        }
        self.toasts.push(toast, Instant::now());
    }

    fn on_paste(&mut self, text: &str) {
        if self.overlay.is_some() {
            return;
        }
        match self.screen {
            ScreenId::Login => self.login.paste(text),
            ScreenId::Security => self.security.paste(text),
            ScreenId::Profile => self.profile.paste(text),
            ScreenId::Privacy => self.privacy.paste(text),
            ScreenId::Billing => self.billing.paste(text),
            _ => {}
        }
    }

    pub(super) fn last_height(&self) -> u16 {
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

    /// Sends the reads due again, if the screen on show still wants them.
    pub(super) fn retry_due(&mut self, now: Instant) {
        for request in self.retries.due(now) {
            if self.shows(&request.key()) {
                self.dispatch(request);
            } else {
                // Loaded again on the way back to that screen.
                self.retries.forget(&request.key());
            }
        }
    }

    /// True when the screen on show displays what `key` loads.
    fn shows(&self, key: &RequestKey) -> bool {
        matches!(
            (self.screen, key),
            (ScreenId::Overview, RequestKey::LoadAccount)
                | (ScreenId::Sessions, RequestKey::LoadSessions)
                | (
                    ScreenId::Security,
                    RequestKey::LoadAccount
                        | RequestKey::LoadMfaStatus
                        | RequestKey::LoadSecurityEvents
                )
                | (
                    ScreenId::Profile,
                    RequestKey::LoadProfile | RequestKey::LoadAvatar
                )
                | (
                    ScreenId::Notifications,
                    RequestKey::Notifications(
                        super::action::NotificationsKey::Settings
                            | super::action::NotificationsKey::Inbox
                    )
                )
                | (
                    ScreenId::Privacy,
                    RequestKey::Privacy(
                        super::action::PrivacyKey::Load
                            | super::action::PrivacyKey::Exports
                            | super::action::PrivacyKey::Deletion
                    )
                )
                | (
                    _,
                    RequestKey::LoadPreferences
                        | RequestKey::Notifications(super::action::NotificationsKey::Unread)
                )
        )
    }

    /// Stops waiting for loads and a sign-in (Esc): the screens stop
    /// showing them as on their way. Changes are not cancelled: once sent,
    /// the server may have made them. True when something was cancelled.
    pub(super) fn cancel_waiting(&mut self) -> bool {
        let keys: Vec<RequestKey> = self
            .dispatcher
            .in_flight()
            .filter(|k| {
                matches!(
                    k,
                    RequestKey::Login
                        | RequestKey::LoadAccount
                        | RequestKey::LoadSessions
                        | RequestKey::LoadMfaStatus
                        | RequestKey::LoadSecurityEvents
                        | RequestKey::LoadProfile
                        | RequestKey::LoadAvatar
                        | RequestKey::LoadPreferences
                        | RequestKey::Notifications(
                            super::action::NotificationsKey::Settings
                                | super::action::NotificationsKey::Inbox
                        )
                        | RequestKey::Privacy(
                            super::action::PrivacyKey::Load
                                | super::action::PrivacyKey::Exports
                                | super::action::PrivacyKey::Deletion
                        )
                ) || matches!(k, RequestKey::Billing(b) if b.is_load())
            })
            .cloned()
            .collect();
        for key in &keys {
            self.dispatcher.finish(key);
            self.retries.forget(key);
            *self.cancelled.entry(key.clone()).or_default() += 1;
            self.forward(&Action::Cancelled(key.clone()));
        }
        !keys.is_empty()
    }

    /// When the next failed read is tried again.
    pub fn retry_deadline(&self) -> Option<Instant> {
        self.retries.deadline()
    }

    /// When the toast on show expires.
    pub fn toast_deadline(&self) -> Option<Instant> {
        self.toasts.deadline()
    }

    pub fn screen(&self) -> ScreenId {
        self.screen
    }

    pub fn login(&self) -> &LoginScreen {
        &self.login
    }

    pub fn overview(&self) -> &OverviewScreen {
        &self.overview
    }

    pub fn sessions(&self) -> &SessionsScreen {
        &self.sessions
    }

    pub fn security(&self) -> &SecurityScreen {
        &self.security
    }

    pub fn notifications(&self) -> &NotificationsScreen {
        &self.notifications
    }

    pub fn privacy(&self) -> &PrivacyScreen {
        &self.privacy
    }

    /// Unread notifications, once known.
    pub fn unread(&self) -> Option<u32> {
        self.unread
    }

    /// When the account is to be deleted, if it is.
    pub fn deletion_on(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.deletion_on
    }

    pub fn billing(&self) -> &BillingScreen {
        &self.billing
    }

    /// The account's language (for amounts), English until it is known.
    pub fn language(&self) -> &str {
        self.profile.prefs().map_or("en", |p| p.language.as_str())
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
