//! Nobody but an administrator gets anything from `/v1/admin/`: every
//! route with every method it takes, any id and any body, walked as an
//! ordinary account, anonymously, with an expired token and a revoked
//! session.

use std::time::Duration;

use acctl_api::paths;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::admin::{ADMIN, AdminWorld, PERSON};
use crate::common::{PASSWORD, expect_problem, send};

/// Every admin route with each method it takes, for an account id.
fn routes(id: &str) -> Vec<(Method, String)> {
    let user = |rest: &str| paths::admin_user_path(id, rest);
    vec![
        (Method::GET, paths::ADMIN_USERS.to_string()),
        (
            Method::GET,
            format!("{}?query=ana&status=active", paths::ADMIN_USERS),
        ),
        (Method::GET, paths::admin_user(id)),
        (Method::GET, user("sessions")),
        (Method::DELETE, user("sessions")),
        (
            Method::DELETE,
            paths::admin_user_session(id, "some-session"),
        ),
        (Method::GET, user("security-events")),
        (Method::POST, user("disable")),
        (Method::POST, user("enable")),
        (Method::POST, user("mfa/reset")),
        (Method::POST, user("password-reset")),
        (Method::GET, paths::ADMIN_AUDIT.to_string()),
    ]
}

/// The walk misses no route: the document's `/v1/admin/` operations are
/// exactly [`routes`] (ids filled in).
#[test]
fn the_walk_covers_every_admin_operation_in_the_document() {
    let document = acctd::openapi::document();
    let mut documented: Vec<String> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(path, _)| path.starts_with("/v1/admin/"))
        .flat_map(|(path, item)| {
            let methods = item.as_object().expect("an item").keys();
            methods.map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    let mut walked: Vec<String> = routes("{id}")
        .into_iter()
        .map(|(method, path)| {
            let path = path.split('?').next().unwrap_or_default().to_string();
            let path = path
                .replace("%7Bid%7D", "{id}")
                .replace("some-session", "{session_id}");
            format!("{method} {path}")
        })
        .collect();
    documented.sort();
    walked.sort();
    walked.dedup();
    assert_eq!(documented, walked);
}

/// The routes for a real account, a made-up one and one no id can be,
/// each sent with a good body and a bad one, and with methods they lack.
fn every_request(id: &str) -> Vec<(Method, String, serde_json::Value)> {
    let mut requests = Vec::new();
    for target in [id, "00000000-0000-0000-0000-000000000000", "../../me"] {
        for (method, path) in routes(target) {
            for body in [json!({"reason": "looks suspicious"}), json!({"junk": [1]})] {
                requests.push((method.clone(), path.clone(), body));
            }
        }
    }
    requests
}

async fn all_refused(world: &AdminWorld, token: Option<&str>, status: StatusCode, code: &str) {
    for (method, path, body) in every_request(&world.person_id) {
        let request = world.h.request(method.clone(), &path, token).json(&body);
        let response = request.send().await.expect("sent");
        assert_eq!(response.status(), status, "{method} {path}");
        let answer = expect_problem(response, code).await;
        assert!(answer.problem.detail.is_some(), "{method} {path}");
    }
}

/// Nothing happened to the account, and nothing was recorded.
async fn nothing_happened(world: &AdminWorld) {
    let fresh = world.h.login(ADMIN, "check").await;
    let token = fresh.access_token.expose();
    let audit = world.h.get_json(paths::ADMIN_AUDIT, token).await;
    let kinds: Vec<_> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|entry| entry["action"].clone())
        .collect();
    assert_eq!(kinds, vec![json!("grant_admin")], "only the CLI's grant");
    let person = world
        .h
        .get_json(&paths::admin_user(&world.person_id), token)
        .await;
    assert_eq!(person["status"], json!("active"));
    assert_eq!(person["active_sessions"], json!(1));
    let subjects: Vec<String> = world
        .outbox(PERSON)
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    let admin_mail = ["disabled", "enabled", "new password"];
    assert!(
        !subjects
            .iter()
            .any(|s| admin_mail.iter().any(|word| s.contains(word))),
        "{subjects:?}"
    );
}

#[tokio::test]
async fn an_ordinary_account_is_refused_everywhere_with_403() {
    let world = AdminWorld::start().await;
    // Even one that proved its password just now.
    let step = send(
        &world.h,
        Method::POST,
        paths::STEP_UP,
        world.person.access_token.expose(),
        json!({"password": PASSWORD}),
    )
    .await;
    assert_eq!(step.status(), StatusCode::OK);
    let token = world.person.access_token.expose().to_string();
    all_refused(
        &world,
        Some(&token),
        StatusCode::FORBIDDEN,
        "admin_required",
    )
    .await;
    nothing_happened(&world).await;
}

#[tokio::test]
async fn anonymous_callers_are_refused_everywhere_with_401() {
    let world = AdminWorld::start().await;
    all_refused(&world, None, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    all_refused(
        &world,
        Some("acc_made_up"),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    nothing_happened(&world).await;
}

#[tokio::test]
async fn an_administrators_revoked_session_and_expired_token_are_refused() {
    let world = AdminWorld::start().await;
    world.step_up().await;
    let other = world.h.login(ADMIN, "second").await;
    let ended = world
        .h
        .request(
            Method::POST,
            paths::LOGOUT,
            Some(other.access_token.expose()),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    let revoked = other.access_token.expose().to_string();
    all_refused(
        &world,
        Some(&revoked),
        StatusCode::UNAUTHORIZED,
        "session_revoked",
    )
    .await;

    // The step-up proof is 10 minutes old by now too: neither helps.
    world.h.advance(Duration::from_secs(16 * 60));
    let expired = world.admin_token().to_string();
    all_refused(
        &world,
        Some(&expired),
        StatusCode::UNAUTHORIZED,
        "token_expired",
    )
    .await;
    nothing_happened(&world).await;
}

#[tokio::test]
async fn no_http_call_makes_an_administrator() {
    let world = AdminWorld::start().await;
    let token = world.person.access_token.expose();
    for body in [json!({"admin": true}), json!({"is_admin": true})] {
        let response = world
            .h
            .request(Method::PATCH, paths::ME, Some(token))
            .header("if-match", "\"1\"")
            .json(&body)
            .send()
            .await
            .expect("sent");
        assert!(response.status().is_client_error(), "{body}");
    }
    let me = world.h.get_json(paths::ME, token).await;
    assert_eq!(me["admin"], json!(false));
    let admin = world.h.get_json(paths::ME, world.admin_token()).await;
    assert_eq!(admin["admin"], json!(true));
    let meta = world.h.public_json::<acctl_api::Meta>(paths::META).await;
    assert!(meta.features.iter().any(|f| f == "admin"));
}

#[tokio::test]
async fn methods_a_route_lacks_are_405_for_everyone_as_the_document_says() {
    let world = AdminWorld::start().await;
    let person = world.person.access_token.expose().to_string();
    for token in [None, Some(person.as_str()), Some(world.admin_token())] {
        for method in [Method::PUT, Method::PATCH] {
            let path = paths::admin_user(&world.person_id);
            let response = world
                .h
                .request(method.clone(), &path, token)
                .send()
                .await
                .expect("sent");
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {token:?}"
            );
            let allow = crate::common::header(&response, "allow").unwrap_or_default();
            assert!(allow.contains("GET"), "{method}: {allow}");
        }
    }
}
