//! Headers on every answer: nothing cached or sniffed, 401s name the
//! scheme, the checkout page cannot be framed, and the checkout link's
//! origin never comes from the request.

use crate::common;

use std::net::{Ipv4Addr, SocketAddr};

use acctd::Config;
use acctl_api::paths;
use common::billing::{dev_server, handoff, signed_up};
use common::{Harness, header};
use reqwest::{Method, Response, StatusCode};
use serde_json::json;

fn assert_private(response: &Response, what: &str) {
    assert_eq!(
        header(response, "cache-control").as_deref(),
        Some("no-store"),
        "{what}"
    );
    assert_eq!(
        header(response, "x-content-type-options").as_deref(),
        Some("nosniff"),
        "{what}"
    );
}

#[tokio::test]
async fn answers_with_tokens_or_personal_data_are_not_stored() {
    let h = Harness::start().await;
    let signup = h
        .post(
            paths::SIGNUP,
            json!({"email": "a@example.com", "password": common::PASSWORD, "name": "A"}),
        )
        .await;
    assert_private(&signup, "signup");
    let pair = common::tokens(signup).await;
    let login = h.login_as("a@example.com", common::PASSWORD, "cli").await;
    assert_private(&login, "login");
    let body = json!({"refresh_token": pair.refresh_token.expose()});
    assert_private(&h.post(paths::REFRESH, body).await, "refresh");
    let token = common::tokens(login).await.access_token;
    let token = token.expose();
    assert_private(&h.get(paths::ME, token).await, "/v1/me");
    let totp = json!({"password": common::PASSWORD});
    let enrol = common::send(&h, Method::POST, paths::MFA_TOTP, token, totp).await;
    assert_eq!(enrol.status(), StatusCode::OK);
    assert_private(&enrol, "TOTP enrolment");
    let health = h
        .http
        .get(h.url(paths::HEALTHZ))
        .send()
        .await
        .expect("sent");
    assert_private(&health, "/healthz");
    let missing = h.http.get(h.url("/nowhere")).send().await.expect("sent");
    assert_private(&missing, "404");
}

#[tokio::test]
async fn a_401_names_the_bearer_scheme_and_says_when_the_token_was_refused() {
    let h = Harness::start().await;
    let anonymous = h.http.get(h.url(paths::ME)).send().await.expect("sent");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let challenge = header(&anonymous, "www-authenticate").unwrap_or_default();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    assert!(!challenge.contains("invalid_token"), "{challenge}");
    let forged = h.get(paths::ME, "acc_not_a_real_token").await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let challenge = header(&forged, "www-authenticate").unwrap_or_default();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    let wrong = h
        .login_as("nobody@example.com", "wrong password", "cli")
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(header(&wrong, "www-authenticate").is_some());
}

#[tokio::test]
async fn the_checkout_page_cannot_be_framed_and_its_link_ignores_host() {
    let h = dev_server().await;
    let token = signed_up(&h, "card@example.com").await;
    let forged_host = h
        .request(Method::POST, paths::PAYMENT_METHOD_UPDATE, Some(&token))
        .header("host", "evil.example")
        .json(&json!({}))
        .send()
        .await
        .expect("sent");
    assert_eq!(forged_host.status(), StatusCode::OK);
    let link: acctl_api::billing::PaymentMethodHandoff = forged_host.json().await.expect("json");
    assert!(link.url.starts_with(&h.server.base_url()), "{}", link.url);
    let page = h
        .http
        .get(&handoff(&h, &token).await.url)
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let policy = header(&page, "content-security-policy").unwrap_or_default();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert_private(&page, "checkout page");
}

#[tokio::test]
async fn off_loopback_without_a_public_url_the_server_does_not_start() {
    let everywhere = SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0));
    let refused = acctd::start(Config::for_tests().with_listen(everywhere)).await;
    let message = format!("{:#}", refused.expect_err("refused"));
    assert!(message.contains("--public-url"), "{message}");
}
