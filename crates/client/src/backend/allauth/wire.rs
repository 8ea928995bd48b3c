//! django-allauth's answers: `{status, data, meta, errors}`. Errors become
//! the same [`Problem`] acctd sends, so they read alike everywhere; a 410
//! (or a session the service no longer knows) is "signed out elsewhere";
//! a 401 with `meta.is_authenticated` is a request to reauthenticate.

use acctl_api::{ErrorCode, FieldErrors, Problem, SecretText};
use reqwest::{Method, Response, StatusCode};
use serde::Deserialize;

use super::Allauth;
use crate::ApiError;
use crate::transport::Payload;

/// One answer, whatever its status. Not `Debug`: `data` may hold
/// recovery codes.
#[derive(Default, Deserialize)]
pub(super) struct Envelope {
    #[serde(default)]
    pub status: u16,
    #[serde(default)]
    pub data: serde_json::Value,
    #[serde(default)]
    pub meta: Meta,
    #[serde(default)]
    errors: Vec<WireError>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct Meta {
    #[serde(default)]
    pub is_authenticated: Option<bool>,
    #[serde(default)]
    pub session_token: Option<SecretText>,
    /// A TOTP secret offered for enrolment (in a 404).
    #[serde(default)]
    pub secret: Option<SecretText>,
    #[serde(default)]
    pub totp_url: Option<SecretText>,
}

#[derive(Debug, Deserialize)]
struct WireError {
    message: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    param: Option<String>,
}

impl Envelope {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A 401 for a signed-in session: the service wants the password (or
    /// a code) again before this change.
    pub fn wants_reauthentication(&self) -> bool {
        self.status == 401 && self.meta.is_authenticated == Some(true)
    }

    /// The flow waiting for the next step, e.g. `mfa_authenticate`.
    pub fn pending_flow(&self) -> Option<&serde_json::Value> {
        self.data
            .get("flows")?
            .as_array()?
            .iter()
            .find(|f| f.get("is_pending") == Some(&serde_json::Value::Bool(true)))
    }

    /// `data` as `T`, or an error saying what was missing.
    pub fn data<T: serde::de::DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_value(self.data.clone()).map_err(|e| ApiError::Unexpected {
            status: self.status,
            request_id: None,
            reason: format!("django-allauth's answer is not as expected ({e})"),
        })
    }

    /// The errors as a problem document. `fields` renames allauth's
    /// parameters to the contract's (`email` is `new_email` when changing
    /// the address, say).
    pub fn problem(&self, fields: &[(&str, &str)]) -> ApiError {
        let mut errors = FieldErrors::new();
        for error in &self.errors {
            let Some(param) = error.param.as_deref() else {
                continue;
            };
            let field = fields
                .iter()
                .find(|(theirs, _)| *theirs == param)
                .map_or(param, |(_, ours)| ours);
            errors
                .entry(field.to_string())
                .or_default()
                .push(error.message.clone());
        }
        let first_code = self.errors.iter().find_map(|e| e.code.as_deref());
        let code = contract_code(self.status, first_code, !errors.is_empty());
        let messages: Vec<&str> = self.errors.iter().map(|e| e.message.as_str()).collect();
        let detail = match messages.is_empty() {
            true => None,
            false => Some(messages.join(" ")),
        };
        let status = match code {
            ErrorCode::InvalidCredentials => 401,
            _ => self.status,
        };
        ApiError::Problem {
            problem: Box::new(Problem {
                type_uri: "about:blank".to_string(),
                title: code.title().to_string(),
                status,
                detail,
                code: code.as_str().to_string(),
                errors,
                request_id: None,
            }),
        }
    }
}

/// The contract's code for one of allauth's: by its own code where one
/// means the same, else by the status.
fn contract_code(status: u16, code: Option<&str>, has_fields: bool) -> ErrorCode {
    match (code, status) {
        (Some("email_password_mismatch"), _) => ErrorCode::InvalidCredentials,
        (_, 429) => ErrorCode::RateLimited,
        (_, 400) if has_fields => ErrorCode::ValidationFailed,
        (_, 400) => ErrorCode::MalformedRequest,
        (_, 401) => ErrorCode::Unauthenticated,
        (_, 403) => ErrorCode::Forbidden,
        (_, 404) => ErrorCode::NotFound,
        (_, 409) => ErrorCode::Conflict,
        (_, s) if s >= 500 => ErrorCode::Internal,
        _ => ErrorCode::MalformedRequest,
    }
}

/// Reads an answer: allauth's envelope, else a readable error (an HTML
/// page from a proxy, say).
pub(super) async fn read(response: Response) -> Result<Envelope, ApiError> {
    let (status, mut envelope): (u16, Envelope) =
        crate::answer::decode_any_status(response).await?;
    // The HTTP status is the one that counts (a proxy may not agree).
    envelope.status = status;
    Ok(envelope)
}

impl Allauth<'_> {
    /// The User-Agent allauth records for a session: what the person sees
    /// as the device in their session list.
    fn user_agent(&self) -> String {
        self.0.device_agent()
    }

    /// A request as the signed-out (or part-signed-in, with `token`)
    /// client: sign-in and its second step.
    pub(super) async fn send_public(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        token: Option<&SecretText>,
    ) -> Result<Envelope, ApiError> {
        let mut request = self
            .0
            .request(method, path)
            .header(reqwest::header::USER_AGENT, self.user_agent());
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(token) = token {
            request = self.0.authorize(request, token);
        }
        read(self.0.send(request).await?).await
    }

    /// A request with the session's token. A 410 (or a session allauth no
    /// longer knows) ends the session here too; a new token in the answer
    /// is adopted and saved. Other statuses are the caller's to read.
    pub(super) async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Envelope, ApiError> {
        let agent = reqwest::header::HeaderValue::from_str(&self.user_agent())
            .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static("acctl"));
        let headers = [(reqwest::header::USER_AGENT, agent)];
        let payload = body.map_or(Payload::None, Payload::Json);
        let response = self
            .0
            .send_authed_full(method, path, payload, None, &headers)
            .await?;
        let envelope = read(response).await?;
        let signed_out = envelope.status == StatusCode::GONE.as_u16()
            || (envelope.status == 401 && envelope.meta.is_authenticated != Some(true));
        if signed_out {
            return Err(self.signed_out().await);
        }
        if let Some(token) = &envelope.meta.session_token {
            self.adopt_token(token.clone()).await?;
        }
        Ok(envelope)
    }

    /// [`Allauth::send`] that fails on anything but success, with the
    /// errors' fields renamed by `fields`.
    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        fields: &[(&str, &str)],
    ) -> Result<Envelope, ApiError> {
        let envelope = self.send(method, path, body).await?;
        match envelope.is_success() {
            true => Ok(envelope),
            false => Err(envelope.problem(fields)),
        }
    }

    /// A sensitive change: when allauth asks to reauthenticate first, the
    /// password is given and the change sent once more. A wrong password
    /// lands on `password_field`.
    pub(super) async fn call_confirmed(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        password: &SecretText,
        password_field: &str,
        fields: &[(&str, &str)],
    ) -> Result<Envelope, ApiError> {
        let first = self.send(method.clone(), path, body).await?;
        if !first.wants_reauthentication() {
            return match first.is_success() {
                true => Ok(first),
                false => Err(first.problem(fields)),
            };
        }
        self.reauthenticate(password, password_field).await?;
        let again = self.send(method, path, body).await?;
        match (again.is_success(), again.wants_reauthentication()) {
            (true, _) => Ok(again),
            (false, true) => Err(reauthentication_refused()),
            (false, false) => Err(again.problem(fields)),
        }
    }

    /// `POST /auth/reauthenticate {password}`: good for a few minutes of
    /// sensitive changes.
    pub(super) async fn reauthenticate(
        &self,
        password: &SecretText,
        password_field: &str,
    ) -> Result<(), ApiError> {
        let body = serde_json::json!({ "password": password.expose() });
        self.call(
            Method::POST,
            "/auth/reauthenticate",
            Some(&body),
            &[("password", password_field)],
        )
        .await
        .map(|_| ())
    }

    /// Forgets the session here; the error every caller returns.
    async fn signed_out(&self) -> ApiError {
        self.0.signed_out_elsewhere().await
    }
}

fn reauthentication_refused() -> ApiError {
    let problem = Problem::new(
        ErrorCode::Forbidden,
        "django-allauth still asks to confirm who you are; sign in again, then retry",
    );
    ApiError::Problem {
        problem: Box::new(problem),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(json: &str) -> Envelope {
        serde_json::from_str(json).expect("an envelope")
    }

    #[test]
    fn errors_read_as_acctds_with_the_fields_renamed() {
        let wrong = envelope(
            r#"{"status": 400, "errors": [{"message": "Enter a valid email address.",
                "code": "invalid", "param": "email"}, {"message": "Not now.", "code": "x"}]}"#,
        );
        let error = wrong.problem(&[("email", "new_email")]);
        let problem = error.problem().expect("a problem");
        assert_eq!(problem.code, "validation_failed");
        assert_eq!(
            problem.errors.get("new_email").map(Vec::as_slice),
            Some(&["Enter a valid email address.".to_string()][..])
        );
        assert_eq!(error.to_string(), "Enter a valid email address. Not now.");
    }

    #[test]
    fn a_wrong_password_at_sign_in_is_acctds_invalid_credentials() {
        let wrong = envelope(
            r#"{"status": 400, "errors": [{"message": "The email address and/or password you specified are not correct.",
                "code": "email_password_mismatch", "param": "password"}]}"#,
        );
        let error = wrong.problem(&[]);
        assert_eq!(error.code(), Some(ErrorCode::InvalidCredentials));
        assert_eq!(error.problem().map(|p| p.status), Some(401));
    }

    #[test]
    fn reauthentication_and_pending_flows_are_told_apart() {
        let reauth = envelope(
            r#"{"status": 401, "data": {"flows": [{"id": "reauthenticate"}]},
                "meta": {"is_authenticated": true}}"#,
        );
        assert!(reauth.wants_reauthentication());
        assert!(reauth.pending_flow().is_none());
        let mfa = envelope(
            r#"{"status": 401, "data": {"flows": [{"id": "login"},
                {"id": "mfa_authenticate", "is_pending": true, "types": ["totp"]}]},
                "meta": {"is_authenticated": false, "session_token": "t"}}"#,
        );
        assert!(!mfa.wants_reauthentication());
        assert_eq!(
            mfa.pending_flow().and_then(|f| f.get("id")),
            Some(&serde_json::json!("mfa_authenticate"))
        );
        assert!(mfa.meta.session_token.is_some());
    }
}
