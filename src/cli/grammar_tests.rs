//! The grammar of the notifications, privacy, export, account, billing and
//! invoices commands: what parses, what is refused before anything runs,
//! and that every command and flag says what it does.

use clap::CommandFactory;

use super::*;
use acctl_api::notifications::{NotificationCategory, NotificationChannel};
use acctl_api::privacy::ProfileVisibility;

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_args(args)
}

fn refused(args: &[&str]) -> String {
    let err = parse(args).expect_err("refused");
    assert_eq!(err.exit_code(), 2, "{args:?}: {err}");
    err.to_string()
}

#[test]
fn notification_names_are_checked_with_the_valid_ones() {
    let cli = parse(&["notifications", "set", "product", "in-app", "off"]).expect("parses");
    let Some(Command::Notifications(NotificationsCommand::Set(args))) = cli.command else {
        panic!("not notifications set");
    };
    assert_eq!(args.category, NotificationCategory::Product);
    assert_eq!(args.channel, NotificationChannel::InApp);
    assert_eq!(args.state, Switch::Off);
    let text = refused(&["notifications", "set", "news", "email", "on"]);
    assert!(
        text.contains("security, account, billing, product, marketing"),
        "{text}"
    );
    let text = refused(&["notifications", "set", "product", "fax", "on"]);
    assert!(text.contains("email, push, sms, in-app"), "{text}");
    let text = refused(&["notifications", "set", "product", "sms", "maybe"]);
    assert!(text.contains("on, off"), "{text}");
}

#[test]
fn read_takes_an_id_or_all_and_list_a_positive_limit() {
    assert!(parse(&["notifications", "read", "n1"]).is_ok());
    assert!(parse(&["notifications", "read", "--all"]).is_ok());
    refused(&["notifications", "read"]);
    refused(&["notifications", "read", "n1", "--all"]);
    let cli = parse(&["notifications", "list", "--unread"]).expect("parses");
    let Some(Command::Notifications(NotificationsCommand::List(args))) = cli.command else {
        panic!("not notifications list");
    };
    assert!(args.unread && !args.json.wanted());
    assert_eq!(args.limit, 20);
    refused(&["notifications", "list", "--limit", "0"]);
}

#[test]
fn privacy_values_are_refused_by_flag() {
    let cli = parse(&[
        "privacy",
        "set",
        "--visibility",
        "public",
        "--analytics",
        "on",
    ])
    .expect("parses");
    let Some(Command::Privacy(PrivacyCommand::Set(args))) = cli.command else {
        panic!("not privacy set");
    };
    assert_eq!(args.visibility, Some(ProfileVisibility::Public));
    assert_eq!(args.analytics, Some(Switch::On));
    assert_eq!(args.data_sharing, None);
    let text = refused(&["privacy", "set", "--visibility", "friends"]);
    assert!(
        text.contains("--visibility") && text.contains("private, contacts, public"),
        "{text}"
    );
    let text = refused(&["privacy", "set", "--personalized-ads", "yes"]);
    assert!(text.contains("--personalized-ads"), "{text}");
}

#[test]
fn account_billing_invoices_and_export_parse() {
    assert!(
        parse(&[
            "account",
            "delete",
            "--password-stdin",
            "--confirm",
            "DELETE"
        ])
        .is_ok()
    );
    assert!(parse(&["account", "delete", "--cancel"]).is_ok());
    refused(&["account", "delete", "--cancel", "--confirm", "DELETE"]);
    let cli = parse(&["billing", "change", "team", "--yearly", "--yes"]).expect("parses");
    assert!(matches!(
        cli.command,
        Some(Command::Billing(BillingCommand::Change(BillingChangeArgs { yearly: true, yes: true, ref plan })))
            if plan == "team"
    ));
    refused(&["billing", "change"]);
    assert!(parse(&["billing", "cancel"]).is_ok());
    let cli = parse(&["invoices", "list"]).expect("parses");
    assert!(matches!(
        cli.command,
        Some(Command::Invoices(InvoicesCommand::List {
            limit: 20,
            json: JsonArg { fields: None }
        }))
    ));
    refused(&["invoices", "list", "--limit", "0"]);
    refused(&["invoices", "download"]);
    let cli = parse(&["export", "--output", "me.json", "--force"]).expect("parses");
    let Some(Command::Export(args)) = cli.command else {
        panic!("not export");
    };
    assert_eq!(args.output, Some(PathBuf::from("me.json")));
    assert!(args.force);
}

/// Every command and flag of the command line says what it does.
#[test]
fn every_command_and_flag_has_help() {
    fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for sub in command.get_subcommands() {
            let path = format!("{path} {}", sub.get_name());
            if sub.get_about().is_none() {
                missing.push(path.clone());
            }
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                if !matches!(id, "help" | "version") && arg.get_help().is_none() {
                    missing.push(format!("{path} <{id}>"));
                }
            }
            walk(sub, &path, missing);
        }
    }
    let mut missing = Vec::new();
    walk(&Cli::command(), "acctl", &mut missing);
    assert!(missing.is_empty(), "without help: {missing:?}");
}
