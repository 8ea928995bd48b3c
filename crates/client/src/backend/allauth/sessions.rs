//! Sessions on django-allauth (`allauth.usersessions`): listed with epoch
//! times, ended by id; there is no "all others", so they are listed and
//! ended by their ids.

use acctl_api::{ErrorCode, Problem, RevokedSessions, Session};
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::Deserialize;

use super::{Allauth, id_text};
use crate::ApiError;
use crate::backend::device_name;

/// One of `/auth/sessions`; times are epoch seconds.
#[derive(Deserialize)]
struct WireSession {
    id: serde_json::Value,
    #[serde(default)]
    user_agent: Option<String>,
    #[serde(default)]
    ip: Option<String>,
    created_at: f64,
    #[serde(default)]
    last_seen_at: Option<f64>,
    #[serde(default)]
    is_current: bool,
}

impl Allauth<'_> {
    /// Every session, this one marked `current`. allauth records no
    /// device name: the user agent stands for it (acctl sends its own).
    pub async fn sessions(&self) -> Result<Vec<Session>, ApiError> {
        let answer = self.call(Method::GET, "/auth/sessions", None, &[]).await?;
        let wire: Vec<WireSession> = answer.data()?;
        Ok(wire.into_iter().map(session).collect())
    }

    /// Ends one session, never this one (as acctd: sign out for that).
    pub async fn revoke_session(&self, id: &str) -> Result<(), ApiError> {
        let sessions = self.sessions().await?;
        match sessions.iter().find(|s| s.id == id) {
            Some(s) if s.current => Err(ApiError::Problem {
                problem: Box::new(Problem::new(
                    ErrorCode::CurrentSession,
                    "This is the session in use; sign out instead",
                )),
            }),
            Some(_) => self.end_sessions(&[id]).await,
            None => Err(ApiError::Problem {
                problem: Box::new(Problem::new(
                    ErrorCode::NotFound,
                    format!("No session {id} is signed in"),
                )),
            }),
        }
    }

    /// allauth has no "all others": they are listed, then ended by id.
    pub async fn revoke_other_sessions(&self) -> Result<RevokedSessions, ApiError> {
        let others: Vec<String> = self
            .sessions()
            .await?
            .into_iter()
            .filter(|s| !s.current)
            .map(|s| s.id)
            .collect();
        if !others.is_empty() {
            let ids: Vec<&str> = others.iter().map(String::as_str).collect();
            self.end_sessions(&ids).await?;
        }
        Ok(RevokedSessions {
            revoked: u32::try_from(others.len()).unwrap_or(u32::MAX),
        })
    }

    async fn end_sessions(&self, ids: &[&str]) -> Result<(), ApiError> {
        // allauth's ids are numbers; sent as it listed them.
        let ids: Vec<serde_json::Value> = ids
            .iter()
            .map(|id| id.parse::<u64>().map_or_else(|_| (*id).into(), Into::into))
            .collect();
        let body = serde_json::json!({ "sessions": ids });
        self.call(Method::DELETE, "/auth/sessions", Some(&body), &[])
            .await
            .map(|_| ())
    }
}

fn session(wire: WireSession) -> Session {
    let created_at = epoch(wire.created_at);
    Session {
        id: id_text(&wire.id),
        device_name: wire
            .user_agent
            .as_deref()
            .map(device_name)
            .unwrap_or_else(|| "unknown device".to_string()),
        user_agent: wire.user_agent,
        ip: wire.ip,
        location: None,
        created_at,
        last_active_at: wire.last_seen_at.map_or(created_at, epoch),
        current: wire.is_current,
    }
}

/// allauth's times: seconds since 1970, with a fraction.
fn epoch(seconds: f64) -> DateTime<Utc> {
    let whole = seconds.trunc() as i64;
    let nanos = ((seconds - seconds.trunc()) * 1e9) as u32;
    DateTime::from_timestamp(whole, nanos).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_become_times() {
        let at = epoch(1_796_682_642.25);
        assert_eq!(at.timestamp(), 1_796_682_642);
        assert_eq!(at.timestamp_subsec_millis(), 250);
    }

    #[test]
    fn sessions_map_with_the_user_agent_as_device() {
        let wire: WireSession = serde_json::from_value(serde_json::json!({
            "id": 7, "user_agent": "acctl on box (acctl/0.1.0)", "ip": "127.0.0.1",
            "created_at": 1_000.0, "is_current": true
        }))
        .expect("a session");
        let s = session(wire);
        assert_eq!(s.id, "7");
        assert_eq!(s.device_name, "acctl on box");
        assert_eq!(s.user_agent.as_deref(), Some("acctl on box (acctl/0.1.0)"));
        assert_eq!(device_name("curl/8.0"), "curl/8.0");
        assert_eq!(s.last_active_at, s.created_at, "no activity tracked");
        assert!(s.current);
    }
}
