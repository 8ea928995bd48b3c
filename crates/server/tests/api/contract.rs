//! The server and its OpenAPI document say the same thing: bodies are
//! objects, `limit` has one range, and the document states the rules and
//! headers the server enforces and sends.

use crate::common;

use acctl_api::paths;
use common::{Harness, expect_problem, header, send_raw};
use reqwest::{Method, StatusCode};
use serde_json::Value;

#[tokio::test]
async fn a_json_array_is_not_a_body() {
    let h = Harness::start().await;
    h.signup("arr@example.com", "Arr").await;
    let array = format!(r#"["arr@example.com", "{}", "laptop"]"#, common::PASSWORD);
    let response = send_raw(&h, Method::POST, paths::LOGIN, None, array).await;
    let answer = expect_problem(response, "malformed_request").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    for body in ["42", "\"text\"", "null", "  [1]"] {
        let response = send_raw(&h, Method::POST, paths::LOGIN, None, body).await;
        expect_problem(response, "malformed_request").await;
    }
}

#[tokio::test]
async fn a_limit_out_of_range_is_refused_with_the_range() {
    let h = Harness::start().await;
    let token = h.signup("lim@example.com", "Lim").await.access_token;
    for limit in ["0", "201", "4294967295"] {
        let path = format!("{}?limit={limit}", paths::SESSIONS);
        let answer = expect_problem(h.get(&path, token.expose()).await, "malformed_request").await;
        let detail = answer.problem.detail.unwrap_or_default();
        assert!(detail.contains("1 to 200"), "{detail}");
    }
    let path = format!("{}?limit=200", paths::SESSIONS);
    assert_eq!(h.get(&path, token.expose()).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_method_gets_405_with_allow() {
    let h = Harness::start().await;
    let response = h
        .request(Method::PUT, paths::LOGIN, None)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = header(&response, "allow").unwrap_or_default();
    assert!(allow.contains("POST"), "{allow}");
}

fn document() -> Value {
    serde_json::to_value(acctd::openapi::document()).expect("json")
}

fn operation<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    &doc["paths"][path][method]
}

fn parameter<'a>(op: &'a Value, name: &str) -> &'a Value {
    op["parameters"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["name"] == name))
        .unwrap_or(&Value::Null)
}

#[test]
fn the_document_states_the_query_rules() {
    let doc = document();
    let limit = parameter(operation(&doc, paths::SESSIONS, "get"), "limit");
    assert_eq!(limit["schema"]["minimum"], 1);
    assert_eq!(limit["schema"]["maximum"], 200);
    let others = parameter(operation(&doc, paths::SESSIONS, "delete"), "others");
    assert_eq!(others["required"], true);
    let kind = parameter(operation(&doc, paths::SECURITY_EVENTS, "get"), "kind");
    let kinds = kind["schema"]["enum"].as_array().expect("an enum");
    assert!(kinds.contains(&Value::from("login_failed")));
    assert!(!kinds.contains(&Value::from("other")));
}

#[test]
fn the_document_states_the_body_rules() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    let signup = &schemas["SignupRequest"]["properties"];
    assert_eq!(signup["email"]["format"], "email");
    assert_eq!(signup["password"]["minLength"], 10);
    assert_eq!(signup["name"]["minLength"], 1);
    let plans = schemas["SubscriptionChange"]["properties"]["plan"]["enum"].clone();
    assert!(
        plans
            .as_array()
            .is_some_and(|p| p.contains(&Value::from("pro")))
    );
    let confirmation = &schemas["DeletionRequest"]["properties"]["confirmation"];
    assert_eq!(confirmation["pattern"], "^DELETE$");
}

#[test]
fn the_document_states_the_answers_and_headers() {
    let doc = document();
    for (path, method) in [
        (paths::EMAIL, "post"),
        (paths::MFA_TOTP, "post"),
        (paths::MFA_TOTP, "delete"),
        (paths::MFA_RECOVERY_CODES, "post"),
        (paths::EXPORTS, "post"),
    ] {
        let too_many = &operation(&doc, path, method)["responses"]["429"];
        assert!(
            too_many["headers"]["Retry-After"].is_object(),
            "{method} {path}"
        );
    }
    let me = &operation(&doc, paths::ME, "get")["responses"];
    assert!(me["200"]["headers"]["X-Request-Id"].is_object());
    assert!(me["405"]["headers"]["Allow"].is_object());
    let download = &operation(&doc, paths::EXPORT_DOWNLOAD_PATTERN, "get")["responses"]["200"];
    assert!(download["headers"]["Content-Disposition"].is_object());
}

#[test]
fn no_rust_doc_links_leak_into_the_document() {
    let text = acctd::openapi::json().expect("json");
    assert!(!text.contains("[`"), "a Rust doc link in the document");
}

#[test]
fn the_unsupported_media_title_fits_every_body() {
    let title = acctl_api::ErrorCode::UnsupportedMediaType.title();
    assert!(!title.contains("json"), "{title}");
}
