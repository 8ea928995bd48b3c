//! Building an [`App`] with hand-made data and drawing it to text, for the
//! console's tests, snapshot tests and benchmarks. No server, no terminal.

pub mod admin;
pub mod billing;

use std::sync::Arc;

use acctl_api::{Account, SignInRecord};
use acctl_api::{SecurityEvent, SecurityEventKind, Session};
use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::clock::Clock;
use super::state::{App, AppOptions};
use crate::action::{AccountRequest, Action, Request, Response, SessionsDone, SessionsRequest};
use crate::config::Config;
use crate::context::AppContext;
use acctl_client::tokens::MemoryStore;
use acctl_client::{Client, ClientOptions};

/// The fixed "now" of tests: 2025-03-01 12:00 UTC.
pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A context that talks to nothing (requests go to a channel), with the
/// mono theme so snapshots carry no colour.
pub fn fake_context(config: Config) -> AppContext {
    let options = ClientOptions {
        device_name: "acctl on test".into(),
        ..ClientOptions::default()
    };
    // A valid address that is never contacted: tests answer by hand.
    let client = Client::new("http://127.0.0.1:9", options).expect("a valid server address");
    AppContext {
        client,
        store: Arc::new(MemoryStore::default()),
        profile: "default".into(),
        email: None,
        config,
        config_dir: None,
        demo: None,
        offers: acctl_client::Capabilities::ALL,
    }
}

/// The mono theme and default keymap.
pub fn test_config() -> Config {
    let mut config = Config::default();
    config.ui.theme = "mono".into();
    config
}

pub fn fake_account(now: DateTime<Utc>) -> Account {
    Account {
        id: "acc_1".into(),
        email: "ada@example.com".into(),
        email_verified: false,
        name: "Ada Lovelace".into(),
        display_name: Some("Ada".into()),
        created_at: Some(now - Duration::days(120)),
        mfa_enabled: false,
        active_sessions: 4,
        last_sign_in: Some(SignInRecord {
            at: now - Duration::hours(3),
            ip: Some("203.0.113.7".into()),
            device_name: Some("Firefox on Linux".into()),
        }),
        pending_email: None,
        phone: Some("+441632960961".into()),
        bio: Some("Writes programs for the Analytical Engine.".into()),
        has_avatar: false,
        deletion_scheduled_for: None,
        admin: false,
    }
}

/// `n` sessions, the first one current, each a little older than the last.
pub fn fake_sessions(n: usize, now: DateTime<Utc>) -> Vec<Session> {
    const DEVICES: [&str; 4] = [
        "acctl on laptop",
        "Safari on iPhone",
        "Firefox on Linux",
        "Chrome on Windows",
    ];
    const PLACES: [Option<&str>; 4] = [
        Some("Berlin, DE"),
        None,
        Some("Lisbon, PT"),
        Some("Austin, US"),
    ];
    (0..n)
        .map(|i| {
            let minutes = i64::try_from(i).unwrap_or(i64::MAX).saturating_mul(37);
            Session {
                id: format!("ses_{i}"),
                device_name: DEVICES[i % 4].to_string(),
                user_agent: Some(format!("agent/{i}")),
                ip: Some(format!("198.51.100.{}", i % 250)),
                location: PLACES[i % 4].map(str::to_string),
                created_at: now - Duration::days(30) - Duration::minutes(minutes),
                last_active_at: now - Duration::minutes(minutes),
                current: i == 0,
            }
        })
        .collect()
}

/// Security events `from..from + n`, newest first, a minute apart; every
/// third a failed sign-in.
pub fn fake_security_events(from: usize, n: usize, now: DateTime<Utc>) -> Vec<SecurityEvent> {
    const DEVICES: [&str; 3] = ["Firefox on Linux", "acctl on laptop", "Safari on iPhone"];
    (from..from + n)
        .map(|i| {
            let minutes = i64::try_from(i).unwrap_or(i64::MAX).saturating_add(1);
            let failed = i % 3 == 0;
            SecurityEvent {
                id: format!("ev_{i}"),
                kind: if failed {
                    SecurityEventKind::LoginFailed
                } else {
                    SecurityEventKind::LoginSucceeded
                },
                at: now - Duration::minutes(minutes),
                ip: Some(format!("203.0.113.{}", i % 250)),
                device_name: Some(DEVICES[i % 3].to_string()),
                detail: failed.then(|| "wrong password".to_string()),
            }
        })
        .collect()
}

/// An [`App`] and the requests it sent, driven by hand.
pub struct Harness {
    pub app: App,
    pub requests: UnboundedReceiver<Request>,
}

impl Harness {
    pub fn new(config: Config, signed_in: bool) -> Self {
        Self::with_context(fake_context(config), signed_in)
    }

    /// With a context of your own (a config dir with a keymap, say).
    pub fn with_context(ctx: AppContext, signed_in: bool) -> Self {
        let (tx, requests) = unbounded_channel();
        let options = AppOptions {
            clock: Clock::Fixed(fixed_now()),
            signed_in,
        };
        let app = App::new(ctx, options, tx);
        Self { app, requests }
    }

    /// Signed in, on the overview (which asked for the account).
    pub fn signed_in() -> Self {
        Self::new(test_config(), true)
    }

    /// At the sign-in form.
    pub fn signed_out() -> Self {
        Self::new(test_config(), false)
    }

    pub fn press(&mut self, code: KeyCode) {
        self.key(code, KeyModifiers::NONE);
    }

    pub fn key(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.app.update(Action::Key(KeyEvent::new(code, mods)));
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    pub fn respond(&mut self, response: Response) {
        self.app.update(Action::Response(response));
    }

    /// The requests sent since the last call.
    pub fn sent(&mut self) -> Vec<Request> {
        std::iter::from_fn(|| self.requests.try_recv().ok()).collect()
    }

    /// Signed in with the account and `n` sessions loaded, on Sessions.
    pub fn with_sessions(n: usize) -> Self {
        let mut h = Self::signed_in();
        h.respond(AccountRequest::Load.answered(Ok(fake_account(fixed_now()))));
        h.app
            .update(Action::Navigate(crate::action::ScreenId::Sessions));
        h.respond(
            SessionsRequest::List.answered(SessionsDone::List(Ok(fake_sessions(n, fixed_now())))),
        );
        h.sent();
        h
    }

    pub fn render(&self, width: u16, height: u16) -> String {
        let (buffer, cursor) = self.draw(width, height);
        let mut text = buffer_to_string(&buffer);
        match cursor {
            Some((x, y)) => text.push_str(&format!("[cursor at column {x}, row {y}]\n")),
            None => text.push_str("[cursor hidden]\n"),
        }
        text
    }

    /// The drawn buffer and, if shown, the cursor position.
    pub fn draw(&self, width: u16, height: u16) -> (Buffer, Option<(u16, u16)>) {
        let backend = TestBackend::new(width, height);
        let mut terminal = Terminal::new(backend).expect("a test terminal");
        let buffer = terminal
            .draw(|f| self.app.render(f))
            .expect("draws")
            .buffer
            .clone();
        let backend = terminal.backend();
        let cursor = backend.cursor_visible().then(|| {
            let p = backend.cursor_position();
            (p.x, p.y)
        });
        (buffer, cursor)
    }
}

/// The buffer as text, one line per row, trailing spaces trimmed.
pub fn buffer_to_string(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width.max(1));
    let mut out = String::new();
    for row in buffer.content().chunks(width) {
        let line: String = row.iter().map(|cell| cell.symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A key event, for tests that call screens directly.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// The notification matrix as a new account has it: everything on but
/// marketing, security by email locked.
pub fn fake_notification_settings() -> acctl_api::notifications::NotificationSettings {
    use acctl_api::notifications::{
        LOCKED_REASON, NotificationCategory, NotificationChannel, NotificationSetting, is_locked,
    };
    let settings = NotificationCategory::ALL
        .into_iter()
        .flat_map(|c| NotificationChannel::ALL.map(|ch| (c, ch)))
        .map(|(category, channel)| NotificationSetting {
            category,
            channel,
            enabled: category != NotificationCategory::Marketing,
            locked: is_locked(category, channel),
            locked_reason: is_locked(category, channel).then(|| LOCKED_REASON.to_string()),
        })
        .collect();
    acctl_api::notifications::NotificationSettings { settings }
}

/// Messages `from..from + n`, newest first, a minute apart; the odd ones read.
pub fn fake_notifications(
    from: usize,
    n: usize,
    now: DateTime<Utc>,
) -> Vec<acctl_api::notifications::Notification> {
    use acctl_api::notifications::{Notification, NotificationCategory};
    (from..from + n)
        .map(|i| {
            let minutes = i64::try_from(i).unwrap_or(i64::MAX).saturating_add(1);
            Notification {
                id: format!("n_{i}"),
                category: if i % 3 == 2 {
                    NotificationCategory::Account
                } else {
                    NotificationCategory::Security
                },
                title: format!("New sign-in from acctl on laptop ({i})"),
                body: format!(
                    "Someone signed in to your account from acctl on laptop, IP 203.0.113.{}.\nNot you? Change your password and sign out the other sessions.",
                    i % 250
                ),
                created_at: now - Duration::minutes(minutes),
                read_at: (i % 2 == 1).then_some(now),
            }
        })
        .collect()
}

/// Privacy as the tests start it: private, analytics on, the rest off.
pub fn fake_privacy() -> acctl_api::privacy::PrivacySettings {
    acctl_api::privacy::PrivacySettings {
        profile_visibility: acctl_api::privacy::ProfileVisibility::Private,
        data_sharing: false,
        analytics: true,
        personalized_ads: false,
    }
}

/// The export `exp_1`, started two minutes before `now`; a ready one is
/// ready at `now` for a week.
pub fn fake_export(
    status: acctl_api::privacy::ExportStatus,
    percent: u8,
    now: DateTime<Utc>,
) -> acctl_api::privacy::DataExport {
    let ready = status == acctl_api::privacy::ExportStatus::Ready;
    acctl_api::privacy::DataExport {
        id: "exp_1".into(),
        status,
        progress_percent: percent,
        created_at: now - Duration::minutes(2),
        ready_at: ready.then_some(now),
        expires_at: ready.then(|| now + Duration::days(7)),
        size_bytes: ready.then_some(40_960),
    }
}

/// A 14-day grace period; `scheduled` asked at `now`.
pub fn fake_deletion(scheduled: bool, now: DateTime<Utc>) -> acctl_api::privacy::DeletionStatus {
    acctl_api::privacy::DeletionStatus {
        scheduled_for: scheduled.then(|| now + Duration::days(14)),
        requested_at: scheduled.then_some(now),
        grace_days: 14,
    }
}

/// A sign-in as the login form sends it, for answers to one.
pub fn login_request() -> crate::action::AuthRequest {
    crate::action::AuthRequest::Login {
        server: "http://127.0.0.1:9".into(),
        email: "ada@example.com".into(),
        password: acctl_api::SecretText::new("correct horse battery staple"),
    }
}

/// The answer to one of the Security screen's changes. The screens read
/// the change from the answer, so any change of that key will do as the
/// request (they all share one: one change at a time).
pub fn security_change(done: crate::action::ChangeDone) -> crate::action::Response {
    let request =
        crate::action::SecurityRequest::Change(crate::action::SecurityChange::VerifyEmail {
            code: acctl_api::SecretText::new("000000"),
        });
    request.answered(crate::action::SecurityDone::Change(done))
}
