//! `acctl privacy`, `acctl export` and `acctl account delete` of the real
//! binary against a real acctd on 127.0.0.1, as a script runs them (a
//! kernel session keyring per person, `support::cli`); skipped only when
//! `keyctl` is missing, never under CI.

use crate::support;

use acctl_api::privacy::{ExportDocument, PrivacySettings, ProfileVisibility};
use support::cli::{EMAIL, PASSWORD, Person, run_with_input, signed_in};

fn privacy(person: &Person) -> PrivacySettings {
    serde_json::from_str(&person.ok(&["privacy", "show", "--json"])).expect("the wire type")
}

#[test]
fn privacy_set_then_show() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let before = privacy(&person);
    assert_eq!(
        before.profile_visibility,
        ProfileVisibility::Private,
        "new accounts start private"
    );
    assert!(!before.analytics && !before.data_sharing && !before.personalized_ads);

    let stdout = person.ok(&[
        "privacy",
        "set",
        "--visibility",
        "contacts",
        "--analytics",
        "on",
    ]);
    assert_eq!(
        stdout,
        "Profile visibility: private → contacts\nAnalytics: off → on\n"
    );
    let after = privacy(&person);
    assert_eq!(after.profile_visibility, ProfileVisibility::Contacts);
    assert!(after.analytics);
    assert!(!after.data_sharing && !after.personalized_ads, "untouched");

    let shown = person.ok(&["privacy", "show"]);
    assert!(
        shown.starts_with("Profile visibility:  contacts ("),
        "{shown}"
    );
    assert!(shown.contains("Analytics:           on\n"), "{shown}");

    let stdout = person.ok(&["privacy", "set", "--analytics", "on"]);
    assert!(stdout.starts_with("Nothing changed"), "{stdout}");
}

#[test]
fn privacy_set_errors_name_the_flag() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let (code, _, stderr) = person.run(&["privacy", "set"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--visibility, --data-sharing, --analytics or --personalized-ads"),
        "{stderr}"
    );
    let (code, _, stderr) = person.run(&["privacy", "set", "--visibility", "friends"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--visibility") && stderr.contains("private, contacts, public"),
        "{stderr}"
    );
    let (code, _, stderr) = person.run(&["privacy", "set", "--data-sharing", "yes"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--data-sharing"), "{stderr}");
}

#[test]
fn export_writes_the_document_and_will_not_overwrite() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let dir = person.path("exports");
    std::fs::create_dir_all(&dir).expect("dir");
    // The default name, in the directory the command runs in.
    let mut command = person.acctl(&["export"]);
    command.current_dir(&dir);
    let (code, stdout, stderr) = run_with_input(&mut command, "");
    assert_eq!(code, 0, "{stdout}{stderr}");
    let name = stdout.trim();
    assert!(
        name.starts_with("acctl-export-") && name.ends_with(".json"),
        "{stdout}"
    );
    assert!(stderr.contains("Preparing your export: 100%"), "{stderr}");
    assert!(stderr.contains("Downloading: "), "{stderr}");
    let text = std::fs::read_to_string(dir.join(name)).expect("the file");
    let document: ExportDocument = serde_json::from_str(&text).expect("an ExportDocument");
    assert_eq!(document.account.email, EMAIL);
    assert!(!text.contains(PASSWORD), "no secrets");
    let files: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
    assert_eq!(files.len(), 1, "no part file left beside it: {files:?}");

    // Again: the file is kept.
    let mut command = person.acctl(&["export"]);
    command.current_dir(&dir);
    let (code, _, stderr) = run_with_input(&mut command, "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(dir.join(name)).expect("kept"), text);

    let other = person.path("mine.json");
    std::fs::write(&other, "old").expect("written");
    let other_arg = other.to_str().expect("UTF-8");
    let (code, _, _) = person.run(&["export", "--output", other_arg], "");
    assert_eq!(code, 2);
    let stdout = person.ok(&["export", "--output", other_arg, "--force"]);
    assert_eq!(stdout.trim(), other_arg);
    let replaced = std::fs::read_to_string(&other).expect("replaced");
    assert!(
        serde_json::from_str::<ExportDocument>(&replaced).is_ok(),
        "{replaced}"
    );
}

#[test]
fn a_wrong_word_is_refused_before_anything_is_sent() {
    let Some((mut server, person)) = signed_in() else {
        return;
    };
    server.stop();
    let args = [
        "account",
        "delete",
        "--password-stdin",
        "--confirm",
        "delete",
    ];
    let (code, _, stderr) = person.run(&args, &format!("{PASSWORD}\n"));
    assert_eq!(code, 2, "2, not 3: nothing was sent; {stderr}");
    assert!(
        stderr.contains("--confirm: type DELETE exactly"),
        "{stderr}"
    );
    // Without a terminal the word must come by flag.
    let (code, _, stderr) = person.run(&["account", "delete", "--password-stdin"], "x\n");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--confirm DELETE"), "{stderr}");
}

#[test]
fn deletion_is_scheduled_shown_by_status_then_canceled() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let delete = [
        "account",
        "delete",
        "--password-stdin",
        "--confirm",
        "DELETE",
    ];
    let (code, _, stderr) = person.run(&delete, "not the password\n");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with("error: password: "), "{stderr}");
    let status = person.ok(&["status"]);
    assert!(!status.contains("Deletion"), "nothing scheduled: {status}");

    let (code, stdout, stderr) = person.run(&delete, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("Your account will be deleted on "),
        "{stdout}"
    );
    assert!(stdout.contains("account delete --cancel`"), "{stdout}");
    let (code, status, _) = person.run(&["status"], "");
    assert_eq!(code, 0, "still signed in: {status}");
    assert!(status.contains("Deletion:  scheduled for "), "{status}");
    let json = person.json(&["status", "--json"]);
    assert!(
        json["account"]["deletion_scheduled_for"].is_string(),
        "{json}"
    );

    let (code, _, stderr) = person.run(&delete, &format!("{PASSWORD}\n"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("already scheduled"), "{stderr}");

    let stdout = person.ok(&["account", "delete", "--cancel"]);
    assert_eq!(stdout, "Deletion canceled; your account stays.\n");
    let status = person.ok(&["status"]);
    assert!(!status.contains("Deletion"), "{status}");
    let stdout = person.ok(&["account", "delete", "--cancel"]);
    assert!(stdout.starts_with("No deletion is scheduled"), "{stdout}");
}

#[test]
fn deletion_keeps_other_devices_signed_in_unless_asked() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    let phone = Person::new();
    phone.sign_in(&server.url);
    let delete = [
        "account",
        "delete",
        "--password-stdin",
        "--confirm",
        "DELETE",
    ];
    let (code, stdout, stderr) = person.run(&delete, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("other devices are still signed in"),
        "{stdout}"
    );
    let (code, status, _) = phone.run(&["status"], "");
    assert_eq!(code, 0, "the phone stays signed in: {status}");
    person.ok(&["account", "delete", "--cancel"]);
    let (code, status, _) = phone.run(&["status"], "");
    assert_eq!(code, 0, "and after cancelling: {status}");

    let ticked = [&delete[..], &["--sign-out-others"]].concat();
    let (code, stdout, stderr) = person.run(&ticked, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("other devices were signed out"), "{stdout}");
    let (code, _, stderr) = phone.run(&["status"], "");
    assert_eq!(code, 4, "the phone is signed out: {stderr}");
    let (code, _, _) = person.run(&["status"], "");
    assert_eq!(code, 0, "this device stays signed in");
}

const COMMANDS: &[&[&str]] = &[
    &["privacy", "show"],
    &["privacy", "set", "--analytics", "on"],
    &[
        "export",
        "--output",
        "/nonexistent-dir/acctl-test-export.json",
    ],
    &[
        "account",
        "delete",
        "--password-stdin",
        "--confirm",
        "DELETE",
    ],
    &["account", "delete", "--cancel"],
];

#[test]
fn signed_out_they_answer_as_sessions_list_does() {
    support::cli::assert_signed_out_like_sessions_list(COMMANDS);
}

#[test]
fn an_unreachable_server_exits_3() {
    let Some((mut server, person)) = signed_in() else {
        return;
    };
    server.stop();
    person.assert_each_unreachable(COMMANDS.iter().copied(), &format!("{PASSWORD}\n"));
}
