//! One module per screen. Each owns its state and implements [`Screen`]:
//! `handle_key` turns keys into an `Action` (or changes only itself),
//! `update` takes what happened and returns the Actions that follow from it
//! (toasts, follow-up requests, "stale" notices to other screens), and
//! `render` draws read-only. Screens never hold the HTTP client, and never
//! import the app: they speak the messages in `crate::action`.

pub mod admin;
pub mod billing;
pub mod login;
pub mod notifications;
pub mod overview;
pub mod privacy;
pub mod profile;
pub mod security;
pub mod sessions;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::{Action, Request, ScreenId};
use crate::keymap::{Command, Keymap, Scope};
use crate::widgets::Ui;

/// Key hints for the footer: the key as shown, and what it does.
pub type Hints = Vec<(String, &'static str)>;

/// Adds "KEY label" to `out` when `command` has a key in `scope` (or,
/// failing that, a global one).
pub fn hint(out: &mut Hints, keymap: &Keymap, scope: Scope, command: Command, label: &'static str) {
    if let Some(key) = keymap
        .hint(scope, command)
        .or_else(|| keymap.hint(Scope::Global, command))
    {
        out.push((key, label));
    }
}

/// A screen of the console. The app calls these and nothing else: it never
/// reaches into a screen's state.
pub trait Screen {
    /// A key while this screen is on show and no overlay is open. The
    /// Action returned (if any) goes on the app's queue.
    fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action>;

    /// Every Action passes every screen, each taking what concerns it
    /// (a request it sees sent, an answer, a notice). Returns the Actions
    /// that follow, which go on the queue.
    fn update(&mut self, action: &Action) -> Vec<Action>;

    /// Draws the screen into `area`; read-only.
    fn render(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>);

    /// What to ask for on entering the screen (what is missing or stale).
    fn on_enter(&mut self) -> Vec<Action> {
        Vec::new()
    }

    /// True when the screen on show displays what `request` loads, so a
    /// failed load of it is worth trying again now.
    fn shows(&self, _request: &Request) -> bool {
        false
    }

    /// The footer: the screen's own hints, then `common` (refresh, help,
    /// quit, screens, sign out) unless a field takes the typing, when F1
    /// for help is all that is added.
    fn footer(&self, keymap: &Keymap, common: Hints) -> Hints {
        let mut out = self.hints(keymap);
        if self.takes_typing() {
            hint(&mut out, keymap, Scope::Form, Command::Help, "help");
        } else {
            out.extend(common);
        }
        out
    }

    /// The screen's own key hints, most useful first.
    fn hints(&self, _keymap: &Keymap) -> Hints {
        Vec::new()
    }

    /// True when keys type into a field.
    fn takes_typing(&self) -> bool {
        false
    }

    /// Pasted text, for the field that has the keys.
    fn paste(&mut self, _text: &str) {}

    /// True when the screen needs the sidebar's columns too.
    fn wants_full_body(&self) -> bool {
        false
    }

    /// What quitting now would lose, if anything; `on_show` is true when
    /// this is the screen on show.
    fn quit_warning(&self, _on_show: bool) -> Option<&'static str> {
        None
    }

    /// What leaving the screen would lose, in a sentence, if anything; the
    /// app asks first. Confirming sends [`Action::DiscardEdits`].
    fn leave_warning(&self) -> Option<String> {
        None
    }
}

/// Every screen, each built once and kept while the console runs.
#[derive(Debug)]
pub struct Screens {
    login: login::LoginScreen,
    overview: overview::OverviewScreen,
    sessions: sessions::SessionsScreen,
    security: security::SecurityScreen,
    profile: profile::ProfileScreen,
    notifications: notifications::NotificationsScreen,
    privacy: privacy::PrivacyScreen,
    billing: billing::BillingScreen,
    admin: admin::AdminScreen,
}

/// What the screens are built with.
#[derive(Debug, Clone)]
pub struct ScreensSetup {
    /// The server and email to prefill the sign-in form with.
    pub server: String,
    pub email: Option<String>,
    /// The demo account's password, which the security pages ask for.
    pub demo_password: Option<acctl_api::SecretText>,
    pub desktop: billing::Desktop,
    /// Where a data export is offered to be saved.
    pub export_dir: std::path::PathBuf,
    /// What the service offers (the Security screen's sections).
    pub offers: acctl_client::Capabilities,
}

impl Screens {
    pub fn new(setup: ScreensSetup) -> Self {
        Self {
            login: login::LoginScreen::new(&setup.server, setup.email.as_deref()),
            overview: overview::OverviewScreen::new(setup.offers),
            sessions: Default::default(),
            security: security::SecurityScreen::new(setup.demo_password, setup.offers),
            profile: profile::ProfileScreen::new(setup.offers),
            notifications: Default::default(),
            privacy: privacy::PrivacyScreen::new(setup.export_dir, setup.offers),
            billing: billing::BillingScreen::new(setup.desktop),
            admin: Default::default(),
        }
    }

    /// The one dispatch from a [`ScreenId`] to its screen.
    pub fn get(&self, id: ScreenId) -> &dyn Screen {
        match id {
            ScreenId::Login => &self.login,
            ScreenId::Overview => &self.overview,
            ScreenId::Sessions => &self.sessions,
            ScreenId::Security => &self.security,
            ScreenId::Profile => &self.profile,
            ScreenId::Notifications => &self.notifications,
            ScreenId::Privacy => &self.privacy,
            ScreenId::Billing => &self.billing,
            ScreenId::Admin => &self.admin,
        }
    }

    pub fn get_mut(&mut self, id: ScreenId) -> &mut dyn Screen {
        match id {
            ScreenId::Login => &mut self.login,
            ScreenId::Overview => &mut self.overview,
            ScreenId::Sessions => &mut self.sessions,
            ScreenId::Security => &mut self.security,
            ScreenId::Profile => &mut self.profile,
            ScreenId::Notifications => &mut self.notifications,
            ScreenId::Privacy => &mut self.privacy,
            ScreenId::Billing => &mut self.billing,
            ScreenId::Admin => &mut self.admin,
        }
    }

    /// Every screen, in a fixed order (the order quit warnings are asked in).
    pub const ALL: [ScreenId; 9] = [
        ScreenId::Login,
        ScreenId::Overview,
        ScreenId::Sessions,
        ScreenId::Security,
        ScreenId::Profile,
        ScreenId::Notifications,
        ScreenId::Privacy,
        ScreenId::Billing,
        ScreenId::Admin,
    ];

    /// Shows `action` to every screen; what they return, in order.
    pub fn update_all(&mut self, action: &Action) -> Vec<Action> {
        let mut out = Vec::new();
        for id in Self::ALL {
            out.extend(self.get_mut(id).update(action));
        }
        out
    }

    /// The first thing quitting would lose, asking every screen.
    pub fn quit_warning(&self, on_show: ScreenId) -> Option<&'static str> {
        Self::ALL
            .into_iter()
            .find_map(|id| self.get(id).quit_warning(id == on_show))
    }
}

/// Read access to each screen's state, for tests and benchmarks (the app
/// itself goes through [`Screen`] only).
impl Screens {
    pub fn login(&self) -> &login::LoginScreen {
        &self.login
    }
    pub fn overview(&self) -> &overview::OverviewScreen {
        &self.overview
    }
    pub fn sessions(&self) -> &sessions::SessionsScreen {
        &self.sessions
    }
    pub fn security(&self) -> &security::SecurityScreen {
        &self.security
    }
    pub fn profile(&self) -> &profile::ProfileScreen {
        &self.profile
    }
    pub fn notifications(&self) -> &notifications::NotificationsScreen {
        &self.notifications
    }
    pub fn privacy(&self) -> &privacy::PrivacyScreen {
        &self.privacy
    }
    pub fn billing(&self) -> &billing::BillingScreen {
        &self.billing
    }
    pub fn admin(&self) -> &admin::AdminScreen {
        &self.admin
    }
}

/// Write access for tests that set a screen up directly.
#[cfg(test)]
impl Screens {
    pub fn security_mut(&mut self) -> &mut security::SecurityScreen {
        &mut self.security
    }
    pub fn privacy_mut(&mut self) -> &mut privacy::PrivacyScreen {
        &mut self.privacy
    }
    pub fn billing_mut(&mut self) -> &mut billing::BillingScreen {
        &mut self.billing
    }
}
