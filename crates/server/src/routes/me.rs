//! `GET /v1/me`: the signed-in account; `PATCH /v1/me`: its profile (name,
//! display name, phone, bio), versioned by `ETag`/`If-Match`.

use acctl_api::{Account, FieldErrors, ProfilePatch, SecurityEventKind, SignInRecord, paths};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue};

use crate::auth::{Authenticated, CallerAccount};
use crate::clock::from_ms;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::precondition::{IfMatch, etag_header, stale};
use crate::routes::reauth::my_event;
use crate::state::AppState;
use crate::store::{AccountView, ProfileChange, Versioned};
use crate::validate::{self, Checks, MAX_NAME_CHARS};

/// An answer with `ETag: "<version>"`.
pub type Tagged<T> = ([(HeaderName, HeaderValue); 1], Json<T>);

/// The signed-in account.
#[utoipa::path(get, path = paths::ME, tag = "account", operation_id = "get_me", security(("bearer" = [])),
    responses((status = 200, description = "The account", body = Account,
        headers(("ETag" = String, description = "The profile's version, e.g. `\"3\"`: send it as `If-Match` to `PATCH /v1/me`")))))]
pub async fn me(CallerAccount(view): CallerAccount) -> Tagged<Account> {
    let (version, account) = account_of(view);
    (etag_header(version), Json(account))
}

/// Change the profile: only the fields sent change; `""` clears
/// `display_name`, `phone` or `bio`.
#[utoipa::path(patch, path = paths::ME, tag = "account", operation_id = "update_me", security(("bearer" = [])),
    params(("If-Match" = String, Header, description = "The `ETag` of the profile as loaded, e.g. `\"3\"`")),
    request_body = ProfilePatch,
    responses(
        (status = 200, description = "The account as changed (unchanged for an empty patch); a `profile_updated` event names the fields that changed", body = Account,
            headers(("ETag" = String, description = "The new version"))),
        (status = 412, description = "`precondition_failed`: the profile changed since that ETag; the `ETag` header has the current one", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("ETag" = String, description = "The current version"))),
        (status = 422, description = "`validation_failed`: `name`, `display_name`, `phone` or `bio` is not valid", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`precondition_required`: no `If-Match`", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    if_match: IfMatch,
    ApiJson(patch): ApiJson<ProfilePatch>,
) -> ApiResult<Tagged<Account>> {
    let change = profile_change(&patch).map_err(ApiError::validation)?;
    let event = |fields: &[&str]| {
        let mut event = my_event(&state, &me, &caller, SecurityEventKind::ProfileUpdated);
        event.detail = Some(format!("Changed: {}", fields.join(", ")));
        event
    };
    let written = state
        .store
        .update_profile(
            &me.user_id,
            |version| if_match.matches(version),
            &change,
            state.now_ms(),
            event,
        )
        .await?
        .ok_or_else(|| ApiError::internal("session without an account"))?;
    match written {
        Versioned::Updated(_) | Versioned::Unchanged(_) => tagged_account(&state, &me).await,
        Versioned::Stale { current } => Err(stale(current, "profile")),
    }
}

/// The patch checked field by field, in the form it is stored.
fn profile_change(patch: &ProfilePatch) -> Result<ProfileChange, FieldErrors> {
    let mut checks = Checks::default();
    let name = patch.name.as_deref().map(str::trim);
    if let Some(message) = name.and_then(|name| validate::text_problem(name, MAX_NAME_CHARS, true))
    {
        checks.add("name", message);
    }
    let display_name = patch.display_name.as_deref().map(str::trim);
    if let Some(message) =
        display_name.and_then(|name| validate::text_problem(name, MAX_NAME_CHARS, false))
    {
        checks.add("display_name", message);
    }
    let phone = match patch
        .phone
        .as_deref()
        .map(acctl_api::profile::normalize_phone)
    {
        Some(Err(message)) => {
            checks.add("phone", message);
            None
        }
        Some(Ok(phone)) => Some(phone),
        None => None,
    };
    let bio = patch.bio.as_deref().map(validate::normalize_bio);
    if let Some(message) = bio.as_deref().and_then(validate::bio_problem) {
        checks.add("bio", message);
    }
    checks.finish()?;
    // An empty optional field means "clear it".
    let cleared = |text: &str| (!text.is_empty()).then(|| text.to_string());
    Ok(ProfileChange {
        name: name.map(str::to_string),
        display_name: display_name.map(cleared),
        phone,
        bio: bio.as_deref().map(cleared),
    })
}

/// The caller's account, with its profile's ETag.
pub async fn tagged_account(state: &AppState, me: &Authenticated) -> ApiResult<Tagged<Account>> {
    let (version, account) = account(state, me).await?;
    Ok((etag_header(version), Json(account)))
}

/// The caller's account and its profile's version, read in one query.
pub(crate) async fn account(state: &AppState, me: &Authenticated) -> ApiResult<(i64, Account)> {
    // An expired email change is as good as none.
    let view = state
        .store
        .account_view(&me.user_id, &me.session_id, me.signed_in_at, state.now_ms())
        .await?
        .ok_or_else(|| ApiError::internal("session without an account"))?;
    Ok(account_of(view))
}

/// The account as the API shows it, and its profile's version.
fn account_of(view: AccountView) -> (i64, Account) {
    let (user, facts) = (view.user, view.facts);
    let last_sign_in = view.previous_at.map(|at| SignInRecord {
        at: from_ms(at),
        ip: view.previous_ip,
        device_name: view.previous_device_name,
    });
    let account = Account {
        id: user.id,
        email: user.email,
        email_verified: user.email_verified,
        name: user.name,
        display_name: user.display_name,
        created_at: Some(from_ms(user.created_at)),
        mfa_enabled: facts.mfa_enabled,
        active_sessions: u32::try_from(facts.active_sessions).unwrap_or(u32::MAX),
        last_sign_in,
        pending_email: facts.pending_email,
        phone: user.phone,
        bio: user.bio,
        has_avatar: facts.has_avatar,
        deletion_scheduled_for: facts.deletion_scheduled_for.map(from_ms),
        admin: user.is_admin,
    };
    (user.profile_version, account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_are_trimmed_normalised_and_cleared() {
        let patch = ProfilePatch {
            name: Some(" Ann ".into()),
            display_name: Some(" ".into()),
            phone: Some("+44 (1632) 960-961".into()),
            bio: Some("".into()),
        };
        let change = profile_change(&patch).expect("valid");
        assert_eq!(change.name.as_deref(), Some("Ann"));
        assert_eq!(change.display_name, Some(None));
        assert_eq!(change.phone, Some(Some("+441632960961".into())));
        assert_eq!(change.bio, Some(None));
        assert_eq!(
            profile_change(&ProfilePatch::default()),
            Ok(ProfileChange::default())
        );
        let errors = profile_change(&ProfilePatch {
            name: Some(String::new()),
            phone: Some("12".into()),
            ..ProfilePatch::default()
        })
        .expect_err("invalid");
        assert!(errors.contains_key("name") && errors.contains_key("phone"));
    }
}
