//! `/v1/billing/plans` and `/v1/me/subscription`: what can be chosen, what
//! is chosen, and changing it (priced by a preview first).

use acctl_api::billing::{Plan, Subscription, SubscriptionChange, SubscriptionPreview};
use acctl_api::{ErrorCode, FieldErrors, paths};
use axum::Json;
use axum::extract::State;

use crate::auth::Authenticated;
use crate::billing::plans::{PLANS, plan, plan_ids};
use crate::billing::wire;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use crate::state::AppState;
use crate::store::{BillingActor, ChangeOutcome, PlanChange, quote_for};

/// The plans on offer, cheapest first. Prices are per period before tax
/// (20 % is added on invoices). Public: no sign-in needed.
#[utoipa::path(get, path = paths::BILLING_PLANS, tag = "billing", operation_id = "list_plans",
    responses((status = 200, description = "The plans", body = Vec<Plan>)))]
pub async fn plans() -> Json<Vec<Plan>> {
    Json(PLANS.iter().map(|plan| plan.to_wire()).collect())
}

/// The account's subscription. Every account has one: a new account is on
/// free, monthly, active.
#[utoipa::path(get, path = paths::SUBSCRIPTION, tag = "billing", operation_id = "get_subscription", security(("bearer" = [])),
    responses((status = 200, description = "The subscription", body = Subscription)))]
pub async fn get(
    State(state): State<AppState>,
    me: Authenticated,
) -> ApiResult<Json<Subscription>> {
    let sub = state
        .store
        .subscription(&me.user_id, state.now_ms(), state.billing.as_ref())
        .await?;
    Ok(Json(wire::subscription(&sub)))
}

/// What a change would cost now, without making it.
#[utoipa::path(post, path = paths::SUBSCRIPTION_PREVIEW, tag = "billing", operation_id = "preview_subscription_change", security(("bearer" = [])),
    request_body = SubscriptionChange,
    responses(
        (status = 200, description = "The amount due now and the next invoice", body = SubscriptionPreview),
        (status = 422, description = "`validation_failed`: an unknown `plan`, or the plan and interval already chosen", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn preview(
    State(state): State<AppState>,
    me: Authenticated,
    ApiJson(request): ApiJson<SubscriptionChange>,
) -> ApiResult<Json<SubscriptionPreview>> {
    let change = plan_change(&request)?;
    let now = state.now_ms();
    let sub = state
        .store
        .subscription(&me.user_id, now, state.billing.as_ref())
        .await?;
    if sub.plan == change.plan.id && sub.interval == change.interval {
        return Err(same_plan());
    }
    let quote = quote_for(&sub, &change, now);
    Ok(Json(wire::preview(&sub, &change, &quote)))
}

/// Change plan or interval now. The proration invoice (as previewed) is
/// issued and charged to the card on file; without one it stays open and
/// the subscription is past due. A pending cancel is withdrawn. Choosing
/// the plan and interval already held is refused (422), not a no-op, so a
/// client never shows a change that did not happen.
#[utoipa::path(put, path = paths::SUBSCRIPTION, tag = "billing", operation_id = "change_subscription", security(("bearer" = [])),
    request_body = SubscriptionChange,
    responses(
        (status = 200, description = "Changed", body = Subscription),
        (status = 409, description = "`price_changed`: the amount due is no longer `expected_amount_due_minor`; nothing was changed. Preview again", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: an unknown `plan`, or the plan and interval already chosen", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: at most 10 subscription changes a day; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn change(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
    ApiJson(request): ApiJson<SubscriptionChange>,
) -> ApiResult<Json<Subscription>> {
    crate::quota::check(&state, &me.user_id, &crate::quota::SUBSCRIPTION_CHANGES).await?;
    let change = plan_change(&request)?;
    let outcome = state
        .store
        .change_subscription(
            &me.user_id,
            &change,
            state.now_ms(),
            state.billing.as_ref(),
            &actor(&me, &caller),
        )
        .await?;
    match outcome {
        ChangeOutcome::Changed(sub) => Ok(Json(wire::subscription(&sub))),
        ChangeOutcome::Unchanged => Err(same_plan()),
        ChangeOutcome::PriceChanged(now_due) => Err(ApiError::new(
            ErrorCode::PriceChanged,
            format!(
                "The amount due now is {} minor units, not what was previewed. Nothing was \
                 charged; preview the change again.",
                now_due
            ),
        )),
    }
}

/// Cancel at the end of the period; the plan works until then, and the
/// account carries on free afterwards. Canceling twice is the same as once.
#[utoipa::path(post, path = paths::SUBSCRIPTION_CANCEL, tag = "billing", operation_id = "cancel_subscription", security(("bearer" = [])),
    responses(
        (status = 200, description = "Set to end with the period", body = Subscription),
        (status = 409, description = "`conflict`: the free plan has nothing to cancel", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: at most 10 subscription changes a day; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
) -> ApiResult<Json<Subscription>> {
    crate::quota::check(&state, &me.user_id, &crate::quota::SUBSCRIPTION_CHANGES).await?;
    set_cancel(&state, &me, &caller, true).await
}

/// Undo a cancel before the period ends. Resuming one not canceled changes nothing.
#[utoipa::path(post, path = paths::SUBSCRIPTION_RESUME, tag = "billing", operation_id = "resume_subscription", security(("bearer" = [])),
    responses(
        (status = 200, description = "Renews again", body = Subscription),
        (status = 409, description = "`conflict`: the free plan has nothing to resume", body = acctl_api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: at most 10 subscription changes a day; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn resume(
    State(state): State<AppState>,
    me: Authenticated,
    caller: Caller,
) -> ApiResult<Json<Subscription>> {
    crate::quota::check(&state, &me.user_id, &crate::quota::SUBSCRIPTION_CHANGES).await?;
    set_cancel(&state, &me, &caller, false).await
}

async fn set_cancel(
    state: &AppState,
    me: &Authenticated,
    caller: &Caller,
    cancel: bool,
) -> ApiResult<Json<Subscription>> {
    let sub = state
        .store
        .set_cancel_at_period_end(
            &me.user_id,
            cancel,
            state.now_ms(),
            state.billing.as_ref(),
            &actor(me, caller),
        )
        .await?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::Conflict,
                "You are on the free plan, which never renews or charges; there is nothing to \
                 cancel or resume.",
            )
        })?;
    Ok(Json(wire::subscription(&sub)))
}

/// The request with its plan looked up; 422 on `plan` for one not offered.
fn plan_change(request: &SubscriptionChange) -> ApiResult<PlanChange> {
    let Some(spec) = plan(request.plan.trim()) else {
        let message = format!(
            "There is no plan `{}`. Choose one of: {}.",
            request.plan,
            plan_ids()
        );
        return Err(plan_error(message));
    };
    Ok(PlanChange {
        plan: spec,
        interval: request.interval,
        expected_amount_due: request.expected_amount_due_minor,
    })
}

fn same_plan() -> ApiError {
    plan_error("This is the plan and interval you have now. Choose another plan or interval.")
}

fn plan_error(message: impl Into<String>) -> ApiError {
    let mut errors = FieldErrors::new();
    errors.insert("plan".to_string(), vec![message.into()]);
    ApiError::validation(errors)
}

pub(super) fn actor(me: &Authenticated, caller: &Caller) -> BillingActor {
    BillingActor {
        ip: caller.ip.clone().or_else(|| me.ip.clone()),
        device_name: Some(me.device_name.clone()),
    }
}
