//! The real `acctl` binary against a real django-allauth site
//! (tests/services/allauth), as a script runs it: detection at login, the
//! commands allauth offers, and a clear refusal (exit 7) for what it lacks.

use crate::support;

use std::collections::HashSet;

use support::allauth::{AllauthServer, available, fresh_code};
use support::cli::{EMAIL, PASSWORD, Person, keyctl_present};

const NEW_PASSWORD: &str = "cedar-otter-lumen-4821";

/// A site with the account, and a person signed in to it; None to skip.
fn signed_in() -> Option<(AllauthServer, Person)> {
    if !keyctl_present() || !available() {
        return None;
    }
    let server = AllauthServer::start();
    server.add_user(EMAIL, PASSWORD);
    let person = Person::new();
    let (code, stdout, stderr) = person.login(&server.url, PASSWORD);
    assert_eq!(code, 0, "{stdout}{stderr}\n{}", server.log());
    Some((server, person))
}

/// Recovery codes as printed: indented, after the heading.
fn recovery_codes(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("Your recovery codes."))
        .skip(1)
        .map_while(|l| l.strip_prefix("  "))
        .map(str::to_string)
        .collect()
}

#[test]
fn login_finds_allauth_and_status_names_it() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    let profiles = std::fs::read_to_string(person.path("config/profiles.toml")).expect("saved");
    assert!(profiles.contains("service = \"allauth\""), "{profiles}");
    assert!(profiles.contains(&server.api()), "{profiles}");

    let status = person.ok(&["status"]);
    assert!(status.contains("Service:   django-allauth\n"), "{status}");
    assert!(
        status.contains(&format!("yes, as ada <{EMAIL}>")),
        "{status}"
    );
    let json = person.json(&["status", "--json"]);
    assert_eq!(json["service"], "allauth");
    assert_eq!(json["account"]["created_at"], serde_json::Value::Null);
    let all = person.ok(&["status", "--all"]);
    assert!(all.contains("django-allauth"), "{all}");

    // Forcing the kind that is there works; another is told plainly.
    let again = Person::new();
    let (code, stdout, stderr) = again.run(
        &[
            "login",
            "--server",
            &server.url,
            "--service",
            "allauth",
            "--email",
            EMAIL,
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!(
            "Signed in to django-allauth at {} as {EMAIL}",
            server.api()
        )),
        "{stdout}"
    );
    let (code, _, stderr) = again.run(
        &[
            "login",
            "--server",
            &server.url,
            "--service",
            "acctd",
            "--email",
            EMAIL,
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("no account service acctl knows answers"),
        "{stderr}"
    );

    let wrong = Person::new();
    let (code, _, stderr) = wrong.login(&server.url, "not the password");
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("The email address and/or password you specified are not correct."),
        "{stderr}"
    );
}

#[test]
fn what_allauth_lacks_exits_7_with_what_and_where() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    let lacking: [(&[&str], &str); 9] = [
        (&["security-log"], "security log"),
        (&["admin", "users", "list"], "administration of accounts"),
        (&["billing", "show"], "billing"),
        (&["invoices", "list"], "billing"),
        (&["notifications", "list"], "notifications"),
        (&["privacy", "show"], "privacy settings"),
        (&["profile", "show"], "profile editing"),
        (&["preferences", "show"], "preferences"),
        (
            &[
                "account",
                "delete",
                "--password-stdin",
                "--confirm",
                "DELETE",
            ],
            "account deletion",
        ),
    ];
    for (args, what) in lacking {
        let (code, stdout, stderr) = person.run(args, &format!("{PASSWORD}\n"));
        assert_eq!(code, 7, "{args:?}: {stdout}{stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!("error: django-allauth at {} offers no {what}", server.api()),
            "{args:?}"
        );
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
    }
}

#[test]
fn sessions_are_listed_and_others_signed_out() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    let phone = Person::new();
    let tablet = Person::new();
    for other in [&phone, &tablet] {
        let (code, stdout, stderr) = other.login(&server.url, PASSWORD);
        assert_eq!(code, 0, "{stdout}{stderr}");
    }
    let sessions = person.json(&["sessions", "list", "--json"]);
    let sessions = sessions.as_array().expect("a list");
    assert_eq!(sessions.len(), 3, "{sessions:?}");
    let phone_session = person_session_id(&phone);
    assert!(
        sessions
            .iter()
            .any(|s| s["id"] == phone_session.as_str() && s["current"] == false),
        "{sessions:?}"
    );
    let listed = person.ok(&["sessions", "list"]);
    assert!(listed.contains("acctl on"), "device names: {listed}");

    let out = person.ok(&["sessions", "revoke", &phone_session]);
    assert!(
        out.contains(&format!("Signed out session {phone_session}.")),
        "{out}"
    );
    let (code, _, stderr) = phone.run(&["status"], "");
    assert_eq!(code, 4, "signed out elsewhere: {stderr}");

    person.ok(&["sessions", "revoke", "--others"]);
    let (code, _, _) = tablet.run(&["status"], "");
    assert_eq!(code, 4);
    let left = person.json(&["sessions", "list", "--json"]);
    assert_eq!(left.as_array().map(Vec::len), Some(1), "{left}");
    assert_eq!(left[0]["current"], true);
}

/// The session id `acctl status` shows for `person`.
fn person_session_id(person: &Person) -> String {
    let status = person.ok(&["status"]);
    status
        .lines()
        .find_map(|l| l.strip_prefix("Session:"))
        .map(|id| id.trim().to_string())
        .expect("a session id")
}

#[test]
fn a_password_change_keeps_this_terminal_signed_in() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    let (code, stdout, stderr) = person.run(
        &["password", "change", "--password-stdin"],
        &format!("{PASSWORD}\n{NEW_PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    // The new token was saved: the next command runs with it.
    let status = person.ok(&["status"]);
    assert!(status.contains("Signed in: yes"), "{status}");
    let again = Person::new();
    let (code, _, stderr) = again.login(&server.url, PASSWORD);
    assert_eq!(code, 4, "the old password: {stderr}");
    let (code, stdout, stderr) = again.login(&server.url, NEW_PASSWORD);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn two_factor_on_sign_in_with_a_code_or_a_recovery_code_then_off() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    let mut used = HashSet::new();
    let mut piped = person.spawn(&["mfa", "enroll", "--password-stdin"]);
    piped.write_line(PASSWORD);
    let line = piped.wait_for("key into the app:");
    let key: String = line
        .split_once(':')
        .map(|(_, key)| key.chars().filter(|c| !c.is_whitespace()).collect())
        .expect("a key");
    let uri = piped.wait_for("otpauth://totp/");
    assert!(uri.contains(&format!("secret={key}")), "{uri}");
    piped.write_line(&fresh_code(&key, &mut used));
    let (code, stdout, stderr) = piped.finish();
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains('█') || stdout.contains('▀'),
        "a QR code: {stdout}"
    );
    assert!(stdout.contains("Two-factor sign-in is on."), "{stdout}");
    let codes = recovery_codes(&stdout);
    assert!(codes.len() >= 5, "{stdout}");
    let status = person.json(&["mfa", "status", "--json"]);
    assert_eq!(status["two_factor"], "on");
    assert_eq!(status["recovery_codes_remaining"], codes.len());

    let laptop = Person::new();
    let code = fresh_code(&key, &mut used);
    let (exit, stdout, stderr) = laptop.login(&server.url, &format!("{PASSWORD}\n{code}"));
    assert_eq!(exit, 0, "{stdout}{stderr}");
    let phone = Person::new();
    let (exit, stdout, stderr) = phone.login(&server.url, &format!("{PASSWORD}\n{}", codes[0]));
    assert_eq!(exit, 0, "a recovery code: {stdout}{stderr}");
    let status = person.json(&["mfa", "status", "--json"]);
    assert_eq!(status["recovery_codes_remaining"], codes.len() - 1);
    let tablet = Person::new();
    let (exit, _, stderr) = tablet.login(&server.url, &format!("{PASSWORD}\n{}", codes[0]));
    assert_eq!(exit, 4, "a used recovery code: {stderr}");

    let (exit, stdout, stderr) = person.run(
        &["mfa", "recovery-codes", "regenerate", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(exit, 0, "{stdout}{stderr}");
    let fresh = recovery_codes(&stdout);
    assert!(fresh.iter().all(|c| !codes.contains(c)), "{stdout}");

    let disable = ["mfa", "disable", "--password-stdin"];
    let (exit, _, stderr) = person.run(&disable, &format!("{PASSWORD}\n000000\n"));
    assert_eq!(exit, 1, "{stderr}");
    let code = fresh_code(&key, &mut used);
    let (exit, stdout, stderr) = person.run(&disable, &format!("{PASSWORD}\n{code}\n"));
    assert_eq!(exit, 0, "{stdout}{stderr}");
    assert_eq!(
        person.json(&["mfa", "status", "--json"])["two_factor"],
        "off"
    );
}

#[test]
fn the_email_changes_with_the_mailed_code() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    let new_email = "ada.l@example.org";
    let (code, stdout, stderr) = person.run(
        &["email", "change", new_email, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("A code was sent to {new_email}.")),
        "{stdout}"
    );
    let (code, _, stderr) = person.run(&["email", "verify", "AAAA-AAAA"], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("Incorrect code."), "{stderr}");
    let mailed = server.mail_code(new_email);
    let (code, stdout, stderr) = person.run(&["email", "verify", &mailed], "");
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("Your email address is now {new_email}.")),
        "{stdout}"
    );
    assert_eq!(
        person.json(&["status", "--json"])["account"]["email"],
        new_email
    );
    let (code, _, stderr) = person.run(&["email", "verify", &mailed], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("no email change is under way"), "{stderr}");
}
