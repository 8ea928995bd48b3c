//! A real django-allauth site on loopback (tests/services/allauth: the
//! headless "app" client, TOTP and recovery codes, user sessions, mail to
//! files), for the allauth backend's journeys. Its Python comes from
//! `ACCTL_TEST_ALLAUTH_PYTHON` (`.ci/run` makes the virtualenv from
//! tests/services/allauth/requirements.txt), else a `python3` that has
//! Django and allauth. Without one, the tests skip, unless `CI` is set.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The site's API root below its address.
pub const MOUNT: &str = "/_allauth/app/v1";
const SETTINGS: &str = "acctl_allauth.settings";

fn project_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/services/allauth")
}

/// The Python to run the site with, or None (the test skips).
pub fn python() -> Option<PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let candidate = std::env::var_os("ACCTL_TEST_ALLAUTH_PYTHON")
                .map_or_else(|| PathBuf::from("python3"), PathBuf::from);
            let works = Command::new(&candidate)
                .args(["-c", "import django, allauth"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            works.then_some(candidate)
        })
        .clone()
}

/// True when the site can run here; otherwise says why (and fails in CI).
pub fn available() -> bool {
    if python().is_some() {
        return true;
    }
    let reason = "no Python with Django and django-allauth: set ACCTL_TEST_ALLAUTH_PYTHON \
                  to one (pip install -r tests/services/allauth/requirements.txt)";
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the django-allauth tests: {reason}"
    );
    eprintln!("skipped: {reason}");
    false
}

/// A database migrated once per test binary, copied for each site.
fn migrated_template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        // Under the target dir (cargo clean removes it), one per test binary.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("allauth-template-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("template dir");
        let db = dir.join("template.sqlite3");
        let status = django(&db, &dir)
            .args(["migrate", "--verbosity", "0"])
            .status()
            .expect("python runs");
        assert!(status.success(), "django migrate failed");
        db
    })
}

fn django(db: &Path, mail: &Path) -> Command {
    let python = python().expect("checked by available()");
    let mut command = Command::new(python);
    command
        .args(["-m", "django"])
        .current_dir(project_dir())
        .env("DJANGO_SETTINGS_MODULE", SETTINGS)
        .env("PYTHONPATH", project_dir())
        .env("ACCTL_ALLAUTH_DB", db)
        .env("ACCTL_ALLAUTH_MAIL_DIR", mail)
        .env("ACCTL_ALLAUTH_STATE", mail);
    command
}

/// One site: its own database and mail directory, on a free port.
pub struct AllauthServer {
    child: Child,
    dir: tempfile::TempDir,
    /// The site's address, e.g. `http://127.0.0.1:PORT`.
    pub url: String,
}

impl AllauthServer {
    /// Starts a site; call [`available`] first.
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("db.sqlite3");
        std::fs::copy(migrated_template(), &db).expect("database copied");
        // A port taken meanwhile by another test fails the start: try again.
        for _ in 0..5 {
            let port = free_port();
            let log = std::fs::File::create(dir.path().join("server.log")).expect("log");
            let mut child = django(&db, &dir.path().join("mail"))
                .args(["runserver", &format!("127.0.0.1:{port}"), "--noreload"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .expect("runserver starts");
            let url = format!("http://127.0.0.1:{port}");
            if wait_ready(&mut child, &url) {
                return Self { child, dir, url };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("the django-allauth site did not start");
    }

    /// The root of the API (what acctl keeps as the profile's server).
    pub fn api(&self) -> String {
        format!("{}{MOUNT}", self.url)
    }

    /// An account whose address is verified.
    pub fn add_user(&self, email: &str, password: &str) {
        let db = self.dir.path().join("db.sqlite3");
        let status = django(&db, &self.dir.path().join("mail"))
            .args(["add_user", email, password])
            .status()
            .expect("python runs");
        assert!(status.success(), "add_user {email} failed");
    }

    /// The code in the newest mail to `to`, waiting a little for it.
    pub fn mail_code(&self, to: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(code) = newest_code(&self.dir.path().join("mail"), to) {
                return code;
            }
            assert!(Instant::now() < deadline, "no mail with a code to {to}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What the site wrote to stderr, for a failing test's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for AllauthServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `/config` until it answers (or the process ends).
fn wait_ready(child: &mut Child, url: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    let address = url.trim_start_matches("http://");
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if config_answers(address) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// A GET of `/config` over a plain socket answers 200.
fn config_answers(address: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(address) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET {MOUNT}/config HTTP/1.0\r\nHost: {address}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200")
}

/// Django's file backend appends each message to a file, separated by a
/// line of dashes; allauth puts the code on a line of its own after
/// "...listed below.".
fn newest_code(dir: &Path, to: &str) -> Option<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let text: String = files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let message = text
        .split("\n-------------------------------------------------------------------------------")
        .filter(|m| m.lines().any(|l| l == format!("To: {to}")))
        .last()?;
    let mut lines = message.lines().skip_while(|l| !l.contains("listed below"));
    lines.next()?;
    lines
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

/// A TOTP code of a time step not used yet: allauth takes each code once
/// and, as the site is set up, the steps either side of now too.
pub fn fresh_code(secret: &str, used: &mut std::collections::HashSet<u64>) -> String {
    let now = super::unix_now();
    let step = [now / 30, now / 30 + 1, now / 30 - 1]
        .into_iter()
        .find(|s| used.insert(*s))
        .expect("a step not used yet");
    super::totp_at(secret, step * 30)
}
