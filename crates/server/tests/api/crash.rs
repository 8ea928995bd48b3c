//! acctd killed (SIGKILL) in the middle of writes (issue 7): the real binary
//! takes concurrent signups, sign-ins, sign-outs and password changes and
//! is killed. On a SQLite file it starts again on the same file; on
//! PostgreSQL (`ACCTD_TEST_ENGINE=postgres`) a second instance on the same
//! database was serving all along and is the one checked. Every write
//! answered as done must be there, and none may be there by halves.

use crate::common;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use acctl_api::{Page, SecurityEvent, SecurityEventKind, Session, TokenPair, paths};
use common::engine::{TestDatabase, cluster, on_postgres};
use common::{PASSWORD, tokens};
use reqwest::{Client, Response, StatusCode};
use serde_json::json;
use sqlx::{AnyConnection, Connection as _};

const NEW_PASSWORD: &str = "a much better secret 42";
/// Concurrent writers. Each has at most one write in flight when the kill
/// comes, so a check afterwards fails at most this many sign-ins: below
/// the 20 per address that would make the (default-limited) binary wait.
const WORKERS: usize = 8;
/// Writes answered before the kill, per round.
const WRITES_BEFORE_KILL: usize = 64;

/// `acctd serve` as a child process; killed when dropped.
struct Acctd {
    child: Child,
    base: String,
    /// Held open so the server's stdout never breaks.
    _stdout: BufReader<ChildStdout>,
}

impl Acctd {
    /// Starts the binary on the database `url` and waits until it says
    /// where it listens; its errors go to `log`.
    fn start(url: &str, log: &std::path::Path, keys: Option<&std::path::Path>) -> Self {
        let stderr = std::fs::File::create(log).expect("log file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_acctd"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", url])
            .env("RUST_LOG", "warn")
            .env_remove("ACCTD_LISTEN")
            .env_remove("ACCTD_DATABASE")
            .envs(keys.map(|file| ("ACCTD_SECRET_KEY_FILE", file)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("acctd runs");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        let read = stdout.read_line(&mut line).expect("stdout readable");
        let Some(base) = line.trim().strip_prefix("acctd listening on ") else {
            let status = child.wait().expect("exited");
            let errors = std::fs::read_to_string(log).unwrap_or_default();
            panic!("acctd did not start ({read} bytes, {status}): {line}\n{errors}");
        };
        Self {
            base: base.to_string(),
            child,
            _stdout: stdout,
        }
    }

    async fn start_async(target: &Target) -> Self {
        let (url, log, keys) = (target.url(), target.log(), target.key_file());
        tokio::task::spawn_blocking(move || Self::start(&url, &log, keys.as_deref()))
            .await
            .expect("started")
    }

    /// SIGKILL: no shutdown, no chance to finish anything.
    fn kill(mut self) {
        self.child.kill().expect("killed");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Acctd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a worker did to one account, as far as the answers tell.
#[derive(Debug, Clone, Default)]
struct Account {
    email: String,
    /// 201 to the signup.
    created: bool,
    /// The password change was sent / answered 204.
    change_sent: bool,
    changed: bool,
    /// DELETE of the second session answered 204.
    second_revoked: bool,
}

impl Account {
    fn device(&self, which: &str) -> String {
        format!("{which} {}", self.email)
    }
}

/// An HTTP client of one server.
#[derive(Clone)]
struct Remote {
    http: Client,
    base: String,
}

impl Remote {
    fn new(base: &str) -> Self {
        let http = Client::builder()
            .user_agent("acctd-crash-test/1.0")
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        Self {
            http,
            base: base.to_string(),
        }
    }

    async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        body: serde_json::Value,
    ) -> reqwest::Result<Response> {
        let request = self.http.post(format!("{}{path}", self.base)).json(&body);
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
        .send()
        .await
    }

    async fn login(&self, email: &str, password: &str, device: &str) -> reqwest::Result<Response> {
        let body = json!({"email": email, "password": password, "device_name": device});
        self.post(paths::LOGIN, None, body).await
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str, token: &str) -> T {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("json")
    }
}

/// A worker's life until the server dies under it: per account a signup,
/// a second sign-in and its sign-out, a third sign-in, and a password
/// change that signs out all but the signup's session. Returns the
/// accounts and any answer that was not the expected one.
async fn worker(
    remote: Remote,
    round: usize,
    worker: usize,
    done: Arc<AtomicUsize>,
) -> (Vec<Account>, Vec<String>) {
    let mut accounts: Vec<Account> = Vec::new();
    let mut unexpected = Vec::new();
    for n in 0.. {
        accounts.push(Account {
            email: format!("r{round}w{worker}n{n}@crash.test"),
            ..Account::default()
        });
        let last = accounts.len() - 1;
        match one_account(&remote, &mut accounts[last], &done).await {
            Ok(()) => {}
            Err(Stop::Died) => break,
            Err(Stop::Unexpected(what)) => {
                unexpected.push(what);
                break;
            }
        }
    }
    (accounts, unexpected)
}

enum Stop {
    /// The connection failed: the kill.
    Died,
    Unexpected(String),
}

/// The answer, if the server answered `want`.
async fn answered(
    answer: reqwest::Result<Response>,
    want: StatusCode,
    what: &str,
    done: &AtomicUsize,
) -> Result<Response, Stop> {
    let response = answer.map_err(|_| Stop::Died)?;
    if response.status() != want {
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        return Err(Stop::Unexpected(format!("{what}: {status} {body}")));
    }
    done.fetch_add(1, Ordering::Relaxed);
    Ok(response)
}

async fn one_account(
    remote: &Remote,
    account: &mut Account,
    done: &AtomicUsize,
) -> Result<(), Stop> {
    let email = account.email.clone();
    let body = json!({"email": email, "password": PASSWORD, "name": "Crash Test", "device_name": account.device("signup")});
    let signup = remote.post(paths::SIGNUP, None, body).await;
    let signup = answered(signup, StatusCode::CREATED, "signup", done).await?;
    account.created = true;
    let token = tokens(signup).await.access_token;
    let token = token.expose();

    let second = remote
        .login(&email, PASSWORD, &account.device("second"))
        .await;
    let second: TokenPair = answered(second, StatusCode::OK, "second sign-in", done)
        .await?
        .json()
        .await
        .map_err(|_| Stop::Died)?;
    let revoke = remote
        .http
        .delete(format!(
            "{}{}",
            remote.base,
            paths::session(&second.session_id)
        ))
        .bearer_auth(token)
        .send()
        .await;
    answered(revoke, StatusCode::NO_CONTENT, "sign-out", done).await?;
    account.second_revoked = true;

    let third = remote
        .login(&email, PASSWORD, &account.device("third"))
        .await;
    answered(third, StatusCode::OK, "third sign-in", done).await?;
    account.change_sent = true;
    let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "sign_out_other_sessions": true});
    let change = remote.post(paths::PASSWORD, Some(token), body).await;
    answered(change, StatusCode::NO_CONTENT, "password change", done).await?;
    account.changed = true;
    Ok(())
}

/// Runs the workers until `WRITES_BEFORE_KILL` writes were answered, then
/// kills the server while the rest are in flight.
async fn storm(server: Acctd, round: usize) -> Vec<Account> {
    let done = Arc::new(AtomicUsize::new(0));
    let remote = Remote::new(&server.base);
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| tokio::spawn(worker(remote.clone(), round, w, done.clone())))
        .collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while done.load(Ordering::Relaxed) < WRITES_BEFORE_KILL {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the writes do not get done"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // A different instant each round relative to the work in flight.
    tokio::time::sleep(Duration::from_millis(3 + 11 * round as u64)).await;
    server.kill();
    let mut accounts = Vec::new();
    for handle in workers {
        let (mine, unexpected) = handle.await.expect("worker");
        assert!(unexpected.is_empty(), "before the kill: {unexpected:?}");
        accounts.extend(mine);
    }
    accounts
}

/// Checks one account after the restart through the API; returns whether
/// it exists. `account` is updated to what is now known for sure.
async fn check_account(remote: &Remote, account: &mut Account) -> bool {
    // Only passwords it can have, so at most one wrong try per account
    // whose last write was cut off.
    let mut candidates = Vec::new();
    if account.change_sent {
        candidates.push(NEW_PASSWORD);
    }
    if !account.changed {
        candidates.push(PASSWORD);
    }
    let mut signed_in = None;
    for password in candidates {
        let response = remote
            .login(&account.email, password, "after the crash")
            .await
            .expect("answered");
        match response.status() {
            StatusCode::OK => {
                signed_in = Some((password, tokens(response).await));
                break;
            }
            StatusCode::UNAUTHORIZED => {}
            other => panic!("{}: sign-in answered {other}", account.email),
        }
    }
    let Some((password, pair)) = signed_in else {
        assert!(
            !account.created,
            "{} was created but is gone",
            account.email
        );
        return false;
    };
    let token = pair.access_token.expose();
    let events: Page<SecurityEvent> = remote
        .get(&format!("{}?limit=200", paths::SECURITY_EVENTS), token)
        .await;
    let sessions: Page<Session> = remote
        .get(&format!("{}?limit=200", paths::SESSIONS), token)
        .await;
    let events = events.items;
    let active = |device: &str| sessions.items.iter().any(|s| s.device_name == device);
    let count = |kind: SecurityEventKind, device: Option<&str>, detail: Option<&str>| {
        events
            .iter()
            .filter(|e| e.kind == kind)
            .filter(|e| device.is_none_or(|d| e.device_name.as_deref() == Some(d)))
            .filter(|e| detail.is_none_or(|d| e.detail.as_deref() == Some(d)))
            .count()
    };
    let who = &account.email;

    // The signup: account, its event, its session and that sign-in, whole.
    assert_eq!(
        count(SecurityEventKind::AccountCreated, None, None),
        1,
        "{who}"
    );
    let signup = account.device("signup");
    assert_eq!(
        count(SecurityEventKind::LoginSucceeded, Some(&signup), None),
        1,
        "{who}"
    );
    assert!(active(&signup), "{who}: the signup's session is kept");

    // A session is signed out exactly when its sign-out is logged.
    let second = account.device("second");
    let third = account.device("third");
    let with_change = format!("Signed out {third} with the password change");
    for (device, detail) in [
        (&second, format!("Signed out {second}")),
        (&third, with_change.clone()),
    ] {
        let signed_in = count(SecurityEventKind::LoginSucceeded, Some(device), None);
        let signed_out = count(SecurityEventKind::SessionRevoked, None, Some(&detail));
        assert!(signed_in <= 1 && signed_out <= signed_in, "{who}: {device}");
        assert_eq!(
            active(device),
            signed_in == 1 && signed_out == 0,
            "{who}: {device} active iff signed in and not out"
        );
    }
    if account.second_revoked {
        assert!(!active(&second), "{who}: an answered sign-out holds");
    }

    // The password change: hash, event and sign-outs, all or none.
    let changed = password == NEW_PASSWORD;
    assert!(
        changed || !account.changed,
        "{who}: an answered change holds"
    );
    assert_eq!(
        count(SecurityEventKind::PasswordChanged, None, None),
        usize::from(changed),
        "{who}"
    );
    if !changed {
        assert_eq!(
            count(SecurityEventKind::SessionRevoked, None, Some(&with_change)),
            0,
            "{who}"
        );
    }
    if changed && count(SecurityEventKind::LoginSucceeded, Some(&third), None) == 1 {
        assert!(!active(&third), "{who}: the change signed the third out");
    }

    account.created = true;
    account.change_sent = changed;
    account.changed = changed;
    true
}

/// Where the servers keep their data: a SQLite file, or a PostgreSQL
/// database of this test's own.
enum Target {
    Sqlite(tempfile::TempDir),
    Postgres(TestDatabase, tempfile::TempDir),
}

impl Target {
    async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        if !on_postgres() {
            return Self::Sqlite(dir);
        }
        let cluster = cluster("crash on PostgreSQL").expect("a cluster on a PostgreSQL run");
        Self::Postgres(TestDatabase::create(&cluster).await, dir)
    }

    fn url(&self) -> String {
        match self {
            Self::Sqlite(dir) => format!("sqlite://{}", dir.path().join("acctd.db").display()),
            Self::Postgres(database, _) => database.url.clone(),
        }
    }

    /// A key file for PostgreSQL, which needs one given (SQLite's is
    /// made beside the database).
    fn key_file(&self) -> Option<std::path::PathBuf> {
        let Self::Postgres(_, dir) = self else {
            return None;
        };
        let file = dir.path().join("secret.key");
        if !file.exists() {
            let key = acctd::secrets::new_key_line();
            let line = format!("{}\n", secrecy::ExposeSecret::expose_secret(&key));
            std::fs::write(&file, line).expect("a key file");
        }
        Some(file)
    }

    fn log(&self) -> std::path::PathBuf {
        let (Self::Sqlite(dir) | Self::Postgres(_, dir)) = self;
        dir.path()
            .join(format!("acctd-{}.stderr", uuid::Uuid::new_v4().simple()))
    }
}

/// The database, read directly: intact, consistent, and nothing by halves.
async fn check_database(target: &Target) {
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(&target.url()).await.expect("opened");
    if let Target::Sqlite(_) = target {
        // PostgreSQL checks foreign keys and pages itself, always.
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .expect("checked");
        assert_eq!(integrity, "ok");
        let dangling: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pragma_foreign_key_check")
            .fetch_one(&mut conn)
            .await
            .expect("counted");
        assert_eq!(dangling, 0, "rows whose foreign key points nowhere");
    }
    for (what, sql) in [
        (
            "users without account_created",
            "SELECT COUNT(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM security_events e
               WHERE e.user_id = u.id AND e.kind = 'account_created')",
        ),
        (
            "sessions without their sign-in event",
            "SELECT COUNT(*) FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM security_events e
               WHERE e.session_id = s.id AND e.kind = 'login_succeeded')",
        ),
        (
            "sessions without tokens",
            "SELECT COUNT(*) FROM sessions s
             WHERE NOT EXISTS (SELECT 1 FROM access_tokens a WHERE a.session_id = s.id)
                OR NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.session_id = s.id)",
        ),
        (
            "signed-out sessions whose sign-out is not logged",
            "SELECT COUNT(*) FROM sessions s WHERE s.revoked_at IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM security_events e WHERE e.session_id = s.id
                 AND e.kind IN ('session_revoked', 'logout', 'refresh_token_reused'))",
        ),
        (
            "password_changed without a changed password",
            "SELECT COUNT(*) FROM security_events e JOIN users u ON u.id = e.user_id
             WHERE e.kind = 'password_changed' AND u.updated_at = u.created_at",
        ),
    ] {
        let count: i64 = sqlx::query_scalar(sql)
            .fetch_one(&mut conn)
            .await
            .expect("counted");
        assert_eq!(count, 0, "{what}");
    }
    conn.close().await.expect("closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_keeps_every_answered_write_and_none_by_halves() {
    let target = Target::new().await;
    let mut ledger: Vec<Account> = Vec::new();
    for round in 0..2 {
        let server = Acctd::start_async(&target).await;
        // On PostgreSQL a second instance serves throughout.
        let other = match target {
            Target::Postgres(..) => Some(Acctd::start_async(&target).await),
            Target::Sqlite(_) => None,
        };
        ledger.extend(storm(server, round).await);

        let server = match other {
            Some(other) => other,
            None => Acctd::start_async(&target).await,
        };
        let remote = Remote::new(&server.base);
        let mut kept = Vec::new();
        for mut account in ledger {
            if check_account(&remote, &mut account).await {
                kept.push(account);
                continue;
            }
            // Not there at all, not even in part: the address is free.
            let again = remote
                .post(
                    paths::SIGNUP,
                    None,
                    json!({"email": account.email, "password": PASSWORD, "name": "Again", "device_name": account.device("signup")}),
                )
                .await
                .expect("answered");
            assert_eq!(again.status(), StatusCode::CREATED, "{}", account.email);
            kept.push(Account {
                email: account.email,
                created: true,
                ..Account::default()
            });
        }
        ledger = kept;
        assert!(
            ledger.iter().filter(|a| a.changed).count() >= 1,
            "some password changes were answered before the kill"
        );
        check_database(&target).await;
        server.kill();
    }
}
