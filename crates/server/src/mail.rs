//! Mail out through an SMTP relay. The outbox table is the queue: every
//! message is written there in the transaction of what it is about, and
//! [`sender`] takes the due ones (leased, so several instances never send
//! one twice), sends them, and marks them sent, retrying with backoff while
//! the relay is away.

mod render;
pub mod sender;

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use secrecy::{ExposeSecret as _, SecretString};

use crate::config::redact_url;

/// Longest a relay may take to answer before the attempt counts as failed.
const RELAY_TIMEOUT: Duration = Duration::from_secs(20);

/// Where mail goes out and who it is from (`--smtp-url`, `--mail-from`).
#[derive(Clone)]
pub struct SmtpSettings {
    /// `smtp://[user:password@]host:port[?tls=required]` or `smtps://...`.
    url: SecretString,
    from: Mailbox,
}

/// What is wrong with the mail settings; never holds the URL's password.
#[derive(Debug, thiserror::Error)]
pub enum MailSettingsError {
    #[error(
        "--smtp-url {url} is not one acctd can use ({reason}): write smtp://USER:PASSWORD@HOST:PORT, smtp://HOST:PORT?tls=required (STARTTLS) or smtps://USER:PASSWORD@HOST:PORT (TLS)"
    )]
    Url { url: String, reason: String },
    #[error(
        "--smtp-url {0} would send its password in clear across the network: use smtps:// (TLS) \
         or add ?tls=required (STARTTLS)"
    )]
    PasswordInClear(String),
    #[error("--mail-from {0:?} is not an address: write e.g. \"Example <accounts@example.com>\"")]
    From(String),
    #[error("--smtp-url needs --mail-from, the address the mail is from")]
    NoFrom,
}

impl SmtpSettings {
    /// Checks both settings; the relay itself is first reached when mail is due.
    pub fn new(url: &str, from: &str) -> Result<Self, MailSettingsError> {
        let from = from
            .parse::<Mailbox>()
            .map_err(|_| MailSettingsError::From(from.to_string()))?;
        let settings = Self {
            url: SecretString::from(url.to_string()),
            from,
        };
        settings.transport()?;
        let parsed = url_traits(url);
        if parsed.has_password && !parsed.tls && !parsed.loopback {
            return Err(MailSettingsError::PasswordInClear(redact_url(url)));
        }
        Ok(settings)
    }

    /// The URL as shown: its password redacted.
    pub fn printable_url(&self) -> String {
        redact_url(self.url.expose_secret())
    }

    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailSettingsError> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(self.url.expose_secret())
            .map_err(|error| MailSettingsError::Url {
                url: self.printable_url(),
                reason: error.to_string(),
            })?;
        Ok(builder.timeout(Some(RELAY_TIMEOUT)).build())
    }
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("url", &self.printable_url())
            .field("from", &self.from.to_string())
            .finish()
    }
}

/// What the sending side of a URL says about the password's safety.
struct UrlTraits {
    has_password: bool,
    tls: bool,
    loopback: bool,
}

/// Reads the scheme, userinfo, host and `tls` parameter by hand (the URL
/// was already accepted by lettre's own parser).
fn url_traits(url: &str) -> UrlTraits {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, query) = match rest.split_once('?') {
        Some((authority, query)) => (authority, query),
        None => (rest, ""),
    };
    let authority = authority.split('/').next().unwrap_or_default();
    let (userinfo, host_port) = authority.rsplit_once('@').unwrap_or(("", authority));
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    UrlTraits {
        has_password: userinfo.contains(':'),
        tls: scheme == "smtps" || query.split('&').any(|pair| pair.starts_with("tls=")),
        loopback,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_never_show_the_password() {
        let from = "Accounts <accounts@example.com>";
        let ok =
            SmtpSettings::new("smtps://me:hunter2@mail.example.com:465", from).expect("accepted");
        assert!(!format!("{ok:?}").contains("hunter2"));
        assert!(!ok.printable_url().contains("hunter2"));
        assert!(
            SmtpSettings::new("smtp://me:hunter2@mail.example.com:587?tls=required", from).is_ok()
        );
        assert!(SmtpSettings::new("smtp://127.0.0.1:2525", from).is_ok());
        let clear = SmtpSettings::new("smtp://me:hunter2@mail.example.com:25", from)
            .expect_err("a password in clear");
        assert!(matches!(clear, MailSettingsError::PasswordInClear(_)));
        assert!(!clear.to_string().contains("hunter2"), "{clear}");
        let bad = SmtpSettings::new("http://me:hunter2@mail.example.com", from).expect_err("no");
        assert!(!bad.to_string().contains("hunter2"), "{bad}");
        assert!(matches!(
            SmtpSettings::new("smtp://127.0.0.1:2525", "not an address"),
            Err(MailSettingsError::From(_))
        ));
    }
}
