//! Drawing the Billing screen: the section tabs, the plan and its renewal,
//! the plans side by side (one column when narrow), and a change's preview.
//! Read-only. Amounts follow the account's language.

use crate::screens::Screen as _;
use acctl_api::billing::{Plan, Subscription, SubscriptionPreview, SubscriptionStatus};
use ratatui::Frame;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::plans::{Pending, interval_word, period_word};
use super::{BillingScreen, SECTIONS, Section};
use crate::keymap::{Command, Scope};
use crate::widgets::money::format_money;
use crate::widgets::{Ui, loadable, spinner, time, wrap};

/// Below this inner width the plans are listed one under another.
const COLUMNS_FROM: u16 = 54;

/// Lines of styled text, wrapped to a width.
pub(super) struct Text<'a> {
    pub lines: Vec<Line<'a>>,
    pub width: usize,
}

impl<'a> Text<'a> {
    pub fn new(width: u16) -> Self {
        Self {
            lines: Vec::new(),
            width: usize::from(width.max(1)),
        }
    }

    pub fn push(&mut self, words: &str, style: ratatui::style::Style) {
        for line in wrap(words, self.width) {
            self.lines.push(Line::styled(line, style));
        }
    }

    pub fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    pub fn draw(self, frame: &mut Frame<'_>, area: Rect) -> u16 {
        let used = u16::try_from(self.lines.len()).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(self.lines), area);
        used.min(area.height)
    }
}

impl BillingScreen {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let language = ui.language;
        if self.wants_full_body() {
            return self.render_handoff(frame, area, ui);
        }
        let mut title = vec![Span::styled(" Billing ", ui.theme.title)];
        if self.is_busy() {
            title.push(Span::styled(
                spinner::label(ui, "working… "),
                ui.theme.muted,
            ));
        }
        let block = Block::bordered()
            .title(Line::from(title))
            .border_style(ui.theme.border_focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 3 {
            return;
        }
        self.render_tabs(frame, Rect { height: 1, ..inner }, ui);
        let body = Rect {
            y: inner.y + 2,
            height: inner.height - 2,
            ..inner
        };
        match self.section {
            Section::Plan => self.render_plan(frame, body, ui, language),
            Section::Invoices => self.render_invoices(frame, body, ui, language),
            Section::Payment => self.render_payment(frame, body, ui),
        }
    }

    fn is_busy(&self) -> bool {
        self.changing || self.chooser.pending.as_ref().is_some_and(|p| p.sending)
    }

    /// "> Plan <  Invoices  Payment method   (Tab: next)": the current one
    /// marked with arrows as well as the selection style.
    /// The cursor goes to the current tab; what the section focuses within
    /// (a plan, an invoice) takes it from there when drawn.
    fn render_tabs(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let mut spans = vec![Span::raw(" ")];
        for section in SECTIONS {
            if section == self.section {
                let x: usize = spans.iter().map(Span::width).sum();
                let x = area.x + u16::try_from(x).unwrap_or(0);
                frame.set_cursor_position(Position::new(
                    x.min(area.right().saturating_sub(1)),
                    area.y,
                ));
            }
            let (text, style) = if section == self.section {
                (format!(">{}<", section.title()), ui.theme.selection)
            } else {
                (format!(" {} ", section.title()), ui.theme.text)
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
        if let Some(key) = ui.key(Scope::List, Command::NextSection) {
            spans.push(Span::styled(format!(" {key}: next"), ui.theme.key_hint));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn render_plan(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, language: &str) {
        loadable::render(
            frame,
            area,
            ui,
            &self.subscription,
            "your plan",
            |frame, area, subscription| {
                let area = area.inner(Margin::new(1, 0));
                let used = summary(subscription, ui, language, area.width).draw(frame, area);
                let rest = Rect {
                    y: area.y + used + 1,
                    height: area.height.saturating_sub(used + 1),
                    ..area
                };
                match &self.chooser.pending {
                    Some(pending) => {
                        let plans = self.plans.value().map_or(&[][..], Vec::as_slice);
                        let name = plans
                            .iter()
                            .find(|p| p.id == pending.change.plan)
                            .map_or(pending.change.plan.as_str(), |p| p.name.as_str());
                        render_pending(frame, rest, ui, (pending, name), language)
                    }
                    None => self.render_plans(frame, rest, ui, subscription, language),
                }
            },
        );
    }

    fn render_plans(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        ui: &Ui<'_>,
        subscription: &Subscription,
        language: &str,
    ) {
        loadable::render(
            frame,
            area,
            ui,
            &self.plans,
            "the plans",
            |frame, area, plans| {
                let interval = self.chooser.interval(Some(subscription));
                let mut head = Text::new(area.width);
                let other = interval_word(match interval {
                    acctl_api::billing::BillingInterval::Month => {
                        acctl_api::billing::BillingInterval::Year
                    }
                    acctl_api::billing::BillingInterval::Year => {
                        acctl_api::billing::BillingInterval::Month
                    }
                });
                let mut words = format!("Prices billed {}, before tax.", interval_word(interval));
                if let Some(key) = ui.key(Scope::List, Command::Toggle) {
                    words.push_str(&format!(" {key} shows {other}."));
                }
                head.push(&words, ui.theme.muted);
                let used = head.draw(frame, area);
                let rest = Rect {
                    y: area.y + used,
                    height: area.height.saturating_sub(used),
                    ..area
                };
                let columns = area.width >= COLUMNS_FROM && !plans.is_empty();
                let count = u16::try_from(plans.len()).unwrap_or(1).max(1);
                let width = if columns {
                    rest.width / count
                } else {
                    rest.width
                };
                let mut y = rest.y;
                for (i, plan) in plans.iter().enumerate() {
                    let card = self.plan_card(plan, i, subscription, ui, language, width);
                    let x = if columns {
                        rest.x + width * i as u16
                    } else {
                        rest.x
                    };
                    if y >= rest.bottom() {
                        break;
                    }
                    let h = rest.bottom() - y;
                    if i == self.chooser.selected {
                        // The chosen plan has the focus: screen readers follow the cursor.
                        frame.set_cursor_position(Position::new(x, y));
                    }
                    let used = card.draw(frame, Rect::new(x, y, width.saturating_sub(1), h));
                    if !columns {
                        y += used;
                    }
                }
            },
        );
    }

    /// A plan: name (and whether it is yours), the price at the interval
    /// shown and at the other one, who it is for, its features.
    fn plan_card(
        &self,
        plan: &Plan,
        index: usize,
        subscription: &Subscription,
        ui: &Ui<'_>,
        language: &str,
        width: u16,
    ) -> Text<'static> {
        let interval = self.chooser.interval(Some(subscription));
        let selected = index == self.chooser.selected;
        let mut text = Text::new(width.saturating_sub(1));
        let mut name = format!("{} {}", if selected { ">" } else { " " }, plan.name);
        if plan.id == subscription.plan {
            name.push_str(" (your plan)");
        }
        let style = if selected {
            ui.theme.selection
        } else {
            ui.theme.title
        };
        text.lines.push(Line::styled(name, style));
        let (price, other, other_interval) = match interval {
            acctl_api::billing::BillingInterval::Month => {
                (&plan.monthly_price, &plan.yearly_price, "year")
            }
            acctl_api::billing::BillingInterval::Year => {
                (&plan.yearly_price, &plan.monthly_price, "month")
            }
        };
        let per = period_word(interval);
        text.push(
            &format!("  {} / {per}", format_money(price, language)),
            ui.theme.text,
        );
        text.push(
            &format!("  ({} / {other_interval})", format_money(other, language)),
            ui.theme.muted,
        );
        if width >= 30 {
            text.push(&format!("  {}", plan.description), ui.theme.muted);
        }
        for feature in &plan.features {
            text.push(&format!("  - {feature}"), ui.theme.text);
        }
        text.blank();
        text
    }
}

/// The plan, its price, and when it renews or ends.
fn summary(s: &Subscription, ui: &Ui<'_>, language: &str, width: u16) -> Text<'static> {
    let mut text = Text::new(width);
    let price = format_money(&s.price, language);
    let head = format!(
        "{}, billed {}: {price} per {}, tax included",
        s.plan_name,
        interval_word(s.interval),
        period_word(s.interval)
    );
    text.push(&head, ui.theme.title);
    let end = time::date(s.current_period_end, ui.tz);
    let (words, style) = match (s.status, s.cancel_at_period_end) {
        (SubscriptionStatus::Canceled, _) => {
            (format!("Canceled; ended on {end}."), ui.theme.warning)
        }
        (_, true) => {
            let resume = ui
                .key(Scope::List, Command::ResumePlan)
                .map(|k| format!(" Press {k} to keep it."))
                .unwrap_or_default();
            (
                format!("Canceling: ends on {end}.{resume}"),
                ui.theme.warning,
            )
        }
        (SubscriptionStatus::PastDue, false) => (
            format!("Past due: the last invoice is unpaid. Renews on {end}."),
            ui.theme.danger,
        ),
        (SubscriptionStatus::Active, false) => (format!("Active; renews on {end}."), ui.theme.text),
    };
    text.push(&words, style);
    text
}

fn render_pending(
    frame: &mut Frame<'_>,
    area: Rect,
    ui: &Ui<'_>,
    (pending, name): (&Pending, &str),
    language: &str,
) {
    let change = &pending.change;
    let mut head = Text::new(area.width);
    head.push(
        &format!(
            "Change to {name}, billed {}",
            interval_word(change.interval)
        ),
        ui.theme.title,
    );
    if pending.price_changed {
        head.push(
            "The price changed since the last preview; nothing was charged. This is the new price:",
            ui.theme.warning,
        );
    }
    let used = head.draw(frame, area);
    let rest = Rect {
        y: area.y + used,
        height: area.height.saturating_sub(used),
        ..area
    };
    loadable::render(
        frame,
        rest,
        ui,
        &pending.preview,
        "the price of the change",
        |frame, area, preview| {
            preview_text(preview, pending, ui, language, area.width).draw(frame, area);
        },
    );
}

fn preview_text(
    p: &SubscriptionPreview,
    pending: &Pending,
    ui: &Ui<'_>,
    language: &str,
    width: u16,
) -> Text<'static> {
    let money = |m| format_money(m, language);
    let mut text = Text::new(width);
    text.push(
        &format!("Due now: {} (tax included)", money(&p.amount_due_now)),
        ui.theme.label_focused,
    );
    if p.credit.amount_minor != 0 {
        text.push(
            &format!(
                "Credit for the unused days of your plan: {}",
                money(&p.credit)
            ),
            ui.theme.text,
        );
    }
    for line in &p.lines {
        let amount = money(&line.amount);
        let room = usize::from(width).saturating_sub(amount.chars().count() + 5);
        let description = crate::widgets::fit_padded(&line.description, room);
        text.lines.push(Line::styled(
            format!("  {description} {amount}"),
            ui.theme.muted,
        ));
    }
    let next = time::date(p.next_invoice_at, ui.tz);
    text.push(
        &format!("Next invoice on {next}: {}", money(&p.next_invoice_amount)),
        ui.theme.text,
    );
    if let Some(error) = &pending.error {
        text.push(&format!("! {error}"), ui.theme.danger);
    }
    if pending.sending {
        text.push(&spinner::label(ui, "Changing the plan…"), ui.theme.muted);
    } else if let (Some(ok), Some(back)) = (
        ui.key(Scope::List, Command::Open),
        ui.key(Scope::Global, Command::Back),
    ) {
        let due = money(&p.amount_due_now);
        text.push(
            &format!(
                "Press {ok} to confirm and pay {due} now; {back} backs out and nothing is charged."
            ),
            ui.theme.key_hint,
        );
    }
    text
}
