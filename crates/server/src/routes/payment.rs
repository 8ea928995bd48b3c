//! The card on file, and changing it through a browser: `POST
//! /v1/me/payment-method/update` hands out a single-use link to
//! `/billing/checkout/{token}`, a page of this server.

use std::time::Duration;

use acctl_api::billing::{PaymentMethodHandoff, PaymentMethodState};
use acctl_api::paths;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;

use crate::auth::{Authenticated, tokens};
use crate::clock::{duration_ms, from_ms};
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::state::AppState;
use crate::store::BillingActor;

/// How long a checkout link works.
const CHECKOUT_TTL: Duration = Duration::from_secs(30 * 60);
const CHECKOUT_PREFIX: &str = "chk_";
/// Longer values cannot be our tokens; refused before hashing.
const MAX_TOKEN_LEN: usize = 256;

/// The card on file, as much as may be shown; `card: null` when none.
#[utoipa::path(get, path = paths::PAYMENT_METHOD, tag = "billing", operation_id = "get_payment_method", security(("bearer" = [])),
    responses((status = 200, description = "The card on file", body = PaymentMethodState)))]
pub async fn get(
    State(state): State<AppState>,
    me: Authenticated,
) -> ApiResult<Json<PaymentMethodState>> {
    let card = state.store.payment_method(&me.user_id).await?;
    Ok(Json(PaymentMethodState { card }))
}

/// A link to change the card in a browser: works once, for 30 minutes.
/// The card never passes through the client.
#[utoipa::path(post, path = paths::PAYMENT_METHOD_UPDATE, tag = "billing", operation_id = "start_payment_method_update", security(("bearer" = [])),
    responses(
        (status = 200, description = "Where to finish the change", body = PaymentMethodHandoff),
        (status = 429, description = "`rate_limited`: at most 10 card change links an hour; see `Retry-After`", body = acctl_api::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn update(
    State(state): State<AppState>,
    me: Authenticated,
) -> ApiResult<Json<PaymentMethodHandoff>> {
    crate::quota::check(&state, &me.user_id, &crate::quota::CHECKOUTS).await?;
    let origin = origin(&state)?;
    let token = tokens::generate(CHECKOUT_PREFIX);
    let now = state.now_ms();
    let expires_at = now.saturating_add(duration_ms(CHECKOUT_TTL));
    state
        .store
        .create_checkout(&me.user_id, &tokens::hash(token.expose()), now, expires_at)
        .await?;
    let path = paths::CHECKOUT_PATTERN.replace("{token}", token.expose());
    Ok(Json(PaymentMethodHandoff {
        url: format!("{origin}{path}"),
        expires_at: from_ms(expires_at),
    }))
}

/// The public URL (set at start, never from the request's `Host`).
fn origin(state: &AppState) -> ApiResult<String> {
    state
        .config
        .public_url
        .clone()
        .ok_or_else(|| ApiError::internal("serving without a public URL"))
}

/// The checkout page: in development mode a button that puts a test card
/// on file; otherwise a note that this server takes no cards.
#[utoipa::path(get, path = paths::CHECKOUT_PATTERN, tag = "billing", operation_id = "checkout_page",
    params(("token" = String, Path, description = "From the hand-off URL")),
    responses(
        (status = 200, description = "The page", content_type = "text/html"),
        (status = 404, description = "The link is unknown, used or expired", content_type = "text/html"),
    ))]
pub async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<(StatusCode, Html<String>)> {
    if token.len() > MAX_TOKEN_LEN {
        return Ok(gone());
    }
    let open = state
        .store
        .checkout_is_open(&tokens::hash(&token), state.now_ms())
        .await?;
    if !open {
        return Ok(gone());
    }
    if state
        .billing
        .complete_checkout(state.clock().now())
        .is_none()
    {
        return Ok((
            StatusCode::OK,
            html("No payment provider", state.billing.unavailable_reason()),
        ));
    }
    let form = "<p>This development server has no real payment provider. Saving puts a \
         test card (Visa ending 4242) on file.</p>\
         <form method=\"post\"><button type=\"submit\">Save test card</button></form>";
    Ok((StatusCode::OK, html_raw("Change your card", form)))
}

/// Finishes a checkout (development mode): stores the test card, once.
#[utoipa::path(post, path = paths::CHECKOUT_PATTERN, tag = "billing", operation_id = "complete_checkout",
    params(("token" = String, Path, description = "From the hand-off URL")),
    responses(
        (status = 200, description = "The card is on file", content_type = "text/html"),
        (status = 404, description = "The link is unknown, used or expired", content_type = "text/html"),
        (status = 409, description = "This server cannot take cards", content_type = "text/html"),
    ))]
pub async fn complete(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
) -> ApiResult<(StatusCode, Html<String>)> {
    if token.len() > MAX_TOKEN_LEN {
        return Ok(gone());
    }
    let Some(card) = state.billing.complete_checkout(state.clock().now()) else {
        let page = html("No payment provider", state.billing.unavailable_reason());
        return Ok((StatusCode::CONFLICT, page));
    };
    let actor = BillingActor {
        ip: caller.ip,
        device_name: Some("Browser checkout".to_string()),
    };
    let hash = tokens::hash(&token);
    let done = state
        .store
        .complete_checkout(&hash, &card, state.now_ms(), &actor)
        .await?;
    let Some(user_id) = done else {
        return Ok(gone());
    };
    tracing::info!(%user_id, brand = %card.brand, last4 = %card.last4, "checkout: test card stored");
    let message = "Your card is saved. You can close this page and go back to acctl.";
    Ok((StatusCode::OK, html("Card saved", message)))
}

fn gone() -> (StatusCode, Html<String>) {
    let message = "This link has expired or was already used. Start again from acctl.";
    (StatusCode::NOT_FOUND, html("Link not valid", message))
}

/// A page with a plain-text message (escaped).
fn html(title: &str, message: &str) -> Html<String> {
    html_raw(title, &format!("<p>{}</p>", escape(message)))
}

fn html_raw(title: &str, body: &str) -> Html<String> {
    let title = escape(title);
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    ))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_text_is_escaped() {
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
