//! `acctl billing show|plans|change|cancel|resume`: the plan you are on and
//! changing it. A change is priced by the server first and made only at
//! that price; amounts are printed locale-neutral, e.g. `EUR 12.00`.

use acctl_api::ErrorCode;
use acctl_api::billing::{
    BillingInterval, Money, PaymentMethod, Plan, Subscription, SubscriptionStatus, minor_digits,
};
use acctl_client::Feature;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::account::local_date;
use super::json::JsonArg;
use super::session::ProfileSession;
use super::table::{columns, one_line};
use super::{CliError, Invocation};
use acctl_client::{ApiError, Client};

#[derive(Debug, Subcommand)]
pub enum BillingCommand {
    /// Your plan, how often it renews, its status and price, when it renews
    /// or ends, and the card on file.
    Show {
        #[command(flatten)]
        json: JsonArg,
    },
    /// The plans you can choose, cheapest first; yours is marked with `*`.
    Plans {
        #[command(flatten)]
        json: JsonArg,
        /// Show at most this many, cheapest first.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        limit: Option<u32>,
    },
    /// Move to another plan: shows what it costs now (with the credit for
    /// the unused part of your plan) and asks before charging.
    Change(BillingChangeArgs),
    /// End your plan at the end of the period you paid for.
    Cancel,
    /// Keep your plan after a cancel, before the period ends.
    Resume,
}

#[derive(Debug, Args)]
pub struct BillingChangeArgs {
    /// The plan's id, as `acctl billing plans` lists it (e.g. pro).
    #[arg(value_name = "PLAN")]
    pub plan: String,
    /// Pay yearly instead of monthly.
    #[arg(long)]
    pub yearly: bool,
    /// Make the change at the price shown without asking (for scripts).
    #[arg(long)]
    pub yes: bool,
}

/// The JSON of `acctl billing show --json`. Keys are stable.
#[derive(Debug, Serialize)]
struct BillingReport {
    /// Null when the account has no subscription.
    subscription: Option<Subscription>,
    payment_method: Option<PaymentMethod>,
}

pub(super) async fn run(inv: Invocation, command: BillingCommand) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Billing)
        .await?;
    match command {
        BillingCommand::Show { json } => show(&client, &json).await,
        BillingCommand::Plans { json, limit } => plans(&client, &json, limit).await,
        BillingCommand::Change(args) => super::plan_change::run(&client, &inv, args).await,
        BillingCommand::Cancel => {
            let subscription = client.billing().cancel().await?;
            print!("{}", cancel_text(&subscription, &inv));
            Ok(())
        }
        BillingCommand::Resume => {
            let subscription = client.billing().resume().await?;
            println!(
                "Your {} plan continues; it renews on {}.",
                one_line(&subscription.plan_name),
                local_date(subscription.current_period_end)
            );
            Ok(())
        }
    }
}

/// `Money` for people and scripts alike: `EUR 12.00`, `JPY 1200`,
/// `EUR -3.50`; the currency's own number of minor digits.
pub(super) fn money(amount: &Money) -> String {
    let digits = minor_digits(&amount.currency);
    let sign = if amount.amount_minor < 0 { "-" } else { "" };
    let whole = amount.amount_minor.unsigned_abs();
    let currency = one_line(&amount.currency);
    if digits == 0 {
        return format!("{currency} {sign}{whole}");
    }
    let unit = 10u64.pow(digits);
    let width = digits as usize;
    format!("{currency} {sign}{}.{:0width$}", whole / unit, whole % unit)
}

/// The subscription, or None when the account has none.
pub(super) async fn subscription(client: &Client) -> Result<Option<Subscription>, ApiError> {
    match client.billing().subscription().await {
        Ok(subscription) => Ok(Some(subscription)),
        Err(e) if e.code() == Some(ErrorCode::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn show(client: &Client, json: &JsonArg) -> Result<(), CliError> {
    let report = BillingReport {
        subscription: subscription(client).await?,
        payment_method: client.billing().payment_method().await?.card,
    };
    if json.wanted() {
        json.print(&report)?;
    } else {
        print!("{}", human(&report));
    }
    Ok(())
}

fn human(report: &BillingReport) -> String {
    let mut rows: Vec<(&str, String)> = Vec::new();
    match &report.subscription {
        None => rows.push(("Plan", "none".into())),
        Some(s) => {
            rows.push((
                "Plan",
                format!("{} ({})", one_line(&s.plan_name), one_line(&s.plan)),
            ));
            rows.push(("Interval", s.interval.as_str().to_string()));
            rows.push(("Status", status_words(s).to_string()));
            let end = local_date(s.current_period_end);
            if s.cancel_at_period_end || s.status == SubscriptionStatus::Canceled {
                rows.push(("Ends", end));
            } else {
                rows.push(("Renews", end));
            }
            rows.push((
                "Price",
                format!("{} a {}", money(&s.price), s.interval.as_str()),
            ));
        }
    }
    let card = report.payment_method.as_ref().map_or_else(
        || "none".to_string(),
        |c| {
            format!(
                "{} ending {}, expires {:02}/{}",
                one_line(&c.brand),
                one_line(&c.last4),
                c.exp_month,
                c.exp_year
            )
        },
    );
    rows.push(("Card", card));
    rows.into_iter()
        .map(|(label, value)| format!("{:<10}{value}\n", format!("{label}:")))
        .collect()
}

fn status_words(subscription: &Subscription) -> &'static str {
    match subscription.status {
        SubscriptionStatus::Active if subscription.cancel_at_period_end => {
            "active until the end of the period (canceled)"
        }
        SubscriptionStatus::Active => "active",
        SubscriptionStatus::PastDue => "past due: the last invoice is unpaid",
        SubscriptionStatus::Canceled => "canceled",
    }
}

async fn plans(client: &Client, json: &JsonArg, limit: Option<u32>) -> Result<(), CliError> {
    let mut plans = client.billing().plans().await?;
    if let Some(limit) = limit {
        plans.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    if json.wanted() {
        return json.print(&plans);
    }
    let current = subscription(client).await?.map(|s| s.plan);
    print!("{}", plans_table(&plans, current.as_deref()));
    Ok(())
}

fn plans_table(plans: &[Plan], current: Option<&str>) -> String {
    if plans.is_empty() {
        return "No plans.\n".to_string();
    }
    let header = ["", "ID", "NAME", "MONTHLY", "YEARLY", "FOR"].map(str::to_string);
    let rows: Vec<Vec<String>> = std::iter::once(header.to_vec())
        .chain(plans.iter().map(|plan| {
            vec![
                if current == Some(plan.id.as_str()) {
                    "*"
                } else {
                    ""
                }
                .to_string(),
                one_line(&plan.id),
                one_line(&plan.name),
                money(&plan.monthly_price),
                money(&plan.yearly_price),
                one_line(&plan.description),
            ]
        }))
        .collect();
    let mut out = columns(&rows);
    if current.is_some() {
        out.push_str("* = your plan. ");
    }
    out.push_str("Change with `acctl billing change PLAN [--yearly]`.\n");
    out
}

fn cancel_text(subscription: &Subscription, inv: &Invocation) -> String {
    format!(
        "Your {} plan ends on {}; it works until then.\nChanged your mind? Run `{}`.\n",
        one_line(&subscription.plan_name),
        local_date(subscription.current_period_end),
        super::command_hint(&inv.profile, "billing resume")
    )
}

pub(super) fn interval(yearly: bool) -> BillingInterval {
    if yearly {
        BillingInterval::Year
    } else {
        BillingInterval::Month
    }
}

#[cfg(test)]
#[path = "billing_tests.rs"]
mod tests;
