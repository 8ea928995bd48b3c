//! The background sender: every [`POLL`], due messages of the outbox go to
//! the relay one by one until none is due or the relay fails.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{SmtpSettings, render};
use crate::state::AppState;
use crate::store::outbox::ClaimedMail;

/// How often the outbox is looked at.
const POLL: Duration = Duration::from_secs(1);
/// How long a claimed message is this instance's: well beyond a relay's
/// timeout, so a slow send is never taken over and sent twice.
const LEASE_MS: i64 = 5 * 60 * 1000;
/// The longest wait between two attempts at one message.
const MAX_BACKOFF_MS: i64 = 15 * 60 * 1000;

/// How one attempt ended.
enum Outcome {
    Sent,
    /// Worth another try later (relay away, busy, a 4xx answer).
    Deferred(String),
    /// The relay will never take it (a 5xx answer, a bad address).
    Refused(String),
}

/// The running sender. Stopping it (or dropping it) lets a message being
/// handed to the relay finish and be marked sent: aborted between the
/// relay's answer and the mark, it would be sent again after its lease.
pub struct MailSender {
    task: JoinHandle<()>,
    stop: watch::Sender<bool>,
}

impl MailSender {
    /// Stops after the message in flight, waiting for it up to `grace`.
    pub async fn stop(self, grace: Duration) {
        let _ = self.stop.send(true);
        let mut task = self.task;
        if tokio::time::timeout(grace, &mut task).await.is_err() {
            task.abort();
        }
    }
}

/// Sends the outbox's due mail until stopped.
pub fn spawn(state: AppState, settings: SmtpSettings) -> anyhow::Result<MailSender> {
    let transport = settings.transport()?;
    tracing::info!(relay = %settings.printable_url(), "sending mail through SMTP");
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut every = tokio::time::interval(POLL);
        loop {
            tokio::select! {
                _ = every.tick() => {}
                // Asked to stop, or the handle is gone.
                _ = stopped.changed() => return,
            }
            if let Err(error) = send_due(&state, &settings, &transport, &stopped).await {
                tracing::error!(%error, "could not read the mail outbox");
            }
        }
    });
    Ok(MailSender { task, stop })
}

fn stopping(stopped: &watch::Receiver<bool>) -> bool {
    *stopped.borrow() || stopped.has_changed().is_err()
}

/// Sends due messages until none is left or one is deferred (the relay is
/// likely away: the rest wait for the next round).
async fn send_due(
    state: &AppState,
    settings: &SmtpSettings,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    stopped: &watch::Receiver<bool>,
) -> Result<(), sqlx::Error> {
    while !stopping(stopped) {
        let now = state.now_ms();
        let Some(mail) = state.store.claim_mail(now, now + LEASE_MS).await? else {
            return Ok(());
        };
        let outcome = send_one(state, settings, transport, &mail).await;
        let now = state.now_ms();
        match outcome {
            Outcome::Sent => state.store.mail_sent(&mail.id, now).await?,
            Outcome::Refused(error) => {
                tracing::error!(mail = %mail.id, %error, "the relay refused a message; it will not be retried");
                state.store.mail_refused(&mail.id, now, &error).await?;
            }
            Outcome::Deferred(error) => {
                let next = now + backoff_ms(mail.attempts);
                tracing::warn!(mail = %mail.id, attempts = mail.attempts, %error, "mail not sent; will retry");
                state.store.mail_deferred(&mail.id, next, &error).await?;
                return Ok(());
            }
        }
    }
    Ok(())
}

/// 1 s after the first failure, doubling up to [`MAX_BACKOFF_MS`].
fn backoff_ms(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    (1000_i64 << doublings).min(MAX_BACKOFF_MS)
}

async fn send_one(
    state: &AppState,
    settings: &SmtpSettings,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    mail: &ClaimedMail,
) -> Outcome {
    let Ok(to) = mail.recipient.parse::<Mailbox>() else {
        return Outcome::Refused("the recipient is not an address".to_string());
    };
    let server_name = &state.config.server_name;
    let from = settings.from();
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&mail.subject)
        // The outbox id: a receiver can tell a message sent twice (after a
        // crash between the relay's answer and the mark) from two.
        .message_id(Some(format!("<{}@{}>", mail.id, from.email.domain())))
        .multipart(MultiPart::alternative_plain_html(
            render::text(server_name, &mail.body),
            render::html(server_name, &mail.subject, &mail.body),
        ));
    let message = match message {
        Ok(message) => message,
        Err(error) => return Outcome::Refused(error.to_string()),
    };
    match transport.send(message).await {
        Ok(_) => Outcome::Sent,
        Err(error) if error.is_permanent() => Outcome::Refused(error.to_string()),
        Err(error) => Outcome::Deferred(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_ceiling() {
        assert_eq!(backoff_ms(1), 1000);
        assert_eq!(backoff_ms(2), 2000);
        assert_eq!(backoff_ms(5), 16_000);
        assert_eq!(backoff_ms(40), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(0), 1000);
    }
}
