//! `acctl invoices list|download`: your invoices, newest first, and their
//! PDFs.

use acctl_client::Feature;
use std::path::PathBuf;

use acctl_api::billing::{InvoiceStatus, InvoiceSummary};
use acctl_api::{ErrorCode, PageQuery};
use clap::{Args, Subcommand};

use super::billing::money;
use super::download::{ProgressLine, check_target, until_interrupted};
use super::json::JsonArg;
use super::security_log::newest_in_pages;
use super::session::ProfileSession;
use super::table::{columns, one_line};
use super::{CliError, Exit, Invocation};
use acctl_client::Progress;

#[derive(Debug, Subcommand)]
pub enum InvoicesCommand {
    /// Your invoices, newest first.
    List {
        #[command(flatten)]
        json: JsonArg,
        /// Show at most this many, newest first.
        #[arg(long, value_name = "N", default_value_t = PAGE,
              value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
    },
    /// Save an invoice as a PDF (default: ./<number>.pdf).
    Download(InvoiceDownloadArgs),
}

#[derive(Debug, Args)]
pub struct InvoiceDownloadArgs {
    /// The invoice's id, as `acctl invoices list` shows it.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Where to save the PDF.
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Replace the file at the path if there is one.
    #[arg(long)]
    pub force: bool,
}

/// Invoices asked for a request: as many as the default `--limit`, so the
/// usual listing is one request and a longer one follows the cursor.
const PAGE: u32 = 20;

pub(super) async fn run(inv: Invocation, command: InvoicesCommand) -> Result<(), CliError> {
    match command {
        InvoicesCommand::List { json, limit } => list(inv, &json, limit).await,
        InvoicesCommand::Download(args) => download(inv, args).await,
    }
}

async fn list(inv: Invocation, json: &JsonArg, limit: u32) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Billing)
        .await?;
    let billing = client.billing();
    let billing = &billing;
    let (invoices, more) = newest_in_pages(limit, PAGE, move |query: PageQuery| async move {
        billing.invoices(&query).await
    })
    .await?;
    if json.wanted() {
        return json.print(&invoices);
    }
    print!("{}", table(&invoices));
    if more {
        println!(
            "Showing the newest {}; pass --limit for more.",
            invoices.len()
        );
    }
    Ok(())
}

fn table(invoices: &[InvoiceSummary]) -> String {
    if invoices.is_empty() {
        return "No invoices.\n".to_string();
    }
    let header = ["ID", "NUMBER", "ISSUED", "PERIOD", "STATUS", "TOTAL"].map(str::to_string);
    let rows: Vec<Vec<String>> = std::iter::once(header.to_vec())
        .chain(invoices.iter().map(|invoice| {
            vec![
                one_line(&invoice.id),
                one_line(&invoice.number),
                invoice.issued_at.format("%Y-%m-%d").to_string(),
                format!(
                    "{} to {}",
                    invoice.period_start.format("%Y-%m-%d"),
                    invoice.period_end.format("%Y-%m-%d")
                ),
                status_word(invoice.status).to_string(),
                money(&invoice.total),
            ]
        }))
        .collect();
    let mut out = columns(&rows);
    out.push_str("Save one as a PDF with `acctl invoices download ID`.\n");
    out
}

fn status_word(status: InvoiceStatus) -> &'static str {
    match status {
        InvoiceStatus::Paid => "paid",
        InvoiceStatus::Open => "open",
        InvoiceStatus::Void => "void",
    }
}

/// `<number>.pdf`, with anything that is not safe in a file name (a path
/// separator from the server, say) made a `-`.
fn default_name(number: &str) -> PathBuf {
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    let stem = if safe.is_empty() { "invoice" } else { safe };
    PathBuf::from(format!("{stem}.pdf"))
}

async fn download(inv: Invocation, args: InvoiceDownloadArgs) -> Result<(), CliError> {
    if let Some(path) = &args.output {
        check_target(path, args.force)?;
    }
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Billing)
        .await?;
    let invoice = match client.billing().invoice(&args.id).await {
        Ok(invoice) => invoice,
        Err(e) if e.code() == Some(ErrorCode::NotFound) => {
            return Err(CliError::new(
                Exit::Error,
                format!(
                    "there is no invoice {} on your account; see `acctl invoices list`",
                    one_line(&args.id)
                ),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let dest = args.output.unwrap_or_else(|| default_name(&invoice.number));
    check_target(&dest, args.force)?;
    let billing = client.billing();
    let work = async {
        let mut line = ProgressLine::new("Downloading", inv.quiet);
        let bytes = billing
            .download_invoice(&invoice.id, &dest, |p: Progress| line.download(p))
            .await?;
        line.finish();
        Ok(bytes)
    };
    let bytes: u64 = until_interrupted(work).await?;
    println!("{}", dest.display());
    if !inv.quiet {
        eprintln!(
            "Saved invoice {} ({bytes} bytes).",
            one_line(&invoice.number)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use acctl_api::billing::Money;

    #[test]
    fn default_names_are_safe_file_names() {
        assert_eq!(
            default_name("INV-2025-000123"),
            PathBuf::from("INV-2025-000123.pdf")
        );
        assert_eq!(default_name("../../etc/x"), PathBuf::from("-..-etc-x.pdf"));
        assert_eq!(default_name(""), PathBuf::from("invoice.pdf"));
        assert_eq!(default_name("..."), PathBuf::from("invoice.pdf"));
    }

    #[test]
    fn the_table_shows_totals_in_minor_digits() {
        let at = "2026-01-02T03:04:05Z".parse().expect("time");
        let invoice = InvoiceSummary {
            id: "in_1".into(),
            number: "INV-2026-000001".into(),
            status: InvoiceStatus::Paid,
            issued_at: at,
            period_start: at,
            period_end: at,
            total: Money::new(1440, "EUR"),
        };
        let text = table(&[invoice]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("ID    NUMBER"), "{text}");
        assert!(
            lines[1].starts_with("in_1  INV-2026-000001  2026-01-02"),
            "{text}"
        );
        assert!(lines[1].ends_with("paid    EUR 14.40"), "{text}");
        assert_eq!(table(&[]), "No invoices.\n");
    }
}
