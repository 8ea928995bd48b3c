//! The OpenAPI document, generated from the handlers' annotations. Problem
//! answers every operation can give (500, bad bodies, missing sign-in) are
//! added here once instead of on each handler.

use std::sync::OnceLock;

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::openapi_rules::ServerRules;
use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "acctd",
        description = "The reference account service of acctl. Errors are RFC 9457 problem \
                       documents (`application/problem+json`) with a stable `code`."
    ),
    paths(
        routes::meta::healthz,
        routes::meta::readyz,
        routes::meta::meta,
        routes::meta::openapi,
        routes::auth::signup,
        routes::auth::login,
        routes::login_mfa::login_mfa,
        routes::auth::refresh,
        routes::auth::logout,
        routes::reauth::step_up,
        routes::password_reset::reset,
        routes::me::me,
        routes::me::update,
        routes::avatar::get,
        routes::avatar::put,
        routes::avatar::delete,
        routes::preferences::get,
        routes::preferences::update,
        routes::sessions::list,
        routes::sessions::revoke,
        routes::sessions::revoke_others,
        routes::events::list,
        routes::password::change,
        routes::email::request_change,
        routes::email::verify,
        routes::mfa::status,
        routes::mfa::enroll,
        routes::mfa::confirm,
        routes::mfa::disable,
        routes::mfa::regenerate,
        routes::notification_settings::get,
        routes::notification_settings::update,
        routes::notifications::list,
        routes::notifications::unread_count,
        routes::notifications::mark_read,
        routes::notifications::read_all,
        routes::privacy::get,
        routes::privacy::update,
        routes::exports::start,
        routes::exports::list,
        routes::exports::get,
        routes::exports::download,
        routes::deletion::get,
        routes::deletion::schedule,
        routes::deletion::cancel,
        routes::email::outbox,
        routes::billing::plans,
        routes::billing::get,
        routes::billing::preview,
        routes::billing::change,
        routes::billing::cancel,
        routes::billing::resume,
        routes::invoices::list,
        routes::invoices::get,
        routes::invoices::document,
        routes::payment::get,
        routes::payment::update,
        routes::payment::page,
        routes::payment::complete,
        routes::admin::users::search,
        routes::admin::users::detail,
        routes::admin::users::sessions,
        routes::admin::users::events,
        routes::admin::actions::disable,
        routes::admin::actions::enable,
        routes::admin::actions::revoke_sessions,
        routes::admin::actions::revoke_session,
        routes::admin::actions::mfa_reset,
        routes::admin::actions::password_reset,
        routes::admin::audit::list,
    ),
    components(schemas(acctl_api::Problem)),
    modifiers(&BearerScheme, &CommonProblems, &ServerRules),
    tags(
        (name = "auth", description = "Signing up, in, refreshing and out"),
        (name = "account", description = "The signed-in account: profile, picture and preferences. \
            What can be edited comes with an `ETag`; edits must send it back as `If-Match`"),
        (name = "sessions", description = "Signed-in devices"),
        (name = "security", description = "Password, email, two-factor sign-in and the security log"),
        (name = "notifications", description = "Which categories arrive on which channels, and the in-app inbox"),
        (name = "privacy", description = "Profile visibility, data use, exports of everything held, and account deletion"),
        (name = "billing", description = "Plans, the subscription, invoices and the card on file. \
            Money is integer minor units with a currency, never a float"),
        (name = "admin", description = "Administrators only: finding accounts, their state, \
            disabling, signing out, two-factor and password resets, and the audit log. Every \
            write needs a `reason` and a step-up proof from /v1/auth/step-up"),
        (name = "dev", description = "Development servers only (`acctd serve --dev`)"),
        (name = "meta", description = "Discovery and health"),
    )
)]
struct ApiDoc;

/// The document as JSON, with its links (built once per process).
pub fn document() -> serde_json::Value {
    static DOCUMENT: OnceLock<serde_json::Value> = OnceLock::new();
    DOCUMENT
        .get_or_init(|| {
            // A document of plain data always serialises.
            let mut document = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
            crate::openapi_links::add(&mut document);
            document
        })
        .clone()
}

/// The document as pretty-printed JSON.
pub fn json() -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(&document())?)
}

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "An access token from /v1/auth/login, signup or refresh",
            ))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

struct CommonProblems;

impl Modify for CommonProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let admin = path.starts_with("/v1/admin/");
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.delete,
                &mut item.put,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                add_common_problems(operation);
                if admin {
                    add_admin_refusal(operation);
                }
            }
        }
    }
}

fn add_common_problems(operation: &mut Operation) {
    let mut add = |status: &str, description: &str| {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| problem(description));
    };
    add("500", "`internal`: quote the request id when reporting it");
    // Bodies that are not JSON (pictures) list their own 413 and 415.
    let json_body = operation
        .request_body
        .as_ref()
        .is_some_and(|body| body.content.contains_key("application/json"));
    if json_body {
        add(
            "400",
            "`malformed_request`: the body is not JSON of the right shape",
        );
        add("413", "`payload_too_large`: the body is over 64 KiB");
        add(
            "415",
            "`unsupported_media_type`: send `Content-Type: application/json`",
        );
    }
    if operation.parameters.is_some() {
        add("400", "`malformed_request`: a query parameter is not valid");
    }
    if operation.security.is_some() {
        add(
            "401",
            "`unauthenticated`, `token_expired` (refresh and retry) or `session_revoked`",
        );
    }
}

/// Every `/v1/admin/` route refuses a caller who is not an administrator.
fn add_admin_refusal(operation: &mut Operation) {
    operation
        .responses
        .responses
        .entry("403".to_string())
        .or_insert_with(|| problem("`admin_required`: the caller is not an administrator"));
}

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(problem_response(description))
}

/// A problem document answer described by `description`.
pub(crate) fn problem_response(description: &str) -> Response {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content(acctl_api::error::PROBLEM_CONTENT_TYPE, content)
        .build()
}
