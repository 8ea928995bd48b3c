//! Overview: who you are and how your account stands, in words (never
//! colour alone): verified or not, two-step sign-in on or off, sessions,
//! the last sign-in.

use acctl_api::Account;
use acctl_client::{Capabilities, Feature};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Screen;
use crate::action::{AccountRequest, Action, Answer, Data, Request, Response};
use crate::keymap::{Command, Key, Keymap, Scope};
use crate::widgets::loadable::{self, Failure, Loadable};
use crate::widgets::{Ui, spinner, time};

/// Width of the label column.
const LABEL: usize = 18;

#[derive(Debug, Default)]
pub struct OverviewScreen {
    pub account: Loadable<Account>,
    /// Something changed the account (a session was revoked): reload on entry.
    stale: bool,
    /// What the service offers; None for everything (acctd).
    offers: Option<Capabilities>,
}

impl OverviewScreen {
    pub fn new(offers: Capabilities) -> Self {
        Self {
            offers: Some(offers),
            ..Self::default()
        }
    }

    fn refresh(&mut self) -> Action {
        Action::Request(Request::Account(AccountRequest::Load))
    }
}

impl Screen for OverviewScreen {
    /// Loads the account when it is missing or out of date.
    fn on_enter(&mut self) -> Vec<Action> {
        let needed = self.stale || self.account.wants_load();
        needed.then(|| self.refresh()).into_iter().collect()
    }

    fn shows(&self, request: &Request) -> bool {
        matches!(request, Request::Account(_))
    }

    fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> Option<Action> {
        match keymap.resolve(&[Scope::List, Scope::Global], Key::from(key))? {
            Command::Refresh => Some(self.refresh()),
            other => Some(Action::Command(other)),
        }
    }

    fn update(&mut self, action: &Action) -> Vec<Action> {
        match action {
            Action::Request(Request::Account(AccountRequest::Load)) => {
                self.account.start();
                self.stale = false;
            }
            Action::Response(Response::Account(Answer { done: result, .. })) => self
                .account
                .finish(result.as_ref().cloned().map_err(Failure::from)),
            Action::Cancelled(Request::Account(_)) => self.account.cancel(),
            Action::Stale(Data::Account) => self.stale = true,
            // Possibly another account now: nothing of the last one may show.
            Action::SignedIn { offers, .. } => *self = Self::new(*offers),
            _ => {}
        }
        Vec::new()
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let mut title = vec![Span::styled(" Overview ", ui.theme.title)];
        if self.account.is_loading() && self.account.value().is_some() {
            title.push(Span::styled(
                spinner::label(ui, "refreshing… "),
                ui.theme.muted,
            ));
        }
        loadable::render_framed(
            frame,
            area,
            ui,
            Line::from(title),
            (&self.account, "your account"),
            |frame, area, account| {
                let area = area.inner(Margin::new(1, 0));
                let offers = self.offers.unwrap_or(Capabilities::ALL);
                let lines = account_lines(account, ui, area.width, offers);
                frame.render_widget(Paragraph::new(lines), area);
            },
        );
    }
}

fn row(ui: &Ui<'_>, label: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<LABEL$}"), ui.theme.muted),
        Span::styled(value.into(), ui.theme.text),
    ])
}

fn heading(ui: &Ui<'_>, text: &str) -> Line<'static> {
    Line::styled(text.to_string(), ui.theme.title)
}

/// None when the service does not say (the row is left out).
fn member_since(account: &Account, ui: &Ui<'_>) -> Option<String> {
    let at = account.created_at?;
    Some(format!(
        "{} ({})",
        time::date(at, ui.tz),
        time::relative(at, ui.now)
    ))
}

/// The account, then its security, leaving out what the service does not
/// offer (nor could tell: the previous sign-in comes from the security log).
fn account_lines(
    account: &Account,
    ui: &Ui<'_>,
    width: u16,
    offers: Capabilities,
) -> Vec<Line<'static>> {
    let mut lines = account_rows(account, ui, offers);
    lines.push(Line::default());
    lines.extend(security_rows(account, ui, offers));
    if offers.has(Feature::SecurityLog) {
        lines.extend(previous_sign_in(account, ui, width));
    }
    lines
}

fn account_rows(account: &Account, ui: &Ui<'_>, offers: Capabilities) -> Vec<Line<'static>> {
    let verified = if account.email_verified {
        "verified"
    } else {
        "not verified"
    };
    let mut lines = vec![
        heading(ui, "Account"),
        row(ui, "Name", account.name.clone()),
    ];
    if offers.has(Feature::ProfileDetails) {
        let display = account.display_name.clone();
        lines.push(row(
            ui,
            "Display name",
            display.unwrap_or_else(|| "not set".into()),
        ));
    }
    lines.push(row(ui, "Email", format!("{} ({verified})", account.email)));
    if let Some(since) = member_since(account, ui) {
        lines.push(row(ui, "Member since", since));
    }
    lines
}

fn security_rows(account: &Account, ui: &Ui<'_>, offers: Capabilities) -> Vec<Line<'static>> {
    let mut lines = vec![heading(ui, "Security")];
    if offers.has(Feature::Mfa) {
        let mfa = if account.mfa_enabled { "on" } else { "off" };
        lines.push(row(ui, "Two-factor", mfa));
    }
    if offers.has(Feature::Sessions) {
        let sessions_key = ui.key(Scope::Global, Command::GoSessions);
        let sessions = match (account.active_sessions, sessions_key) {
            (n, Some(key)) => format!("{n} signed in (press {key} to see them)"),
            (n, None) => format!("{n} signed in"),
        };
        lines.push(row(ui, "Active sessions", sessions));
    }
    lines
}

fn previous_sign_in(account: &Account, ui: &Ui<'_>, width: u16) -> Vec<Line<'static>> {
    let room = usize::from(width).saturating_sub(LABEL);
    let Some(last) = &account.last_sign_in else {
        return vec![row(ui, "Previous sign-in", "none before this one")];
    };
    let place = last.ip.clone().unwrap_or_else(|| "unknown address".into());
    let device = last
        .device_name
        .clone()
        .unwrap_or_else(|| "unknown device".into());
    vec![
        row(
            ui,
            "Previous sign-in",
            time::when(last.at, ui.now, ui.tz, room),
        ),
        row(ui, "  from", place),
        row(ui, "  on", device),
    ]
}
