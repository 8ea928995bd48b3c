//! The HTTP routes, one module per resource.

pub mod admin;
pub mod auth;
pub mod avatar;
pub mod billing;
pub mod deletion;
pub mod email;
pub mod events;
pub mod exports;
pub mod invoices;
pub mod login_mfa;
pub mod me;
pub mod meta;
pub mod mfa;
pub mod notification_settings;
pub mod notifications;
pub mod password;
pub mod password_reset;
pub mod payment;
pub mod preferences;
pub mod privacy;
pub(crate) mod reauth;
pub mod sessions;

use acctl_api::{AVATAR_MAX_BYTES, paths};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};

use crate::error::{no_such_route, wrong_method};
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let body_limit = state.config.max_body_bytes;
    Router::new()
        .route(paths::HEALTHZ, get(meta::healthz))
        .route(meta::READYZ, get(meta::readyz))
        .route(paths::META, get(meta::meta))
        .route(paths::OPENAPI, get(meta::openapi))
        .route(paths::SIGNUP, post(auth::signup))
        .route(paths::LOGIN, post(auth::login))
        .route(paths::LOGIN_MFA, post(login_mfa::login_mfa))
        .route(paths::REFRESH, post(auth::refresh))
        .route(paths::LOGOUT, post(auth::logout))
        .route(paths::STEP_UP, post(reauth::step_up))
        .route(paths::PASSWORD_RESET, post(password_reset::reset))
        .route(paths::ME, get(me::me).patch(me::update))
        .route(
            paths::AVATAR,
            get(avatar::get)
                .put(avatar::put)
                .delete(avatar::delete)
                // Pictures are bigger than any JSON body; only here.
                .layer(DefaultBodyLimit::max(AVATAR_MAX_BYTES)),
        )
        .route(
            paths::PREFERENCES,
            get(preferences::get).patch(preferences::update),
        )
        .route(
            paths::SESSIONS,
            get(sessions::list).delete(sessions::revoke_others),
        )
        .route(paths::SESSION_PATTERN, delete(sessions::revoke))
        .route(paths::SECURITY_EVENTS, get(events::list))
        .route(paths::PASSWORD, post(password::change))
        .route(paths::EMAIL, post(email::request_change))
        .route(paths::EMAIL_VERIFY, post(email::verify))
        .route(paths::MFA, get(mfa::status))
        .route(paths::MFA_TOTP, post(mfa::enroll).delete(mfa::disable))
        .route(paths::MFA_TOTP_CONFIRM, post(mfa::confirm))
        .route(paths::MFA_RECOVERY_CODES, post(mfa::regenerate))
        .route(
            paths::NOTIFICATION_SETTINGS,
            get(notification_settings::get).put(notification_settings::update),
        )
        .route(paths::NOTIFICATIONS, get(notifications::list))
        .route(
            paths::NOTIFICATIONS_UNREAD_COUNT,
            get(notifications::unread_count),
        )
        .route(paths::NOTIFICATIONS_READ_ALL, post(notifications::read_all))
        .route(
            paths::NOTIFICATION_READ_PATTERN,
            post(notifications::mark_read),
        )
        .route(paths::PRIVACY, get(privacy::get).patch(privacy::update))
        .route(paths::EXPORTS, post(exports::start).get(exports::list))
        .route(paths::EXPORT_PATTERN, get(exports::get))
        .route(paths::EXPORT_DOWNLOAD_PATTERN, get(exports::download))
        .route(
            paths::DELETION,
            get(deletion::get)
                .post(deletion::schedule)
                .delete(deletion::cancel),
        )
        .route(paths::DEV_OUTBOX, get(email::outbox))
        .merge(billing_routes())
        .merge(admin::routes(state.clone()))
        .fallback(no_such_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

fn billing_routes() -> Router<AppState> {
    Router::new()
        .route(paths::BILLING_PLANS, get(billing::plans))
        .route(paths::SUBSCRIPTION, get(billing::get).put(billing::change))
        .route(paths::SUBSCRIPTION_PREVIEW, post(billing::preview))
        .route(paths::SUBSCRIPTION_CANCEL, post(billing::cancel))
        .route(paths::SUBSCRIPTION_RESUME, post(billing::resume))
        .route(paths::INVOICES, get(invoices::list))
        .route(paths::INVOICE_PATTERN, get(invoices::get))
        .route(paths::INVOICE_DOCUMENT_PATTERN, get(invoices::document))
        .route(paths::PAYMENT_METHOD, get(payment::get))
        .route(paths::PAYMENT_METHOD_UPDATE, post(payment::update))
        .route(
            paths::CHECKOUT_PATTERN,
            get(payment::page).post(payment::complete),
        )
}
