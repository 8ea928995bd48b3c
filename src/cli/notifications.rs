//! `acctl notifications settings|set|list|read`: which categories arrive on
//! which channels, and the in-app inbox.

use acctl_api::notifications::{
    LOCKED_REASON, Notification, NotificationCategory, NotificationChannel, NotificationSettings,
    NotificationToggle, cell_field,
};
use acctl_api::{ErrorCode, PageQuery};
use acctl_client::Feature;
use clap::{Args, Subcommand, ValueEnum};

use super::choice::NotOneOf;
use super::json::JsonArg;
use super::security_log::{local_time, newest};
use super::session::ProfileSession;
use super::table::{columns, one_line};
use super::{CliError, Exit, Invocation};
use acctl_client::ApiError;

#[derive(Debug, Subcommand)]
pub enum NotificationsCommand {
    /// Which categories arrive on which channels, as a table; the cell that
    /// cannot be turned off is marked with `*` and says why.
    Settings {
        #[command(flatten)]
        json: JsonArg,
    },
    /// Turn one category on or off on one channel, e.g.
    /// `acctl notifications set marketing email off`. A cell the server
    /// keeps on is refused with its reason (exit 6).
    Set(NotificationSetArgs),
    /// The inbox, newest first; unread ones are marked with `*`.
    List(NotificationListArgs),
    /// Mark one notification read by id, or every one with --all.
    Read(NotificationReadArgs),
}

#[derive(Debug, Args)]
pub struct NotificationSetArgs {
    /// security, account, billing, product or marketing.
    #[arg(value_name = "CATEGORY", value_parser = parse_category)]
    pub category: NotificationCategory,
    /// email, push, sms or in-app.
    #[arg(value_name = "CHANNEL", value_parser = parse_channel)]
    pub channel: NotificationChannel,
    /// on or off.
    #[arg(value_name = "STATE")]
    pub state: Switch,
}

#[derive(Debug, Args)]
pub struct NotificationListArgs {
    /// Only the notifications not yet read.
    #[arg(long)]
    pub unread: bool,
    #[command(flatten)]
    pub json: JsonArg,
    /// Show at most this many, newest first.
    #[arg(long, value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct NotificationReadArgs {
    /// The notification's id, as `acctl notifications list` shows it.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Mark every notification read.
    #[arg(long)]
    pub all: bool,
}

/// `on` or `off`, for a notification cell or a privacy choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

impl Switch {
    pub fn is_on(self) -> bool {
        self == Self::On
    }
}

pub(super) fn on_off(enabled: bool) -> &'static str {
    if enabled { "on" } else { "off" }
}

fn parse_category(name: &str) -> Result<NotificationCategory, NotOneOf> {
    NotificationCategory::parse(&name.trim().to_lowercase()).ok_or_else(|| {
        let names = NotificationCategory::ALL.map(|c| c.as_str());
        NotOneOf::new("no such category; ", names)
    })
}

fn parse_channel(name: &str) -> Result<NotificationChannel, NotOneOf> {
    NotificationChannel::parse(&name.trim().to_lowercase()).ok_or_else(|| {
        NotOneOf::new(
            "no such channel; ",
            NotificationChannel::ALL.map(channel_name),
        )
    })
}

/// As people type it: `in-app`.
fn channel_name(channel: NotificationChannel) -> String {
    channel.as_str().replace('_', "-")
}

pub(super) async fn run(inv: Invocation, command: NotificationsCommand) -> Result<(), CliError> {
    match command {
        NotificationsCommand::Settings { json } => settings(inv, &json).await,
        NotificationsCommand::Set(args) => set(inv, args).await,
        NotificationsCommand::List(args) => list(inv, args).await,
        NotificationsCommand::Read(args) => read(inv, args).await,
    }
}

async fn settings(inv: Invocation, json: &JsonArg) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Notifications)
        .await?;
    let settings = client.notifications().settings().await?;
    if json.wanted() {
        // A bare array, as every list prints.
        json.print(&settings.settings)?;
    } else {
        print!("{}", matrix(&settings));
    }
    Ok(())
}

/// Categories down, channels across; `on*` is a cell that stays on.
fn matrix(settings: &NotificationSettings) -> String {
    let mut header = vec!["CATEGORY".to_string()];
    header.extend(NotificationChannel::ALL.map(|c| channel_name(c).to_uppercase()));
    let mut rows = vec![header];
    let mut reasons: Vec<String> = Vec::new();
    for category in NotificationCategory::ALL {
        let mut row = vec![category.as_str().to_string()];
        for channel in NotificationChannel::ALL {
            let Some(cell) = settings.get(category, channel) else {
                row.push("-".into());
                continue;
            };
            let mut text = on_off(cell.enabled).to_string();
            if cell.locked {
                text.push('*');
                let reason = cell.locked_reason.as_deref().unwrap_or(LOCKED_REASON);
                reasons.push(format!(
                    "* {} {}: {}.",
                    category.as_str(),
                    channel_name(channel),
                    one_line(reason).trim_end_matches('.')
                ));
            }
            row.push(text);
        }
        rows.push(row);
    }
    let mut out = columns(&rows);
    for reason in reasons {
        out.push_str(&reason);
        out.push('\n');
    }
    out.push_str("Change one with `acctl notifications set CATEGORY CHANNEL on|off`.\n");
    out
}

async fn set(inv: Invocation, args: NotificationSetArgs) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Notifications)
        .await?;
    let (category, channel) = (args.category, args.channel);
    let before = client.notifications().settings().await?;
    let toggle = NotificationToggle {
        category,
        channel,
        enabled: args.state.is_on(),
    };
    let after = client
        .notifications()
        .set(vec![toggle])
        .await
        .map_err(|e| refused_cell(e, category, channel))?;
    let was = before.get(category, channel).map(|c| c.enabled);
    let now = after.get(category, channel).map(|c| c.enabled);
    let name = format!("{} {}", category.as_str(), channel_name(channel));
    match (was, now) {
        (Some(was), Some(now)) if was != now => {
            println!("{name}: {} → {}", on_off(was), on_off(now));
        }
        (_, Some(now)) => println!("Nothing changed: {name} was already {}.", on_off(now)),
        (_, None) => println!("{name}: {}", on_off(args.state.is_on())),
    }
    Ok(())
}

/// A locked cell gets its own exit (6) and the server's reason; other
/// errors as usual.
fn refused_cell(
    error: ApiError,
    category: NotificationCategory,
    channel: NotificationChannel,
) -> CliError {
    if error.code() != Some(ErrorCode::SettingLocked) {
        return CliError::from(error);
    }
    let field = cell_field(category, channel);
    let reason = error
        .field_errors()
        .and_then(|fields| fields.get(&field))
        .map(|messages| messages.join(" "))
        .or_else(|| error.problem().and_then(|p| p.detail.clone()))
        .unwrap_or_else(|| LOCKED_REASON.to_string());
    let mut cli = CliError::new(
        Exit::Refused,
        format!(
            "{} {} cannot be turned off: {}. Nothing was changed",
            category.as_str(),
            channel_name(channel),
            one_line(&reason).trim_end_matches('.')
        ),
    );
    cli.request_id = error.request_id().map(str::to_string);
    cli
}

async fn list(inv: Invocation, args: NotificationListArgs) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Notifications)
        .await?;
    let inbox = client.notifications();
    let (inbox, unread) = (&inbox, args.unread);
    let (items, more) = newest(args.limit, move |query: PageQuery| async move {
        inbox.list(&query, unread).await
    })
    .await?;
    if args.json.wanted() {
        return args.json.print(&items);
    }
    print!("{}", inbox_table(&items, args.unread));
    if more {
        println!("Showing the newest {}; pass --limit for more.", items.len());
    }
    Ok(())
}

fn inbox_table(items: &[Notification], unread: bool) -> String {
    if items.is_empty() {
        let what = if unread {
            "unread notifications"
        } else {
            "notifications"
        };
        return format!("No {what}.\n");
    }
    let header = ["", "ID", "RECEIVED", "CATEGORY", "TITLE"].map(str::to_string);
    let rows: Vec<Vec<String>> = std::iter::once(header.to_vec())
        .chain(items.iter().map(|n| {
            vec![
                if n.read_at.is_none() { "*" } else { "" }.to_string(),
                one_line(&n.id),
                local_time(n.created_at),
                n.category.as_str().to_string(),
                one_line(&n.title),
            ]
        }))
        .collect();
    let mut out = columns(&rows);
    out.push_str("* = unread. Mark read with `acctl notifications read ID` or `--all`.\n");
    out
}

async fn read(inv: Invocation, args: NotificationReadArgs) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::Notifications)
        .await?;
    if args.all {
        let left = client.notifications().mark_all_read().await?;
        println!("Marked every notification read; {} unread.", left.unread);
        return Ok(());
    }
    let Some(id) = args.id else {
        return Err(CliError::new(
            Exit::Usage,
            "name a notification id, or pass --all",
        ));
    };
    match client.notifications().mark_read(&id).await {
        Ok(notification) => {
            println!("Marked read: {}", one_line(&notification.title));
            Ok(())
        }
        Err(e) if e.code() == Some(ErrorCode::NotFound) => Err(CliError::new(
            Exit::Error,
            format!(
                "there is no notification {} on your account; see `acctl notifications list`",
                one_line(&id)
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
#[path = "notifications_tests.rs"]
mod tests;
