//! The real `acctl` binary, run as a script would run it, against a real
//! acctd in this process. Config and state live in a temp dir.
//!
//! The keyring tests drive a real Secret Service (gnome-keyring inside
//! `dbus-run-session`) and a real kernel keyring (`keyctl session`). They
//! skip only when those programs are missing, and never when `CI` is set.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::programs_present;
use support::server::TestServer;

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

/// `acctl` with its config and state in `home`, nothing inherited that
/// could change its behaviour.
fn acctl(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acctl"));
    clear_acctl_env(&mut command);
    command
        .env("ACCTL_CONFIG_DIR", home.join("config"))
        .env("ACCTL_STATE_DIR", home.join("state"))
        .env("ACCTL_KEYRING_BACKEND", "memory")
        .stdin(std::process::Stdio::null());
    command
}

fn clear_acctl_env(command: &mut Command) {
    for (key, _) in std::env::vars() {
        if key.starts_with("ACCTL_") || key == "NO_COLOR" {
            command.env_remove(key);
        }
    }
}

fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("acctl runs");
    let code = status.code().expect("exited, not killed");
    (
        code,
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

#[test]
fn status_with_nothing_set_up_needs_a_login() {
    let home = tempfile::tempdir().expect("home");
    let (code, _, stderr) = run(acctl(home.path()).arg("status"));
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("run `acctl login`"), "{stderr}");

    let (code, stdout, _) = run(acctl(home.path()).args(["--profile", "work", "status", "--json"]));
    assert_eq!(code, 4);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json["profile"], "work");
    assert_eq!(json["signed_in"], false);
    assert!(json["account"].is_null());
    assert_eq!(json["token_store"], "memory");
}

#[test]
fn a_bad_server_is_refused_with_a_clear_message() {
    let home = tempfile::tempdir().expect("home");
    let (code, _, stderr) =
        run(acctl(home.path()).args(["--server", "ftp://example.com", "status"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--server"), "{stderr}");
    assert!(stderr.contains("only http and https"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
}

#[test]
fn a_broken_config_file_names_file_line_and_key() {
    let home = tempfile::tempdir().expect("home");
    let dir = home.path().join("config");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(
        dir.join("config.toml"),
        "[ui]\ntheme = \"light\"\nkeymap = 3\n",
    )
    .expect("written");
    let (code, _, stderr) = run(acctl(home.path()).arg("status"));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("config.toml, line 3, key 'ui.keymap'"),
        "{stderr}"
    );
}

#[test]
fn print_default_config_shows_the_merged_settings() {
    let home = tempfile::tempdir().expect("home");
    let (code, stdout, stderr) = run(acctl(home.path())
        .args(["--theme", "light", "--print-default-config"])
        .env("ACCTL_KEYMAP", "vim"));
    assert_eq!(code, 0, "{stderr}");
    let printed: toml::Table = toml::from_str(&stdout).expect("TOML");
    assert_eq!(printed["ui"]["theme"].as_str(), Some("light"));
    assert_eq!(printed["ui"]["keymap"].as_str(), Some("vim"));
    assert_eq!(printed["keyring"]["backend"].as_str(), Some("memory"));
}

#[test]
fn an_unreachable_server_exits_3_and_says_so() {
    let home = tempfile::tempdir().expect("home");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let server = format!("http://127.0.0.1:{port}");
    let (code, _, stderr) = run(acctl(home.path())
        .args([
            "login",
            "--server",
            &server,
            "--email",
            EMAIL,
            "--password-stdin",
        ])
        .stdin(password_file(home.path())));
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("cannot reach"), "{stderr}");
}

#[test]
fn memory_only_login_works_and_says_it_will_not_last() {
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let (code, stdout, stderr) = run(acctl(home.path())
        .args([
            "login",
            "--server",
            &server.url,
            "--email",
            EMAIL,
            "--password-stdin",
        ])
        .stdin(password_file(home.path())));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!(
            "Signed in to {} as {EMAIL} (tokens in: memory only",
            server.url
        )),
        "{stdout}"
    );
    assert!(stderr.contains("lasts only for this command"), "{stderr}");
    // The profile is kept, with no secret in it.
    let profiles =
        std::fs::read_to_string(home.path().join("config/profiles.toml")).expect("profiles");
    assert!(
        profiles.contains(EMAIL) && !profiles.contains(PASSWORD),
        "{profiles}"
    );

    let (code, _, stderr) = run(acctl(home.path()).arg("status"));
    assert_eq!(code, 4, "{stderr}");
}

#[test]
fn a_wrong_password_is_an_authentication_failure() {
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    std::fs::write(home.path().join("password"), "not it\n").expect("written");
    let (code, _, stderr) = run(acctl(home.path())
        .args([
            "login",
            "--server",
            &server.url,
            "--email",
            EMAIL,
            "--password-stdin",
        ])
        .stdin(std::fs::File::open(home.path().join("password")).expect("file")));
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("email or the password is wrong"),
        "{stderr}"
    );
    assert!(stderr.contains("request id"), "{stderr}");
}

fn password_file(home: &Path) -> std::fs::File {
    let path = home.join("password");
    std::fs::write(&path, format!("{PASSWORD}\n")).expect("written");
    std::fs::File::open(path).expect("opened")
}

/// The sign-in journey a person takes, as one shell script, each step's
/// output and exit code written to `out/<step>.{out,err,rc}`.
const JOURNEY: &str = r#"
step() { name=$1; input=$2; shift 2; "$@" <"$input" >"$OUT/$name.out" 2>"$OUT/$name.err"; echo $? >"$OUT/$name.rc"; }
step login "$OUT/password" "$ACCTL" login --server "$SERVER" --email "$EMAIL" --password-stdin
step status /dev/null "$ACCTL" status --json
step sessions /dev/null "$ACCTL" sessions list --json
step logout /dev/null "$ACCTL" logout
step after /dev/null "$ACCTL" status
"#;

struct Journey {
    out: PathBuf,
    _home: tempfile::TempDir,
}

impl Journey {
    fn step(&self, name: &str) -> (i32, String, String) {
        let read = |ext: &str| {
            std::fs::read_to_string(self.out.join(format!("{name}.{ext}"))).unwrap_or_default()
        };
        let code = read("rc").trim().parse().unwrap_or(-1);
        (code, read("out"), read("err"))
    }
}

/// Runs [`JOURNEY`] under `wrapper` (e.g. `dbus-run-session --`), after
/// `prelude` (e.g. starting the keyring daemon).
fn run_journey(server: &TestServer, backend: &str, wrapper: &[&str], prelude: &str) -> Journey {
    let home = tempfile::tempdir().expect("home");
    let out = home.path().join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    std::fs::write(out.join("password"), format!("{PASSWORD}\n")).expect("password");
    let script = format!("{prelude}\n{JOURNEY}");
    let (program, args) = wrapper.split_first().expect("a wrapper");
    let mut command = Command::new(program);
    clear_acctl_env(&mut command);
    command.args(args).args(["sh", "-c", &script]);
    for (key, value) in acctl_env(home.path(), backend) {
        command.env(key, value);
    }
    command
        .env("ACCTL", env!("CARGO_BIN_EXE_acctl"))
        .env("SERVER", &server.url)
        .env("EMAIL", EMAIL)
        .env("OUT", &out);
    let output = command.output().expect("wrapper runs");
    assert!(
        output.status.success(),
        "journey script failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Journey { out, _home: home }
}

/// Environment for the journey: a private HOME (a fresh login keyring) and
/// acctl's dirs in the temp dir.
fn acctl_env(home: &Path, backend: &str) -> Vec<(String, String)> {
    let path = |p: &str| home.join(p).display().to_string();
    let _ = std::fs::create_dir_all(home.join("home/.local/share"));
    let _ = std::fs::create_dir_all(home.join("run"));
    vec![
        ("HOME".into(), path("home")),
        ("XDG_DATA_HOME".into(), path("home/.local/share")),
        ("XDG_RUNTIME_DIR".into(), path("run")),
        ("ACCTL_CONFIG_DIR".into(), path("config")),
        ("ACCTL_STATE_DIR".into(), path("state")),
        ("ACCTL_KEYRING_BACKEND".into(), backend.into()),
        ("ACCTL_KEYRING_TIMEOUT_SECS".into(), "10".into()),
    ]
}

fn assert_journey(journey: &Journey, token_store: &str) {
    let (code, stdout, stderr) = journey.step("login");
    assert_eq!(code, 0, "login: {stdout}{stderr}");
    assert!(!stderr.contains("memory"), "a keyring was used: {stderr}");

    let (code, stdout, stderr) = journey.step("status");
    assert_eq!(code, 0, "status: {stdout}{stderr}");
    let status: serde_json::Value = serde_json::from_str(&stdout).expect("status json");
    assert_eq!(status["signed_in"], true);
    assert_eq!(status["token_store"], token_store);
    assert_eq!(status["account"]["email"], EMAIL);
    assert!(status["error"].is_null());

    let (code, stdout, stderr) = journey.step("sessions");
    assert_eq!(code, 0, "sessions: {stdout}{stderr}");
    let sessions: Vec<serde_json::Value> = serde_json::from_str(&stdout).expect("sessions json");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["current"], true);

    let (code, stdout, stderr) = journey.step("logout");
    assert_eq!(code, 0, "logout: {stdout}{stderr}");
    let (code, _, stderr) = journey.step("after");
    assert_eq!(code, 4, "signed out after logout: {stderr}");
}

#[test]
fn signs_in_with_the_secret_service_keyring() {
    if !programs_present(&["dbus-run-session", "gnome-keyring-daemon"]) {
        return;
    }
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    // The daemon creates and unlocks a fresh login keyring with this password.
    let prelude = r#"eval "$(printf 'keyring-test' | gnome-keyring-daemon --unlock --components=secrets | sed 's/^/export /')""#;
    let journey = run_journey(
        &server,
        "secret-service",
        &["dbus-run-session", "--"],
        prelude,
    );
    assert_journey(&journey, "secret_service");
}

#[test]
fn signs_in_with_the_kernel_keyring() {
    if !programs_present(&["keyctl"]) {
        return;
    }
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let journey = run_journey(&server, "keyutils", &["keyctl", "session", "-"], "");
    assert_journey(&journey, "kernel_keyutils");
}

/// Runs `script` in a new kernel keyring session (a new SSH login, say),
/// with acctl's dirs in `home`; its exit code and output.
fn in_keyring_session(server: &TestServer, home: &Path, script: &str) -> (i32, String, String) {
    std::fs::write(home.join("password"), format!("{PASSWORD}\n")).expect("password");
    let mut command = Command::new("keyctl");
    clear_acctl_env(&mut command);
    command.args(["session", "-", "sh", "-c", script]);
    for (key, value) in acctl_env(home, "keyutils") {
        command.env(key, value);
    }
    run(command
        .env("ACCTL", env!("CARGO_BIN_EXE_acctl"))
        .env("SERVER", &server.url)
        .env("EMAIL", EMAIL)
        .env("PASSWORD_FILE", home.join("password")))
}

/// The kernel keeps keyutils tokens in one persistent keyring per OS user,
/// shared by every acctl of that user. A second config dir signing in and
/// out must leave the first one's `default` profile signed in (it used to
/// take over the same entry and delete it on logout).
#[test]
fn two_config_dirs_keep_their_own_kernel_keyring_entries() {
    if !programs_present(&["keyctl"]) {
        return;
    }
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let (first, second) = (
        tempfile::tempdir().expect("home"),
        tempfile::tempdir().expect("home"),
    );
    let login =
        r#""$ACCTL" login --server "$SERVER" --email "$EMAIL" --password-stdin <"$PASSWORD_FILE""#;
    let (code, stdout, stderr) = in_keyring_session(&server, first.path(), login);
    assert_eq!(code, 0, "first login: {stdout}{stderr}");
    let (code, stdout, stderr) = in_keyring_session(
        &server,
        second.path(),
        &format!(r#"{login} && "$ACCTL" logout"#),
    );
    assert_eq!(code, 0, "second login and logout: {stdout}{stderr}");
    let (code, stdout, stderr) =
        in_keyring_session(&server, first.path(), r#""$ACCTL" status --json"#);
    assert_eq!(code, 0, "first still signed in: {stdout}{stderr}");
    let status: serde_json::Value = serde_json::from_str(&stdout).expect("status json");
    assert_eq!(status["signed_in"], true, "{stdout}");
    let (code, _, stderr) = in_keyring_session(&server, second.path(), r#""$ACCTL" status"#);
    assert_eq!(code, 4, "second signed out: {stderr}");
    // Leave nothing in the persistent keyring, which outlives the test.
    let (code, _, stderr) = in_keyring_session(&server, first.path(), r#""$ACCTL" logout"#);
    assert_eq!(code, 0, "first signs out: {stderr}");
}

/// Eight `acctl` processes of one profile start together with an expired
/// access token: one refreshes, the others wait on the profile's lock and
/// pick up the new tokens from the keyring. Refresh tokens rotate with reuse
/// detection, so without that lock most of them would present a spent
/// token and the server would end the session for everyone.
#[test]
fn processes_refreshing_at_once_keep_the_session() {
    if !programs_present(&["keyctl"]) {
        return;
    }
    let clock = acctd::Clock::manual(chrono::Utc::now());
    let server = TestServer::start_with_clock(clock.clone());
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let out = home.path().join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    std::fs::write(out.join("password"), format!("{PASSWORD}\n")).expect("password");
    let script = r#"
"$ACCTL" login --server "$SERVER" --email "$EMAIL" --password-stdin <"$OUT/password" >"$OUT/login.out" 2>&1
echo $? >"$OUT/login.rc"
while [ ! -e "$OUT/go" ]; do sleep 0.05; done
for i in 1 2 3 4 5 6 7 8; do
  ( "$ACCTL" sessions list --json >"$OUT/p$i.out" 2>"$OUT/p$i.err"; echo $? >"$OUT/p$i.rc" ) &
done
wait
"$ACCTL" status --json >"$OUT/after.out" 2>&1
echo $? >"$OUT/after.rc"
# Leave nothing in the persistent keyring, which outlives the test.
"$ACCTL" logout >/dev/null 2>&1
"#;
    let mut command = Command::new("keyctl");
    clear_acctl_env(&mut command);
    command.args(["session", "-", "sh", "-c", script]);
    for (key, value) in acctl_env(home.path(), "keyutils") {
        command.env(key, value);
    }
    let mut child = command
        .env("ACCTL", env!("CARGO_BIN_EXE_acctl"))
        .env("SERVER", &server.url)
        .env("EMAIL", EMAIL)
        .env("OUT", &out)
        .spawn()
        .expect("keyctl runs");
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap_or_default();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while read("login.rc").is_empty() {
        assert!(std::time::Instant::now() < deadline, "login never finished");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(read("login.rc").trim(), "0", "login: {}", read("login.out"));
    // Past the access token's lifetime: every process must refresh.
    clock.advance(std::time::Duration::from_secs(16 * 60));
    std::fs::write(out.join("go"), "").expect("go");
    let status = child.wait().expect("script ends");
    assert!(status.success(), "script failed");
    for i in 1..=8 {
        let rc = read(&format!("p{i}.rc"));
        assert_eq!(
            rc.trim(),
            "0",
            "process {i}: {}",
            read(&format!("p{i}.err"))
        );
        let sessions: Vec<serde_json::Value> =
            serde_json::from_str(&read(&format!("p{i}.out"))).expect("sessions json");
        assert_eq!(sessions.len(), 1, "process {i} sees the one session");
    }
    assert_eq!(
        read("after.rc").trim(),
        "0",
        "still signed in: {}",
        read("after.out")
    );
}

/// A Secret Service whose login keyring is locked (the daemon runs, nobody
/// unlocked it, and no prompt can be shown over SSH): acctl does not wait
/// for a prompt that never comes. With no keyring to keep a sign-in, it
/// signs nothing in (a session nobody could end would stay on the server),
/// says why and what to do, and what it tried is in the log.
#[test]
fn a_locked_keyring_falls_back_to_memory_and_says_so() {
    if !programs_present(&["dbus-run-session", "gnome-keyring-daemon"]) {
        return;
    }
    let server = TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let out = home.path().join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    std::fs::write(out.join("password"), format!("{PASSWORD}\n")).expect("password");
    let script = r#"
eval "$(gnome-keyring-daemon --start --components=secrets | sed 's/^/export /')"
"$ACCTL" login --server "$SERVER" --email "$EMAIL" --password-stdin <"$OUT/password" >"$OUT/login.out" 2>"$OUT/login.err"
echo $? >"$OUT/login.rc"
"#;
    let mut command = Command::new("dbus-run-session");
    clear_acctl_env(&mut command);
    command.args(["--", "sh", "-c", script]);
    for (key, value) in acctl_env(home.path(), "secret-service") {
        command.env(key, value);
    }
    let output = command
        .env("ACCTL", env!("CARGO_BIN_EXE_acctl"))
        .env("SERVER", &server.url)
        .env("EMAIL", EMAIL)
        .env("OUT", &out)
        .output()
        .expect("dbus-run-session runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap_or_default();
    assert_eq!(
        read("login.rc").trim(),
        "1",
        "{}{}",
        read("login.out"),
        read("login.err")
    );
    let said = format!("{}{}", read("login.out"), read("login.err"));
    assert!(said.contains("nothing was sent"), "{said}");
    assert!(said.contains("keyctl session"), "says what to do: {said}");
    assert!(!said.contains("Signed in"), "{said}");
    let logs = std::fs::read_dir(home.path().join("state/logs"))
        .expect("a log dir")
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect::<String>();
    assert!(
        logs.contains("Secret Service"),
        "the reason is logged: {logs}"
    );
}
