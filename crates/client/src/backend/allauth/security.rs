//! Password, email and two-factor on django-allauth. Changes allauth
//! guards with reauthentication get the password the contract already asks
//! for, given only when allauth asks (or ahead, where the next step would
//! have no password to give).

use acctl_api::{ChangePasswordRequest, MfaStatus, RecoveryCodes, SecretText, TotpEnrollment};
use reqwest::Method;
use serde::Deserialize;

use super::Allauth;
use crate::ApiError;

const TOTP: &str = "/account/authenticators/totp";
const RECOVERY_CODES: &str = "/account/authenticators/recovery-codes";

/// One of `/account/authenticators`.
#[derive(Deserialize)]
struct Authenticator {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    unused_code_count: Option<u32>,
}

/// `data` of `/account/authenticators/recovery-codes` after reauthentication.
#[derive(Deserialize)]
struct Codes {
    #[serde(default)]
    unused_codes: Vec<SecretText>,
}

impl Allauth<'_> {
    /// allauth answers with a new session token (adopted and saved); its
    /// other sessions end, whatever `sign_out_other_sessions` says.
    pub async fn change_password(&self, request: &ChangePasswordRequest) -> Result<(), ApiError> {
        let body = serde_json::json!({
            "current_password": request.current_password.expose(),
            "new_password": request.new_password.expose(),
        });
        self.call(Method::POST, "/account/password/change", Some(&body), &[])
            .await
            .map(|_| ())
    }

    /// Adds the address; allauth mails it a code, and once
    /// [`Allauth::verify_email`] takes the code it replaces the old one.
    pub async fn request_email_change(
        &self,
        new_email: &str,
        password: SecretText,
    ) -> Result<(), ApiError> {
        let body = serde_json::json!({ "email": new_email });
        self.call_confirmed(
            Method::POST,
            "/account/email",
            Some(&body),
            &password,
            "password",
            &[("email", "new_email")],
        )
        .await
        .map(|_| ())
    }

    pub async fn verify_email(&self, code: SecretText) -> Result<(), ApiError> {
        let body = serde_json::json!({ "key": code.expose().trim() });
        let answer = self
            .send(Method::POST, "/auth/email/verify", Some(&body))
            .await?;
        match answer.status {
            200..=299 => Ok(()),
            // As acctd says it: nothing waits for a code.
            409 => Err(ApiError::Problem {
                problem: Box::new(acctl_api::Problem::new(
                    acctl_api::ErrorCode::NotFound,
                    "No change of address is waiting for a code; ask for a new one",
                )),
            }),
            _ => Err(answer.problem(&[("key", "code")])),
        }
    }

    pub async fn mfa_status(&self) -> Result<MfaStatus, ApiError> {
        let answer = self
            .call(Method::GET, "/account/authenticators", None, &[])
            .await?;
        let authenticators: Vec<Authenticator> = answer.data()?;
        let codes = authenticators
            .iter()
            .find(|a| a.kind == "recovery_codes")
            .and_then(|a| a.unused_code_count);
        Ok(MfaStatus {
            totp_enabled: authenticators.iter().any(|a| a.kind == "totp"),
            // allauth keeps an offered secret in the session only.
            totp_pending: false,
            recovery_codes_remaining: codes.unwrap_or(0),
        })
    }

    /// allauth offers a secret in a 404 while TOTP is off. The password is
    /// given now: activating (next, with only a code) needs a recent one.
    pub async fn enroll_totp(&self, password: SecretText) -> Result<TotpEnrollment, ApiError> {
        self.reauthenticate(&password, "password").await?;
        let answer = self.send(Method::GET, TOTP, None).await?;
        if answer.is_success() {
            return Err(conflict("Two-factor sign-in is on already"));
        }
        match (answer.meta.secret.clone(), answer.meta.totp_url.clone()) {
            (Some(secret), Some(uri)) => Ok(TotpEnrollment {
                secret_base32: secret,
                otpauth_uri: uri,
            }),
            _ => Err(answer.problem(&[])),
        }
    }

    /// Activates TOTP with a code; allauth makes recovery codes with it,
    /// which are read back (the reauthentication of enrolment still holds).
    pub async fn confirm_totp(&self, code: SecretText) -> Result<RecoveryCodes, ApiError> {
        let body = serde_json::json!({ "code": code.expose().trim() });
        let answer = self.send(Method::POST, TOTP, Some(&body)).await?;
        if answer.wants_reauthentication() {
            return Err(conflict(
                "django-allauth wants your password again: it was asked too long ago; \
                 start turning on two-factor again",
            ));
        }
        if !answer.is_success() {
            return Err(answer.problem(&[]));
        }
        self.read_recovery_codes(Method::GET).await
    }

    /// Confirms with the password and the code (both must be right, as on
    /// acctd), then turns TOTP off.
    pub async fn disable_totp(
        &self,
        password: SecretText,
        code: SecretText,
    ) -> Result<(), ApiError> {
        self.reauthenticate(&password, "password").await?;
        let body = serde_json::json!({ "code": code.expose().trim() });
        self.call(Method::POST, "/auth/2fa/reauthenticate", Some(&body), &[])
            .await?;
        self.call_confirmed(Method::DELETE, TOTP, None, &password, "password", &[])
            .await
            .map(|_| ())
    }

    pub async fn regenerate_recovery_codes(
        &self,
        password: SecretText,
    ) -> Result<RecoveryCodes, ApiError> {
        self.reauthenticate(&password, "password").await?;
        self.read_recovery_codes(Method::POST).await
    }

    /// GET shows the unused codes, POST makes new ones.
    async fn read_recovery_codes(&self, method: Method) -> Result<RecoveryCodes, ApiError> {
        let answer = self.call(method, RECOVERY_CODES, None, &[]).await?;
        let codes: Codes = answer.data()?;
        Ok(RecoveryCodes {
            recovery_codes: codes.unused_codes,
        })
    }
}

fn conflict(detail: &str) -> ApiError {
    ApiError::Problem {
        problem: Box::new(acctl_api::Problem::new(
            acctl_api::ErrorCode::Conflict,
            detail,
        )),
    }
}
