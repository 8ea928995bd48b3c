use acctl_api::notifications::{NotificationSetting, is_locked};
use acctl_api::{Problem, notifications::LOCKED_REASON};

use super::*;

fn every_cell(off: &[(NotificationCategory, NotificationChannel)]) -> NotificationSettings {
    let settings = NotificationCategory::ALL
        .into_iter()
        .flat_map(|category| NotificationChannel::ALL.map(move |channel| (category, channel)))
        .map(|(category, channel)| NotificationSetting {
            category,
            channel,
            enabled: !off.contains(&(category, channel)),
            locked: is_locked(category, channel),
            locked_reason: is_locked(category, channel).then(|| LOCKED_REASON.to_string()),
        })
        .collect();
    NotificationSettings { settings }
}

#[test]
fn the_matrix_marks_the_locked_cell_and_says_why() {
    use NotificationCategory::*;
    use NotificationChannel::*;
    let text = matrix(&every_cell(&[(Marketing, Email), (Product, Sms)]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "CATEGORY   EMAIL  PUSH  SMS  IN-APP");
    assert_eq!(lines[1], "security   on*    on    on   on");
    assert_eq!(lines[4], "product    on     on    off  on");
    assert_eq!(lines[5], "marketing  off    on    on   on");
    assert_eq!(lines[6], format!("* security email: {LOCKED_REASON}."));
    assert!(lines[7].contains("acctl notifications set"), "{text}");
}

#[test]
fn names_are_checked_with_the_valid_ones_listed() {
    assert_eq!(
        parse_channel("In-App"),
        Ok(NotificationChannel::InApp),
        "as people type it"
    );
    assert_eq!(parse_channel("in_app"), Ok(NotificationChannel::InApp));
    let err = parse_channel("pigeon").expect_err("no such channel");
    assert_eq!(
        err.to_string(),
        "no such channel; use one of: email, push, sms, in-app"
    );
    let err = parse_category("news").expect_err("no such category");
    assert_eq!(
        err.to_string(),
        "no such category; use one of: security, account, billing, product, marketing"
    );
}

#[test]
fn a_locked_cell_is_refused_with_the_servers_reason() {
    let problem = Problem::new(ErrorCode::SettingLocked, "That setting cannot be changed")
        .with_field("security.email", "Kept on so you hear about sign-ins.");
    let error = ApiError::Problem {
        problem: Box::new(problem),
    };
    let cli = refused_cell(
        error,
        NotificationCategory::Security,
        NotificationChannel::Email,
    );
    assert_eq!(cli.exit, Exit::Refused);
    assert_eq!(
        cli.message,
        "security email cannot be turned off: Kept on so you hear about sign-ins. \
         Nothing was changed"
    );
    let other = ApiError::Problem {
        problem: Box::new(Problem::new(ErrorCode::Internal, "boom")),
    };
    let cli = refused_cell(
        other,
        NotificationCategory::Security,
        NotificationChannel::Email,
    );
    assert_eq!(cli.exit, Exit::Error, "only a locked cell is exit 6");
}

#[test]
fn the_inbox_marks_unread_and_keeps_titles_on_one_line() {
    let at = "2026-01-02T03:04:05Z".parse().expect("time");
    let item = |id: &str, title: &str, read: bool| Notification {
        id: id.into(),
        category: NotificationCategory::Security,
        title: title.into(),
        body: "More.".into(),
        created_at: at,
        read_at: read.then_some(at),
    };
    let text = inbox_table(
        &[
            item("n2", "New sign-in\nfrom laptop", false),
            item("n1", "Old", true),
        ],
        false,
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with("*  n2"), "{text}");
    assert!(
        lines[1].ends_with("security  New sign-in from laptop"),
        "{text}"
    );
    assert!(lines[2].starts_with("   n1"), "{text}");
    assert_eq!(inbox_table(&[], true), "No unread notifications.\n");
}
