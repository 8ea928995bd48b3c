//! Security: the log of what happened to an account, the sensitive changes
//! (password, email) and two-factor sign-in with its recovery codes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::SecretText;

/// What happened to an account, for the security log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecurityEventKind {
    AccountCreated,
    LoginSucceeded,
    LoginFailed,
    Logout,
    SessionRevoked,
    /// A refresh token was presented twice; the session was ended to be safe.
    RefreshTokenReused,
    PasswordChanged,
    EmailChangeRequested,
    EmailChanged,
    MfaEnabled,
    MfaDisabled,
    RecoveryCodesRegenerated,
    RecoveryCodeUsed,
    /// A wrong second-factor code at sign-in.
    MfaFailed,
    /// Name, display name, phone or bio changed.
    ProfileUpdated,
    AvatarChanged,
    NotificationSettingsChanged,
    PrivacySettingsChanged,
    DataExportRequested,
    /// Deletion was scheduled; the detail says for when.
    DeletionScheduled,
    DeletionCanceled,
    /// Plan or interval changed; the detail names both.
    PlanChanged,
    SubscriptionCanceled,
    SubscriptionResumed,
    PaymentMethodChanged,
    /// Any kind this client does not know yet; newer servers may add kinds.
    #[serde(other)]
    Other,
}

impl SecurityEventKind {
    /// Every kind a client can ask for by name; `Other` is what a client
    /// calls kinds it does not know, so it is not among them.
    pub const ALL: [SecurityEventKind; 25] = [
        Self::AccountCreated,
        Self::LoginSucceeded,
        Self::LoginFailed,
        Self::Logout,
        Self::SessionRevoked,
        Self::RefreshTokenReused,
        Self::PasswordChanged,
        Self::EmailChangeRequested,
        Self::EmailChanged,
        Self::MfaEnabled,
        Self::MfaDisabled,
        Self::RecoveryCodesRegenerated,
        Self::RecoveryCodeUsed,
        Self::MfaFailed,
        Self::ProfileUpdated,
        Self::AvatarChanged,
        Self::NotificationSettingsChanged,
        Self::PrivacySettingsChanged,
        Self::DataExportRequested,
        Self::DeletionScheduled,
        Self::DeletionCanceled,
        Self::PlanChanged,
        Self::SubscriptionCanceled,
        Self::SubscriptionResumed,
        Self::PaymentMethodChanged,
    ];

    /// A short phrase for people, e.g. "Sign-in failed".
    pub fn describe(self) -> &'static str {
        match self {
            Self::AccountCreated => "Account created",
            Self::LoginSucceeded => "Signed in",
            Self::LoginFailed => "Sign-in failed",
            Self::Logout => "Signed out",
            Self::SessionRevoked => "Session revoked",
            Self::RefreshTokenReused => "Token reuse detected; session ended",
            Self::PasswordChanged => "Password changed",
            Self::EmailChangeRequested => "Email change requested",
            Self::EmailChanged => "Email changed",
            Self::MfaEnabled => "Two-factor sign-in turned on",
            Self::MfaDisabled => "Two-factor sign-in turned off",
            Self::RecoveryCodesRegenerated => "New recovery codes made",
            Self::RecoveryCodeUsed => "Recovery code used",
            Self::MfaFailed => "Wrong two-factor code",
            Self::ProfileUpdated => "Profile changed",
            Self::AvatarChanged => "Avatar changed",
            Self::NotificationSettingsChanged => "Notification settings changed",
            Self::PrivacySettingsChanged => "Privacy settings changed",
            Self::DataExportRequested => "Data export requested",
            Self::DeletionScheduled => "Account deletion scheduled",
            Self::DeletionCanceled => "Account deletion canceled",
            Self::PlanChanged => "Plan changed",
            Self::SubscriptionCanceled => "Subscription set to end",
            Self::SubscriptionResumed => "Subscription resumed",
            Self::PaymentMethodChanged => "Payment method changed",
            Self::Other => "Other event",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SecurityEvent {
    pub id: String,
    pub kind: SecurityEventKind,
    pub at: DateTime<Utc>,
    pub ip: Option<String>,
    pub device_name: Option<String>,
    /// Extra words for people, e.g. which session was revoked.
    pub detail: Option<String>,
}

/// `POST /v1/me/password`
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretText,
    /// At least 10 characters, and not easily guessed.
    #[schema(value_type = String, format = Password, min_length = 10, max_length = 1024)]
    pub new_password: SecretText,
    /// Also sign out every session but the one making the request.
    #[serde(default)]
    pub sign_out_other_sessions: bool,
}

/// `POST /v1/me/email`: a code goes to `new_email`; the change waits for it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChangeRequest {
    #[schema(format = Email, max_length = 254)]
    pub new_email: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretText,
}

/// `POST /v1/me/email/verify` and `POST /v1/me/mfa/totp/confirm`: a code
/// the person typed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    #[schema(value_type = String)]
    pub code: SecretText,
}

/// A sensitive change confirmed with the current password
/// (`POST /v1/me/mfa/totp`, `POST /v1/me/mfa/recovery-codes`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordConfirmation {
    #[schema(value_type = String, format = Password)]
    pub password: SecretText,
}

/// `DELETE /v1/me/mfa/totp`: password and a current code.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableTotpRequest {
    #[schema(value_type = String, format = Password)]
    pub password: SecretText,
    #[schema(value_type = String)]
    pub code: SecretText,
}

/// `POST /v1/me/mfa/totp`: the new factor, pending until a code confirms it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TotpEnrollment {
    /// The shared secret, base32, for typing into an authenticator app.
    #[schema(value_type = String)]
    pub secret_base32: SecretText,
    /// `otpauth://totp/...`, for a QR code.
    #[schema(value_type = String)]
    pub otpauth_uri: SecretText,
}

/// One-time codes for signing in without the authenticator. Shown once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecoveryCodes {
    #[schema(value_type = Vec<String>)]
    pub recovery_codes: Vec<SecretText>,
}

/// `GET /v1/me/mfa`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MfaStatus {
    pub totp_enabled: bool,
    /// Enrolment started but not yet confirmed with a code.
    pub totp_pending: bool,
    pub recovery_codes_remaining: u32,
}
