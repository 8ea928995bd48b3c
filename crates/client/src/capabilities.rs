//! What a server offers. The console and CLI ask the client, never the
//! server's name, so a backend for another kind of service only has to say
//! what it lacks.

use acctl_api::features;

/// The parts of the account API a server offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    pub sessions: bool,
    pub security_events: bool,
    pub mfa: bool,
    pub profile: bool,
    pub notifications: bool,
    pub privacy: bool,
    pub billing: bool,
}

impl Capabilities {
    /// Everything: what acctd, the reference service, offers.
    pub const ALL: Self = Self {
        sessions: true,
        security_events: true,
        mfa: true,
        profile: true,
        notifications: true,
        privacy: true,
        billing: true,
    };

    /// The capabilities named in a `GET /v1/meta` answer's `features`.
    pub fn from_features(names: &[String]) -> Self {
        let has = |name: &str| names.iter().any(|n| n == name);
        Self {
            sessions: has(features::SESSIONS),
            security_events: has(features::SECURITY_EVENTS),
            mfa: has(features::MFA),
            profile: has(features::PROFILE),
            notifications: has(features::NOTIFICATIONS),
            privacy: has(features::PRIVACY),
            billing: has(features::BILLING),
        }
    }
}

impl super::Client {
    /// What this client's server offers. Every server this client speaks to
    /// today is acctd, which offers everything.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
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
        assert!(caps.sessions && caps.billing);
        assert!(!caps.mfa && !caps.privacy && !caps.profile);
        let every: Vec<String> = [
            features::SESSIONS,
            features::SECURITY_EVENTS,
            features::MFA,
            features::PROFILE,
            features::NOTIFICATIONS,
            features::PRIVACY,
            features::BILLING,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(Capabilities::from_features(&every), Capabilities::ALL);
    }
}
