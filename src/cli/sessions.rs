//! `acctl sessions list [--json]`, `acctl sessions revoke ID|--others`.

use acctl_api::{ErrorCode, Session};
use acctl_client::Feature;
use chrono::{DateTime, Local, Utc};

use super::json::JsonArg;
use super::session::ProfileSession;
use super::table::columns;
use super::{CliError, Exit, Invocation, RevokeArgs};

/// Longest device name shown in the table; JSON has the whole name.
const DEVICE_WIDTH: usize = 32;

pub(super) async fn list(
    inv: Invocation,
    json: &JsonArg,
    limit: Option<u32>,
) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Sessions)
        .await?;
    let mut sessions = client.sessions().list_all().await?;
    if let Some(limit) = limit {
        sessions.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    if json.wanted() {
        json.print(&sessions)?;
    } else {
        print!("{}", table(&sessions));
    }
    Ok(())
}

pub(super) async fn revoke(inv: Invocation, args: RevokeArgs) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Sessions)
        .await?;
    if args.others {
        let revoked = client.sessions().revoke_others().await?;
        let plural = if revoked.revoked == 1 { "" } else { "s" };
        println!(
            "Signed out {} other session{plural}; this one stays signed in.",
            revoked.revoked
        );
        return Ok(());
    }
    let Some(id) = args.id else {
        return Err(CliError::new(
            Exit::Usage,
            "name a session id, or pass --others",
        ));
    };
    let current = client.tokens().await.map(|t| t.session_id);
    if current.as_deref() == Some(id.as_str()) {
        return Err(current_session_error());
    }
    match client.sessions().revoke(&id).await {
        Ok(()) => {
            println!("Signed out session {id}.");
            Ok(())
        }
        Err(e) if e.code() == Some(ErrorCode::CurrentSession) => Err(current_session_error()),
        Err(e) if e.code() == Some(ErrorCode::NotFound) => Err(CliError::new(
            Exit::Error,
            format!("there is no session {id} on your account; see `acctl sessions list`"),
        )),
        Err(e) => Err(e.into()),
    }
}

fn current_session_error() -> CliError {
    CliError::new(
        Exit::Error,
        "that is the session in use here; to sign out here, run `acctl logout`",
    )
}

/// Columns: marker, id, device, where, started, last active.
fn table(sessions: &[Session]) -> String {
    if sessions.is_empty() {
        return "No sessions.\n".to_string();
    }
    let header = ["", "ID", "DEVICE", "WHERE", "STARTED", "LAST ACTIVE"].map(str::to_string);
    let rows: Vec<Vec<String>> = std::iter::once(header)
        .chain(sessions.iter().map(row))
        .map(Vec::from)
        .collect();
    let mut out = columns(&rows);
    out.push_str("* = this session. Sign one out with `acctl sessions revoke ID`.\n");
    out
}

fn row(session: &Session) -> [String; 6] {
    let marker = if session.current { "*" } else { "" };
    let place = match (&session.ip, &session.location) {
        (Some(ip), Some(location)) => format!("{ip} ({location})"),
        (Some(ip), None) => ip.clone(),
        (None, Some(location)) => location.clone(),
        (None, None) => "unknown".into(),
    };
    [
        marker.to_string(),
        session.id.clone(),
        crate::widgets::fit(&session.device_name, DEVICE_WIDTH).into_owned(),
        place,
        local_time(session.created_at),
        local_time(session.last_active_at),
    ]
}

fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str, device: &str, current: bool) -> Session {
        let at: DateTime<Utc> = "2026-01-02T03:04:05Z".parse().expect("time");
        Session {
            id: id.into(),
            device_name: device.into(),
            user_agent: None,
            ip: Some("192.0.2.7".into()),
            location: Some("Berlin, DE".into()),
            created_at: at,
            last_active_at: at,
            current,
        }
    }

    #[test]
    fn the_table_marks_the_current_session_and_shows_where() {
        let text = table(&[
            session("a", "acctl on laptop", true),
            session("b", &"x".repeat(40), false),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].contains("DEVICE") && lines[0].contains("LAST ACTIVE"),
            "{text}"
        );
        assert!(lines[1].starts_with("*  a   acctl on laptop"), "{text}");
        assert!(lines[1].contains("192.0.2.7 (Berlin, DE)"), "{text}");
        assert!(lines[2].contains(&format!("{}…", "x".repeat(31))), "{text}");
        assert!(!lines[2].starts_with('*'), "{text}");
    }

    #[test]
    fn an_empty_list_says_so() {
        assert_eq!(table(&[]), "No sessions.\n");
    }
}
