//! Better Auth (bearer + twoFactor plugins), mounted at `/api/auth`.
//!
//! Not written yet: every operation says the service does not offer it.
//! Each method maps one operation of the client API (the handler of the
//! same name says what it does) to this service's wire format.

use acctl_api::privacy::DeletionStatus;
use acctl_api::{
    Account, ChangePasswordRequest, LoginMfaRequest, MfaStatus, ProfilePatch, RecoveryCodes,
    RevokedSessions, SecretText, Session, TotpEnrollment,
};

use crate::{ApiError, Capabilities, Client, Feature, LoginOutcome, Versioned};

/// What Better Auth can offer at best.
pub(super) const AT_MOST: Capabilities = Capabilities::NONE;

pub(crate) struct BetterAuth<'a>(pub &'a Client);

impl BetterAuth<'_> {
    fn lacks<T>(&self, feature: Feature) -> Result<T, ApiError> {
        Err(self.0.unsupported(feature))
    }

    pub async fn capabilities(&self) -> Result<Capabilities, ApiError> {
        Ok(AT_MOST)
    }

    pub async fn signup(
        &self,
        _email: &str,
        _name: &str,
        _password: SecretText,
    ) -> Result<LoginOutcome, ApiError> {
        self.lacks(Feature::Signup)
    }

    pub async fn login(
        &self,
        _email: &str,
        _password: SecretText,
    ) -> Result<LoginOutcome, ApiError> {
        self.lacks(Feature::Profile)
    }

    pub async fn login_mfa(&self, _request: LoginMfaRequest) -> Result<LoginOutcome, ApiError> {
        self.lacks(Feature::Mfa)
    }

    /// Ends the session on the server (the handler forgets it here).
    pub async fn logout(&self) -> Result<(), ApiError> {
        Ok(())
    }

    pub async fn account(&self) -> Result<Account, ApiError> {
        self.lacks(Feature::Profile)
    }

    pub async fn profile(&self) -> Result<Versioned<Account>, ApiError> {
        self.lacks(Feature::Profile)
    }

    pub async fn update_profile(
        &self,
        _patch: &ProfilePatch,
        _etag: &str,
    ) -> Result<Versioned<Account>, ApiError> {
        self.lacks(Feature::Profile)
    }

    /// Every session, this one marked `current`.
    pub async fn sessions(&self) -> Result<Vec<Session>, ApiError> {
        self.lacks(Feature::Sessions)
    }

    pub async fn revoke_session(&self, _id: &str) -> Result<(), ApiError> {
        self.lacks(Feature::Sessions)
    }

    pub async fn revoke_other_sessions(&self) -> Result<RevokedSessions, ApiError> {
        self.lacks(Feature::Sessions)
    }

    pub async fn change_password(&self, _request: &ChangePasswordRequest) -> Result<(), ApiError> {
        self.lacks(Feature::Profile)
    }

    pub async fn request_email_change(
        &self,
        _new_email: &str,
        _password: SecretText,
    ) -> Result<(), ApiError> {
        self.lacks(Feature::EmailChange)
    }

    pub async fn verify_email(&self, _code: SecretText) -> Result<(), ApiError> {
        self.lacks(Feature::EmailChange)
    }

    pub async fn mfa_status(&self) -> Result<MfaStatus, ApiError> {
        self.lacks(Feature::Mfa)
    }

    pub async fn enroll_totp(&self, _password: SecretText) -> Result<TotpEnrollment, ApiError> {
        self.lacks(Feature::Mfa)
    }

    pub async fn confirm_totp(&self, _code: SecretText) -> Result<RecoveryCodes, ApiError> {
        self.lacks(Feature::Mfa)
    }

    pub async fn disable_totp(
        &self,
        _password: SecretText,
        _code: SecretText,
    ) -> Result<(), ApiError> {
        self.lacks(Feature::Mfa)
    }

    pub async fn regenerate_recovery_codes(
        &self,
        _password: SecretText,
    ) -> Result<RecoveryCodes, ApiError> {
        self.lacks(Feature::RecoveryCodes)
    }

    pub async fn deletion(&self) -> Result<DeletionStatus, ApiError> {
        self.lacks(Feature::AccountDeletion)
    }

    pub async fn schedule_deletion(
        &self,
        _password: SecretText,
        _confirmation: &str,
        _sign_out_others: bool,
    ) -> Result<DeletionStatus, ApiError> {
        self.lacks(Feature::AccountDeletion)
    }

    pub async fn cancel_deletion(&self) -> Result<(), ApiError> {
        self.lacks(Feature::AccountDeletion)
    }
}
