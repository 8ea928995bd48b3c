//! What a service offers. The console and CLI ask the client, never the
//! service's name, so a backend for another kind of service only has to say
//! what it lacks.

use acctl_api::features;

/// A part of the account API a service may or may not offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feature {
    Signup,
    Sessions,
    SecurityLog,
    /// Two-factor sign-in with an authenticator app (TOTP).
    Mfa,
    RecoveryCodes,
    /// Telling how many recovery codes are left (Better Auth does not).
    RecoveryCodesLeft,
    EmailChange,
    /// An email change confirmed with a code (Better Auth mails a link).
    EmailCode,
    /// The name (editing the profile at all).
    Profile,
    /// Display name, phone and bio (Better Auth keeps only a name).
    ProfileDetails,
    Avatar,
    Preferences,
    Notifications,
    PrivacySettings,
    DataExport,
    AccountDeletion,
    Billing,
    /// Administering other accounts (acctd's `/v1/admin/`).
    Administration,
}

impl Feature {
    pub const ALL: [Feature; 18] = [
        Feature::Signup,
        Feature::Sessions,
        Feature::SecurityLog,
        Feature::Mfa,
        Feature::RecoveryCodes,
        Feature::RecoveryCodesLeft,
        Feature::EmailChange,
        Feature::EmailCode,
        Feature::Profile,
        Feature::ProfileDetails,
        Feature::Avatar,
        Feature::Preferences,
        Feature::Notifications,
        Feature::PrivacySettings,
        Feature::DataExport,
        Feature::AccountDeletion,
        Feature::Billing,
        Feature::Administration,
    ];

    /// As in "django-allauth at URL offers no security log".
    pub fn describe(self) -> &'static str {
        match self {
            Feature::Signup => "sign-up",
            Feature::Sessions => "list of sessions",
            Feature::SecurityLog => "security log",
            Feature::Mfa => "two-factor sign-in",
            Feature::RecoveryCodes => "recovery codes",
            Feature::RecoveryCodesLeft => "count of recovery codes left",
            Feature::EmailChange => "email change",
            Feature::EmailCode => "email confirmation by code",
            Feature::Profile => "profile editing",
            Feature::ProfileDetails => "display name, phone or bio",
            Feature::Avatar => "profile picture",
            Feature::Preferences => "preferences",
            Feature::Notifications => "notifications",
            Feature::PrivacySettings => "privacy settings",
            Feature::DataExport => "data export",
            Feature::AccountDeletion => "account deletion",
            Feature::Billing => "billing",
            Feature::Administration => "administration of accounts",
        }
    }

    const fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// The features a service offers: a small set, cheap to copy.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Capabilities(u32);

impl Capabilities {
    /// Everything: what acctd, the reference service, offers.
    pub const ALL: Self = Self((1 << Feature::ALL.len()) - 1);
    pub const NONE: Self = Self(0);

    pub const fn of(features: &[Feature]) -> Self {
        let mut bits = 0;
        let mut i = 0;
        while i < features.len() {
            bits |= features[i].bit();
            i += 1;
        }
        Self(bits)
    }

    pub fn has(self, feature: Feature) -> bool {
        self.0 & feature.bit() != 0
    }

    pub fn with(self, feature: Feature) -> Self {
        Self(self.0 | feature.bit())
    }

    pub fn without(self, feature: Feature) -> Self {
        Self(self.0 & !feature.bit())
    }

    /// Only what both offer.
    pub fn and(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// The capabilities named in a `GET /v1/meta` answer's `features`.
    /// Password and email changes and sign-up are part of every acctd.
    pub fn from_features(names: &[String]) -> Self {
        let has = |name: &str| names.iter().any(|n| n == name);
        let groups: [(&str, &[Feature]); 8] = [
            (features::SESSIONS, &[Feature::Sessions]),
            (features::SECURITY_EVENTS, &[Feature::SecurityLog]),
            (
                features::MFA,
                &[
                    Feature::Mfa,
                    Feature::RecoveryCodes,
                    Feature::RecoveryCodesLeft,
                ],
            ),
            (
                features::PROFILE,
                &[
                    Feature::Profile,
                    Feature::ProfileDetails,
                    Feature::Avatar,
                    Feature::Preferences,
                ],
            ),
            (features::NOTIFICATIONS, &[Feature::Notifications]),
            (
                features::PRIVACY,
                &[
                    Feature::PrivacySettings,
                    Feature::DataExport,
                    Feature::AccountDeletion,
                ],
            ),
            (features::BILLING, &[Feature::Billing]),
            (features::ADMIN, &[Feature::Administration]),
        ];
        groups
            .iter()
            .filter(|(name, _)| has(name))
            .flat_map(|(_, features)| features.iter())
            .fold(
                Self::of(&[Feature::Signup, Feature::EmailChange, Feature::EmailCode]),
                |caps, f| caps.with(*f),
            )
    }

    /// The features offered, in [`Feature::ALL`]'s order.
    pub fn features(self) -> impl Iterator<Item = Feature> {
        Feature::ALL.into_iter().filter(move |f| self.has(*f))
    }
}

impl std::fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.features()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_map_to_capabilities() {
        let named: Vec<String> = [features::SESSIONS, features::BILLING]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let caps = Capabilities::from_features(&named);
        assert!(caps.has(Feature::Sessions) && caps.has(Feature::Billing));
        assert!(caps.has(Feature::EmailChange), "every acctd changes email");
        assert!(!caps.has(Feature::Mfa) && !caps.has(Feature::PrivacySettings));
        assert!(!caps.has(Feature::Profile) && !caps.has(Feature::SecurityLog));
        assert!(!caps.has(Feature::Administration));
        let every: Vec<String> = [
            features::SESSIONS,
            features::SECURITY_EVENTS,
            features::MFA,
            features::PROFILE,
            features::NOTIFICATIONS,
            features::PRIVACY,
            features::BILLING,
            features::ADMIN,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(Capabilities::from_features(&every), Capabilities::ALL);
    }

    #[test]
    fn sets_add_remove_and_list() {
        let caps = Capabilities::of(&[Feature::Mfa, Feature::Sessions]);
        assert_eq!(
            caps.features().collect::<Vec<_>>(),
            [Feature::Sessions, Feature::Mfa]
        );
        assert!(!caps.without(Feature::Mfa).has(Feature::Mfa));
        assert_eq!(Capabilities::ALL.features().count(), Feature::ALL.len());
        assert_eq!(
            Capabilities::ALL.and(caps),
            caps,
            "ALL is the identity of and"
        );
        assert_eq!(format!("{caps:?}"), "{Sessions, Mfa}");
    }
}
