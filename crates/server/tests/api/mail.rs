//! Mail through a real SMTP relay on loopback (aiosmtpd): codes arrive,
//! sent mail keeps no readable code, and a relay that is down and then
//! back gets every message exactly once, across a restart and two
//! instances on one database.

use std::collections::HashMap;
use std::time::Duration;

use acctd::Config;
use acctd::mail::SmtpSettings;
use acctl_api::{OutboxMessage, paths};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::relay::{Message, Relay, free_port, python};
use crate::common::{Harness, PASSWORD, Place, send};

const FROM: &str = "Accounts <accounts@example.com>";

fn smtp_to(port: u16) -> SmtpSettings {
    SmtpSettings::new(&format!("smtp://127.0.0.1:{port}"), FROM).expect("settings")
}

/// Waits (a bounded while) until `done` holds of the relay's messages.
async fn until(relay: &Relay, what: &str, done: impl Fn(&[Message]) -> bool) -> Vec<Message> {
    for _ in 0..300 {
        let messages = relay.messages();
        if done(&messages) {
            return messages;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "never got {what}; the relay has {} messages",
        relay.messages().len()
    );
}

fn to<'a>(messages: &'a [Message], address: &str) -> Vec<&'a Message> {
    messages
        .iter()
        .filter(|m| m.header("to").as_deref() == Some(address))
        .collect()
}

/// Asks to move the account to `new_email` (a code goes there).
async fn ask_email_change(h: &Harness, token: &str, new_email: &str) {
    let body = json!({"new_email": new_email, "password": PASSWORD});
    let asked = send(h, Method::POST, paths::EMAIL, token, body).await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn codes_arrive_by_smtp_and_sent_mail_keeps_no_code() {
    let Some(python) = python("codes by SMTP") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let relay = Relay::start(&python, port, dir.path().join("mail"));
    let config = Config::for_tests().with_dev(true).with_smtp(smtp_to(port));
    let h = Harness::start_with(config).await;
    let token = h.signup("ada@example.com", "Ada").await.access_token;
    let token = token.expose();
    ask_email_change(&h, token, "ada.new@example.com").await;

    let messages = until(&relay, "the code", |m| {
        !to(m, "ada.new@example.com").is_empty()
    })
    .await;
    let mail = to(&messages, "ada.new@example.com")[0];
    assert_eq!(mail.header("from").as_deref(), Some(FROM));
    assert!(mail.raw.contains("text/plain"), "{}", mail.raw);
    assert!(mail.raw.contains("text/html"), "{}", mail.raw);
    let code = mail.code_after("Your code").expect("a code in the mail");
    let verified = send(
        &h,
        Method::POST,
        paths::EMAIL_VERIFY,
        token,
        json!({"code": code}),
    )
    .await;
    assert_eq!(verified.status(), StatusCode::NO_CONTENT);
    until(&relay, "the notice to the old address", |m| {
        !to(m, "ada@example.com").is_empty()
    })
    .await;

    // Once sent, the outbox keeps the message but not its words.
    let outbox = format!("{}?to=ada.new@example.com", paths::DEV_OUTBOX);
    for _ in 0..100 {
        let kept: Vec<OutboxMessage> = h.public_json(&outbox).await;
        assert!(!kept.is_empty());
        if kept.iter().all(|message| message.body.is_empty()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the sent message's body (and its code) is still in the outbox");
}

#[tokio::test]
async fn a_relay_down_then_back_gets_every_message_exactly_once() {
    let Some(python) = python("relay down then back") else {
        return;
    };
    let place = Place::new().await;
    let port = free_port();
    // Two instances on one database, on the system clock (retries wait
    // real seconds), while the relay is down.
    let config = || {
        Config::for_tests()
            .with_database(place.url.clone())
            .with_smtp(smtp_to(port))
    };
    let a = Harness::start_with(config()).await;
    let b = Harness::start_with(config()).await;
    let mut expected = Vec::new();
    for n in 0..4 {
        let server = if n % 2 == 0 { &a } else { &b };
        let token = server
            .signup(&format!("user{n}@example.com"), "User")
            .await
            .access_token;
        let new_email = format!("user{n}.new@example.com");
        ask_email_change(server, token.expose(), &new_email).await;
        expected.push(new_email);
    }
    // Attempts fail meanwhile; one instance stops and starts again.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    a.server.shutdown().await;
    let a = Harness::start_with(config()).await;

    let relay = Relay::start(&python, port, place.dir.path().join("mail"));
    until(&relay, "every message", |m| {
        expected.iter().all(|address| !to(m, address).is_empty())
    })
    .await;
    // Time for a second copy to arrive, were one ever sent: several
    // rounds of both senders.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let messages = relay.messages();
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for message in &messages {
        let id = message.header("message-id").expect("a Message-ID");
        *per_id.entry(id).or_default() += 1;
    }
    assert!(per_id.values().all(|&n| n == 1), "sent twice: {per_id:?}");
    for address in &expected {
        assert_eq!(to(&messages, address).len(), 1, "{address}");
    }
    // Every message of the outbox went, once.
    let mut raw = place.raw().await;
    let (all, sent): (i64, i64) = sqlx::query_as("SELECT COUNT(*), COUNT(sent_at) FROM outbox")
        .fetch_one(&mut raw)
        .await
        .expect("counted");
    let _ = sqlx::Connection::close(raw).await;
    assert_eq!((all, sent), (messages.len() as i64, messages.len() as i64));
    drop((a, b));
}

#[tokio::test]
async fn stopping_lets_the_message_being_sent_finish_and_be_marked_sent() {
    let Some(python) = python("stop while sending") else {
        return;
    };
    let place = Place::new().await;
    let port = free_port();
    let relay = Relay::start_slow(&python, port, place.dir.path().join("mail"));
    let config = Config::for_tests()
        .with_database(place.url.clone())
        .with_smtp(smtp_to(port));
    let h = Harness::start_with(config).await;
    let token = h.signup("bo@example.com", "Bo").await.access_token;
    ask_email_change(&h, token.expose(), "bo.new@example.com").await;
    for _ in 0..300 {
        if relay.busy() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(relay.busy(), "no message was ever on its way");
    // Stopped mid-message: the relay's answer is awaited and recorded,
    // and no other message is started.
    h.server.shutdown().await;
    assert_eq!(relay.messages().len(), 1);
    let mut raw = place.raw().await;
    let sent: i64 = sqlx::query_scalar("SELECT COUNT(sent_at) FROM outbox")
        .fetch_one(&mut raw)
        .await
        .expect("counted");
    let _ = sqlx::Connection::close(raw).await;
    assert_eq!(sent, 1, "the message the relay took is not marked sent");
}
