//! Better Auth's password, email, two-factor and deletion calls.

use acctl_api::privacy::{DELETE_CONFIRMATION, DeletionStatus};
use acctl_api::{
    ChangePasswordRequest, ErrorCode, MfaStatus, Problem, RecoveryCodes, SecretText, TotpEnrollment,
};
use reqwest::Method;

use super::wire::{self, BackupCodesAnswer, EnableAnswer};
use super::{BetterAuth, Call, problem};
use crate::answer::with_query;
use crate::{ApiError, Feature};

const MFA: Call = Call::of(Feature::Mfa);

impl BetterAuth<'_> {
    /// Adopts the new token when the change signs the others out (the
    /// service then replaces this session too).
    pub async fn change_password(&self, request: &ChangePasswordRequest) -> Result<(), ApiError> {
        let body = serde_json::json!({
            "currentPassword": request.current_password.expose(),
            "newPassword": request.new_password.expose(),
            "revokeOtherSessions": request.sign_out_other_sessions,
        });
        let call = Call {
            feature: Feature::Profile,
            password_field: "current_password",
        };
        self.send(Method::POST, "/change-password", Some(body), call)
            .await
            .map(drop)
    }

    /// Mails a confirmation link to the new address. Better Auth asks no
    /// password for this: the session is the proof.
    pub async fn request_email_change(
        &self,
        new_email: &str,
        _password: SecretText,
    ) -> Result<(), ApiError> {
        let body = serde_json::json!({ "newEmail": new_email });
        let call = Call::of(Feature::EmailChange);
        self.send(Method::POST, "/change-email", Some(body), call)
            .await?;
        self.memory().set_pending_email(Some(new_email.to_string()));
        Ok(())
    }

    /// Finishes the change with the mailed link, pasted (or its token). The
    /// token goes to this service: the link's own address is never visited.
    pub async fn verify_email(&self, code: SecretText) -> Result<(), ApiError> {
        let Some(token) = wire::link_token(code.expose()) else {
            let problem = Problem::new(
                ErrorCode::ValidationFailed,
                "That is not the link from the email.",
            )
            .with_field("code", "Paste the whole link from the email.");
            return Err(ApiError::Problem {
                problem: Box::new(problem),
            });
        };
        let path = with_query("/verify-email", &[("token", token)]);
        self.send(Method::GET, &path, None, Call::of(Feature::EmailChange))
            .await?;
        self.memory().set_pending_email(None);
        Ok(())
    }

    /// How many backup codes are left Better Auth does not tell (it is
    /// not in [`super::AT_MOST`]): the count is 0 and means nothing.
    pub async fn mfa_status(&self) -> Result<MfaStatus, ApiError> {
        let enabled = self.session().await?.user.two_factor_enabled;
        let Some(enabled) = enabled else {
            // No twoFactor plugin: its field is missing from the user.
            self.memory().lacks(Feature::Mfa);
            return Err(self.0.unsupported(Feature::Mfa));
        };
        Ok(MfaStatus {
            totp_enabled: enabled,
            totp_pending: !enabled && self.memory().codes_pending(),
            recovery_codes_remaining: 0,
        })
    }

    /// `two-factor/enable` makes the key and the backup codes at once; the
    /// codes are held until the first code from the app is accepted.
    pub async fn enroll_totp(&self, password: SecretText) -> Result<TotpEnrollment, ApiError> {
        let body = serde_json::json!({ "password": password.expose() });
        let answer: EnableAnswer = self
            .json(Method::POST, "/two-factor/enable", Some(body), MFA)
            .await?;
        let secret =
            wire::totp_secret(answer.totp_uri.expose()).ok_or_else(|| ApiError::Unexpected {
                status: 200,
                request_id: None,
                reason: "the TOTP URI carries no key".to_string(),
            })?;
        self.memory().hold_codes(answer.backup_codes);
        Ok(TotpEnrollment {
            secret_base32: SecretText::new(secret),
            otpauth_uri: answer.totp_uri,
        })
    }

    /// The first code turns two-factor on (and replaces this session).
    pub async fn confirm_totp(&self, code: SecretText) -> Result<RecoveryCodes, ApiError> {
        self.verify_totp(code).await?;
        Ok(RecoveryCodes {
            recovery_codes: self.memory().take_codes().unwrap_or_default(),
        })
    }

    async fn verify_totp(&self, code: SecretText) -> Result<(), ApiError> {
        let body = serde_json::json!({ "code": code.expose() });
        self.send(Method::POST, "/two-factor/verify-totp", Some(body), MFA)
            .await
            .map(drop)
    }

    /// Better Auth asks only the password; the code is checked first, so
    /// what the person typed is not ignored.
    pub async fn disable_totp(
        &self,
        password: SecretText,
        code: SecretText,
    ) -> Result<(), ApiError> {
        self.verify_totp(code).await?;
        let body = serde_json::json!({ "password": password.expose() });
        self.send(Method::POST, "/two-factor/disable", Some(body), MFA)
            .await
            .map(drop)
    }

    pub async fn regenerate_recovery_codes(
        &self,
        password: SecretText,
    ) -> Result<RecoveryCodes, ApiError> {
        let body = serde_json::json!({ "password": password.expose() });
        let call = Call::of(Feature::RecoveryCodes);
        let answer: BackupCodesAnswer = self
            .json(
                Method::POST,
                "/two-factor/generate-backup-codes",
                Some(body),
                call,
            )
            .await?;
        Ok(RecoveryCodes {
            recovery_codes: answer.backup_codes,
        })
    }

    /// Better Auth deletes at once: nothing is ever scheduled.
    pub async fn deletion(&self) -> Result<DeletionStatus, ApiError> {
        Ok(DeletionStatus {
            scheduled_for: None,
            requested_at: None,
            grace_days: 0,
        })
    }

    /// Deletes the account now (no grace period), which ends every session.
    /// The typed word is checked here: Better Auth does not ask for one.
    pub async fn schedule_deletion(
        &self,
        password: SecretText,
        confirmation: &str,
        _sign_out_others: bool,
    ) -> Result<DeletionStatus, ApiError> {
        if confirmation != DELETE_CONFIRMATION {
            let problem = Problem::new(ErrorCode::ValidationFailed, "Nothing was deleted.")
                .with_field(
                    "confirmation",
                    format!("Type {DELETE_CONFIRMATION} to delete the account."),
                );
            return Err(ApiError::Problem {
                problem: Box::new(problem),
            });
        }
        let body = serde_json::json!({ "password": password.expose() });
        let call = Call::of(Feature::AccountDeletion);
        self.send(Method::POST, "/delete-user", Some(body), call)
            .await?;
        self.0.set_tokens(None).await;
        self.0.forget_persisted().await;
        let now = chrono::Utc::now();
        Ok(DeletionStatus {
            scheduled_for: Some(now),
            requested_at: Some(now),
            grace_days: 0,
        })
    }

    pub async fn cancel_deletion(&self) -> Result<(), ApiError> {
        Err(problem(
            ErrorCode::Conflict,
            "Better Auth deletes an account at once; there is no deletion to cancel.",
        ))
    }
}
