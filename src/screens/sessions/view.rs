//! Drawing the sessions table and the details of the selected session.

use acctl_api::Session;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{SessionsScreen, place};
use crate::keymap::{Command, Scope};
use crate::widgets::table::{self, Column};
use crate::widgets::{Ui, loadable, spinner, time, wrap_fit};

/// Rows under the table for the selected session's details.
const DETAILS: u16 = 5;
/// From this width on, times show absolute too.
const WIDE: u16 = 90;

impl SessionsScreen {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        loadable::render_framed(
            frame,
            area,
            ui,
            self.title(ui),
            (&self.sessions, "sessions"),
            |frame, area, list| {
                if list.is_empty() {
                    let hint = ui
                        .press(Scope::List, Command::Refresh, "look again")
                        .unwrap_or_default();
                    let text = format!(" No sessions are signed in. {hint}");
                    frame.render_widget(Paragraph::new(text).style(ui.theme.muted), area);
                    return;
                }
                let (table_area, below) = table::split_details(area, DETAILS);
                self.render_table(frame, table_area, ui, list);
                if let (Some(session), Some(rect)) = (self.selected(), below) {
                    render_details(frame, rect, ui, session);
                }
            },
        );
    }

    fn title(&self, ui: &Ui<'_>) -> Line<'static> {
        let mut spans = vec![Span::styled(" Sessions", ui.theme.title)];
        if self.sessions.value().is_none() {
            spans.push(Span::styled(" ", ui.theme.title));
        }
        match self.sessions.value() {
            Some(list) if list.is_empty() => spans.push(Span::styled(": none ", ui.theme.text)),
            Some(list) => {
                let text = format!(": {} signed in, * marks this device ", list.len());
                spans.push(Span::styled(text, ui.theme.text));
            }
            None => {}
        }
        if self.sessions.is_loading() && self.sessions.value().is_some() {
            spans.push(Span::styled(
                spinner::label(ui, "refreshing… "),
                ui.theme.muted,
            ));
        }
        Line::from(spans)
    }

    fn render_table(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, list: &[Session]) {
        // Wide: the time a session started in full, the last activity with
        // its time; narrow: both relative.
        let wide = area.width >= WIDE;
        let (started_width, active_width) = if wide { (16, 29) } else { (10, 11) };
        let columns = [
            Column {
                title: "",
                width: Constraint::Length(2),
            },
            Column {
                title: "Device",
                width: Constraint::Fill(1),
            },
            Column {
                title: "Where",
                width: Constraint::Length(if wide { 16 } else { 13 }),
            },
            Column {
                title: "Started",
                width: Constraint::Length(started_width),
            },
            Column {
                title: "Last active",
                width: Constraint::Length(active_width),
            },
        ];
        table::render(frame, area, ui, &columns, &self.table, |i| {
            let Some(s) = list.get(i) else {
                return Vec::new();
            };
            let started = if wide {
                s.created_at
                    .with_timezone(&ui.tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            } else {
                time::relative(s.created_at, ui.now)
            };
            vec![
                (if s.current { "*" } else { " " }).to_string(),
                s.device_name.clone(),
                place(s),
                started,
                time::when(s.last_active_at, ui.now, ui.tz, usize::from(active_width)),
            ]
        });
    }
}

fn render_details(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, s: &Session) {
    let whose = if s.current {
        "this device"
    } else {
        "another device"
    };
    let mut facts = Vec::new();
    if let Some(location) = &s.location {
        facts.push(location.clone());
    }
    if let Some(ip) = &s.ip {
        facts.push(format!("IP {ip}"));
    }
    facts.push(format!("started {}", time::absolute(s.created_at, ui.tz)));
    if let Some(agent) = &s.user_agent {
        facts.push(agent.clone());
    }
    let action = if s.current {
        match ui.key(Scope::Global, Command::SignOut) {
            Some(key) => format!("To end this session, sign out ({key})."),
            None => "To end this session, sign out.".to_string(),
        }
    } else {
        ui.press(Scope::List, Command::Revoke, "revoke it")
            .unwrap_or_default()
    };
    let mut lines = vec![
        Line::default(),
        Line::from(vec![
            Span::styled(s.device_name.clone(), ui.theme.label_focused),
            Span::styled(format!(" ({whose})"), ui.theme.text),
        ]),
    ];
    let facts = wrap_fit(&facts.join(" · "), usize::from(area.width), 2);
    lines.extend(facts.into_iter().map(|l| Line::styled(l, ui.theme.muted)));
    lines.push(Line::styled(action, ui.theme.key_hint));
    frame.render_widget(Paragraph::new(lines), area);
}
