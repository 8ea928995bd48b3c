//! The real `acctl` binary against a real Better Auth service
//! (tests/services/better-auth) on 127.0.0.1: sign-in with and without a
//! second factor, sessions, password, two-factor, email, profile, deletion,
//! and what the service lacks refused with exit 7.

use crate::support::better_auth::{BetterAuth, totp_now as totp};
use crate::support::cli::{EMAIL, PASSWORD, Person, keyctl_present};

const NEW_PASSWORD: &str = "another fine secret 7";

/// The service with its account, and a person signed in to it; None (the
/// test skips) without node, the install or keyctl outside CI.
fn signed_in() -> Option<(BetterAuth, Person)> {
    if !keyctl_present() {
        return None;
    }
    let service = BetterAuth::start()?;
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let person = Person::new();
    let (code, stdout, stderr) = person.login(&service.url, PASSWORD);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Signed in to Better Auth at "), "{stdout}");
    Some((service, person))
}

/// Better Auth's backup codes as printed: `  abcde-fghij`, one a line.
fn backup_codes(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("  "))
        .filter(|code| {
            code.split_once('-').is_some_and(|(a, b)| {
                a.len() == 5
                    && b.len() == 5
                    && code.chars().all(|c| c == '-' || c.is_ascii_alphanumeric())
            })
        })
        .map(str::to_string)
        .collect()
}

/// `acctl mfa enroll` from a pipe, answering the right code: the key and
/// the backup codes.
fn enroll(person: &Person) -> (String, Vec<String>) {
    let mut piped = person.spawn(&["mfa", "enroll", "--password-stdin"]);
    piped.write_line(PASSWORD);
    let line = piped.wait_for("key into the app:");
    let key: String = line
        .split_once(':')
        .map(|(_, key)| key.chars().filter(|c| !c.is_whitespace()).collect())
        .expect("a key");
    let uri = piped.wait_for("otpauth://totp/");
    assert!(uri.contains(&format!("secret={key}")), "{uri}");
    piped.write_line(&totp(&key));
    let (code, stdout, stderr) = piped.finish();
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Two-factor sign-in is on."), "{stdout}");
    assert!(
        stdout.contains('█') || stdout.contains('▀'),
        "a QR code: {stdout}"
    );
    let codes = backup_codes(&stdout);
    assert_eq!(codes.len(), 10, "{stdout}");
    (key, codes)
}

#[test]
fn login_finds_the_service_and_status_names_it() {
    let Some((service, person)) = signed_in() else {
        return;
    };
    let status = person.json(&["status", "--json"]);
    assert_eq!(status["service"], "better-auth");
    assert_eq!(status["account"]["email"], EMAIL);
    assert_eq!(status["server"], format!("{}/api/auth", service.url));

    let other = Person::new();
    let (code, stdout, stderr) = other.run(
        &[
            "login",
            "--server",
            &service.url,
            "--service",
            "better-auth",
            "--email",
            EMAIL,
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, _, stderr) = other.login(&service.url, "not my password");
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("Invalid email or password."), "{stderr}");
}

#[test]
fn two_factor_on_then_sign_in_with_a_code_or_a_backup_code_then_off() {
    let Some((service, person)) = signed_in() else {
        return;
    };
    let (key, codes) = enroll(&person);
    // Turning it on replaced the session; the new token was kept.
    let status = person.json(&["mfa", "status", "--json"]);
    assert_eq!(status["two_factor"], "on");
    // Better Auth does not say how many backup codes are left.
    assert!(status["recovery_codes_remaining"].is_null(), "{status}");
    let text = person.ok(&["mfa", "status"]);
    assert!(text.contains("does not say how many are left"), "{text}");

    let phone = Person::new();
    let (code, stdout, stderr) = phone.login(&service.url, &format!("{PASSWORD}\n{}", totp(&key)));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let tablet = Person::new();
    let (code, stdout, stderr) = tablet.login(&service.url, &format!("{PASSWORD}\n{}", codes[0]));
    assert_eq!(code, 0, "a backup code signs in: {stdout}{stderr}");
    let (code, _, stderr) = Person::new().login(&service.url, &format!("{PASSWORD}\n{}", codes[0]));
    assert_ne!(code, 0, "a used backup code: {stderr}");

    let regenerate = ["mfa", "recovery-codes", "regenerate", "--password-stdin"];
    let (code, stdout, stderr) = person.run(&regenerate, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(backup_codes(&stdout).len(), 10, "{stdout}");

    let disable = ["mfa", "disable", "--password-stdin"];
    let (code, _, stderr) = person.run(&disable, &format!("wrong\n{}\n", totp(&key)));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("password: Invalid password."), "{stderr}");
    let (code, stdout, stderr) = person.run(&disable, &format!("{PASSWORD}\n{}\n", totp(&key)));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        person.json(&["mfa", "status", "--json"])["two_factor"],
        "off"
    );
}

#[test]
fn sessions_are_listed_and_signed_out_one_or_all_others() {
    let Some((service, person)) = signed_in() else {
        return;
    };
    let phone = Person::new();
    phone.sign_in(&service.url);
    let sessions = person.json(&["sessions", "list", "--json"]);
    let sessions = sessions.as_array().expect("a list");
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    let listing = person.ok(&["sessions", "list"]);
    assert!(listing.lines().any(|l| l.starts_with('*')), "{listing}");
    assert!(!listing.contains("token"), "{listing}");
    // Better Auth's own list carries every session's token: not shown.
    let raw = person.json(&["api", "GET", "/list-sessions"]);
    let rows = raw.as_array().expect("a list");
    assert_eq!(rows.len(), 2, "{raw}");
    assert!(rows.iter().all(|r| r["token"] == "[not shown]"), "{raw}");
    let other = sessions
        .iter()
        .find(|s| s["current"] == false)
        .and_then(|s| s["id"].as_str())
        .expect("the phone's session");
    let current = sessions
        .iter()
        .find(|s| s["current"] == true)
        .and_then(|s| s["id"].as_str())
        .expect("this session");

    let (code, _, stderr) = person.run(&["sessions", "revoke", current], "");
    assert_ne!(code, 0, "{stderr}");
    person.ok(&["sessions", "revoke", other]);
    let (code, _, stderr) = phone.run(&["status"], "");
    assert_eq!(code, 4, "the phone was signed out: {stderr}");

    // Kept alive: a person signs out when dropped.
    let tablet = Person::new();
    tablet.sign_in(&service.url);
    let desk = Person::new();
    desk.sign_in(&service.url);
    let stdout = person.ok(&["sessions", "revoke", "--others"]);
    assert!(stdout.contains('2'), "{stdout}");
    let left = person.json(&["sessions", "list", "--json"]);
    assert_eq!(left.as_array().map(Vec::len), Some(1), "{left}");
}

#[test]
fn a_password_change_keeps_this_device_signed_in_with_the_new_token() {
    let Some((service, person)) = signed_in() else {
        return;
    };
    let phone = Person::new();
    phone.sign_in(&service.url);
    let change = [
        "password",
        "change",
        "--password-stdin",
        "--sign-out-others",
    ];
    let (code, _, stderr) = person.run(&change, &format!("wrong\n{NEW_PASSWORD}\n"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("Invalid password."), "{stderr}");
    let (code, stdout, stderr) = person.run(&change, &format!("{PASSWORD}\n{NEW_PASSWORD}\n"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Password changed."), "{stdout}");
    // Better Auth replaced this session too: the new token is in the keyring.
    assert_eq!(person.json(&["status", "--json"])["signed_in"], true);
    let (code, _, _) = phone.run(&["status"], "");
    assert_eq!(code, 4, "the other device was signed out");
    let (code, _, _) = Person::new().login(&service.url, NEW_PASSWORD);
    assert_eq!(code, 0);
}

#[test]
fn the_email_moves_with_the_mailed_link() {
    let Some((service, person)) = signed_in() else {
        return;
    };
    let new_email = "ada.l@example.org";
    let (code, stdout, stderr) = person.run(
        &["email", "change", new_email, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("A link was sent to {new_email}.")),
        "{stdout}"
    );
    let link = service.wait_for_link(new_email);
    let (code, _, stderr) = person.run(&["email", "verify", "https://example.com/"], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("Paste the whole link"), "{stderr}");
    let (code, stdout, stderr) = person.run(&["email", "verify", &link], "");
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        person.json(&["status", "--json"])["account"]["email"],
        new_email
    );
}

#[test]
fn the_name_changes_and_the_account_is_deleted_at_once() {
    let Some((service, person)) = signed_in() else {
        return;
    };
    person.ok(&["profile", "set", "--name", "Ada King"]);
    assert!(person.ok(&["profile", "show"]).contains("Ada King"));
    let (code, _, stderr) = person.run(&["profile", "set", "--bio", "Analyst"], "");
    assert_eq!(code, 7, "{stderr}");
    assert!(
        stderr.contains("offers no display name, phone or bio"),
        "{stderr}"
    );

    let delete = [
        "account",
        "delete",
        "--password-stdin",
        "--confirm",
        "DELETE",
    ];
    let (code, _, stderr) = person.run(&delete, "wrong\n");
    assert_eq!(code, 1, "{stderr}");
    let (code, stdout, stderr) = person.run(&delete, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Your account was deleted"), "{stdout}");
    let (code, _, _) = person.run(&["status"], "");
    assert_eq!(code, 4, "signed out with the account");
    let (code, _, _) = Person::new().login(&service.url, PASSWORD);
    assert_eq!(code, 4, "no such account now");
}

#[test]
fn what_the_service_lacks_exits_7_and_says_so() {
    if !keyctl_present() {
        return;
    }
    let Some(service) = BetterAuth::start_without(&["two-factor", "change-email", "delete-user"])
    else {
        return;
    };
    service.sign_up(EMAIL, "Ada Lovelace", PASSWORD);
    let person = Person::new();
    person.sign_in(&service.url);
    let offers_no = format!("Better Auth at {}/api/auth offers no", service.url);
    let lacking: [(&[&str], &str, &str); 6] = [
        (&["security-log"], "", "security log"),
        (
            &["admin", "users", "list"],
            "",
            "administration of accounts",
        ),
        (&["billing", "show"], "", "billing"),
        (
            &["mfa", "enroll", "--password-stdin"],
            "x\n",
            "two-factor sign-in",
        ),
        (
            &["email", "change", "n@example.com", "--password-stdin"],
            "x\n",
            "email change",
        ),
        (
            &[
                "account",
                "delete",
                "--password-stdin",
                "--confirm",
                "DELETE",
            ],
            "x\n",
            "account deletion",
        ),
    ];
    for (args, input, what) in lacking {
        let (code, stdout, stderr) = person.run(args, input);
        assert_eq!(code, 7, "{args:?}: {stdout}{stderr}");
        assert!(
            stderr.contains(&format!("{offers_no} {what}")),
            "{args:?}: {stderr}"
        );
    }
}
