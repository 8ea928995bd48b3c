//! Drawing the invoices (table, one invoice, its download) and the payment
//! method with its hand-off link and QR code. Read-only.

use acctl_api::billing::{Invoice, InvoiceStatus, InvoiceSummary};
use ratatui::Frame;
use ratatui::layout::{Constraint, Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::download::{Download, Phase, progress_line};
use super::payment::{Handoff, describe};
use super::view::Text;
use super::{BillingScreen, InvoiceList};
use crate::keymap::{Command, Scope};
use crate::widgets::money::format_money;
use crate::widgets::table::{self, Column};
use crate::widgets::{Ui, loadable, spinner, time};

/// From this width on, the table has a column for the period.
const WIDE: u16 = 72;

pub fn status_word(status: InvoiceStatus) -> &'static str {
    match status {
        InvoiceStatus::Paid => "Paid",
        InvoiceStatus::Open => "Unpaid",
        InvoiceStatus::Void => "Void",
    }
}

impl BillingScreen {
    pub(super) fn render_invoices(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        ui: &Ui<'_>,
        language: &str,
    ) {
        let list = &self.invoices;
        let download_rows = self.invoices.download.as_ref().map_or(0, |_| 4);
        let main = Rect {
            height: area.height.saturating_sub(download_rows),
            ..area
        };
        match &list.open {
            Some((summary, detail)) => loadable::render(
                frame,
                main,
                ui,
                detail,
                "the invoice",
                |frame, area, invoice| {
                    render_detail(frame, area.inner(Margin::new(1, 0)), ui, invoice, language);
                    let _ = summary;
                },
            ),
            None => loadable::render(
                frame,
                main,
                ui,
                &list.pages.items,
                "your invoices",
                |frame, area, items| {
                    render_table(frame, area, ui, list, items, language);
                },
            ),
        }
        if let Some(download) = &self.invoices.download {
            let rect = Rect {
                y: main.bottom(),
                height: download_rows.min(area.height),
                ..area
            };
            self.render_download(frame, rect.inner(Margin::new(1, 0)), ui, download);
        }
    }

    fn render_download(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, d: &Download) {
        let mut text = Text::new(area.width);
        match &d.phase {
            Phase::Asking { .. } => {
                text.push(&format!("Save {} as a PDF:", d.number), ui.theme.title);
                let used = text.draw(frame, area);
                let rest = Rect {
                    y: area.y + used,
                    height: area.height.saturating_sub(used),
                    ..area
                };
                d.form.render(frame, rest, ui, true);
                return;
            }
            Phase::Running { path, progress } => {
                text.push(
                    &spinner::label(ui, &format!("Saving {} to {}", d.number, path.display())),
                    ui.theme.text,
                );
                text.push(
                    &progress_line(*progress, usize::from(area.width)),
                    ui.theme.label_focused,
                );
            }
            Phase::Done { path, bytes } => {
                text.push(
                    &format!(
                        "Saved {} to {} ({} KiB).",
                        d.number,
                        path.display(),
                        bytes.div_ceil(1024)
                    ),
                    ui.theme.success,
                );
                if self.desktop.can_open
                    && let Some(key) = ui.key(Scope::List, Command::OpenFile)
                {
                    text.push(&format!("Press {key} to open it."), ui.theme.key_hint);
                }
            }
        }
        text.draw(frame, area);
    }

    pub(super) fn render_payment(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        loadable::render(
            frame,
            area,
            ui,
            &self.payment.card,
            "the payment method",
            |frame, area, state| {
                let area = area.inner(Margin::new(1, 0));
                let mut text = Text::new(area.width);
                match &state.card {
                    Some(card) => {
                        text.push(&format!("Card on file: {}", describe(card)), ui.theme.title)
                    }
                    None => text.push("No card on file.", ui.theme.title),
                }
                text.blank();
                text.push("Cards are changed in your browser, on a page of the billing provider: the card never passes through this terminal.", ui.theme.text);
                match &self.payment.handoff {
                    None => {
                        if let Some(hint) = ui.press(Scope::List, Command::Open, "get the link") {
                            text.push(&hint, ui.theme.key_hint);
                        }
                    }
                    // Drawn here only when it has no QR code (else full body).
                    Some(handoff) => {
                        let used = text.draw(frame, area);
                        let rest = Rect {
                            y: area.y + used + 1,
                            height: area.height.saturating_sub(used + 1),
                            ..area
                        };
                        loadable::render(frame, rest, ui, handoff, "the link", |frame, area, h| {
                            handoff_text(ui, h, area.width, false).draw(frame, area);
                        });
                        return;
                    }
                }
                text.draw(frame, area);
            },
        );
    }

    /// The link beside its QR code, over the whole body so the code fits.
    pub(super) fn render_handoff(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let Some(h) = self.payment.handoff.as_ref().and_then(|h| h.value()) else {
            return;
        };
        let block = Block::bordered()
            .title(ratatui::text::Span::styled(
                " Billing > Update card ",
                ui.theme.title,
            ))
            .border_style(ui.theme.border_focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let qr = h.qr.as_ref().map(|qr| (qr.size(), qr.lines(h.invert)));
        let (text_area, code_shown) = match qr {
            Some(((w, hgt), lines)) if w + 24 <= inner.width && hgt <= inner.height => {
                let top = inner.y + (inner.height - hgt) / 2;
                let rows: Vec<Line> = lines.into_iter().map(Line::raw).collect();
                frame.render_widget(Paragraph::new(rows), Rect::new(inner.x, top, w, hgt));
                let rest = Rect::new(inner.x + w + 1, inner.y, inner.width - w - 1, inner.height);
                (rest, true)
            }
            _ => (inner.inner(Margin::new(1, 0)), false),
        };
        handoff_text(ui, h, text_area.width.saturating_sub(1), code_shown).draw(frame, text_area);
    }
}

fn handoff_text(ui: &Ui<'_>, h: &Handoff, width: u16, code_shown: bool) -> Text<'static> {
    let mut text = Text::new(width);
    let open = match (code_shown, h.qr.as_ref()) {
        (true, _) => {
            "Open this link on your phone (scan the code) or in a browser to change your card:"
                .to_string()
        }
        (false, Some(qr)) => {
            let (w, hgt) = qr.size();
            format!(
                "Open this link in a browser to change your card (a terminal of {} by {} or more also shows it as a code to scan):",
                w + 26,
                hgt + 6
            )
        }
        (false, None) => "Open this link in a browser to change your card:".to_string(),
    };
    text.push(&open, ui.theme.text);
    text.blank();
    text.push(&h.link.url, ui.theme.label_focused);
    text.blank();
    text.push(
        "The link is on your clipboard too (if your terminal allows OSC 52).",
        ui.theme.muted,
    );
    text.push(
        &format!(
            "It works until {}.",
            time::absolute(h.link.expires_at, ui.tz)
        ),
        ui.theme.muted,
    );
    text.blank();
    if let Some(hint) = ui.press(
        Scope::Global,
        Command::Refresh,
        "see the new card when you are done",
    ) {
        text.push(&hint, ui.theme.key_hint);
    }
    text
}

fn render_table(
    frame: &mut Frame<'_>,
    area: Rect,
    ui: &Ui<'_>,
    list: &InvoiceList,
    items: &[InvoiceSummary],
    language: &str,
) {
    if items.is_empty() {
        let mut text = Text::new(area.width.saturating_sub(2));
        text.push(
            "No invoices yet: the first comes with a paid plan.",
            ui.theme.muted,
        );
        text.draw(frame, area.inner(Margin::new(1, 0)));
        return;
    }
    let wide = area.width >= WIDE;
    let (table_area, below) = table::split_details(area, 1);
    let mut columns = vec![
        Column {
            title: "Number",
            width: Constraint::Length(17),
        },
        Column {
            title: "Date",
            width: Constraint::Length(10),
        },
    ];
    if wide {
        columns.push(Column {
            title: "Period",
            width: Constraint::Length(23),
        });
    }
    columns.push(Column {
        title: "Status",
        width: Constraint::Length(6),
    });
    columns.push(Column {
        title: "Total",
        width: Constraint::Fill(1),
    });
    table::render(frame, table_area, ui, &columns, &list.pages.table, |i| {
        let Some(inv) = items.get(i) else {
            return Vec::new();
        };
        let mut cells = vec![inv.number.clone(), time::date(inv.issued_at, ui.tz)];
        if wide {
            cells.push(format!(
                "{} – {}",
                time::date(inv.period_start, ui.tz),
                time::date(inv.period_end, ui.tz)
            ));
        }
        cells.push(status_word(inv.status).to_string());
        cells.push(format_money(&inv.total, language));
        cells
    });
    if let Some(rect) = below {
        let more = match (
            &list.pages.more_failed,
            list.pages.loading_more,
            list.pages.has_more(),
        ) {
            (Some(failure), _, _) => format!("Older invoices did not load: {}", failure.message),
            (None, true, _) => spinner::label(ui, "Loading older invoices…"),
            (None, false, true) => {
                format!("{} loaded; older ones load as you scroll.", items.len())
            }
            (None, false, false) => format!("All {} invoices.", items.len()),
        };
        frame.render_widget(Paragraph::new(Line::styled(more, ui.theme.muted)), rect);
    }
}

fn render_detail(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, inv: &Invoice, language: &str) {
    let money = |m| format_money(m, language);
    let mut text = Text::new(area.width);
    let status = match (inv.status, inv.paid_at) {
        (InvoiceStatus::Paid, Some(at)) => format!("Paid on {}", time::date(at, ui.tz)),
        (status, _) => status_word(status).to_string(),
    };
    text.push(&format!("Invoice {}: {status}", inv.number), ui.theme.title);
    text.push(
        &format!(
            "Issued {}, for {} to {}",
            time::date(inv.issued_at, ui.tz),
            time::date(inv.period_start, ui.tz),
            time::date(inv.period_end, ui.tz)
        ),
        ui.theme.muted,
    );
    text.blank();
    let width = usize::from(area.width);
    let row = |label: &str, amount: String| {
        let room = width.saturating_sub(amount.chars().count() + 1);
        format!("{} {amount}", crate::widgets::fit_padded(label, room))
    };
    for line in &inv.lines {
        let label = match line.quantity {
            1 => line.description.clone(),
            n => format!("{} ({n} × {})", line.description, money(&line.unit_amount)),
        };
        text.lines.push(Line::styled(
            row(&label, money(&line.amount)),
            ui.theme.text,
        ));
    }
    text.lines.push(Line::styled(
        row("Subtotal", money(&inv.subtotal)),
        ui.theme.muted,
    ));
    let rate = inv.tax_rate_bps;
    let tax = format!("Tax ({}.{:02} %)", rate / 100, rate % 100);
    text.lines
        .push(Line::styled(row(&tax, money(&inv.tax)), ui.theme.muted));
    text.lines.push(Line::styled(
        row("Total", money(&inv.total)),
        ui.theme.title,
    ));
    text.blank();
    if let Some(hint) = ui.press(Scope::List, Command::SaveFile, "save it as a PDF") {
        text.push(&hint, ui.theme.key_hint);
    }
    text.draw(frame, area);
}
