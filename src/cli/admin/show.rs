//! How `acctl admin` prints accounts, sessions, the audit log and what a
//! change did. Whatever the server wrote passes `one_line` first.

use acctl_api::Session;
use acctl_api::admin::{AdminActionDone, AdminUser, AdminUserDetail, AuditEntry};
use acctl_client::AdminWrite;
use chrono::{DateTime, Local, Utc};

use crate::cli::table::{columns, one_line};

/// Longest name or reason shown in a table; JSON has them whole.
const TEXT_WIDTH: usize = 32;

fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn cell(text: &str) -> String {
    crate::widgets::fit(&one_line(text), TEXT_WIDTH).into_owned()
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let header = header.iter().map(|h| (*h).to_string()).collect();
    columns(&std::iter::once(header).chain(rows).collect::<Vec<_>>())
}

pub(super) fn users(users: &[AdminUser], more: bool) -> String {
    if users.is_empty() {
        return "No accounts match.\n".to_string();
    }
    let rows = users.iter().map(|user| {
        vec![
            one_line(&user.email),
            cell(&user.name),
            user.status.as_str().to_string(),
            on_off(user.mfa_enabled).to_string(),
            user.last_sign_in_at
                .map_or_else(|| "never".to_string(), local_time),
            user.id.clone(),
        ]
    });
    let header = ["EMAIL", "NAME", "STATUS", "2FA", "LAST SIGN-IN", "ID"];
    let mut out = table(&header, rows);
    if more {
        out.push_str(&format!(
            "Showing the first {}; pass --limit for more.\n",
            users.len()
        ));
    }
    out
}

pub(super) fn detail(user: &AdminUserDetail) -> String {
    let verified = if user.email_verified {
        "verified"
    } else {
        "not verified"
    };
    let last = user.last_sign_in.as_ref().map_or_else(
        || "never".to_string(),
        |s| {
            let device = s.device_name.as_deref().map(one_line).unwrap_or_default();
            format!("{} {device}", local_time(s.at))
                .trim_end()
                .to_string()
        },
    );
    let mut lines = vec![
        ("Account", format!("{} ({verified})", one_line(&user.email))),
        ("Name", one_line(&user.name)),
        ("Id", user.id.clone()),
        ("Status", user.status.as_str().to_string()),
        ("Admin", if user.admin { "yes" } else { "no" }.to_string()),
        (
            "Two-factor",
            format!(
                "{} ({} recovery codes left)",
                on_off(user.mfa_enabled),
                user.recovery_codes_remaining
            ),
        ),
        ("Sessions", user.active_sessions.to_string()),
        ("Last sign-in", last),
        ("Plan", one_line(&user.plan)),
        ("Created", local_time(user.created_at)),
    ];
    if let Some(at) = user.disabled_at {
        lines.push(("Disabled", local_time(at)));
    }
    if let Some(at) = user.deletion_scheduled_for {
        lines.push(("Deletion", format!("scheduled for {}", local_time(at))));
    }
    lines
        .into_iter()
        .map(|(name, value)| format!("{:<15}{value}\n", format!("{name}:")))
        .collect()
}

pub(super) fn sessions(sessions: &[Session]) -> String {
    if sessions.is_empty() {
        return "No sessions.\n".to_string();
    }
    let rows = sessions.iter().map(|s| {
        vec![
            s.id.clone(),
            cell(&s.device_name),
            s.ip.as_deref()
                .map_or_else(|| "unknown".to_string(), one_line),
            local_time(s.created_at),
            local_time(s.last_active_at),
        ]
    });
    table(&["ID", "DEVICE", "IP", "STARTED", "LAST ACTIVE"], rows)
}

pub(super) fn audit(entries: &[AuditEntry], more: bool) -> String {
    if entries.is_empty() {
        return "No audit entries.\n".to_string();
    }
    let rows = entries.iter().map(|e| {
        vec![
            local_time(e.at),
            e.action.as_str().to_string(),
            e.actor_email
                .as_deref()
                .map_or_else(|| "(acctd users)".to_string(), one_line),
            one_line(&e.target_email),
            cell(&e.reason),
        ]
    });
    let mut out = table(&["TIME", "ACTION", "BY", "ACCOUNT", "REASON"], rows);
    if more {
        out.push_str(&format!(
            "Showing the newest {}; pass --limit for more.\n",
            entries.len()
        ));
    }
    out
}

/// One line: what was done, and what came with it.
pub(super) fn done(write: AdminWrite, email: &str, done: &AdminActionDone) -> String {
    let what = write.done(&one_line(email), done.sessions_revoked);
    format!("{what} (audit entry {})", one_line(&done.audit_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_is_one_line_and_cut_in_tables() {
        let at: DateTime<Utc> = "2030-01-02T03:04:05Z".parse().expect("time");
        let entry = AuditEntry {
            id: "a".into(),
            at,
            actor_id: None,
            actor_email: None,
            action: acctl_api::admin::AuditAction::GrantAdmin,
            target_id: "t".into(),
            target_email: "ana@example.com\u{1b}[2J".into(),
            reason: format!("line\none {}", "x".repeat(60)),
            request_id: None,
            detail: None,
        };
        let text = audit(&[entry], true);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("(acctd users)"), "{text}");
        assert!(text.contains('…'), "{text}");
        assert_eq!(text.lines().count(), 3, "{text}");
        let done_line = done(
            AdminWrite::Disable,
            "ana@example.com",
            &AdminActionDone {
                audit_id: "e1".into(),
                sessions_revoked: 1,
            },
        );
        assert_eq!(
            done_line,
            "Disabled ana@example.com: 1 session ended; they are told by mail. (audit entry e1)"
        );
    }
}
