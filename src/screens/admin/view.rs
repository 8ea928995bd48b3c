//! Drawing the Admin screen: the search box over the list of accounts, or
//! an opened account's details, sessions and security log.

use acctl_api::admin::{AccountStatus, AdminUser, AdminUserDetail};
use acctl_api::{Page, SecurityEvent, Session};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{AdminScreen, Opened};
use crate::keymap::{Command, Scope};
use crate::widgets::loadable::{self, Loadable};
use crate::widgets::table::{self, Column};
use crate::widgets::{Ui, fit, spinner, time};

/// From this width on, the last sign-in shows its date too.
const WIDE: u16 = 90;
/// Columns the labels of an opened account take.
const LABEL: usize = 14;

/// A status in a word or two.
pub fn status(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Active => "active",
        AccountStatus::Disabled => "disabled",
        AccountStatus::DeletionScheduled => "deleting",
    }
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

impl AdminScreen {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        match &self.opened {
            _ if self.in_audit => self.audit.draw(frame, area, ui),
            Some(opened) => draw_opened(frame, area, ui, opened),
            None => self.draw_list(frame, area, ui),
        }
        if let Some(act) = &self.act {
            act.draw(frame, area, ui);
        }
    }

    fn list_title(&self, ui: &Ui<'_>) -> Line<'static> {
        let mut spans = vec![Span::styled(" Admin: accounts", ui.theme.title)];
        let query = self.query.as_deref().filter(|q| !q.is_empty());
        let list = self.users.items.value();
        if self.users.items.is_loading() && list.is_some() {
            // What is on show was found for an earlier search.
            let text = match query {
                Some(q) => format!("searching \"{}\"… ", fit(q, 20)),
                None => "searching… ".to_string(),
            };
            spans.push(Span::styled(" ", ui.theme.title));
            spans.push(Span::styled(spinner::label(ui, &text), ui.theme.muted));
            return Line::from(spans);
        }
        let what = match (list, query) {
            (Some(list), Some(q)) => format!(": {} matching \"{}\"", list.len(), fit(q, 20)),
            (Some(list), None) => format!(": {}", list.len()),
            (None, _) => String::new(),
        };
        let more = if self.users.has_more() {
            ", more below"
        } else {
            ""
        };
        spans.push(Span::styled(format!("{what}{more} "), ui.theme.text));
        Line::from(spans)
    }

    fn draw_list(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let block = Block::bordered()
            .title(self.list_title(ui))
            .border_style(ui.theme.border_focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 3 {
            return;
        }
        let search = Rect { height: 1, ..inner };
        let help = Rect {
            y: inner.y + 1,
            height: 1,
            ..inner
        };
        let list = Rect {
            y: inner.y + 2,
            height: inner.height - 2,
            ..inner
        };
        let what = match self.query.as_deref() {
            Some(q) if !q.is_empty() => "matching accounts",
            _ => "accounts",
        };
        loadable::render(
            frame,
            list,
            ui,
            &self.users.items,
            what,
            |frame, area, users| {
                if users.is_empty() {
                    let text = match self.query.as_deref() {
                        Some(q) if !q.is_empty() => {
                            format!(
                                " No account's email or name starts with \"{}\".",
                                fit(q, 30)
                            )
                        }
                        _ => " No accounts.".to_string(),
                    };
                    frame.render_widget(Paragraph::new(text).style(ui.theme.muted), area);
                    return;
                }
                self.render_table(frame, area, ui, users);
            },
        );
        frame.render_widget(
            Paragraph::new(self.search_help(ui)).style(ui.theme.muted),
            help,
        );
        // Last, so that while typing the cursor is in the box, not the list.
        self.search.render(frame, search, ui, self.typing, 6);
    }

    fn search_help(&self, ui: &Ui<'_>) -> String {
        let text = if self.typing {
            ui.key(Scope::Form, Command::Submit)
                .map(|key| format!("  Filters as you type; {key} goes to the list."))
        } else {
            ui.press(Scope::List, Command::Filter, "search by email or name")
                .map(|p| format!("  {p}"))
        };
        text.unwrap_or_default()
    }

    fn render_table(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, users: &[AdminUser]) {
        let area = Rect {
            width: area.width.saturating_sub(1),
            ..area
        };
        let wide = area.width >= WIDE;
        let last_width = if wide { 29 } else { 11 };
        let columns = [
            Column {
                title: "Email",
                width: Constraint::Fill(3),
            },
            Column {
                title: "Name",
                width: Constraint::Fill(2),
            },
            Column {
                title: "Status",
                width: Constraint::Length(8),
            },
            Column {
                title: "2FA",
                width: Constraint::Length(3),
            },
            Column {
                title: "Signed in",
                width: Constraint::Length(last_width),
            },
        ];
        table::render(frame, area, ui, &columns, &self.users.table, |i| {
            let Some(u) = users.get(i) else {
                return Vec::new();
            };
            let last = u.last_sign_in_at.map_or_else(
                || "never".to_string(),
                |at| time::when(at, ui.now, ui.tz, usize::from(last_width)),
            );
            vec![
                u.email.clone(),
                u.name.clone(),
                status(u.status).to_string(),
                on_off(u.mfa_enabled).to_string(),
                last,
            ]
        });
    }
}

fn draw_opened(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, opened: &Opened) {
    let title = Line::from(vec![
        Span::styled(" Admin: ", ui.theme.title),
        Span::styled(format!("{} ", fit(&opened.email, 40)), ui.theme.text),
    ]);
    let block = Block::bordered()
        .title(title)
        .border_style(ui.theme.border_focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = Vec::new();
    section(
        &mut lines,
        ui,
        &opened.user,
        "the account",
        |lines, user| {
            details(lines, ui, user);
        },
    );
    lines.push(Line::default());
    lines.push(Line::styled("Sessions", ui.theme.title));
    section(
        &mut lines,
        ui,
        &opened.sessions,
        "sessions",
        |lines, page| {
            sessions(lines, ui, page);
        },
    );
    lines.push(Line::default());
    lines.push(Line::styled("Security log", ui.theme.title));
    section(
        &mut lines,
        ui,
        &opened.events,
        "the security log",
        |lines, page| {
            events(lines, ui, page);
        },
    );
    let inner = inner.inner(ratatui::layout::Margin::new(1, 0));
    let max = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_sub(inner.height);
    opened.max_scroll.set(max);
    let paragraph = Paragraph::new(lines).scroll((opened.scroll.min(max), 0));
    frame.render_widget(paragraph, inner);
}

/// One part of an opened account: its lines, or that it loads or failed.
fn section<T>(
    lines: &mut Vec<Line<'static>>,
    ui: &Ui<'_>,
    value: &Loadable<T>,
    what: &str,
    content: impl FnOnce(&mut Vec<Line<'static>>, &T),
) {
    if let Some(v) = value.value() {
        return content(lines, v);
    }
    let line = match value {
        Loadable::Failed(failure) => Line::styled(
            format!("Could not load {what}: {}", failure.message),
            ui.theme.danger,
        ),
        _ => Line::styled(
            spinner::label(ui, &format!("Loading {what}…")),
            ui.theme.muted,
        ),
    };
    lines.push(line);
}

fn fact(label: &str, value: String, ui: &Ui<'_>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<LABEL$}"), ui.theme.label),
        Span::styled(value, ui.theme.text),
    ])
}

fn details(lines: &mut Vec<Line<'static>>, ui: &Ui<'_>, user: &AdminUserDetail) {
    let verified = if user.email_verified {
        "verified"
    } else {
        "not verified"
    };
    let mut state = status(user.status).to_string();
    if let Some(at) = user.disabled_at {
        state = format!("disabled since {}", time::absolute(at, ui.tz));
    }
    let last = user.last_sign_in.as_ref().map_or_else(
        || "never".to_string(),
        |s| {
            let device = s.device_name.as_deref().unwrap_or_default();
            format!("{} {device}", time::relative(s.at, ui.now))
                .trim_end()
                .to_string()
        },
    );
    lines.extend([
        fact("Email", format!("{} ({verified})", user.email), ui),
        fact("Name", user.name.clone(), ui),
        fact("Status", state, ui),
        fact(
            "Admin",
            if user.admin { "yes" } else { "no" }.to_string(),
            ui,
        ),
        fact("Two-factor", two_factor(user), ui),
        fact("Sessions", user.active_sessions.to_string(), ui),
        fact("Last sign-in", last, ui),
        fact("Plan", user.plan.clone(), ui),
        fact("Created", time::date(user.created_at, ui.tz), ui),
    ]);
    if let Some(at) = user.deletion_scheduled_for {
        lines.push(fact(
            "Deletion",
            format!("scheduled for {}", time::date(at, ui.tz)),
            ui,
        ));
    }
}

fn two_factor(user: &AdminUserDetail) -> String {
    match user.mfa_enabled {
        true => format!("on ({} recovery codes left)", user.recovery_codes_remaining),
        false => "off".to_string(),
    }
}

fn more(lines: &mut Vec<Line<'static>>, ui: &Ui<'_>, shown: usize, more: bool) {
    if more {
        let text = format!("  The newest {shown} are shown.");
        lines.push(Line::styled(text, ui.theme.muted));
    }
}

fn sessions(lines: &mut Vec<Line<'static>>, ui: &Ui<'_>, page: &Page<Session>) {
    if page.items.is_empty() {
        lines.push(Line::styled("  None signed in.", ui.theme.muted));
    }
    for s in &page.items {
        let place = s
            .location
            .clone()
            .or_else(|| s.ip.clone())
            .unwrap_or_default();
        let text = format!(
            "  {:<20} {:<14} active {}",
            fit(&s.device_name, 20),
            fit(&place, 14),
            time::relative(s.last_active_at, ui.now)
        );
        lines.push(Line::styled(text, ui.theme.text));
    }
    more(lines, ui, page.items.len(), page.next_cursor.is_some());
}

fn events(lines: &mut Vec<Line<'static>>, ui: &Ui<'_>, page: &Page<SecurityEvent>) {
    if page.items.is_empty() {
        lines.push(Line::styled("  Nothing recorded.", ui.theme.muted));
    }
    for e in &page.items {
        let text = format!(
            "  {:<10} {:<26} {}",
            time::relative(e.at, ui.now),
            fit(e.kind.describe(), 26),
            e.ip.as_deref().unwrap_or_default()
        );
        lines.push(Line::styled(text, ui.theme.text));
    }
    more(lines, ui, page.items.len(), page.next_cursor.is_some());
}
