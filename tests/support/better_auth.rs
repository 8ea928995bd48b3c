//! A real Better Auth service on 127.0.0.1 (tests/services/better-auth:
//! email and password, bearer, two-factor, OpenAPI, SQLite in memory),
//! started with node on a port the system picks. Mail goes to a file the
//! tests read links from.
//!
//! `.ci/better-auth` installs its node_modules (and `.ci/run` exports
//! ACCTL_TEST_BETTER_AUTH_DIR); by hand, `npm ci` in its directory. Without
//! node or the install, a test skips with the reason, unless `CI` is set.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Longest the service may take to start or a mail to arrive.
const WAIT: Duration = Duration::from_secs(30);

pub struct BetterAuth {
    child: Child,
    /// Where acctl points, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    dir: tempfile::TempDir,
}

/// The service's directory (server.mjs and its node_modules).
fn service_dir() -> PathBuf {
    std::env::var_os("ACCTL_TEST_BETTER_AUTH_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/services/better-auth"),
        PathBuf::from,
    )
}

/// Why the service cannot run here, if it cannot.
fn missing() -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("node is not installed (apt-get install nodejs)".into());
    }
    let dir = service_dir();
    if !dir.join("node_modules/better-auth").is_dir() {
        return Some(format!(
            "Better Auth is not installed in {} (run .ci/better-auth)",
            dir.display()
        ));
    }
    None
}

impl BetterAuth {
    /// The service with every feature, or None (the test skips) when node
    /// or its install is missing outside CI.
    pub fn start() -> Option<Self> {
        Self::start_without(&[])
    }

    /// The service without `features` (of two-factor, change-email,
    /// delete-user): a service that lacks them.
    pub fn start_without(features: &[&str]) -> Option<Self> {
        if let Some(reason) = missing() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the Better Auth tests: {reason}"
            );
            eprintln!("skipped: {reason}");
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let mut child = Command::new("node")
            .arg(service_dir().join("server.mjs"))
            .arg("0")
            .env("BETTER_AUTH_MAIL_FILE", dir.path().join("mail.jsonl"))
            .env("BETTER_AUTH_DISABLE", features.join(","))
            .env_remove("BETTER_AUTH_DB")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("node runs");
        let stdout = child.stdout.take().expect("server stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(WAIT).unwrap_or_default();
        let mut server = Self {
            child,
            url: String::new(),
            dir,
        };
        match line.trim().strip_prefix("listening on ") {
            Some(url) => server.url = url.to_string(),
            None => panic!(
                "Better Auth did not start: {line:?}; its log: {}",
                server.log()
            ),
        }
        assert_eq!(server.get("/api/auth/ok").0, 200, "{}", server.log());
        Some(server)
    }

    /// What the service wrote to stderr, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Signs a person up (the service has no other way to add one), then
    /// ends the session signing up made: they start with none.
    pub fn sign_up(&self, email: &str, name: &str, password: &str) {
        let body = serde_json::json!({"email": email, "name": name, "password": password});
        let (status, answer) = self.post("/api/auth/sign-up/email", &body);
        assert_eq!(status, 200, "sign-up of {email}: {answer}");
        let token = answer
            .lines()
            .find_map(|line| line.strip_prefix("set-auth-token: "))
            .expect("sign-up sends a token");
        let head = format!(
            "POST /api/auth/sign-out HTTP/1.1\r\nauthorization: Bearer {}\r\ncontent-type: application/json\r\ncontent-length: 2\r\n",
            token.trim()
        );
        let (status, answer) = self.request(&head, "{}");
        assert_eq!(status, 200, "sign-out after sign-up: {answer}");
    }

    /// The links mailed to `to`, oldest first.
    pub fn links_to(&self, to: &str) -> Vec<String> {
        let mail = std::fs::read_to_string(self.dir.path().join("mail.jsonl")).unwrap_or_default();
        mail.lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|m| m["to"] == to)
            .filter_map(|m| m["url"].as_str().map(str::to_string))
            .collect()
    }

    /// The newest link mailed to `to`, waiting for it to arrive.
    pub fn wait_for_link(&self, to: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(link) = self.links_to(to).pop() {
                return link;
            }
            assert!(start.elapsed() < WAIT, "no mail to {to} arrived");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        self.request(&format!("GET {path} HTTP/1.1\r\n"), "")
    }

    pub fn post(&self, path: &str, body: &serde_json::Value) -> (u16, String) {
        let body = body.to_string();
        let head = format!(
            "POST {path} HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
            body.len()
        );
        self.request(&head, &body)
    }

    /// One request on its own connection: the status and the whole answer
    /// (head and body), enough for set-up and failure messages.
    fn request(&self, head: &str, body: &str) -> (u16, String) {
        let address = self.url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).expect("Better Auth answers");
        stream.set_read_timeout(Some(WAIT)).expect("timeout set");
        write!(
            stream,
            "{head}host: {address}\r\nconnection: close\r\n\r\n{body}"
        )
        .expect("request sent");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("answer read");
        let status = answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, answer)
    }
}

impl Drop for BetterAuth {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The code an authenticator app shows now for the base32 `secret`
/// (Better Auth takes a code more than once in its time step).
pub fn totp_now(secret: &str) -> String {
    super::totp_at(secret, super::unix_now())
}
