//! Invoice documents: one A4 page in Helvetica (a standard PDF font, so
//! nothing is embedded), written with `pdf-writer`.

use acctl_api::billing::{InvoiceStatus, Money};
use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str, TextStr};

use super::periods::day;
use super::plans::format_money;
use crate::clock::from_ms;
use crate::store::InvoiceRecord;

/// A4 in points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const LEFT: f32 = 56.0;
const AMOUNT_X: f32 = 440.0;
const LEADING: f32 = 16.0;

/// The PDF of `invoice`, sold by `seller`.
pub fn render(invoice: &InvoiceRecord, seller: &str) -> Vec<u8> {
    let (catalog, tree, page, font, contents, info) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
        Ref::new(6),
    );
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let mut page_writer = pdf.page(page);
    page_writer
        .parent(tree)
        .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
        .contents(contents);
    page_writer.resources().fonts().pair(Name(b"F1"), font);
    drop(page_writer);
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(&format!("Invoice {}", invoice.number)))
        .producer(TextStr("acctd"));
    let body = page_content(invoice, seller);
    pdf.stream(contents, &body);
    pdf.finish()
}

/// The invoice's text, top to bottom.
fn page_content(invoice: &InvoiceRecord, seller: &str) -> Vec<u8> {
    let mut page = Page::new();
    page.line(18.0, &format!("Invoice {}", invoice.number), None);
    page.gap();
    for fact in facts(invoice, seller) {
        page.line(10.0, &fact, None);
    }
    page.gap();
    page.line(10.0, "Description", Some("Amount"));
    for line in &invoice.lines {
        let amount = money(invoice, line.amount_minor);
        let text = format!("{} x {}", line.quantity, line.description);
        page.line(10.0, &text, Some(&amount));
    }
    page.gap();
    let subtotal = money(invoice, invoice.subtotal_minor);
    page.line(10.0, "Subtotal", Some(&subtotal));
    let rate = format!("Tax ({})", percent(invoice.tax_rate_bps));
    page.line(10.0, &rate, Some(&money(invoice, invoice.tax_minor)));
    page.line(12.0, "Total", Some(&money(invoice, invoice.total_minor)));
    page.finish()
}

/// Seller, customer, dates and status, one line each.
fn facts(invoice: &InvoiceRecord, seller: &str) -> Vec<String> {
    let customer = match (&invoice.customer_name, &invoice.customer_email) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        (Some(name), None) => name.clone(),
        (None, Some(email)) => email.clone(),
        (None, None) => "(customer removed)".to_string(),
    };
    let status = match (invoice.status, invoice.paid_at) {
        (InvoiceStatus::Paid, Some(paid)) => format!("paid on {}", day(from_ms(paid))),
        (InvoiceStatus::Paid, None) => "paid".to_string(),
        (InvoiceStatus::Open, _) => "open (not paid yet)".to_string(),
        (InvoiceStatus::Void, _) => "void".to_string(),
    };
    vec![
        format!("From: {seller}"),
        format!("Bill to: {customer}"),
        format!("Issued: {}", day(from_ms(invoice.issued_at))),
        format!(
            "Period: {} to {}",
            day(from_ms(invoice.period_start)),
            day(from_ms(invoice.period_end))
        ),
        format!("Status: {status}"),
    ]
}

fn money(invoice: &InvoiceRecord, amount_minor: i64) -> String {
    format_money(&Money::new(amount_minor, &invoice.currency))
}

/// 2000 basis points → "20 %", 1250 → "12.5 %".
fn percent(bps: u32) -> String {
    let (whole, rest) = (bps / 100, bps % 100);
    if rest == 0 {
        format!("{whole} %")
    } else {
        format!("{whole}.{} %", format!("{rest:02}").trim_end_matches('0'))
    }
}

/// Lines of text going down the page.
struct Page {
    content: Content,
    y: f32,
}

impl Page {
    fn new() -> Self {
        Self {
            content: Content::new(),
            y: PAGE_HEIGHT - 72.0,
        }
    }

    /// `text` at the left margin, and `amount` in the amount column.
    fn line(&mut self, size: f32, text: &str, amount: Option<&str>) {
        self.text(LEFT, size, text);
        if let Some(amount) = amount {
            self.text(AMOUNT_X, size, amount);
        }
        self.y -= LEADING.max(size * 1.4);
    }

    fn gap(&mut self) {
        self.y -= LEADING / 2.0;
    }

    fn text(&mut self, x: f32, size: f32, text: &str) {
        self.content
            .begin_text()
            .set_font(Name(b"F1"), size)
            .next_line(x, self.y)
            .show(Str(&win_ansi(text)))
            .end_text();
    }

    fn finish(self) -> Vec<u8> {
        self.content.finish().to_vec()
    }
}

/// `text` in WinAnsiEncoding, which Helvetica is declared with: ASCII and
/// Latin-1 letters as themselves, anything else as "?".
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match u32::from(c) {
            code @ (0x20..=0x7e | 0xa0..=0xff) => u8::try_from(code).unwrap_or(b'?'),
            _ => b'?',
        })
        .collect()
}

/// A file name from an invoice number: letters, digits, `-` and `_` only.
pub fn file_stem(number: &str) -> String {
    let stem: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    if stem.is_empty() {
        "invoice".to_string()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_outside_win_ansi_becomes_a_question_mark() {
        assert_eq!(win_ansi("Zoë €5"), b"Zo\xeb ?5".to_vec());
        assert_eq!(file_stem("INV-2030-000001"), "INV-2030-000001");
        assert_eq!(file_stem("../\"x\""), "x");
        assert_eq!(file_stem("//"), "invoice");
        assert_eq!(percent(2000), "20 %");
        assert_eq!(percent(1250), "12.5 %");
        assert_eq!(percent(705), "7.05 %");
    }
}
