//! `/v1/me/invoices`: the account's invoices, one invoice, and its PDF.

use acctl_api::billing::{Invoice, InvoiceSummary};
use acctl_api::{Page, PageQuery, paths};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::auth::Authenticated;
use crate::billing::{pdf, wire};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::pagination;
use crate::state::AppState;
use crate::store::{InvoiceCursor, InvoiceRecord};

/// Invoices, newest first. The cursor is the (issued at, id) of the last
/// invoice sent, so pages stay put while new invoices arrive.
#[utoipa::path(get, path = paths::INVOICES, tag = "billing", operation_id = "list_invoices", security(("bearer" = [])),
    params(
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
    ),
    responses((status = 200, description = "A page of invoices", body = Page<InvoiceSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    me: Authenticated,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<InvoiceSummary>>> {
    let limit = pagination::limit(query.limit);
    let cursor = pagination::position(query.cursor.as_deref())?
        .map(|(issued_at, id)| InvoiceCursor { issued_at, id });
    let (records, more) = state
        .store
        .list_invoices(&me.user_id, limit, cursor.as_ref())
        .await?;
    let next_cursor = pagination::next(more, &records, |i| (i.issued_at, &i.id));
    let items = records.iter().map(wire::summary).collect();
    Ok(Json(Page { items, next_cursor }))
}

/// One invoice with its lines, tax and totals.
#[utoipa::path(get, path = paths::INVOICE_PATTERN, tag = "billing", operation_id = "get_invoice", security(("bearer" = [])),
    params(("id" = String, Path, description = "Invoice id")),
    responses(
        (status = 200, description = "The invoice", body = Invoice),
        (status = 404, description = "`not_found`: no such invoice on this account", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    me: Authenticated,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Invoice>> {
    let invoice = mine(&state, &me, id).await?;
    Ok(Json(wire::invoice(&invoice)))
}

/// The invoice as a PDF, named after its number.
#[utoipa::path(get, path = paths::INVOICE_DOCUMENT_PATTERN, tag = "billing", operation_id = "get_invoice_document", security(("bearer" = [])),
    params(("id" = String, Path, description = "Invoice id")),
    responses(
        (status = 200, description = "The invoice document", content_type = "application/pdf"),
        (status = 404, description = "`not_found`: no such invoice on this account", body = acctl_api::Problem, content_type = "application/problem+json"),
    ))]
pub async fn document(
    State(state): State<AppState>,
    me: Authenticated,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Response> {
    let invoice = mine(&state, &me, id).await?;
    let bytes = pdf::render(&invoice, &state.config.server_name);
    let disposition = format!(
        "attachment; filename=\"{}.pdf\"",
        pdf::file_stem(&invoice.number)
    );
    let disposition = HeaderValue::from_str(&disposition).map_err(ApiError::internal)?;
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/pdf"),
        ),
        (header::CONTENT_LENGTH, HeaderValue::from(bytes.len())),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    Ok((headers, bytes).into_response())
}

/// The caller's invoice `id`. Another account's, a made-up id and one that
/// is not even UTF-8 all get the same 404.
async fn mine(
    state: &AppState,
    me: &Authenticated,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<InvoiceRecord> {
    let not_found = || ApiError::not_found("No invoice with this id on your account.");
    let Some(id) = crate::extract::path_id(id) else {
        return Err(not_found());
    };
    state
        .store
        .invoice(&me.user_id, &id)
        .await?
        .ok_or_else(not_found)
}
