//! The real `acctl` binary run as a script runs it, for the CLI tests: one
//! person's config and state in a temp dir, and a kernel session keyring
//! of their own that every command joins through `keyctl session NAME
//! acctl ...` (a sign-in must outlive one command, and tokens never go to
//! a plain file). Tests that need it skip only when `keyctl` is missing,
//! and never when `CI` is set.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// The account every CLI test signs in to (add it with this password).
pub const EMAIL: &str = "ada@example.com";
pub const PASSWORD: &str = "correct horse battery";
/// Longest a piped command may take to print what the test waits for.
const WAIT: Duration = Duration::from_secs(30);

/// True when `keyctl` is installed. Missing, the test skips with the
/// reason, unless `CI` is set: there it must be present.
pub fn keyctl_present() -> bool {
    let present = Command::new("sh")
        .args(["-c", "command -v keyctl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the security CLI tests: keyctl is missing"
        );
        eprintln!("skipped: missing program keyctl (apt-get install keyutils)");
    }
    present
}

/// One person at the command line: config and state in a temp dir, a
/// profile name of their own, and a session keyring every command joins.
pub struct Person {
    home: tempfile::TempDir,
    keyring: String,
    pub profile: String,
    holder: Child,
}

static PEOPLE: AtomicU32 = AtomicU32::new(0);

impl Person {
    pub fn new() -> Self {
        let n = PEOPLE.fetch_add(1, Ordering::Relaxed);
        let id = format!("{}x{n}", std::process::id());
        let keyring = format!("acctl-test-{id}");
        // Search permission for the owner lets later `keyctl session NAME`
        // join this keyring instead of making a new one; the holder keeps
        // it alive between commands.
        let mut holder = Command::new("keyctl")
            .args(["session", &keyring, "sh", "-c"])
            .arg("keyctl setperm @s 0x3f3f0000 >/dev/null && echo ready && exec sleep 600")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("keyctl runs");
        let mut ready = String::new();
        BufReader::new(holder.stdout.take().expect("holder stdout"))
            .read_line(&mut ready)
            .expect("holder answers");
        assert_eq!(ready.trim(), "ready", "the session keyring was not made");
        Self {
            home: tempfile::tempdir().expect("home"),
            keyring,
            // A profile name of its own: the kernel also links keys into the
            // user's persistent keyring, which every test shares.
            profile: format!("sec{id}"),
            holder,
        }
    }

    /// `acctl ARGS` in this person's keyring, with nothing inherited that
    /// could change its behaviour.
    pub fn acctl(&self, args: &[&str]) -> Command {
        let mut command = Command::new("keyctl");
        command
            .args(["session", &self.keyring, env!("CARGO_BIN_EXE_acctl")])
            .args(args);
        acctl_env(&mut command, self.home.path(), "keyutils");
        command
            .env("ACCTL_PROFILE", &self.profile)
            .env("ACCTL_KEYRING_TIMEOUT_SECS", "10");
        command
    }

    /// Runs `acctl ARGS` with `input` on its standard input.
    /// `acctl ARGS`, which must succeed: its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.run(args, "");
        assert_eq!(code, 0, "{args:?}: {stdout}{stderr}");
        stdout
    }

    pub fn run(&self, args: &[&str], input: &str) -> (i32, String, String) {
        run_with_input(&mut self.acctl(args), input)
    }

    /// With the server gone, each of `commands` (given `input`) exits 3 and
    /// says the server cannot be reached.
    pub fn assert_each_unreachable<'a>(
        &self,
        commands: impl IntoIterator<Item = &'a [&'a str]>,
        input: &str,
    ) {
        for args in commands {
            let (code, stdout, stderr) = self.run(args, input);
            assert_eq!(code, 3, "{args:?}: {stdout}{stderr}");
            assert!(stderr.contains("cannot reach"), "{args:?}: {stderr}");
        }
    }

    pub fn login(&self, server: &str, password: &str) -> (i32, String, String) {
        self.login_as(server, EMAIL, password)
    }

    /// Signs in to another account than [`EMAIL`]'s (the demo's, say).
    pub fn login_as(&self, server: &str, email: &str, password: &str) -> (i32, String, String) {
        self.run(
            &[
                "login",
                "--server",
                server,
                "--email",
                email,
                "--password-stdin",
            ],
            &format!("{password}\n"),
        )
    }

    pub fn sign_in(&self, server: &str) {
        let (code, stdout, stderr) = self.login(server, PASSWORD);
        assert_eq!(code, 0, "login: {stdout}{stderr}");
        assert!(stdout.contains("kernel"), "a keyring was used: {stdout}");
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let (code, stdout, stderr) = self.run(args, "");
        assert_eq!(code, 0, "{args:?}: {stdout}{stderr}");
        serde_json::from_str(&stdout).expect("json")
    }

    /// `acctl ARGS` with piped standard input and output, for a test that
    /// answers what the command prints.
    pub fn spawn(&self, args: &[&str]) -> Piped {
        let mut child = self
            .acctl(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("acctl starts");
        let stdout = child.stdout.take().expect("stdout");
        let (lines, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        Piped {
            child,
            lines: receiver,
            seen: Vec::new(),
        }
    }

    /// `acctl ARGS` for a pseudo-terminal (`support::pty::Terminal`), in
    /// this person's keyring and home.
    pub fn in_terminal(&self, args: &[&str]) -> portable_pty::CommandBuilder {
        let mut argv = vec![
            "keyctl",
            "session",
            &self.keyring,
            env!("CARGO_BIN_EXE_acctl"),
        ];
        argv.extend_from_slice(args);
        let home = self.home.path();
        super::pty::command_in(
            home,
            &argv,
            &[
                (
                    "ACCTL_CONFIG_DIR",
                    &home.join("config").display().to_string(),
                ),
                ("ACCTL_STATE_DIR", &home.join("state").display().to_string()),
                ("ACCTL_KEYRING_BACKEND", "keyutils"),
                ("ACCTL_PROFILE", &self.profile),
                ("ACCTL_KEYRING_TIMEOUT_SECS", "10"),
            ],
        )
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }
}

impl Drop for Person {
    fn drop(&mut self) {
        // Forget the tokens (also in the persistent keyring), then let the
        // session keyring go.
        let _ = self
            .acctl(&["logout"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

/// A running `acctl` whose output the test reads line by line.
pub struct Piped {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Piped {
    pub fn write_line(&mut self, line: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{line}").expect("written");
        stdin.flush().expect("flushed");
    }

    /// Reads lines until one contains `needle`; that line.
    pub fn wait_for(&mut self, needle: &str) -> String {
        loop {
            match self.lines.recv_timeout(WAIT) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line with {needle:?}; stdout so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Closes standard input and waits: exit code, the whole stdout, stderr.
    pub fn finish(mut self) -> (i32, String, String) {
        drop(self.child.stdin.take());
        while let Ok(line) = self.lines.recv_timeout(WAIT) {
            self.seen.push(line);
        }
        let Output { status, stderr, .. } = self.child.wait_with_output().expect("acctl ends");
        (
            status.code().expect("exited, not killed"),
            self.seen.join("\n"),
            keyctl_quiet(&stderr),
        )
    }
}

pub fn acctl_env(command: &mut Command, home: &Path, backend: &str) {
    for (key, _) in std::env::vars() {
        if key.starts_with("ACCTL_") || key == "NO_COLOR" {
            command.env_remove(key);
        }
    }
    command
        .env("ACCTL_CONFIG_DIR", home.join("config"))
        .env("ACCTL_STATE_DIR", home.join("state"))
        .env("ACCTL_KEYRING_BACKEND", backend)
        .stdin(Stdio::null());
}

/// stderr without the line `keyctl session` adds.
pub fn keyctl_quiet(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|line| !line.starts_with("Joined session keyring"))
        .map(|line| format!("{line}\n"))
        .collect()
}

pub fn run_with_input(command: &mut Command, input: &str) -> (i32, String, String) {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("acctl starts");
    let mut stdin = child.stdin.take().expect("stdin");
    // The command may stop reading early (an error); that is its answer.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("acctl ends");
    (
        status.code().expect("exited, not killed"),
        String::from_utf8_lossy(&stdout).into_owned(),
        keyctl_quiet(&stderr),
    )
}

/// Signed out (no profile yet, then one whose tokens did not outlive the
/// login), each of `commands` answers exactly as `sessions list` does:
/// exit 4 and the same words.
pub fn assert_signed_out_like_sessions_list(commands: &[&[&str]]) {
    let server = super::server::TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let home = tempfile::tempdir().expect("home");
    let acctl = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_acctl"));
        acctl_env(&mut command, home.path(), "memory");
        command.args(args);
        run_with_input(&mut command, &format!("{PASSWORD}\n"))
    };
    for round in ["no profile", "tokens in memory only"] {
        let (code, _, expected) = acctl(&["sessions", "list"]);
        assert_eq!(code, 4, "{round}: {expected}");
        for args in commands {
            let (code, stdout, stderr) = acctl(args);
            assert_eq!(code, 4, "{round} {args:?}: {stdout}{stderr}");
            assert_eq!(stderr, expected, "{round} {args:?}");
        }
        let login = [
            "login",
            "--server",
            &server.url,
            "--email",
            EMAIL,
            "--password-stdin",
        ];
        let (code, _, stderr) = acctl(&login);
        assert_eq!(code, 0, "{stderr}");
    }
}

/// A server with the test account, and a person signed in to it; None
/// (the test skips) without `keyctl`.
pub fn signed_in() -> Option<(super::server::TestServer, Person)> {
    if !keyctl_present() {
        return None;
    }
    let server = super::server::TestServer::start();
    server.add_user(EMAIL, "Ada Lovelace", PASSWORD);
    let person = Person::new();
    person.sign_in(&server.url);
    Some((server, person))
}
