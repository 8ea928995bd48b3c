//! `acctl billing change PLAN [--yearly] [--yes]`: the server prices the
//! change, the person sees that price and agrees, and the change is sent
//! with the amount they saw, so they are never charged anything else.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use acctl_api::ErrorCode;
use acctl_api::billing::{Plan, Subscription, SubscriptionChange, SubscriptionPreview};

use super::account::local_date;
use super::billing::{BillingChangeArgs, interval, money};
use super::table::{columns, one_line};
use super::{CliError, Exit, Invocation};
use acctl_client::Client;

pub(super) async fn run(
    client: &Client,
    inv: &Invocation,
    args: BillingChangeArgs,
) -> Result<(), CliError> {
    let plans = client.billing().plans().await?;
    let plan = find_plan(&plans, &args.plan)?;
    let mut change = SubscriptionChange {
        plan: plan.id.clone(),
        interval: interval(args.yearly),
        expected_amount_due_minor: None,
    };
    let preview = client.billing().preview(&change).await?;
    print!("{}", preview_text(plan, &preview));
    confirm(args.yes, &preview)?;
    change.expected_amount_due_minor = Some(preview.amount_due_now.amount_minor);
    match client.billing().change(&change).await {
        Ok(subscription) => {
            print!("{}", changed_text(&subscription, &preview));
            Ok(())
        }
        Err(e) if e.code() == Some(ErrorCode::PriceChanged) => {
            change.expected_amount_due_minor = None;
            let now = client.billing().preview(&change).await?;
            Err(price_changed(&preview, &now, inv, &args))
        }
        Err(e) => Err(e.into()),
    }
}

/// The plan named on the command line, or a usage error listing the ids.
fn find_plan<'a>(plans: &'a [Plan], wanted: &str) -> Result<&'a Plan, CliError> {
    let wanted = wanted.trim().to_lowercase();
    plans.iter().find(|p| p.id == wanted).ok_or_else(|| {
        let ids: Vec<String> = plans.iter().map(|p| one_line(&p.id)).collect();
        CliError::new(
            Exit::Usage,
            format!(
                "PLAN: there is no plan '{}'; choose one of: {} (see `acctl billing plans`)",
                one_line(&wanted),
                ids.join(", ")
            ),
        )
    })
}

fn preview_text(plan: &Plan, preview: &SubscriptionPreview) -> String {
    let billed = match preview.interval {
        acctl_api::billing::BillingInterval::Month => "monthly",
        acctl_api::billing::BillingInterval::Year => "yearly",
    };
    let mut out = format!("Change to {}, billed {billed}:\n", one_line(&plan.name));
    let rows: Vec<Vec<String>> = preview
        .lines
        .iter()
        .map(|line| {
            vec![
                format!("  {}", one_line(&line.description)),
                format!("{} x {}", line.quantity, money(&line.unit_amount)),
                money(&line.amount),
            ]
        })
        .collect();
    out.push_str(&columns(&rows));
    out.push_str(&format!(
        "Credit for your current plan: {}\nDue now:   {}\nThen:      {} on {}\n",
        money(&preview.credit),
        money(&preview.amount_due_now),
        money(&preview.next_invoice_amount),
        local_date(preview.next_invoice_at)
    ));
    out
}

/// `--yes`, or y at a terminal. Without either nothing is changed.
fn confirm(yes: bool, preview: &SubscriptionPreview) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::new(
            Exit::Usage,
            "nothing was changed: there is no terminal to ask you; to accept the price above, \
             run the command again with --yes",
        ));
    }
    eprint!(
        "Change the plan and pay {} now? [y/N] ",
        money(&preview.amount_due_now)
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::new(Exit::Usage, format!("could not read the answer: {e}")))?;
    if is_yes(&answer) {
        Ok(())
    } else {
        Err(CliError::new(Exit::Error, "nothing was changed"))
    }
}

fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}

fn changed_text(subscription: &Subscription, preview: &SubscriptionPreview) -> String {
    format!(
        "Plan changed to {} ({}). Charged {} now.\nNext invoice: {} on {}.\n",
        one_line(&subscription.plan_name),
        subscription.interval.as_str(),
        money(&preview.amount_due_now),
        money(&preview.next_invoice_amount),
        local_date(preview.next_invoice_at)
    )
}

/// The price moved between the preview and the change: nothing was
/// charged; say the new price and how to accept it.
fn price_changed(
    shown: &SubscriptionPreview,
    now: &SubscriptionPreview,
    inv: &Invocation,
    args: &BillingChangeArgs,
) -> CliError {
    let mut again = format!("billing change {}", one_line(&args.plan));
    if args.yearly {
        again.push_str(" --yearly");
    }
    CliError::new(
        Exit::Conflict,
        format!(
            "the price changed since it was shown: {} is now due, not {}. Nothing was charged; \
             to pay the new price, run `{}` again",
            money(&now.amount_due_now),
            money(&shown.amount_due_now),
            super::command_hint(&inv.profile, &again)
        ),
    )
}

#[cfg(test)]
#[path = "plan_change_tests.rs"]
mod tests;
