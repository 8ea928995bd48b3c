//! The administrators' writes and their rules: step-up, reasons, not on
//! one's own account, what each does to the account, and the audit log.

use std::time::Duration;

use acctl_api::{RefreshRequest, paths};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::admin::{ADMIN, AdminWorld, PERSON};
use crate::common::{
    PASSWORD, enrolled, event_count, expect_field_error, expect_problem, header, send, totp_code,
};

#[tokio::test]
async fn writes_need_a_step_up_within_ten_minutes() {
    let world = AdminWorld::start().await;
    let disable = paths::admin_user_path(&world.person_id, "disable");
    let refused = world.write(Method::POST, &disable, "spam").await;
    expect_problem(refused, "step_up_required").await;

    let wrong = send(
        &world.h,
        Method::POST,
        paths::STEP_UP,
        world.admin_token(),
        json!({"password": "not it at all"}),
    )
    .await;
    expect_field_error(wrong, "password").await;
    let neither = send(
        &world.h,
        Method::POST,
        paths::STEP_UP,
        world.admin_token(),
        json!({}),
    )
    .await;
    expect_field_error(neither, "password").await;

    world.step_up().await;
    world.h.advance(Duration::from_secs(9 * 60));
    let sessions = paths::admin_user_path(&world.person_id, "sessions");
    let done = world.write(Method::DELETE, &sessions, "spam").await;
    assert_eq!(done.status(), StatusCode::OK);
    world.h.advance(Duration::from_secs(2 * 60));
    let late = world.write(Method::DELETE, &sessions, "spam").await;
    expect_problem(late, "step_up_required").await;
    // Reading needs no proof.
    world.get(&paths::admin_user(&world.person_id)).await;
}

#[tokio::test]
async fn a_code_of_the_authenticator_is_a_proof_once() {
    let world = AdminWorld::start().await;
    let (secret, _) = enrolled(&world.h, world.admin_token()).await;
    world.h.advance(Duration::from_secs(30));
    let code = totp_code(&world.h, &secret);
    let step = |code: String| {
        send(
            &world.h,
            Method::POST,
            paths::STEP_UP,
            world.admin_token(),
            json!({ "code": code }),
        )
    };
    let first = step(code.clone()).await;
    assert_eq!(first.status(), StatusCode::OK);
    let body: serde_json::Value = first.json().await.expect("json");
    assert!(body["valid_until"].is_string());
    expect_field_error(step(code).await, "code").await;
}

#[tokio::test]
async fn reasons_follow_the_rules_of_names_and_own_accounts_are_refused() {
    let world = AdminWorld::start().await;
    world.step_up().await;
    let disable = paths::admin_user_path(&world.person_id, "disable");
    for bad in ["", "   ", "tab\there", &"x".repeat(501), "\u{202E}evil"] {
        let response = world.write(Method::POST, &disable, bad).await;
        expect_field_error(response, "reason").await;
    }
    let me = world.get(paths::ME).await;
    let own = me["id"].as_str().expect("id");
    for rest in ["disable", "mfa/reset", "password-reset", "sessions"] {
        let method = if rest == "sessions" {
            Method::DELETE
        } else {
            Method::POST
        };
        let response = world
            .write(method, &paths::admin_user_path(own, rest), "testing")
            .await;
        expect_problem(response, "own_account").await;
    }
    let ok = world.write(Method::POST, &disable, &"x".repeat(500)).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(world.audit().await.len(), 2, "the grant and one disable");
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_refresh_or_use_a_token() {
    let world = AdminWorld::start().await;
    let h = &world.h;
    let other = h.login(PERSON, "phone").await;
    world.step_up().await;
    // Entries of one millisecond have no order among themselves.
    h.advance(Duration::from_secs(1));
    let disable = paths::admin_user_path(&world.person_id, "disable");
    let response = world.write(Method::POST, &disable, "fraud report 42").await;
    assert_eq!(response.status(), StatusCode::OK);
    let request_id = header(&response, "x-request-id");
    let done: serde_json::Value = response.json().await.expect("json");
    assert_eq!(done["sessions_revoked"], json!(2));

    let token = world.person.access_token.expose();
    expect_problem(h.get(paths::ME, token).await, "account_disabled").await;
    let refresh = RefreshRequest {
        refresh_token: other.refresh_token.clone(),
    };
    let refreshed = h
        .post(
            paths::REFRESH,
            serde_json::to_value(&refresh).expect("json"),
        )
        .await;
    expect_problem(refreshed, "account_disabled").await;
    expect_problem(
        h.login_as(PERSON, PASSWORD, "again").await,
        "account_disabled",
    )
    .await;
    // A wrong password still says only that.
    expect_problem(
        h.login_as(PERSON, "wrong password", "x").await,
        "invalid_credentials",
    )
    .await;
    let mail = world.outbox(PERSON).await;
    assert!(
        mail.iter()
            .any(|m| m.subject == "Your account was disabled"),
        "{mail:?}"
    );
    expect_problem(
        world.write(Method::POST, &disable, "again").await,
        "conflict",
    )
    .await;

    let audit = world.audit().await;
    assert_eq!(audit[0]["action"], json!("disable_account"));
    assert_eq!(audit[0]["reason"], json!("fraud report 42"));
    assert_eq!(audit[0]["actor_email"], json!(ADMIN));
    assert_eq!(audit[0]["target_email"], json!(PERSON));
    assert_eq!(audit[0]["detail"], json!("2 sessions signed out"));
    assert_eq!(audit[0]["request_id"].as_str(), request_id.as_deref());
    let listed = world
        .get(&format!("{}?status=disabled", paths::ADMIN_USERS))
        .await;
    assert_eq!(listed["items"][0]["email"], json!(PERSON));

    let enable = paths::admin_user_path(&world.person_id, "enable");
    assert_eq!(
        world.write(Method::POST, &enable, "cleared").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        h.login_as(PERSON, PASSWORD, "back").await.status(),
        StatusCode::OK
    );
    let mail = world.outbox(PERSON).await;
    assert!(
        mail.iter()
            .any(|m| m.subject == "Your account was enabled again")
    );
}

#[tokio::test]
async fn sessions_are_listed_and_ended_one_or_all() {
    let world = AdminWorld::start().await;
    let h = &world.h;
    h.login(PERSON, "phone").await;
    h.login(PERSON, "tablet").await;
    let path = paths::admin_user_path(&world.person_id, "sessions");
    let page = world.get(&path).await;
    let items = page["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|s| s["current"] == json!(false)));
    world.step_up().await;
    let one = items[0]["id"].as_str().expect("id");
    let single = paths::admin_user_session(&world.person_id, one);
    let ended = world.write(Method::DELETE, &single, "lost phone").await;
    assert_eq!(ended.status(), StatusCode::OK);
    expect_problem(
        world.write(Method::DELETE, &single, "again").await,
        "not_found",
    )
    .await;
    let all = world.write(Method::DELETE, &path, "every device").await;
    let body: serde_json::Value = all.json().await.expect("json");
    assert_eq!(body["sessions_revoked"], json!(2));
    let token = world.person.access_token.expose();
    expect_problem(h.get(paths::ME, token).await, "session_revoked").await;
    assert!(
        world.get(&path).await["items"]
            .as_array()
            .expect("items")
            .is_empty()
    );
    // The person's own log says an administrator did it.
    let fresh = h.login(PERSON, "laptop").await;
    assert!(event_count(h, fresh.access_token.expose(), "session_revoked").await >= 3);
    let events = world
        .get(&paths::admin_user_path(
            &world.person_id,
            "security-events?kind=session_revoked",
        ))
        .await;
    let detail = events["items"][0]["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("by an administrator"), "{detail}");
}

#[tokio::test]
async fn a_two_factor_reset_turns_it_off_and_tells_the_person() {
    let world = AdminWorld::start().await;
    let token = world.person.access_token.expose();
    enrolled(&world.h, token).await;
    let detail = world.get(&paths::admin_user(&world.person_id)).await;
    assert_eq!(detail["mfa_enabled"], json!(true));
    assert_eq!(detail["recovery_codes_remaining"], json!(10));
    assert!(!detail.to_string().contains("secret"));
    world.step_up().await;
    let reset = paths::admin_user_path(&world.person_id, "mfa/reset");
    assert_eq!(
        world
            .write(Method::POST, &reset, "lost phone, ID checked")
            .await
            .status(),
        StatusCode::OK
    );
    let detail = world.get(&paths::admin_user(&world.person_id)).await;
    assert_eq!(detail["mfa_enabled"], json!(false));
    assert_eq!(detail["recovery_codes_remaining"], json!(0));
    assert_eq!(event_count(&world.h, token, "mfa_disabled").await, 1);
    let inbox = world.h.get_json(paths::NOTIFICATIONS, token).await;
    let text = inbox.to_string();
    assert!(text.contains("Turned off by an administrator"), "{text}");
    expect_problem(world.write(Method::POST, &reset, "again").await, "conflict").await;
    // Signing in needs the password only now.
    assert_eq!(world.h.login(PERSON, "x").await.token_type, "Bearer");
}

#[tokio::test]
async fn a_password_reset_ends_sessions_and_mails_a_one_time_code() {
    let world = AdminWorld::start().await;
    let h = &world.h;
    world.step_up().await;
    let reset = paths::admin_user_path(&world.person_id, "password-reset");
    let done: serde_json::Value = world
        .write(Method::POST, &reset, "asked by phone")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(done["sessions_revoked"], json!(1));
    expect_problem(
        h.get(paths::ME, world.person.access_token.expose()).await,
        "session_revoked",
    )
    .await;
    expect_problem(
        h.login_as(PERSON, PASSWORD, "old").await,
        "invalid_credentials",
    )
    .await;
    let mail = world.outbox(PERSON).await;
    let body = &mail
        .iter()
        .find(|m| m.subject == "Choose a new password")
        .expect("the reset mail")
        .body;
    let code: String = body
        .split("code: ")
        .nth(1)
        .expect("a code")
        .chars()
        .take(6)
        .collect();
    let new = "a brand new passphrase 7";
    let attempt = |code: &str, email: &str| {
        h.post(
            paths::PASSWORD_RESET,
            json!({"email": email, "code": code, "new_password": new}),
        )
    };
    expect_field_error(attempt("000000", PERSON).await, "code").await;
    expect_field_error(attempt(&code, "nobody@example.com").await, "code").await;
    assert_eq!(
        attempt(&code, PERSON).await.status(),
        StatusCode::NO_CONTENT
    );
    expect_field_error(attempt(&code, PERSON).await, "code").await;
    assert_eq!(
        h.login_as(PERSON, new, "new").await.status(),
        StatusCode::OK
    );
    assert!(!json!(world.audit().await).to_string().contains(&code));
}

#[tokio::test]
async fn the_audit_log_filters_and_nothing_changes_it() {
    let world = AdminWorld::start().await;
    world.step_up().await;
    let sessions = paths::admin_user_path(&world.person_id, "sessions");
    for reason in ["one", "two"] {
        world.h.advance(Duration::from_secs(1));
        world.write(Method::DELETE, &sessions, reason).await;
    }
    let by_action = world
        .get(&format!(
            "{}?action=revoke_sessions&limit=1",
            paths::ADMIN_AUDIT
        ))
        .await;
    assert_eq!(by_action["items"][0]["reason"], json!("two"));
    let cursor = by_action["next_cursor"].as_str().expect("a next page");
    let next = world
        .get(&format!(
            "{}?action=revoke_sessions&limit=1&cursor={cursor}",
            paths::ADMIN_AUDIT
        ))
        .await;
    assert_eq!(next["items"][0]["reason"], json!("one"));
    assert!(next["next_cursor"].is_null());
    let target = world
        .get(&format!(
            "{}?target={}",
            paths::ADMIN_AUDIT,
            world.person_id
        ))
        .await;
    assert_eq!(target["items"].as_array().expect("items").len(), 2);
    let grant = world.audit().await.pop().expect("the grant");
    assert!(grant["actor_id"].is_null());
    for method in [Method::DELETE, Method::PUT, Method::PATCH, Method::POST] {
        let response = world
            .write(method.clone(), paths::ADMIN_AUDIT, "erase")
            .await;
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
    }
    assert_eq!(world.audit().await.len(), 3);
    let bad = world
        .h
        .get(
            &format!("{}?action=drop", paths::ADMIN_AUDIT),
            world.admin_token(),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}
