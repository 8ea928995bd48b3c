//! The privacy settings: who sees the profile, and three switches. A change
//! shows at once and is sent as a PATCH of that one field; a refusal puts
//! the old value back and says why.

use acctl_api::privacy::{PrivacyPatch, PrivacySettings, ProfileVisibility};

use crate::action::{Action, Answer, PrivacyDone, PrivacyRequest, Request, Response, patch_field};
use crate::widgets::loadable::{Failure, Loadable, sentence};
use crate::widgets::picker::{Picked, Picker};

/// The on/off settings, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    DataSharing,
    Analytics,
    PersonalizedAds,
}

impl Switch {
    pub fn label(self) -> &'static str {
        match self {
            Switch::DataSharing => "Data sharing",
            Switch::Analytics => "Analytics",
            Switch::PersonalizedAds => "Personalised ads",
        }
    }

    /// One line on what it means, as the contract describes the field.
    pub fn explain(self) -> &'static str {
        match self {
            Switch::DataSharing => "Share usage data with partners improving the service",
            Switch::Analytics => "Measure how the service is used, to improve it",
            Switch::PersonalizedAds => "Choose ads from what the service knows about you",
        }
    }

    pub fn get(self, s: &PrivacySettings) -> bool {
        match self {
            Switch::DataSharing => s.data_sharing,
            Switch::Analytics => s.analytics,
            Switch::PersonalizedAds => s.personalized_ads,
        }
    }

    fn patch(self, on: bool) -> PrivacyPatch {
        let mut patch = PrivacyPatch::default();
        match self {
            Switch::DataSharing => patch.data_sharing = Some(on),
            Switch::Analytics => patch.analytics = Some(on),
            Switch::PersonalizedAds => patch.personalized_ads = Some(on),
        }
        patch
    }
}

/// "Private: only you see your profile", as the picker lists it.
pub fn visibility_item(v: ProfileVisibility) -> String {
    let name = v.as_str();
    let mut chars = name.chars();
    let name: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    format!("{name}: {}", v.explain())
}

/// Sets what `patch` sets.
fn apply(settings: &mut PrivacySettings, patch: &PrivacyPatch) {
    if let Some(v) = patch.profile_visibility {
        settings.profile_visibility = v;
    }
    if let Some(v) = patch.data_sharing {
        settings.data_sharing = v;
    }
    if let Some(v) = patch.analytics {
        settings.analytics = v;
    }
    if let Some(v) = patch.personalized_ads {
        settings.personalized_ads = v;
    }
}

#[derive(Debug, Default)]
pub struct Settings {
    /// As the server last said.
    pub value: Loadable<PrivacySettings>,
    /// Changes sent and not answered yet; shown over `value`.
    pending: Vec<PrivacyPatch>,
    /// Why the last change did not go through, until the next key.
    pub note: Option<String>,
    pub picker: Option<Picker>,
}

impl Settings {
    /// What to show: the server's settings with the changes on their way.
    pub fn shown(&self) -> Option<PrivacySettings> {
        let mut shown = self.value.value()?.clone();
        for patch in &self.pending {
            apply(&mut shown, patch);
        }
        Some(shown)
    }

    pub fn is_pending(&self, field: &str) -> bool {
        self.pending.iter().any(|p| patch_field(p) == field)
    }

    pub fn toggle(&mut self, switch: Switch) -> Option<Action> {
        let on = switch.get(&self.shown()?);
        self.send(switch.patch(!on))
    }

    fn send(&mut self, patch: PrivacyPatch) -> Option<Action> {
        if self.is_pending(patch_field(&patch)) {
            self.note = Some("Still saving that one; a moment.".into());
            return None;
        }
        self.note = None;
        Some(Action::Request(Request::Privacy(PrivacyRequest::Save(
            patch,
        ))))
    }

    pub fn open_picker(&mut self) {
        let Some(current) = self.shown().map(|s| s.profile_visibility) else {
            return;
        };
        let items = ProfileVisibility::ALL.map(visibility_item).to_vec();
        let current = visibility_item(current);
        self.picker = Some(Picker::new("Who sees your profile", items, Some(&current)));
    }

    pub fn picker_key(&mut self, key: crossterm::event::KeyEvent) -> Option<Action> {
        let picked = self.picker.as_mut()?.handle_key(key)?;
        match picked {
            Picked::Chose(index) => {
                self.picker = None;
                let chosen = *ProfileVisibility::ALL.get(index)?;
                if self.shown().map(|s| s.profile_visibility) == Some(chosen) {
                    return None;
                }
                self.send(PrivacyPatch {
                    profile_visibility: Some(chosen),
                    ..PrivacyPatch::default()
                })
            }
            Picked::Cancelled => {
                self.picker = None;
                None
            }
            Picked::Moved(_) => None,
        }
    }

    pub fn update(&mut self, action: &Action) {
        match action {
            Action::Request(Request::Privacy(PrivacyRequest::Load)) => self.value.start(),
            Action::Request(Request::Privacy(PrivacyRequest::Save(patch))) => {
                self.pending.push(patch.clone());
            }
            Action::Response(Response::Privacy(Answer {
                done: PrivacyDone::Settings(result),
                ..
            })) => self
                .value
                .finish(result.as_ref().cloned().map_err(Failure::from)),
            Action::Response(Response::Privacy(Answer {
                request: PrivacyRequest::Save(patch),
                done: PrivacyDone::Saved(result),
            })) => {
                let field = patch_field(patch);
                self.pending.retain(|p| patch_field(p) != field);
                match result {
                    Ok(settings) => self.value.finish::<Failure>(Ok(settings.clone())),
                    Err(e) => {
                        self.note = Some(format!(
                            "Could not change {}: {} It is back as it was.",
                            field.replace('_', " "),
                            sentence(&e.to_string())
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}
