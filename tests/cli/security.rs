//! The security commands of the real `acctl` binary (`password`, `email`,
//! `mfa`, `security-log`) against a real acctd on 127.0.0.1, as a script
//! runs them: secrets through `--password-stdin`, results on stdout.
//!
//! A sign-in must outlive one command, so each test person gets a kernel
//! session keyring of their own (see `support::cli::Person`). Those tests
//! skip only when `keyctl` is missing, and never when `CI` is set.

use crate::support;

use std::time::Duration;

use acctl_api::OutboxMessage;
use chrono::{DateTime, Utc};
use support::cli::{EMAIL, PASSWORD, Person, keyctl_present};
use support::server::TestServer;
use totp_rs::{Algorithm, Builder, Secret};

const NEW_PASSWORD: &str = "cedar-otter-lumen-4821";

/// The acctd these tests need beyond `TestServer`: development mode (the
/// mail outbox) and a clock the test moves, since each 30-second TOTP code
/// is accepted once.
struct DevServer {
    runtime: tokio::runtime::Runtime,
    server: Option<acctd::RunningServer>,
    clock: acctd::Clock,
    url: String,
}

impl DevServer {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let clock = acctd::Clock::manual(Utc::now());
        let config = acctd::Config::for_tests()
            .with_dev(true)
            .with_clock(clock.clone());
        let server = runtime
            .block_on(acctd::start(config))
            .expect("acctd starts");
        server_add_user(&runtime, &server);
        Self {
            url: server.base_url(),
            server: Some(server),
            clock,
            runtime,
        }
    }

    /// The mail sent to `to`, oldest first.
    fn outbox(&self, to: &str) -> Vec<OutboxMessage> {
        let url = format!("{}/v1/dev/outbox?to={to}", self.url);
        self.runtime.block_on(async {
            reqwest::get(&url)
                .await
                .expect("outbox answers")
                .json()
                .await
                .expect("outbox json")
        })
    }

    /// The code an authenticator app shows now, by the server's clock.
    fn totp(&self, secret: &str) -> String {
        let totp = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_secret(Secret::try_from_base32(secret).expect("base32"))
            .build()
            .expect("totp");
        let now = u64::try_from(self.clock.now().timestamp()).expect("after 1970");
        totp.generate(now).to_string()
    }

    /// On to the next TOTP step: the last code is spent.
    fn next_step(&self) {
        self.clock.advance(Duration::from_secs(30));
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

fn server_add_user(runtime: &tokio::runtime::Runtime, server: &acctd::RunningServer) {
    runtime
        .block_on(server.add_user(EMAIL, "Ada Lovelace", PASSWORD))
        .expect("user added");
}

/// Another six-digit code than `right`.
fn other(right: &str) -> String {
    format!(
        "{:06}",
        (right.parse::<u32>().expect("digits") + 1) % 1_000_000
    )
}

/// Recovery codes as printed: `  abcd-efgh-jk`, one per line.
fn recovery_codes(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("  "))
        .filter(|code| {
            let parts: Vec<&str> = code.split('-').collect();
            parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn password_change_from_stdin_then_the_new_password_signs_in() {
    if !keyctl_present() {
        return;
    }
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let person = Person::new();
    person.sign_in(&server.url);

    let input = format!("{PASSWORD}\n{NEW_PASSWORD}\n");
    let (code, stdout, stderr) = person.run(
        &[
            "password",
            "change",
            "--password-stdin",
            "--sign-out-others",
        ],
        &input,
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Password changed."), "{stdout}");
    assert!(
        stdout.contains("Every other device was signed out"),
        "{stdout}"
    );
    assert!(!stdout.contains(NEW_PASSWORD) && !stderr.contains(NEW_PASSWORD));

    // Still signed in here, and the new password is the one that works.
    assert_eq!(person.json(&["status", "--json"])["signed_in"], true);
    let (code, _, stderr) = person.login(&server.url, PASSWORD);
    assert_eq!(code, 4, "the old password still works: {stderr}");
    let (code, stdout, stderr) = person.login(&server.url, NEW_PASSWORD);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn weak_or_wrong_passwords_are_refused_with_what_to_fix() {
    if !keyctl_present() {
        return;
    }
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let person = Person::new();
    person.sign_in(&server.url);
    let change = ["password", "change", "--password-stdin"];

    let (code, stdout, stderr) = person.run(&change, &format!("{PASSWORD}\npassword123\n"));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.starts_with("error: new password: This is one of the most common passwords"),
        "{stderr}"
    );
    assert!(stderr.contains("not changed"), "{stderr}");

    let (code, stdout, stderr) = person.run(&change, &format!("{PASSWORD}\n{EMAIL}\n"));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("not your email address"), "{stderr}");

    let (code, stdout, stderr) = person.run(&change, &format!("not it at all\n{NEW_PASSWORD}\n"));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains("current password: This is not your current password."),
        "{stderr}"
    );
    assert!(stderr.contains("request id"), "{stderr}");

    let (code, _, stderr) = person.run(&change, &format!("{PASSWORD}\n"));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("standard input ended before the new password"),
        "{stderr}"
    );

    // Nothing changed: the old password still signs in.
    let (code, stdout, stderr) = person.login(&server.url, PASSWORD);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn email_change_then_verify_with_the_mailed_code() {
    if !keyctl_present() {
        return;
    }
    let server = DevServer::start();
    let person = Person::new();
    person.sign_in(&server.url);
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
    let verify_hint = format!("acctl --profile {} email verify CODE", person.profile);
    assert!(stdout.contains(&verify_hint), "{stdout}");

    let mail = server.outbox(new_email);
    let body = &mail.last().expect("a mail to the new address").body;
    let code_in_mail: String = body
        .split(|c: char| !c.is_ascii_digit())
        .find(|word| word.len() == 6)
        .expect("a 6-digit code")
        .to_string();
    let wrong = if code_in_mail == "000000" {
        "111111"
    } else {
        "000000"
    };
    let (code, _, stderr) = person.run(&["email", "verify", wrong], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("code: This code is not right"), "{stderr}");

    let (code, stdout, stderr) = person.run(&["email", "verify", &code_in_mail], "");
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("Your email address is now {new_email}.")),
        "{stdout}"
    );
    let status = person.json(&["status", "--json"]);
    assert_eq!(status["account"]["email"], new_email);
    let profiles = std::fs::read_to_string(person.path("config/profiles.toml")).expect("profiles");
    assert!(profiles.contains(new_email), "{profiles}");

    let (code, _, stderr) = person.run(&["email", "verify", &code_in_mail], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("no email change is under way"), "{stderr}");
}

/// Runs `acctl mfa enroll --password-stdin ARGS` and answers the code
/// `answer` makes of the right one; the exit code, stdout, stderr and key.
fn enroll(
    server: &DevServer,
    person: &Person,
    args: &[&str],
    answer: impl Fn(String) -> String,
) -> (i32, String, String, String) {
    let mut command = vec!["mfa", "enroll", "--password-stdin"];
    command.extend_from_slice(args);
    let mut piped = person.spawn(&command);
    piped.write_line(PASSWORD);
    let line = piped.wait_for("key into the app:");
    let key: String = line
        .split_once(':')
        .map(|(_, key)| key.chars().filter(|c| !c.is_whitespace()).collect())
        .expect("a key");
    let uri = piped.wait_for("otpauth://totp/");
    assert!(uri.contains(&format!("secret={key}")), "{uri}");
    piped.write_line(&answer(server.totp(&key)));
    let (code, stdout, stderr) = piped.finish();
    (code, stdout, stderr, key)
}

#[test]
fn mfa_enroll_from_a_pipe_then_new_codes_then_disable() {
    if !keyctl_present() {
        return;
    }
    let server = DevServer::start();
    let person = Person::new();
    person.sign_in(&server.url);
    assert_eq!(
        person.json(&["mfa", "status", "--json"])["two_factor"],
        "off"
    );

    let saved = person.path("codes.txt");
    let saved_arg = saved.display().to_string();
    let (code, stdout, stderr, key) =
        enroll(&server, &person, &["--save-codes", &saved_arg], |right| {
            right
        });
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains('█') || stdout.contains('▀'),
        "a QR code: {stdout}"
    );
    assert!(stdout.contains("Two-factor sign-in is on."), "{stdout}");
    assert!(
        stdout.contains("Store these now, they are not shown again."),
        "{stdout}"
    );
    let codes = recovery_codes(&stdout);
    assert_eq!(codes.len(), 10, "{stdout}");
    assert!(!stderr.contains(&key), "the key went to stderr: {stderr}");

    let file = std::fs::read_to_string(&saved).expect("codes saved");
    assert_eq!(file.lines().collect::<Vec<_>>(), codes);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    let status = person.json(&["mfa", "status", "--json"]);
    assert_eq!(status["two_factor"], "on");
    assert_eq!(status["totp_enabled"], true);
    assert_eq!(status["recovery_codes_remaining"], 10);

    // Never overwrites: refused before the password is asked for.
    let regenerate = ["mfa", "recovery-codes", "regenerate", "--password-stdin"];
    let mut again = regenerate.to_vec();
    again.extend(["--save-codes", &saved_arg]);
    let (code, _, stderr) = person.run(&again, &format!("{PASSWORD}\n"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&saved).expect("kept"), file);

    let (code, stdout, stderr) = person.run(&regenerate, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("the old ones no longer work"), "{stdout}");
    let new_codes = recovery_codes(&stdout);
    assert_eq!(new_codes.len(), 10, "{stdout}");
    assert!(new_codes.iter().all(|c| !codes.contains(c)), "{stdout}");

    // Signing in with --password-stdin reads the code from the next line;
    // a wrong one is told in the console's words.
    server.next_step();
    let right = server.totp(&key);
    let (code, _, stderr) = person.login(&server.url, &format!("{PASSWORD}\n{}", other(&right)));
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("This code is not right, or was used already"),
        "{stderr}"
    );
    assert!(!stderr.contains("Some fields"), "{stderr}");
    let (code, stdout, stderr) = person.login(&server.url, &format!("{PASSWORD}\n{right}"));
    assert_eq!(code, 0, "{stdout}{stderr}");

    // Each code is spent once; disabling takes the next one.
    server.next_step();
    let disable = ["mfa", "disable", "--password-stdin"];
    let right = server.totp(&key);
    let wrong = other(&right);
    let (code, _, stderr) = person.run(&disable, &format!("{PASSWORD}\n{wrong}\n"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("code: This code is not right"), "{stderr}");
    let (code, stdout, stderr) = person.run(&disable, &format!("{PASSWORD}\n{right}\n"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Two-factor sign-in is off"), "{stdout}");
    let status = person.json(&["mfa", "status", "--json"]);
    assert_eq!(status["totp_enabled"], false);

    let (code, _, stderr) = person.run(&regenerate, &format!("{PASSWORD}\n"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("two-factor sign-in is not on"), "{stderr}");

    let enabled = person.json(&["security-log", "--json", "--kind", "mfa_enabled"]);
    assert_eq!(enabled.as_array().map(Vec::len), Some(1), "{enabled}");
}

#[test]
fn a_wrong_code_from_stdin_fails_with_the_servers_message() {
    if !keyctl_present() {
        return;
    }
    let server = DevServer::start();
    let person = Person::new();
    person.sign_in(&server.url);
    let (code, stdout, stderr, _) = enroll(&server, &person, &["--invert"], |right| {
        // Another code, six digits like the real one.
        let digit = right.as_bytes()[0] - b'0';
        format!("{}{}", (digit + 5) % 10, &right[1..])
    });
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stderr.contains("code: This code is not right."), "{stderr}");
    assert!(stderr.contains("still off"), "{stderr}");
    assert!(recovery_codes(&stdout).is_empty(), "{stdout}");
    assert_eq!(
        person.json(&["mfa", "status", "--json"])["two_factor"],
        "pending"
    );
}

#[test]
fn security_log_is_newest_first_limited_and_filtered() {
    if !keyctl_present() {
        return;
    }
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let person = Person::new();
    let (code, _, _) = person.login(&server.url, "not the password");
    assert_eq!(code, 4);
    person.sign_in(&server.url);
    person.sign_in(&server.url);

    // Signing in again signed the first session out.
    let events = person.json(&["security-log", "--json", "--limit", "4"]);
    let events = events.as_array().expect("an array");
    assert_eq!(events.len(), 4, "{events:?}");
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "logout",
            "login_succeeded",
            "login_succeeded",
            "login_failed"
        ]
    );
    let times: Vec<DateTime<Utc>> = events
        .iter()
        .map(|e| e["at"].as_str().expect("at").parse().expect("a time"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    let failed = person.json(&["security-log", "--json", "--kind", "login_failed"]);
    let failed = failed.as_array().expect("an array");
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["kind"], "login_failed");

    let (code, stdout, stderr) = person.run(&["security-log", "--limit", "2"], "");
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("TIME") && lines[0].contains("EVENT") && lines[0].contains("IP"),
        "{stdout}"
    );
    assert!(lines[2].contains("Signed in"), "{stdout}");
    assert!(
        stdout.contains("Showing the newest 2; pass --limit for more."),
        "{stdout}"
    );

    let (code, _, stderr) = person.run(&["security-log", "--kind", "login_fail"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("unknown kind; use one of: account_created, login_succeeded, login_failed"),
        "{stderr}"
    );
}

/// Every new command, with the arguments it needs to get going.
const COMMANDS: &[&[&str]] = &[
    &["password", "change", "--password-stdin"],
    &["email", "change", "new@example.com", "--password-stdin"],
    &["email", "verify", "123456"],
    &["mfa", "status", "--json"],
    &["mfa", "enroll", "--password-stdin"],
    &["mfa", "disable", "--password-stdin"],
    &["mfa", "recovery-codes", "regenerate", "--password-stdin"],
    &["security-log"],
];

#[test]
fn signed_out_they_answer_as_sessions_list_does() {
    support::cli::assert_signed_out_like_sessions_list(COMMANDS);
}

#[test]
fn an_unreachable_server_exits_3() {
    if !keyctl_present() {
        return;
    }
    let mut server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let person = Person::new();
    person.sign_in(&server.url);
    server.stop();
    person.assert_each_unreachable(COMMANDS.iter().copied(), &format!("{PASSWORD}\n"));
}
