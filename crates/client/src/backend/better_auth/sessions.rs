//! Better Auth's sessions: `list-sessions` (with every session's token,
//! kept in [`super::Memory`] only), `revoke-session {token}` and
//! `revoke-other-sessions`.

use std::collections::HashMap;

use acctl_api::{ErrorCode, RevokedSessions, Session};
use reqwest::Method;

use super::wire::{SessionRow, same_token};
use super::{BetterAuth, Call, problem};
use crate::{ApiError, Feature};

const CALL: Call = Call::of(Feature::Sessions);

impl BetterAuth<'_> {
    /// Every session, this one marked `current` (its token is ours: the
    /// service has no such flag).
    pub async fn sessions(&self) -> Result<Vec<Session>, ApiError> {
        let rows: Vec<SessionRow> = self.json(Method::GET, "/list-sessions", None, CALL).await?;
        let ours = self.0.tokens().await.ok_or(ApiError::NotSignedIn)?;
        let sessions = rows
            .iter()
            .map(|row| row.to_session(ours.access_token.expose()))
            .collect();
        let tokens: HashMap<_, _> = rows.into_iter().map(|row| (row.id, row.token)).collect();
        self.memory().remember_sessions(tokens);
        Ok(sessions)
    }

    /// Ends one of this account's other sessions. The service answers 200
    /// even for a token that is not the account's, so only tokens it listed
    /// for this account are ever sent.
    pub async fn revoke_session(&self, id: &str) -> Result<(), ApiError> {
        let token = match self.memory().session_token(id) {
            Some(token) => token,
            None => {
                let listed = self.sessions().await?;
                let token = self.memory().session_token(id);
                token.ok_or_else(|| not_listed(id, listed.len()))?
            }
        };
        let ours = self.0.tokens().await.ok_or(ApiError::NotSignedIn)?;
        if same_token(token.expose(), ours.access_token.expose()) {
            return Err(problem(
                ErrorCode::CurrentSession,
                "That is the session in use; sign out instead.",
            ));
        }
        let body = serde_json::json!({ "token": token.expose() });
        self.send(Method::POST, "/revoke-session", Some(body), CALL)
            .await?;
        self.memory().forget_session(id);
        Ok(())
    }

    pub async fn revoke_other_sessions(&self) -> Result<RevokedSessions, ApiError> {
        let others = self.sessions().await?.iter().filter(|s| !s.current).count();
        let body = serde_json::json!({});
        self.send(Method::POST, "/revoke-other-sessions", Some(body), CALL)
            .await?;
        self.memory().remember_sessions(HashMap::new());
        Ok(RevokedSessions {
            revoked: u32::try_from(others).unwrap_or(u32::MAX),
        })
    }
}

fn not_listed(id: &str, listed: usize) -> ApiError {
    problem(
        ErrorCode::NotFound,
        &format!("No session {id} among this account's {listed}; list them again."),
    )
}
