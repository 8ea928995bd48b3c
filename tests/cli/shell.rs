//! acctl in the shell, through the real binary: completions that load in
//! bash, a man page that renders, every profile at a glance and `switch`,
//! sessions that do not pile up, pipes free of escape codes, `acctl api`,
//! and help that teaches.

use crate::support;

use std::process::{Command, Stdio};

use support::cli::{EMAIL, PASSWORD, Person, acctl_env, run_with_input, signed_in};
use support::programs_present;

/// `acctl ARGS` with nothing set up: config in `home`, tokens in memory.
fn bare(home: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acctl"));
    acctl_env(&mut command, home, "memory");
    command.args(args);
    run_with_input(&mut command, "")
}

fn no_escape_codes(what: &str, text: &str) {
    assert!(
        !text.contains('\u{1b}'),
        "{what} wrote an escape code: {text:?}"
    );
}

#[test]
fn completion_scripts_load_in_bash() {
    if !programs_present(&["bash"]) {
        return;
    }
    let home = tempfile::tempdir().expect("home");
    let (code, script, stderr) = bare(home.path(), &["completion", "bash"]);
    assert_eq!(code, 0, "{stderr}");
    let path = home.path().join("acctl.bash");
    std::fs::write(&path, script).expect("written");
    let check = Command::new("bash")
        .args(["--norc", "--noprofile", "-c"])
        .arg(format!("source {} && complete -p acctl", path.display()))
        .output()
        .expect("bash runs");
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        said.trim_end().ends_with(" acctl"),
        "complete -p acctl: {said}"
    );
    for shell in ["zsh", "fish"] {
        let (code, stdout, stderr) = bare(home.path(), &["completion", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains("security-log"), "{shell}: {stdout}");
    }
}

#[test]
fn the_man_page_renders() {
    if !programs_present(&["man"]) {
        return;
    }
    let home = tempfile::tempdir().expect("home");
    let (code, page, _) = bare(home.path(), &["man"]);
    assert_eq!(code, 0);
    let mut man = Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("man runs");
    std::io::Write::write_all(man.stdin.as_mut().expect("stdin"), page.as_bytes())
        .expect("page written");
    let shown = man.wait_with_output().expect("man ends");
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    for needle in ["NAME", "ACCTL STATUS", "Examples:", "Exit codes:"] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}

#[test]
fn help_has_examples_exit_codes_and_global_options() {
    let home = tempfile::tempdir().expect("home");
    let (code, root, _) = bare(home.path(), &["--help"]);
    assert_eq!(code, 0);
    assert!(
        root.contains("Exit codes:") && root.contains("Global options:"),
        "{root}"
    );
    let (_, status, _) = bare(home.path(), &["status", "--help"]);
    assert!(status.contains("Examples:\n  acctl status"), "{status}");
    assert!(
        !status.contains("--theme"),
        "--theme does nothing here: {status}"
    );
    assert!(
        status.contains("-q, --quiet") && status.contains("-v, --verbose"),
        "{status}"
    );
}

#[test]
fn the_console_needs_a_terminal() {
    let home = tempfile::tempdir().expect("home");
    for args in [&[][..], &["demo"][..]] {
        let (code, stdout, stderr) = bare(home.path(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("needs a terminal"), "{args:?}: {stderr}");
        no_escape_codes("the console", &format!("{stdout}{stderr}"));
    }
}

#[test]
fn every_profile_at_a_glance_and_switch() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    let (code, _, stderr) = person.run(
        &[
            "--profile",
            "home",
            "login",
            "--server",
            &server.url,
            "--email",
            EMAIL,
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{stderr}");
    let all = person.json(&["status", "--all", "--json"]);
    let rows = all.as_array().expect("a bare array");
    assert_eq!(rows.len(), 2, "{all}");
    for row in rows {
        assert_eq!(row["signed_in"], true, "{row}");
        assert_eq!(row["service"], "acctd");
        assert_eq!(row["account"], EMAIL);
        assert_eq!(row["token_store"], "kernel_keyutils");
        assert_eq!(row["server"], server.url.as_str());
    }
    let text = person.ok(&["status", "--all"]);
    assert!(
        text.contains("home") && text.contains(&person.profile),
        "{text}"
    );
    assert!(
        text.contains("persistent keyring"),
        "the kernel keyring's lifetime: {text}"
    );

    // `switch` is kept in the config; without --profile it is the one used.
    let switched = person.ok(&["switch", "home"]);
    assert!(switched.contains("'home'"), "{switched}");
    let mut status = person.acctl(&["status", "--json"]);
    status.env_remove("ACCTL_PROFILE");
    let (code, stdout, stderr) = run_with_input(&mut status, "");
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json["profile"], "home");
    let all = person.json(&["status", "--all", "--json", "profile,default"]);
    let default: Vec<&str> = all
        .as_array()
        .expect("array")
        .iter()
        .filter(|r| r["default"] == true)
        .filter_map(|r| r["profile"].as_str())
        .collect();
    assert_eq!(default, ["home"]);
    assert_eq!(
        all[0].as_object().expect("object").len(),
        2,
        "only the fields asked for"
    );

    // A profile that does not exist names the ones that do.
    let (code, _, stderr) = person.run(&["--profile", "nope", "sessions", "list"], "");
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("profiles here: home, "), "{stderr}");
    let (code, _, stderr) = person.run(&["switch", "nope"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("profiles here: home"), "{stderr}");
    let _ = person.run(&["--profile", "home", "logout"], "");
}

#[test]
fn signing_in_again_ends_the_profiles_previous_session() {
    let Some((mut server, person)) = signed_in() else {
        return;
    };
    let sessions = |person: &Person| person.json(&["sessions", "list", "--json", "id"]);
    assert_eq!(sessions(&person).as_array().map(Vec::len), Some(1));
    let (code, _, stderr) = person.login(&server.url, PASSWORD);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("previous session"), "{stderr}");
    let now = sessions(&person);
    assert_eq!(now.as_array().map(Vec::len), Some(1), "still one: {now}");

    // Offline, logout says which session is left and how to end it.
    let id = now[0]["id"].as_str().expect("an id").to_string();
    server.stop();
    let (code, _, stderr) = person.run(&["logout"], "");
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains(&format!("acctl sessions revoke {id}")),
        "{stderr}"
    );
}

#[test]
fn api_sends_any_request_with_the_profiles_tokens() {
    let Some((_server, person)) = signed_in() else {
        return;
    };
    let me = person.json(&["api", "GET", "/v1/me"]);
    assert_eq!(me["email"], EMAIL);
    // A change needs the version's ETag, which --include shows.
    let head = person.ok(&["api", "GET", "/v1/me", "--include"]);
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .expect("an etag")
        .to_string();
    let if_match = format!("If-Match: {etag}");
    let (code, stdout, stderr) = person.run(
        &["api", "PATCH", "/v1/me", "--input", "-", "-H", &if_match],
        r#"{"bio":"from api"}"#,
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let shown = person.json(&["profile", "show", "--json", "bio"]);
    assert_eq!(shown, serde_json::json!({"bio": "from api"}));
    let (code, stdout, stderr) = person.run(&["api", "GET", "/v1/nothing-here"], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("not_found") || stdout.contains("404"),
        "{stdout}"
    );
    assert!(stderr.contains("HTTP 404"), "{stderr}");
    let (code, _, stderr) = person.run(&["api", "GET", "https://example.com/v1/me"], "");
    assert_eq!(code, 2, "{stderr}");
}

/// Every command's output in a pipe: no colour, cursor or progress codes.
#[test]
fn piped_output_has_no_escape_codes() {
    let Some((server, person)) = signed_in() else {
        return;
    };
    let commands: &[&[&str]] = &[
        &["status"],
        &["status", "--all"],
        &["status", "--json"],
        &["sessions", "list"],
        &["mfa", "status"],
        &["security-log"],
        &["profile", "show"],
        &["preferences", "show"],
        &["notifications", "settings"],
        &["notifications", "list"],
        &["privacy", "show"],
        &["billing", "show"],
        &["billing", "plans"],
        &["invoices", "list"],
        &["api", "GET", "/v1/me"],
        &["export", "--output", "-"],
        &["--help"],
        &["sessions", "--help"],
        &["completion", "bash"],
        &["man"],
        &["-v", "status"],
    ];
    let export = person.path("export.json");
    for args in commands {
        let args: Vec<&str> = args
            .iter()
            .map(|a| {
                if *a == "-" {
                    export.to_str().expect("utf-8")
                } else {
                    a
                }
            })
            .collect();
        let (code, stdout, stderr) = person.run(&args, "");
        assert!(code == 0, "{args:?}: {stdout}{stderr}");
        no_escape_codes(&format!("{args:?}"), &format!("{stdout}{stderr}"));
    }
    // --quiet: the result on stdout, nothing on stderr.
    let quiet = person.path("quiet.json");
    let quiet = quiet.to_str().expect("utf-8");
    let (code, stdout, stderr) = person.run(&["-q", "export", "--output", quiet], "");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), quiet);
    assert_eq!(stderr, "", "quiet");
    let (code, _, stderr) = person.run(
        &[
            "login",
            "--server",
            &server.url,
            "--email",
            EMAIL,
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{stderr}");
    no_escape_codes("login", &stderr);
}

/// No keyring works (no D-Bus session, keyutils not asked for): `login`
/// signs nothing in, so no session is left on the server that nothing
/// could end, and `status` says why it is signed out and what to do.
#[test]
fn without_a_keyring_login_refuses_and_status_says_why() {
    let server = support::server::TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let run = |args: &[&str], input: &str| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_acctl"));
        acctl_env(&mut command, home.path(), "secret-service");
        command
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("XDG_RUNTIME_DIR", home.path())
            .args(args);
        run_with_input(&mut command, input)
    };
    let login = [
        "login",
        "--server",
        &server.url,
        "--email",
        EMAIL,
        "--password-stdin",
    ];
    let (code, stdout, stderr) = run(&login, &format!("{PASSWORD}\n"));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("nothing was sent"), "{stderr}");
    assert!(!stdout.contains("Signed in"), "{stdout}");
    std::fs::create_dir_all(home.path().join("config")).expect("config dir");
    std::fs::write(
        home.path().join("config/profiles.toml"),
        format!("[profiles.default]\nserver = \"{}\"\n", server.url),
    )
    .expect("a profile");
    let (code, _, stderr) = run(&["status"], "");
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("acctl cannot keep tokens"), "{stderr}");
    assert!(stderr.contains("keyctl session"), "what to do: {stderr}");
    assert!(!stderr.contains("run `acctl login`"), "{stderr}");
}
