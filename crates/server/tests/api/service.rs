//! The service as a whole: error bodies, discovery, persistence, the demo seed.

use crate::common;

use acctl_api::{Health, Meta, Page, SecurityEvent, Session, paths};
use common::{Harness, PASSWORD, expect_problem, tokens};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn unreadable_requests_get_the_right_problem() {
    let h = Harness::start().await;
    let send = |body: &'static str, content_type: &'static str| {
        h.request(Method::POST, paths::LOGIN, None)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let broken = expect_problem(
        send("{\"email\": ", "application/json")
            .await
            .expect("sent"),
        "malformed_request",
    )
    .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    let unknown = send(
        r#"{"email":"a@b.co","password":"x","admin":true}"#,
        "application/json",
    );
    let unknown = expect_problem(unknown.await.expect("sent"), "malformed_request").await;
    assert!(
        unknown.problem.detail.expect("detail").contains("admin"),
        "names the field"
    );
    let typed = send(r#"{"email":5,"password":"x"}"#, "application/json");
    expect_problem(typed.await.expect("sent"), "malformed_request").await;
    let text = expect_problem(
        send("{}", "text/plain").await.expect("sent"),
        "unsupported_media_type",
    )
    .await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let huge = json!({"email": "a@b.co", "password": "p".repeat(70 * 1024)});
    let big = expect_problem(h.post(paths::LOGIN, huge).await, "payload_too_large").await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);

    let nowhere = h
        .request(Method::GET, "/v1/nowhere", None)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        expect_problem(nowhere, "not_found").await.status,
        StatusCode::NOT_FOUND
    );
    let wrong = h
        .request(Method::PUT, paths::ME, None)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        expect_problem(wrong, "method_not_allowed").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn every_answer_has_a_request_id() {
    let h = Harness::start().await;
    let first = h
        .request(Method::GET, paths::HEALTHZ, None)
        .send()
        .await
        .expect("sent");
    let second = h
        .request(Method::GET, paths::HEALTHZ, None)
        .send()
        .await
        .expect("sent");
    let id = |r: &reqwest::Response| {
        r.headers()
            .get("x-request-id")
            .map(|v| v.to_str().map(str::to_string))
    };
    let (a, b) = (id(&first), id(&second));
    assert!(a.is_some());
    assert_ne!(a.map(Result::ok), b.map(Result::ok));

    // A client cannot choose the id.
    let chosen = h
        .request(Method::GET, "/v1/nowhere", None)
        .header("x-request-id", "my-own-id")
        .send()
        .await
        .expect("sent");
    let answer = expect_problem(chosen, "not_found").await;
    assert_ne!(answer.header_id.as_deref(), Some("my-own-id"));
}

#[tokio::test]
async fn meta_healthz_and_openapi() {
    let h = Harness::start_with(acctd::Config::for_tests().with_server_name("test server")).await;
    let health: Health = h.public_json(paths::HEALTHZ).await;
    assert_eq!(health.status, "ok");
    let meta: Meta = h.public_json(paths::META).await;
    assert_eq!(meta.name, "test server");
    assert_eq!(meta.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        meta.features,
        [
            "sessions",
            "security_events",
            "mfa",
            "profile",
            "notifications",
            "privacy",
            "billing",
            "admin"
        ]
    );

    let doc: Value = h.public_json(paths::OPENAPI).await;
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    let me = &doc["paths"][paths::ME]["get"];
    assert!(me["responses"]["200"].is_object());
    assert!(
        me["responses"]["401"].is_object(),
        "problem answers are listed"
    );
    for path in [
        paths::SIGNUP,
        paths::LOGIN,
        paths::REFRESH,
        paths::SESSION_PATTERN,
        paths::SECURITY_EVENTS,
        paths::LOGIN_MFA,
        paths::PASSWORD,
        paths::EMAIL,
        paths::EMAIL_VERIFY,
        paths::MFA,
        paths::MFA_TOTP,
        paths::MFA_TOTP_CONFIRM,
        paths::MFA_RECOVERY_CODES,
        paths::DEV_OUTBOX,
        paths::NOTIFICATION_SETTINGS,
        paths::NOTIFICATIONS,
        paths::NOTIFICATIONS_UNREAD_COUNT,
        paths::NOTIFICATIONS_READ_ALL,
        paths::NOTIFICATION_READ_PATTERN,
        paths::PRIVACY,
        paths::EXPORTS,
        paths::EXPORT_PATTERN,
        paths::EXPORT_DOWNLOAD_PATTERN,
        paths::DELETION,
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert_eq!(
        doc,
        serde_json::from_str::<Value>(&acctd::openapi::json().expect("json")).expect("same")
    );
}

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = || acctd::Config::for_tests().with_database_file(&dir.path().join("acctd.db"));
    let server = acctd::start(config()).await.expect("starts");
    let id = server
        .add_user("ann@example.com", "Ann", PASSWORD)
        .await
        .expect("added");
    server.shutdown().await;

    let h = Harness::start_with(config()).await;
    let pair = h.login("ann@example.com", "after restart").await;
    let me = h.get_json(paths::ME, pair.access_token.expose()).await;
    assert_eq!(me["id"], id.as_str());
    h.server.shutdown().await;

    // Offline, as `acctd users add` does it.
    let added = acctd::add_user(config(), "bo@example.com", "Bo", PASSWORD)
        .await
        .expect("added");
    assert_ne!(added, id);
    let taken = acctd::add_user(config(), "BO@example.com", "Bo", PASSWORD).await;
    assert!(
        taken
            .expect_err("taken")
            .to_string()
            .contains("already exists")
    );
}

#[tokio::test]
async fn the_demo_seed_can_run_twice() {
    let h = Harness::start().await;
    let first = h.server.seed_demo().await.expect("seeded");
    let second = h.server.seed_demo().await.expect("seeded again");
    assert_eq!(second.email, "demo@acctl.dev");
    assert!(
        !format!("{second:?}").contains(secrecy::ExposeSecret::expose_secret(&second.password))
    );
    let password =
        |a: &acctd::DemoAccount| secrecy::ExposeSecret::expose_secret(&a.password).to_string();
    assert!(password(&second).len() >= 10);

    let old = h.login_as(&first.email, &password(&first), "old").await;
    if password(&first) != password(&second) {
        assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    }
    let response = h.login_as(&second.email, &password(&second), "demo").await;
    assert_eq!(response.status(), StatusCode::OK);
    let token = tokens(response).await.access_token;
    let me = h.get_json(paths::ME, token.expose()).await;
    assert_eq!(me["name"], "Dana Demo");
    assert_eq!(me["email_verified"], true);
    let sessions: Page<Session> =
        serde_json::from_value(h.get_json(paths::SESSIONS, token.expose()).await).expect("page");
    assert!(
        sessions.items.len() >= 4,
        "three other devices and this one"
    );
    let names: Vec<&str> = sessions
        .items
        .iter()
        .map(|s| s.device_name.as_str())
        .collect();
    for device in [
        "Firefox on Linux",
        "acctl on work-laptop",
        "Safari on iPhone",
    ] {
        assert!(names.contains(&device), "{device} in {names:?}");
    }
    let events: Page<SecurityEvent> =
        serde_json::from_value(h.get_json(paths::SECURITY_EVENTS, token.expose()).await)
            .expect("page");
    assert!(events.items.len() >= 8);
}

#[test]
fn print_config_shows_the_settings_without_the_password() {
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_acctd"))
        .args([
            "serve",
            "--print-config",
            "--trusted-proxies",
            "10.0.0.0/8, 127.0.0.1",
        ])
        .args([
            "--db-pool-size",
            "7",
            "--database",
            "postgres://acctd:hunter2@db/acctd",
        ])
        .env_remove("ACCTD_DATABASE")
        .env_remove("ACCTD_TRUSTED_PROXIES")
        .output()
        .expect("acctd runs");
    assert!(printed.status.success(), "{printed:?}");
    let text = String::from_utf8_lossy(&printed.stdout);
    assert!(!text.contains("hunter2"), "{text}");
    for line in [
        "database = postgres://acctd:[redacted]@db/acctd",
        "database_engine = postgres",
        "db_pool_size = 7",
        "db_statement_timeout_secs = 10",
        "db_connect_attempts = 5",
        "trusted_proxies = 10.0.0.0/8,127.0.0.1/32",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_acctd"))
        .args(["serve", "--print-config", "--trusted-proxies", "the proxy"])
        .output()
        .expect("acctd runs");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not an address block"));
}

#[tokio::test]
async fn readyz_answers_when_the_database_does() {
    let h = Harness::start().await;
    let ready = h.http.get(h.url("/readyz")).send().await.expect("sent");
    assert_eq!(ready.status(), StatusCode::OK);
    let health: Health = ready.json().await.expect("json");
    assert_eq!(health.status, "ok");
}

/// SIGTERM: the server stops taking connections but answers the request
/// it is in the middle of, then exits cleanly within its shutdown grace.
/// No timing is guessed: the signup asks `Expect: 100-continue`, so the
/// server's `100 Continue` says the handler is reading it; the signal is
/// sent then, and the body only once new connections are refused.
#[tokio::test]
async fn sigterm_lets_the_request_in_flight_finish() {
    use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _};
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_acctd"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            "sqlite::memory:",
        ])
        .env("RUST_LOG", "warn")
        .env_remove("ACCTD_LISTEN")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("acctd runs");
    let stdout = child.stdout.take().expect("piped");
    let first = tokio::io::BufReader::new(stdout)
        .lines()
        .next_line()
        .await
        .expect("readable")
        .unwrap_or_default();
    let addr = first
        .strip_prefix("acctd listening on http://")
        .expect("says where it listens")
        .to_string();

    let body = json!({"email": "term@example.com", "password": PASSWORD, "name": "T"}).to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connects");
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        paths::SIGNUP,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("head sent");
    let mut answer = tokio::io::BufReader::new(stream);
    let mut line = String::new();
    answer.read_line(&mut line).await.expect("interim answer");
    assert!(line.starts_with("HTTP/1.1 100"), "{line:?}");
    answer.read_line(&mut line).await.expect("its end");

    let pid = child.id().expect("running").to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    assert!(sent.expect("kill runs").success());
    // Shutting down: the listener is closed.
    let mut refused = false;
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(&addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(refused, "acctd still takes connections after SIGTERM");

    answer
        .get_mut()
        .write_all(body.as_bytes())
        .await
        .expect("body sent");
    let mut status = String::new();
    answer.read_line(&mut status).await.expect("the answer");
    assert!(status.starts_with("HTTP/1.1 201"), "{status:?}");
    let exited = tokio::time::timeout(std::time::Duration::from_secs(10), child.wait())
        .await
        .expect("exits within the grace")
        .expect("waited");
    assert!(exited.success(), "{exited:?}");
}
