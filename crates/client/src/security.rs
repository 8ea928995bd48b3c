//! `/v1/me/password`, `/v1/me/email*` and `/v1/me/mfa*`: the sensitive
//! changes, each confirmed with the current password or a code.

use acctl_api::{
    ChangePasswordRequest, CodeRequest, DisableTotpRequest, EmailChangeRequest, MfaStatus,
    OutboxMessage, PasswordConfirmation, RecoveryCodes, SecretText, TotpEnrollment, paths,
};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::answer::{decode, expect_success};
use super::backend::dispatch;
use super::{ApiError, Client, Feature};

/// The security settings of the signed-in account.
pub struct Security<'a> {
    client: &'a Client,
}

impl<'a> Security<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Sends `body` as JSON and decodes the answer.
    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let body = to_json(body);
        decode(self.client.send_authed(method, path, Some(&body)).await?).await
    }

    /// Sends `body` as JSON; the answer has no body (204/202).
    async fn call_empty<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<(), ApiError> {
        let body = to_json(body);
        expect_success(self.client.send_authed(method, path, Some(&body)).await?).await
    }

    /// A new password. Field errors land on `current_password` or `new_password`.
    pub async fn change_password(&self, request: &ChangePasswordRequest) -> Result<(), ApiError> {
        dispatch!(self.client, change_password(request), acctd => {
            self.call_empty(Method::POST, paths::PASSWORD, request).await
        })
    }

    /// Sends a code to `new_email`; [`Security::verify_email`] finishes the change.
    pub async fn request_email_change(
        &self,
        new_email: &str,
        password: SecretText,
    ) -> Result<(), ApiError> {
        self.client.require(Feature::EmailChange).await?;
        dispatch!(self.client, request_email_change(new_email, password), acctd => {
            let body = EmailChangeRequest {
                new_email: new_email.to_string(),
                password,
            };
            self.call_empty(Method::POST, paths::EMAIL, &body).await
        })
    }

    pub async fn verify_email(&self, code: SecretText) -> Result<(), ApiError> {
        self.client.require(Feature::EmailChange).await?;
        dispatch!(self.client, verify_email(code), acctd => {
            self.call_empty(Method::POST, paths::EMAIL_VERIFY, &CodeRequest { code })
                .await
        })
    }

    pub async fn mfa_status(&self) -> Result<MfaStatus, ApiError> {
        self.client.require(Feature::Mfa).await?;
        dispatch!(self.client, mfa_status(), acctd => {
            decode(self.client.send_authed(Method::GET, paths::MFA, None).await?).await
        })
    }

    /// Starts TOTP enrolment: the secret, pending until [`Security::confirm_totp`].
    pub async fn enroll_totp(&self, password: SecretText) -> Result<TotpEnrollment, ApiError> {
        self.client.require(Feature::Mfa).await?;
        dispatch!(self.client, enroll_totp(password), acctd => {
            let body = PasswordConfirmation { password };
            self.call(Method::POST, paths::MFA_TOTP, &body).await
        })
    }

    /// Turns TOTP on with a code from the app; the recovery codes are shown once.
    pub async fn confirm_totp(&self, code: SecretText) -> Result<RecoveryCodes, ApiError> {
        self.client.require(Feature::Mfa).await?;
        dispatch!(self.client, confirm_totp(code), acctd => {
            self.call(Method::POST, paths::MFA_TOTP_CONFIRM, &CodeRequest { code })
                .await
        })
    }

    pub async fn disable_totp(
        &self,
        password: SecretText,
        code: SecretText,
    ) -> Result<(), ApiError> {
        self.client.require(Feature::Mfa).await?;
        dispatch!(self.client, disable_totp(password, code), acctd => {
            let body = DisableTotpRequest { password, code };
            self.call_empty(Method::DELETE, paths::MFA_TOTP, &body).await
        })
    }

    /// The mail a development server (`acctd serve --dev`, the demo) sent
    /// to `to`, oldest first. Other servers answer 404.
    pub async fn dev_outbox(&self, to: &str) -> Result<Vec<OutboxMessage>, ApiError> {
        let path = format!("{}?to={}", paths::DEV_OUTBOX, paths::encode_segment(to));
        self.client.get_public(&path).await
    }

    /// New recovery codes; the old ones stop working.
    pub async fn regenerate_recovery_codes(
        &self,
        password: SecretText,
    ) -> Result<RecoveryCodes, ApiError> {
        self.client.require(Feature::RecoveryCodes).await?;
        dispatch!(self.client, regenerate_recovery_codes(password), acctd => {
            let body = PasswordConfirmation { password };
            self.call(Method::POST, paths::MFA_RECOVERY_CODES, &body).await
        })
    }
}

/// The request types hold only strings and booleans, which always
/// serialise; a failure here would be a bug in this file.
fn to_json<B: Serialize>(body: &B) -> serde_json::Value {
    serde_json::to_value(body).expect("request bodies serialise to JSON")
}
