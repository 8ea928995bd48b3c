//! `POST /v1/me/email` and `/v1/me/email/verify`: moving the account to a
//! new address, proven by a code mailed there; and, on development servers,
//! `GET /v1/dev/outbox` to read that mail.

use std::time::Duration;

use acctl_api::{
    CodeRequest, EmailChangeRequest, ErrorCode, OutboxMessage, SecurityEventKind, paths,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Authenticated, mfa};
use crate::clock::{duration_ms, from_ms};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::reauth::{confirm_password, current_user, field_error, my_event};
use crate::state::AppState;
use crate::store::{OutboxRecord, PendingEmail, StoreError};
use crate::validate;

/// How long an emailed code works.
const CODE_TTL: Duration = Duration::from_secs(15 * 60);
/// Wrong codes a pending change tolerates before a new one must be asked for.
const MAX_CODE_ATTEMPTS: i64 = 5;

/// Ask to move the account to `new_email`; a 6-digit code goes there.
#[utoipa::path(post, path = paths::EMAIL, tag = "security", operation_id = "request_email_change", security(("bearer" = [])),
    request_body = EmailChangeRequest,
    responses(
        (status = 202, description = "A code was sent to the new address; confirm it at /v1/me/email/verify"),
        (status = 409, description = "`email_taken`", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: a wrong `password` or a bad `new_email`", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn request_change(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(request): ApiJson<EmailChangeRequest>,
) -> ApiResult<StatusCode> {
    let new_email = request.new_email.trim().to_string();
    if let Some(message) = validate::email_problem(&new_email) {
        return Err(field_error("new_email", &message));
    }
    let user = current_user(&state, &me).await?;
    confirm_password(&state, &user, &caller, &request.password, "password").await?;
    let new_email_norm = validate::normalize_email(&new_email);
    if new_email_norm == validate::normalize_email(&user.email) {
        return Err(field_error(
            "new_email",
            "This is already your email address.",
        ));
    }
    if state.store.user_by_email(&new_email_norm).await?.is_some() {
        return Err(email_taken());
    }
    let (pending, mail) = new_change(&state, &me.user_id, new_email, new_email_norm);
    let mut event = my_event(
        &state,
        &me,
        &caller,
        SecurityEventKind::EmailChangeRequested,
    );
    event.detail = Some(format!("To {}", pending.new_email));
    state
        .store
        .start_email_change(&pending, &mail, &event)
        .await?;
    Ok(StatusCode::ACCEPTED)
}

/// The pending change and the mail carrying its code.
fn new_change(
    state: &AppState,
    user_id: &str,
    new_email: String,
    new_email_norm: String,
) -> (PendingEmail, OutboxRecord) {
    let now = state.now_ms();
    let code = mfa::new_email_code();
    let body = format!(
        "Your code to confirm this address for {}: {code}\n\nIt works for 15 minutes. \
         If you did not ask for this, ignore this message.",
        state.config.server_name
    );
    let mail = OutboxRecord::new(&new_email_norm, "Confirm your new email address", body, now);
    let pending = PendingEmail {
        user_id: user_id.to_string(),
        code_hash: mfa::email_code_hash(user_id, &code),
        new_email,
        new_email_norm,
        created_at: now,
        expires_at: now.saturating_add(duration_ms(CODE_TTL)),
        attempts: 0,
    };
    (pending, mail)
}

/// Confirm the new address with the mailed code.
#[utoipa::path(post, path = paths::EMAIL_VERIFY, tag = "security", operation_id = "verify_email_change", security(("bearer" = [])),
    request_body = CodeRequest,
    responses(
        (status = 204, description = "The account uses the new address, verified"),
        (status = 404, description = "`not_found`: no change under way", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`email_taken`: the address was registered meanwhile", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: a wrong or expired `code`", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(request): ApiJson<CodeRequest>,
) -> ApiResult<StatusCode> {
    let pending = state
        .store
        .pending_email(&me.user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("No email change is under way."))?;
    check_code(&state, &pending, request.code.expose()).await?;
    let now = state.now_ms();
    let user = current_user(&state, &me).await?;
    let notice = OutboxRecord::new(
        &validate::normalize_email(&user.email),
        "Your email address was changed",
        format!(
            "The email address of your {} account was changed to {}. \
             If you did not do this, contact support at once.",
            state.config.server_name, pending.new_email
        ),
        now,
    );
    let mut event = my_event(&state, &me, &caller, SecurityEventKind::EmailChanged);
    event.detail = Some(format!("From {} to {}", user.email, pending.new_email));
    match state
        .store
        .finish_email_change(&pending, &notice, &event)
        .await
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(StoreError::EmailTaken) => Err(email_taken()),
        Err(StoreError::Database(e)) => Err(e.into()),
    }
}

/// A right code for a change that is still open; a wrong one is counted.
async fn check_code(state: &AppState, pending: &PendingEmail, code: &str) -> ApiResult<()> {
    if pending.expires_at <= state.now_ms() || pending.attempts >= MAX_CODE_ATTEMPTS {
        return Err(field_error(
            "code",
            "This code has expired or was mistyped too often. Ask for a new one.",
        ));
    }
    if mfa::email_code_hash(&pending.user_id, code) != pending.code_hash {
        state.store.email_code_failed(&pending.user_id).await?;
        return Err(field_error(
            "code",
            "This code is not right. Check the email and try again.",
        ));
    }
    Ok(())
}

fn email_taken() -> ApiError {
    ApiError::new(
        ErrorCode::EmailTaken,
        "Another account uses this email address. Choose another.",
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// The recipient's address (any case).
    pub to: String,
}

/// Development servers only: the mail sent to an address, oldest first.
#[utoipa::path(get, path = paths::DEV_OUTBOX, tag = "dev", operation_id = "get_dev_outbox",
    params(OutboxQuery),
    responses(
        (status = 200, description = "The messages", body = Vec<OutboxMessage>),
        (status = 404, description = "`not_found`: not a development server (`acctd serve --dev`)", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn outbox(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<OutboxQuery>,
) -> ApiResult<Json<Vec<OutboxMessage>>> {
    // Outside development the outbox does not exist, as far as anyone can tell.
    if !state.config.dev {
        return Err(crate::error::no_such_route().await);
    }
    // No address holds NUL (and PostgreSQL will not compare one).
    if query.to.contains('\0') {
        return Ok(Json(Vec::new()));
    }
    let records = state
        .store
        .outbox_for(&validate::normalize_email(&query.to))
        .await?;
    let messages = records
        .into_iter()
        .map(|record| OutboxMessage {
            to: record.recipient,
            subject: record.subject,
            body: record.body,
            created_at: from_ms(record.created_at),
        })
        .collect();
    Ok(Json(messages))
}
