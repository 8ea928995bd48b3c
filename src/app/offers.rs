//! What the service offers, as the frame shows it: the screens in the
//! sidebar, their keys in the help and the footer, and the requests the
//! frame makes on every screen. What the service lacks is left out, never
//! faked; its key says so.

use acctl_client::{Capabilities, Feature};

use super::App;
use crate::action::{Action, NotificationsRequest, ProfileRequest, Request, SECTIONS, ScreenId};
use crate::keymap::Command;
use crate::widgets::toast::Toast;

/// True when the service offers something `screen` shows.
pub fn screen_offered(screen: ScreenId, offers: Capabilities) -> bool {
    let any = |features: &[Feature]| features.iter().any(|f| offers.has(*f));
    match screen {
        ScreenId::Login | ScreenId::Overview | ScreenId::Security => true,
        ScreenId::Sessions => any(&[Feature::Sessions]),
        ScreenId::Profile => any(&[Feature::Profile, Feature::Avatar, Feature::Preferences]),
        ScreenId::Notifications => any(&[Feature::Notifications]),
        ScreenId::Privacy => any(&[
            Feature::PrivacySettings,
            Feature::DataExport,
            Feature::AccountDeletion,
        ]),
        ScreenId::Billing => any(&[Feature::Billing]),
        // Not the service's to offer: the account's (see `screen_shown`).
        ScreenId::Admin => false,
    }
}

/// True when the sidebar, the keys and the help show `screen`: what the
/// service offers, and Admin to its administrators only.
pub fn screen_shown(screen: ScreenId, offers: Capabilities, admin: bool) -> bool {
    match screen {
        ScreenId::Admin => admin,
        other => screen_offered(other, offers),
    }
}

/// What a hidden screen would have shown, for the message its key gives.
fn lacking(screen: ScreenId) -> Feature {
    match screen {
        ScreenId::Sessions => Feature::Sessions,
        ScreenId::Profile => Feature::Profile,
        ScreenId::Notifications => Feature::Notifications,
        ScreenId::Privacy => Feature::PrivacySettings,
        _ => Feature::Billing,
    }
}

impl App {
    pub(super) fn offers(&self) -> Capabilities {
        self.ctx.offers
    }

    /// The keys of the screens the service does not offer: left out of
    /// the help and the footer.
    pub(super) fn hidden_commands(&self) -> Vec<Command> {
        let mut out: Vec<Command> = SECTIONS
            .iter()
            .filter(|(screen, _)| !screen_shown(*screen, self.offers(), self.admin))
            .map(|(_, command)| *command)
            .collect();
        if !self.admin {
            out.extend([Command::Disable, Command::ResetMfa, Command::ResetPassword]);
        }
        out
    }

    /// Goes to `screen`, or says the service does not offer it.
    pub(super) fn go_to(&mut self, screen: ScreenId) {
        if screen_shown(screen, self.offers(), self.admin) {
            return self.navigate(screen);
        }
        if screen == ScreenId::Admin {
            let text = "Admin is for the service's administrators; this account is not one.";
            return self.toast(Toast::warning(text));
        }
        let text = acctl_client::ApiError::Unsupported {
            service: self.service,
            server: self.server.clone(),
            feature: lacking(screen),
        }
        .to_string();
        self.toast(Toast::warning(format!("{text}.")));
    }

    /// What the frame asks on every screen change: the preferences the
    /// look follows, the header's unread count, when the service has them.
    pub(super) fn frame_requests(&self) -> Vec<Action> {
        let mut out = Vec::new();
        if self.look.wants_load() && self.offers().has(Feature::Preferences) {
            out.push(Action::Request(Request::Profile(
                ProfileRequest::LoadPreferences,
            )));
        }
        if self.offers().has(Feature::Notifications) {
            out.push(Action::Request(Request::Notifications(
                NotificationsRequest::LoadUnread,
            )));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screens_show_when_anything_on_them_is_offered() {
        let allauth = Capabilities::of(&[
            Feature::Sessions,
            Feature::Mfa,
            Feature::RecoveryCodes,
            Feature::EmailChange,
        ]);
        let shown: Vec<ScreenId> = SECTIONS
            .iter()
            .map(|(s, _)| *s)
            .filter(|s| screen_offered(*s, allauth))
            .collect();
        assert_eq!(
            shown,
            [ScreenId::Overview, ScreenId::Sessions, ScreenId::Security]
        );
        let deletion_only = Capabilities::of(&[Feature::AccountDeletion]);
        assert!(screen_offered(ScreenId::Privacy, deletion_only));
        assert!(
            SECTIONS
                .iter()
                .filter(|(s, _)| *s != ScreenId::Admin)
                .all(|(s, _)| screen_offered(*s, Capabilities::ALL))
        );
    }

    #[test]
    fn admin_shows_to_administrators_only_whatever_the_service_offers() {
        assert!(!screen_shown(ScreenId::Admin, Capabilities::ALL, false));
        assert!(screen_shown(ScreenId::Admin, Capabilities::ALL, true));
        assert!(screen_shown(ScreenId::Billing, Capabilities::ALL, false));
    }
}
