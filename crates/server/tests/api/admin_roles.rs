//! The administrator role is given and taken only on the server's command
//! line (`acctd users add --admin`, `grant-admin`, `revoke-admin`), each
//! recorded in the audit log; the step-up window is a setting.

use std::io::Write as _;
use std::process::{Command, Stdio};

use acctd::Config;
use acctl_api::paths;
use serde_json::json;

use crate::common::{Harness, PASSWORD, manual_clock};

/// `acctd ARGS` on `database` with `input` on stdin: exit status and output.
fn acctd(database: &str, args: &[&str], input: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acctd"))
        .args(args)
        .args(["--database", database])
        .env_remove("ACCTD_DATABASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("acctd runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("written");
    let output = child.wait_with_output().expect("acctd ends");
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[tokio::test]
async fn roles_come_from_the_command_line_and_are_recorded() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("acctd.db");
    let database = format!("sqlite://{}", file.display());
    let password = format!("{PASSWORD}\n");
    let add = [
        "users",
        "add",
        "--email",
        "root@example.com",
        "--name",
        "Root",
        "--admin",
    ];
    let (ok, text) = acctd(&database, &add, &password);
    assert!(
        ok && text.contains("root@example.com is an administrator"),
        "{text}"
    );
    let add = [
        "users",
        "add",
        "--email",
        "ana@example.com",
        "--name",
        "Ana",
    ];
    assert!(acctd(&database, &add, &password).0);
    let grant = [
        "users",
        "grant-admin",
        "ANA@example.com",
        "--reason",
        "on call",
    ];
    let (ok, text) = acctd(&database, &grant, "");
    assert!(ok && text.contains("is now an administrator"), "{text}");
    let (ok, text) = acctd(&database, &grant, "");
    assert!(ok && text.contains("was already"), "{text}");
    let revoke = [
        "users",
        "revoke-admin",
        "ana@example.com",
        "--reason",
        "rota ended",
    ];
    assert!(acctd(&database, &revoke, "").0);
    let (ok, text) = acctd(
        &database,
        &["users", "grant-admin", "nobody@example.com"],
        "",
    );
    assert!(!ok && text.contains("no account has the email"), "{text}");
    let bad_reason = ["users", "grant-admin", "ana@example.com", "--reason", ""];
    assert!(!acctd(&database, &bad_reason, "").0);

    let config = Config::for_tests()
        .with_clock(manual_clock())
        .with_database_file(&file);
    let h = Harness::start_with(config).await;
    let root = h.login("root@example.com", "laptop").await;
    let token = root.access_token.expose();
    assert_eq!(h.get_json(paths::ME, token).await["admin"], json!(true));
    let ana = h.login("ana@example.com", "phone").await;
    let me = h.get_json(paths::ME, ana.access_token.expose()).await;
    assert_eq!(me["admin"], json!(false));
    let audit = h.get_json(paths::ADMIN_AUDIT, token).await;
    let entries = audit["items"].as_array().expect("items");
    let actions: Vec<_> = entries.iter().map(|e| e["action"].clone()).collect();
    assert_eq!(actions.len(), 3, "{audit}");
    assert!(actions.contains(&json!("revoke_admin")), "{audit}");
    assert!(entries.iter().all(|e| e["actor_id"].is_null()), "{audit}");
    assert!(
        entries.iter().any(|e| e["reason"] == json!("on call")),
        "{audit}"
    );
}

#[test]
fn the_step_up_window_is_a_printed_setting() {
    let print = |extra: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_acctd"))
            .args(["serve", "--print-config", "--database", "sqlite::memory:"])
            .args(extra)
            .env_remove("ACCTD_STEP_UP_MINUTES")
            .output()
            .expect("acctd runs");
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    assert!(print(&[]).contains("step_up_minutes = 10\n"));
    assert!(print(&["--step-up-minutes", "3"]).contains("step_up_minutes = 3\n"));
}
