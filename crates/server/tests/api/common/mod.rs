//! A real acctd on 127.0.0.1:0 with a manual clock, driven over HTTP.
#![allow(dead_code)] // each test binary uses a different part of this

pub mod admin;
pub mod billing;
pub mod engine;
pub mod exports;
mod place;
pub mod relay;

pub use place::Place;

use std::time::Duration;

use acctd::{Clock, Config, RunningServer};
use acctl_api::error::REQUEST_ID_HEADER;
use acctl_api::{
    LoginResponse, MfaChallenge, Page, Problem, RecoveryCodes, SecurityEvent, Session, TokenPair,
    TotpEnrollment,
};
use chrono::{TimeZone, Utc};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use totp_rs::{Algorithm, Builder, Secret};

pub const PASSWORD: &str = "correct horse battery";

pub struct Harness {
    pub server: RunningServer,
    pub clock: Clock,
    pub http: reqwest::Client,
    /// The PostgreSQL database of a run on that engine; dropped after the server.
    database: Option<engine::TestDatabase>,
    /// Where the server keeps its data (a PostgreSQL URL, a SQLite file or memory).
    pub database_url: String,
}

/// A JSON request with a bearer token.
pub async fn send(h: &Harness, method: Method, path: &str, token: &str, body: Value) -> Response {
    h.request(method, path, Some(token))
        .json(&body)
        .send()
        .await
        .expect("sent")
}

/// A request with `body` sent as is, labelled JSON: for bodies `json!` cannot make.
pub async fn send_raw(
    h: &Harness,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Response {
    h.request(method, path, token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("sent")
}

/// A JSON request with a bearer token and, when given, `If-Match`.
pub async fn send_if_match(
    h: &Harness,
    method: Method,
    path: &str,
    token: &str,
    if_match: Option<&str>,
    body: Value,
) -> Response {
    let request = h.request(method, path, Some(token)).json(&body);
    let request = match if_match {
        Some(tag) => request.header("if-match", tag),
        None => request,
    };
    request.send().await.expect("sent")
}

/// The `ETag` header of an answer, if it has one.
pub fn etag(response: &Response) -> Option<String> {
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// GETs `path`, expects 200 with an ETag; the body and the ETag.
pub async fn get_tagged<T: serde::de::DeserializeOwned>(
    h: &Harness,
    path: &str,
    token: &str,
) -> (T, String) {
    let response = h.get(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    tagged(response).await
}

/// PATCHes `body` to `path` with `If-Match: etag`, expects 200; the body
/// and the new ETag.
pub async fn patch_ok<T: serde::de::DeserializeOwned>(
    h: &Harness,
    path: &str,
    token: &str,
    etag: &str,
    body: Value,
) -> (T, String) {
    let response = send_if_match(h, Method::PATCH, path, token, Some(etag), body).await;
    assert_eq!(response.status(), StatusCode::OK, "PATCH {path}");
    tagged(response).await
}

/// A 200's body and its ETag (which must be there).
pub async fn tagged<T: serde::de::DeserializeOwned>(response: Response) -> (T, String) {
    let tag = etag(&response).expect("an ETag header");
    (response.json().await.expect("json"), tag)
}

/// `PUT /v1/me/avatar` with `bytes`, labelled `content_type` if given.
pub async fn put_avatar(
    h: &Harness,
    token: &str,
    content_type: Option<&str>,
    bytes: Vec<u8>,
) -> Response {
    let request = h.request(Method::PUT, acctl_api::paths::AVATAR, Some(token));
    let request = match content_type {
        Some(media_type) => request.header("content-type", media_type),
        None => request,
    };
    request.body(bytes).send().await.expect("sent")
}

/// How many events of `kind` the security log holds.
pub async fn event_count(h: &Harness, token: &str, kind: &str) -> usize {
    events(h, token, Some(kind)).await.len()
}

/// The newest 200 events of the security log, of `kind` if given.
pub async fn events(h: &Harness, token: &str, kind: Option<&str>) -> Vec<SecurityEvent> {
    let kind = kind.map(|k| format!("&kind={k}")).unwrap_or_default();
    let path = format!("{}?limit=200{kind}", acctl_api::paths::SECURITY_EVENTS);
    let page: Page<SecurityEvent> =
        serde_json::from_value(h.get_json(&path, token).await).expect("events");
    page.items
}

/// The first page (50) of signed-in sessions.
pub async fn sessions(h: &Harness, token: &str) -> Vec<Session> {
    let page: Page<Session> =
        serde_json::from_value(h.get_json(acctl_api::paths::SESSIONS, token).await).expect("page");
    page.items
}

/// The code an authenticator app shows now, by the server's clock.
pub fn totp_code(h: &Harness, secret: &str) -> String {
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_secret(Secret::try_from_base32(secret).expect("base32"))
        .build()
        .expect("totp");
    let now = u64::try_from(h.clock.now().timestamp()).expect("after 1970");
    totp.generate(now).to_string()
}

/// Starts TOTP enrolment (password `PASSWORD`); the secret.
pub async fn start_totp(h: &Harness, token: &str) -> String {
    let body = json!({"password": PASSWORD});
    let response = send(h, Method::POST, acctl_api::paths::MFA_TOTP, token, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let enrolment: TotpEnrollment = response.json().await.expect("enrolment");
    enrolment.secret_base32.expose().to_string()
}

/// Enrols and confirms TOTP; the secret and the recovery codes.
pub async fn enrolled(h: &Harness, token: &str) -> (String, Vec<String>) {
    let secret = start_totp(h, token).await;
    let body = json!({"code": totp_code(h, &secret)});
    let response = send(
        h,
        Method::POST,
        acctl_api::paths::MFA_TOTP_CONFIRM,
        token,
        body,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let codes: RecoveryCodes = response.json().await.expect("codes");
    let codes = codes
        .recovery_codes
        .iter()
        .map(|c| c.expose().to_string())
        .collect();
    (secret, codes)
}

/// The password step of a sign-in to an account with TOTP on.
pub async fn mfa_challenge(h: &Harness, email: &str) -> MfaChallenge {
    let response = h.login_as(email, PASSWORD, "laptop").await;
    assert_eq!(response.status(), StatusCode::OK);
    match response
        .json::<LoginResponse>()
        .await
        .expect("login response")
    {
        LoginResponse::MfaRequired(challenge) => challenge,
        LoginResponse::Ok(_) => panic!("signed in without the second factor"),
    }
}

/// The second step of a sign-in: `factor` with the challenge's token.
pub async fn second_step(h: &Harness, challenge: &MfaChallenge, factor: Value) -> Response {
    let mut body = factor;
    body["mfa_token"] = json!(challenge.mfa_token.expose());
    h.post(acctl_api::paths::LOGIN_MFA, body).await
}

pub fn manual_clock() -> Clock {
    Clock::manual(
        Utc.with_ymd_and_hms(2030, 1, 2, 3, 4, 5)
            .single()
            .expect("valid date"),
    )
}

/// A problem answer, with the request id header it came with.
#[derive(Debug)]
pub struct ProblemAnswer {
    pub status: StatusCode,
    pub problem: Problem,
    pub header_id: Option<String>,
    pub content_type: String,
    pub retry_after: Option<String>,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(Config::for_tests().with_clock(manual_clock())).await
    }

    /// Starts `config`; a private in-memory database becomes a fresh
    /// PostgreSQL one when the run is on that engine (see [`engine`]).
    pub async fn start_with(config: Config) -> Self {
        let clock = config.clock.clone();
        let (config, database) =
            if engine::on_postgres() && config.database_url == acctd::config::MEMORY_DATABASE {
                let cluster = engine::cluster("harness").expect("a cluster on a PostgreSQL run");
                let database = engine::TestDatabase::create(&cluster).await;
                (config.with_database(database.url.clone()), Some(database))
            } else {
                (config, None)
            };
        let config = engine::with_shared_key(config);
        let database_url = config.database_url.clone();
        let server = acctd::start(config).await.expect("acctd starts");
        let http = reqwest::Client::builder()
            .user_agent("acctd-tests/1.0")
            .build()
            .expect("client");
        Self {
            server,
            clock,
            http,
            database,
            database_url,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let request = self.http.request(method, self.url(path));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.request(Method::POST, path, None)
            .json(&body)
            .send()
            .await
            .expect("sent")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token))
            .send()
            .await
            .expect("sent")
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.request(Method::DELETE, path, Some(token))
            .send()
            .await
            .expect("sent")
    }

    /// GETs a public path (no token), expects 200 and decodes the body.
    pub async fn public_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let response = self
            .request(Method::GET, path, None)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("json")
    }

    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        let response = self.get(path, token).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("json")
    }

    pub async fn signup(&self, email: &str, name: &str) -> TokenPair {
        let response = self
            .post(
                acctl_api::paths::SIGNUP,
                json!({"email": email, "password": PASSWORD, "name": name}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        tokens(response).await
    }

    pub async fn login_as(&self, email: &str, password: &str, device: &str) -> Response {
        self.post(
            acctl_api::paths::LOGIN,
            json!({"email": email, "password": password, "device_name": device}),
        )
        .await
    }

    pub async fn login(&self, email: &str, device: &str) -> TokenPair {
        let response = self.login_as(email, PASSWORD, device).await;
        assert_eq!(response.status(), StatusCode::OK);
        tokens(response).await
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }
}

pub async fn tokens(response: Response) -> TokenPair {
    match response
        .json::<LoginResponse>()
        .await
        .expect("login response")
    {
        LoginResponse::Ok(pair) => pair,
        LoginResponse::MfaRequired(_) => panic!("unexpected MFA"),
    }
}

/// The header `name` of `response` as text; None when absent or not ASCII.
pub fn header(response: &Response, name: &str) -> Option<String> {
    let value = response.headers().get(name)?;
    value.to_str().ok().map(str::to_string)
}

pub async fn problem(response: Response) -> ProblemAnswer {
    let status = response.status();
    let header = |name: &str| header(&response, name);
    let header_id = header(REQUEST_ID_HEADER);
    let content_type = header("content-type").unwrap_or_default();
    let retry_after = header("retry-after");
    let problem = response
        .json::<Problem>()
        .await
        .expect("a problem document");
    assert_eq!(problem.status, status.as_u16());
    ProblemAnswer {
        status,
        problem,
        header_id,
        content_type,
        retry_after,
    }
}

/// Asserts the answer is the problem `code` and returns it.
/// Expects a 422 `validation_failed` with a message on `field`.
pub async fn expect_field_error(response: Response, field: &str) -> acctl_api::FieldErrors {
    let errors = expect_problem(response, "validation_failed")
        .await
        .problem
        .errors;
    assert!(
        errors.contains_key(field),
        "no error on {field}: {errors:?}"
    );
    errors
}

/// Expects a refusal: a 4xx problem document carrying its request id.
pub async fn expect_refusal(response: Response) -> ProblemAnswer {
    let answer = problem(response).await;
    assert!(
        answer.status.is_client_error(),
        "not a 4xx: {:?}",
        answer.problem
    );
    assert_eq!(answer.content_type, "application/problem+json");
    assert!(answer.problem.request_id.is_some());
    assert_eq!(answer.problem.request_id, answer.header_id);
    answer
}

pub async fn expect_problem(response: Response, code: &str) -> ProblemAnswer {
    let answer = problem(response).await;
    assert_eq!(answer.problem.code, code, "{:?}", answer.problem);
    assert_eq!(answer.content_type, "application/problem+json");
    assert!(answer.problem.request_id.is_some());
    assert_eq!(answer.problem.request_id, answer.header_id);
    answer
}
