//! Invoices and their lines. Issued only through [`issue_invoice`].

use acctl_api::billing::InvoiceStatus;
use chrono::Datelike as _;
use sqlx::{AnyConnection, FromRow};

use super::billing::{from_name, name_of};
use super::sql::Sql;
use super::{Store, limit_plus_one};
use crate::billing::plans::{CURRENCY, TAX_RATE_BPS};
use crate::billing::proration::{LineDraft, Quote};
use crate::clock::from_ms;

/// An invoice as stored, with its lines in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRecord {
    pub id: String,
    pub number: String,
    pub status: InvoiceStatus,
    pub issued_at: i64,
    pub period_start: i64,
    pub period_end: i64,
    pub paid_at: Option<i64>,
    pub currency: String,
    pub subtotal_minor: i64,
    pub tax_rate_bps: u32,
    pub tax_minor: i64,
    pub total_minor: i64,
    /// Blank once the account is purged.
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    /// Empty in list rows, which do not read them.
    pub lines: Vec<LineDraft>,
}

#[derive(FromRow)]
struct InvoiceRow {
    id: String,
    number: String,
    status: String,
    issued_at: i64,
    period_start: i64,
    period_end: i64,
    paid_at: Option<i64>,
    currency: String,
    subtotal_minor: i64,
    tax_rate_bps: i64,
    tax_minor: i64,
    total_minor: i64,
    customer_name: Option<String>,
    customer_email: Option<String>,
}

impl From<InvoiceRow> for InvoiceRecord {
    fn from(row: InvoiceRow) -> Self {
        Self {
            id: row.id,
            number: row.number,
            status: from_name(&row.status).unwrap_or(InvoiceStatus::Open),
            issued_at: row.issued_at,
            period_start: row.period_start,
            period_end: row.period_end,
            paid_at: row.paid_at,
            currency: row.currency,
            subtotal_minor: row.subtotal_minor,
            tax_rate_bps: u32::try_from(row.tax_rate_bps).unwrap_or_default(),
            tax_minor: row.tax_minor,
            total_minor: row.total_minor,
            customer_name: row.customer_name,
            customer_email: row.customer_email,
            lines: Vec::new(),
        }
    }
}

const INVOICE_COLUMNS: &str = "id, number, status, issued_at, period_start, period_end, \
     paid_at, currency, subtotal_minor, tax_rate_bps, tax_minor, total_minor, customer_name, \
     customer_email";

/// Position after the last invoice of a page: newest first, ties by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceCursor {
    pub issued_at: i64,
    pub id: String,
}

/// What an invoice is issued for.
pub struct NewInvoice<'a> {
    pub user_id: &'a str,
    pub quote: &'a Quote,
    pub issued_at: i64,
    pub paid: bool,
}

/// Issues an invoice: numbers it (`INV-<year>-<running number>`), stores
/// it with its lines and the customer's name and email as they are now.
/// Every invoice is issued here, so "also notify" goes here once.
pub(super) async fn issue_invoice(
    conn: &mut AnyConnection,
    new: &NewInvoice<'_>,
) -> Result<InvoiceRecord, sqlx::Error> {
    let (seq,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM invoices")
        .fetch_one(&mut *conn)
        .await?;
    let (customer_name, customer_email): (String, String) =
        sqlx::query_as("SELECT COALESCE(display_name, name), email FROM users WHERE id = $1")
            .bind(new.user_id)
            .fetch_one(&mut *conn)
            .await?;
    let quote = new.quote;
    let record = InvoiceRecord {
        id: uuid::Uuid::new_v4().to_string(),
        number: format!("INV-{}-{seq:06}", from_ms(new.issued_at).year()),
        status: if new.paid {
            InvoiceStatus::Paid
        } else {
            InvoiceStatus::Open
        },
        issued_at: new.issued_at,
        period_start: quote.period_start,
        period_end: quote.period_end,
        paid_at: new.paid.then_some(new.issued_at),
        currency: CURRENCY.to_string(),
        subtotal_minor: quote.subtotal,
        tax_rate_bps: TAX_RATE_BPS,
        tax_minor: quote.tax,
        total_minor: quote.total,
        customer_name: Some(customer_name),
        customer_email: Some(customer_email),
        lines: quote.lines.clone(),
    };
    insert_invoice(conn, new.user_id, seq, &record).await?;
    notify_issued(conn, new.user_id, &record).await?;
    Ok(record)
}

/// "Invoice issued" in the inbox (and by mail), as the person's settings say.
async fn notify_issued(
    conn: &mut AnyConnection,
    user_id: &str,
    record: &InvoiceRecord,
) -> Result<(), sqlx::Error> {
    let total = crate::billing::plans::format_money(&acctl_api::billing::Money::new(
        record.total_minor,
        &record.currency,
    ));
    let settled = match record.status {
        InvoiceStatus::Paid => "Paid with the card on file.",
        _ => "It is open: add a card under Billing to pay it.",
    };
    let title = format!("Invoice {} issued: {total}", record.number);
    let body = format!("{settled} The PDF is under Billing, Invoices.");
    super::notifications::notify(
        conn,
        user_id,
        acctl_api::notifications::NotificationCategory::Billing,
        &title,
        &body,
        record.issued_at,
    )
    .await
}

async fn insert_invoice(
    conn: &mut AnyConnection,
    user_id: &str,
    seq: i64,
    record: &InvoiceRecord,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO invoices (user_id, seq, {INVOICE_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    ))
    .bind(user_id)
    .bind(seq)
    .bind(&record.id)
    .bind(&record.number)
    .bind(name_of(record.status))
    .bind(record.issued_at)
    .bind(record.period_start)
    .bind(record.period_end)
    .bind(record.paid_at)
    .bind(&record.currency)
    .bind(record.subtotal_minor)
    .bind(i64::from(record.tax_rate_bps))
    .bind(record.tax_minor)
    .bind(record.total_minor)
    .bind(&record.customer_name)
    .bind(&record.customer_email)
    .execute(&mut *conn)
    .await?;
    insert_lines(conn, &record.id, &record.lines).await
}

async fn insert_lines(
    conn: &mut AnyConnection,
    invoice_id: &str,
    lines: &[LineDraft],
) -> Result<(), sqlx::Error> {
    for (position, line) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_lines (invoice_id, position, description, quantity,
                 unit_amount_minor, amount_minor)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(invoice_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&line.description)
        .bind(i64::from(line.quantity))
        .bind(line.unit_minor)
        .bind(line.amount_minor)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn lines_of(
    conn: &mut AnyConnection,
    invoice_id: &str,
) -> Result<Vec<LineDraft>, sqlx::Error> {
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT description, quantity, unit_amount_minor, amount_minor FROM invoice_lines
         WHERE invoice_id = $1 ORDER BY position",
    )
    .bind(invoice_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(description, quantity, unit_minor, amount_minor)| LineDraft {
                description,
                quantity: u32::try_from(quantity).unwrap_or_default(),
                unit_minor,
                amount_minor,
            },
        )
        .collect())
}

/// Every invoice of `user_id` with its lines, newest first.
pub(super) async fn invoices_with_lines(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<InvoiceRecord>, sqlx::Error> {
    let rows: Vec<InvoiceRow> = sqlx::query_as(&format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE user_id = $1
         ORDER BY issued_at DESC, id DESC"
    ))
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut invoices = Vec::with_capacity(rows.len());
    for row in rows {
        let mut invoice = InvoiceRecord::from(row);
        invoice.lines = lines_of(conn, &invoice.id).await?;
        invoices.push(invoice);
    }
    Ok(invoices)
}

/// Marks `user_id`'s open invoices paid (a card arrived) and their
/// subscription active again.
pub(super) async fn pay_open_invoices(
    conn: &mut AnyConnection,
    user_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invoices SET status = $1, paid_at = $2 WHERE user_id = $3 AND status = $4")
        .bind(name_of(InvoiceStatus::Paid))
        .bind(now)
        .bind(user_id)
        .bind(name_of(InvoiceStatus::Open))
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE subscriptions SET status = $1 WHERE user_id = $2 AND status = $3")
        .bind(name_of(acctl_api::billing::SubscriptionStatus::Active))
        .bind(user_id)
        .bind(name_of(acctl_api::billing::SubscriptionStatus::PastDue))
        .execute(conn)
        .await?;
    Ok(())
}

impl Store {
    /// Up to `limit` invoices after `cursor`, newest first, and whether more follow.
    pub async fn list_invoices(
        &self,
        user_id: &str,
        limit: u32,
        cursor: Option<&InvoiceCursor>,
    ) -> Result<(Vec<InvoiceRecord>, bool), sqlx::Error> {
        let mut query = Sql::new(format!(
            "SELECT {INVOICE_COLUMNS} FROM invoices WHERE user_id = "
        ));
        query.push_bind(user_id);
        if let Some(cursor) = cursor {
            query.push_past("issued_at, id", "<", cursor.issued_at, cursor.id.as_str());
        }
        query
            .push(" ORDER BY issued_at DESC, id DESC LIMIT ")
            .push_bind(limit_plus_one(limit));
        let rows: Vec<InvoiceRow> = query.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() > limit as usize;
        let invoices = rows
            .into_iter()
            .take(limit as usize)
            .map(Into::into)
            .collect();
        Ok((invoices, more))
    }

    /// One of `user_id`'s invoices with its lines; None for anyone else's.
    pub async fn invoice(
        &self,
        user_id: &str,
        id: &str,
    ) -> Result<Option<InvoiceRecord>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let row: Option<InvoiceRow> = sqlx::query_as(&format!(
            "SELECT {INVOICE_COLUMNS} FROM invoices WHERE user_id = $1 AND id = $2"
        ))
        .bind(user_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut invoice = InvoiceRecord::from(row);
        invoice.lines = lines_of(&mut conn, &invoice.id).await?;
        Ok(Some(invoice))
    }
}
