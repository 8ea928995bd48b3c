//! Bad input the server must refuse cleanly (issue 7): deep nesting, broken
//! UTF-8, control and direction characters, huge strings in every text field
//! and query parameter, SQL and path metacharacters, other accounts' ids; and
//! properties of signup over arbitrary text.

use crate::common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use acctd::{Config, LoginLimits};
use acctl_api::{Account, MfaStatus, Page, Session, paths};
use common::{
    Harness, PASSWORD, enrolled, event_count, events, expect_problem, expect_refusal, manual_clock,
    mfa_challenge, second_step, send, send_raw, sessions, start_totp, totp_code,
};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

const EMAIL: &str = "ann@example.com";
const NEW_PASSWORD: &str = "a much better secret 42";

/// A dev server (outbox on) whose sign-in limits never get in the way: these
/// tests send many wrong passwords and codes on purpose.
async fn server() -> Harness {
    let mut config = Config::for_tests()
        .with_clock(manual_clock())
        .with_dev(true);
    config.login_limits = LoginLimits {
        per_email: 100_000,
        per_ip: 100_000,
        ..LoginLimits::default()
    };
    Harness::start_with(config).await
}

/// `valid` spoilt five ways: with NUL, ESC, DEL or a right-to-left override
/// inside, and buried in a string longer than any field allows (but short
/// enough for the body limit). Labels say which.
fn spoilt(valid: &str) -> Vec<(&'static str, String)> {
    let mut chars = valid.chars();
    let first: String = chars.next().into_iter().collect();
    let rest: String = chars.collect();
    let mut out: Vec<(&'static str, String)> = [
        ("NUL", '\u{0}'),
        ("ESC", '\u{1b}'),
        ("DEL", '\u{7f}'),
        ("RLO", '\u{202e}'),
    ]
    .into_iter()
    .map(|(label, c)| (label, format!("{first}{c}{rest}")))
    .collect();
    out.push(("long", format!("{}{valid}", "x".repeat(30_000))));
    out
}

/// Longer than the 64 KiB body limit on its own.
fn huge() -> String {
    "x".repeat(100_000)
}

/// What a refused request must answer.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    /// 422 `validation_failed` naming this field.
    Field(&'static str),
    /// This problem code.
    Code(&'static str),
    /// Not refused at all; a test of its own covers it.
    Elsewhere,
}

/// A field of a request body, and what spoiling it (by label) must answer.
type Rule = (&'static str, fn(&str) -> Refusal);
/// A case's name, its body, and the answer it must get.
type Row = (String, Value, Refusal);

async fn expect_refused(response: Response, expected: Refusal, case: &str) {
    let status = response.status();
    assert!(status.is_client_error(), "{case}: answered {status}");
    let answer = expect_refusal(response).await;
    match expected {
        Refusal::Field(field) => {
            assert_eq!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{case}: {:?}",
                answer.problem
            );
            assert!(
                answer.problem.errors.contains_key(field),
                "{case}: no error on {field}: {:?}",
                answer.problem
            );
        }
        Refusal::Code(code) => {
            assert_eq!(answer.problem.code, code, "{case}: {:?}", answer.problem);
        }
        Refusal::Elsewhere => panic!("{case}: not a refusal; `table` leaves these out"),
    }
}

/// One row per (field, spoilt value), plus the field at 100,000 characters:
/// `base` with that field replaced, and what the answer must be.
/// `Elsewhere` rows are left out.
fn table(base: &Value, fields: &[Rule]) -> Vec<Row> {
    let mut rows = Vec::new();
    for &(field, expect) in fields {
        let valid = base[field].as_str().expect("a text field");
        for (label, value) in spoilt(valid).into_iter().chain([("huge", huge())]) {
            let mut body = base.clone();
            body[field] = json!(value);
            let refusal = if label == "huge" {
                Refusal::Code("payload_too_large")
            } else {
                expect(label)
            };
            if !matches!(refusal, Refusal::Elsewhere) {
                rows.push((format!("{field} {label}"), body, refusal));
            }
        }
    }
    rows
}

#[tokio::test]
async fn deep_nesting_is_a_clean_bad_request() {
    let h = server().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(5_000), "}".repeat(5_000));
    let bodies = [
        arrays.clone(),
        objects.clone(),
        format!(r#"{{"email":{arrays},"password":"x"}}"#),
        format!(r#"{{"email":"a@b.co","password":"x","device_name":{objects}}}"#),
        format!(r#"{{"current_password":{arrays},"new_password":"x"}}"#),
    ];
    for path in [paths::LOGIN, paths::SIGNUP, paths::PASSWORD] {
        for (n, body) in bodies.iter().enumerate() {
            let response =
                send_raw(&h, Method::POST, path, Some(token.expose()), body.clone()).await;
            let answer = expect_problem(response, "malformed_request").await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path} body {n}");
        }
    }
    // Still serving, and the password was not changed by any of it.
    let _: acctl_api::Health = h.public_json(paths::HEALTHZ).await;
    h.login(EMAIL, "after the nesting").await;
}

#[tokio::test]
async fn invalid_utf8_is_a_bad_request_not_a_crash() {
    let h = server().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let broken: [&[u8]; 7] = [
        b"{\"email\":\"\xff\xfe@example.com\",\"password\":\"x\"}",
        // An overlong '/', an encoded surrogate, a sequence cut short.
        b"{\"email\":\"a\xc0\xaf@example.com\",\"password\":\"x\"}",
        b"{\"email\":\"a\xed\xa0\x80@example.com\",\"password\":\"x\"}",
        b"{\"email\":\"a@example.com\",\"password\":\"x\xe2\x82\"}",
        b"{\"em\xffail\":\"a@example.com\",\"password\":\"x\"}",
        // Valid UTF-8, but an escape for half a surrogate pair.
        b"{\"email\":\"a\\ud800@example.com\",\"password\":\"x\"}",
        b"\xef\xbb\xbf\xff",
    ];
    for path in [paths::LOGIN, paths::SIGNUP, paths::PASSWORD] {
        for (n, body) in broken.iter().enumerate() {
            let response =
                send_raw(&h, Method::POST, path, Some(token.expose()), body.to_vec()).await;
            let answer = expect_problem(response, "malformed_request").await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path} body {n}");
        }
    }
    h.login(EMAIL, "after the bytes").await;
}

#[tokio::test]
async fn signup_refuses_junk_in_every_field_and_stores_nothing() {
    let h = server().await;
    let base = json!({"email": "new@example.com", "password": PASSWORD, "name": "Ann Example", "device_name": "laptop"});
    // A right-to-left override in a password is kept: see
    // `direction_marks_in_passwords_are_kept_exactly`.
    let password = |label: &str| match label {
        "RLO" => Refusal::Elsewhere,
        _ => Refusal::Field("password"),
    };
    let rows = table(
        &base,
        &[
            ("email", |_| Refusal::Field("email")),
            ("password", password),
            ("name", |_| Refusal::Field("name")),
            ("device_name", |_| Refusal::Field("device_name")),
        ],
    );
    for (case, body, refusal) in rows {
        expect_refused(h.post(paths::SIGNUP, body).await, refusal, &case).await;
    }
    expect_problem(
        h.login_as("new@example.com", PASSWORD, "x").await,
        "invalid_credentials",
    )
    .await;
    // The same signup, unspoilt, works: the refusals were about the junk.
    let response = h.post(paths::SIGNUP, base).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn direction_marks_in_passwords_are_kept_exactly() {
    // A password is never shown, only hashed, and the shared policy (the
    // console's meter too) allows format characters: the server must keep
    // such a password exactly, not mangle or refuse it.
    let h = server().await;
    let password = "correct \u{202e}horse\u{2066} battery";
    let response = h
        .post(
            paths::SIGNUP,
            json!({"email": EMAIL, "password": password, "name": "Ann"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        h.login_as(EMAIL, password, "d").await.status(),
        StatusCode::OK
    );
    let without = password.replace(['\u{202e}', '\u{2066}'], "");
    expect_problem(
        h.login_as(EMAIL, &without, "d").await,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn login_and_refresh_refuse_junk_in_every_field() {
    let h = server().await;
    let pair = h.signup(EMAIL, "Ann").await;
    let base = json!({"email": EMAIL, "password": PASSWORD, "device_name": "laptop"});
    // A spoilt password is simply not the password; only its length is
    // checked before hashing.
    let password = |label: &str| match label {
        "long" => Refusal::Field("password"),
        _ => Refusal::Code("invalid_credentials"),
    };
    let rows = table(
        &base,
        &[
            ("email", |_| Refusal::Field("email")),
            ("password", password),
            ("device_name", |_| Refusal::Field("device_name")),
        ],
    );
    for (case, body, refusal) in rows {
        expect_refused(h.post(paths::LOGIN, body).await, refusal, &case).await;
    }
    let refresh = json!({"refresh_token": pair.refresh_token.expose()});
    for (case, body, refusal) in table(
        &refresh,
        &[("refresh_token", |_| Refusal::Code("invalid_refresh_token"))],
    ) {
        expect_refused(h.post(paths::REFRESH, body).await, refusal, &case).await;
    }
    // No sign-in got through, and the real refresh token still works.
    let token = pair.access_token.expose();
    assert_eq!(sessions(&h, token).await.len(), 1);
    assert_eq!(event_count(&h, token, "login_succeeded").await, 1);
    assert_eq!(
        h.post(paths::REFRESH, refresh).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_second_sign_in_step_refuses_junk_in_every_field() {
    let h = server().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let token = token.expose();
    let (secret, codes) = enrolled(&h, token).await;
    h.advance(std::time::Duration::from_secs(30));
    let cases: [(Value, Rule); 3] = [
        (
            json!({"mfa_token": "mfa_x", "code": "123456"}),
            ("mfa_token", |_| Refusal::Code("invalid_credentials")),
        ),
        (
            json!({"code": "123456"}),
            ("code", |_| Refusal::Field("code")),
        ),
        (
            json!({"recovery_code": codes[0]}),
            ("recovery_code", |_| Refusal::Field("recovery_code")),
        ),
    ];
    for (base, rule) in cases {
        for (case, mut body, refusal) in table(&base, &[rule]) {
            // A fresh challenge each time: one tolerates only five wrong codes.
            let challenge = mfa_challenge(&h, EMAIL).await;
            if rule.0 != "mfa_token" {
                body["mfa_token"] = json!(challenge.mfa_token.expose());
            }
            let response = h.post(paths::LOGIN_MFA, body).await;
            expect_refused(response, refusal, &case).await;
        }
    }
    // Nothing signed in, the recovery code is unspent, and a right code works.
    assert_eq!(sessions(&h, token).await.len(), 1);
    let status: MfaStatus =
        serde_json::from_value(h.get_json(paths::MFA, token).await).expect("status");
    assert_eq!(status.recovery_codes_remaining, 10);
    let challenge = mfa_challenge(&h, EMAIL).await;
    let ok = second_step(&h, &challenge, json!({"code": totp_code(&h, &secret)})).await;
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn password_and_email_changes_refuse_junk_in_every_field() {
    let h = server().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let token = token.expose();
    let change = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "sign_out_other_sessions": false});
    // As at signup, a direction mark in a new password is allowed.
    let new_password = |label: &str| match label {
        "RLO" => Refusal::Elsewhere,
        _ => Refusal::Field("new_password"),
    };
    let rows = table(
        &change,
        &[
            ("current_password", |_| Refusal::Field("current_password")),
            ("new_password", new_password),
        ],
    );
    for (case, body, refusal) in rows {
        let response = send(&h, Method::POST, paths::PASSWORD, token, body).await;
        expect_refused(response, refusal, &case).await;
    }
    assert_eq!(event_count(&h, token, "password_changed").await, 0);
    h.login(EMAIL, "the old password still works").await;

    let email = json!({"new_email": "ann@new.example", "password": PASSWORD});
    let rows = table(
        &email,
        &[
            ("new_email", |_| Refusal::Field("new_email")),
            ("password", |_| Refusal::Field("password")),
        ],
    );
    for (case, body, refusal) in rows {
        let response = send(&h, Method::POST, paths::EMAIL, token, body).await;
        expect_refused(response, refusal, &case).await;
    }
    assert_eq!(event_count(&h, token, "email_change_requested").await, 0);

    // With a change under way, junk codes are refused and change nothing.
    let response = send(&h, Method::POST, paths::EMAIL, token, email).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let code = json!({"code": "123456"});
    for (case, body, refusal) in table(&code, &[("code", |_| Refusal::Field("code"))]) {
        let response = send(&h, Method::POST, paths::EMAIL_VERIFY, token, body).await;
        expect_refused(response, refusal, &case).await;
    }
    let me: Account = serde_json::from_value(h.get_json(paths::ME, token).await).expect("me");
    assert_eq!(me.email, EMAIL);
    assert_eq!(me.pending_email.as_deref(), Some("ann@new.example"));
    assert_eq!(event_count(&h, token, "email_changed").await, 0);
}

#[tokio::test]
async fn mfa_routes_refuse_junk_in_every_field() {
    let h = server().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let token = token.expose();
    let password = json!({"password": PASSWORD});
    let password_field: [Rule; 1] = [("password", |_| Refusal::Field("password"))];
    for (case, body, refusal) in table(&password, &password_field) {
        let response = send(&h, Method::POST, paths::MFA_TOTP, token, body).await;
        expect_refused(response, refusal, &format!("enrol {case}")).await;
    }
    let status: MfaStatus =
        serde_json::from_value(h.get_json(paths::MFA, token).await).expect("status");
    assert!(!status.totp_pending, "a refused enrolment starts nothing");

    let secret = start_totp(&h, token).await;
    let code = json!({"code": totp_code(&h, &secret)});
    for (case, body, refusal) in table(&code, &[("code", |_| Refusal::Field("code"))]) {
        let response = send(&h, Method::POST, paths::MFA_TOTP_CONFIRM, token, body).await;
        expect_refused(response, refusal, &format!("confirm {case}")).await;
    }
    let status: MfaStatus =
        serde_json::from_value(h.get_json(paths::MFA, token).await).expect("status");
    assert!(status.totp_pending && !status.totp_enabled);
    // Start again so the enrolment is confirmed by a code not yet spent.
    let (secret, _) = enrolled(&h, token).await;
    h.advance(std::time::Duration::from_secs(30));

    let disable = json!({"password": PASSWORD, "code": totp_code(&h, &secret)});
    let rows = table(
        &disable,
        &[
            ("password", |_| Refusal::Field("password")),
            ("code", |_| Refusal::Field("code")),
        ],
    );
    for (case, body, refusal) in rows {
        let response = send(&h, Method::DELETE, paths::MFA_TOTP, token, body).await;
        expect_refused(response, refusal, &format!("disable {case}")).await;
    }
    for (case, body, refusal) in table(&password, &password_field) {
        let response = send(&h, Method::POST, paths::MFA_RECOVERY_CODES, token, body).await;
        expect_refused(response, refusal, &format!("recovery codes {case}")).await;
    }
    let status: MfaStatus =
        serde_json::from_value(h.get_json(paths::MFA, token).await).expect("status");
    assert!(status.totp_enabled);
    assert_eq!(status.recovery_codes_remaining, 10);
    assert_eq!(event_count(&h, token, "mfa_disabled").await, 0);
    assert_eq!(
        event_count(&h, token, "recovery_codes_regenerated").await,
        0
    );
}

/// base64url without padding, as cursors are made.
fn cursor_of(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[tokio::test]
async fn query_parameters_refuse_junk() {
    let h = server().await;
    let token = h.signup(EMAIL, "Ann").await.access_token;
    let token = token.expose();
    let long = "x".repeat(10_000);
    let kinds = [
        "volcano",
        "",
        "%00",
        "login_failed%1B",
        "login_failed%E2%80%AE",
        "%FF",
        "login_failed'%20OR%20'1'='1",
        "login_failed&kind=logout",
        &long,
    ];
    let cursors = [
        "zzz".to_string(),
        String::new(),
        "%00".to_string(),
        "%FF%FE".to_string(),
        cursor_of("99999999999999999999,abc"),
        cursor_of(&format!("1,{}", "a".repeat(65))),
        cursor_of("1,'; DROP TABLE security_events;--"),
        cursor_of("1,abc\u{0}"),
        cursor_of(&long),
        long.clone(),
    ];
    let limits = [
        "-1",
        "many",
        "1.5",
        "",
        "%00",
        "0x10",
        "4294967296",
        "99999999999999999999999",
        "1&limit=2",
    ];
    let mut queries: Vec<(&str, String)> = Vec::new();
    for kind in kinds {
        queries.push((paths::SECURITY_EVENTS, format!("kind={kind}")));
    }
    for list in [paths::SECURITY_EVENTS, paths::SESSIONS] {
        for cursor in &cursors {
            queries.push((list, format!("cursor={cursor}")));
        }
        for limit in limits {
            queries.push((list, format!("limit={limit}")));
        }
    }
    for query in &queries {
        let response = h.get(&format!("{}?{}", query.0, query.1), token).await;
        let answer = expect_problem(response, "malformed_request").await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query:?}");
    }
    for others in ["", "yes", "1", "TRUE", "%00", "true&others=false"] {
        let path = format!("{}?others={others}", paths::SESSIONS);
        let response = h.delete(&path, token).await;
        expect_problem(response, "malformed_request").await;
    }
    // Sizes a u32 holds but outside 1..=200 are refused too, not clamped.
    for limit in ["0", "201", "4294967295"] {
        let path = format!("{}?limit={limit}", paths::SECURITY_EVENTS);
        let response = h.get(&path, token).await;
        expect_problem(response, "malformed_request").await;
    }
    // The outbox (dev only) reads any address and finds nothing for junk.
    for to in ["%00", "%FF", "a%1B@b.co", &long] {
        let response = h
            .request(Method::GET, &format!("{}?to={to}", paths::DEV_OUTBOX), None)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK, "to={to}");
        let mail: Vec<Value> = response.json().await.expect("messages");
        assert!(mail.is_empty());
    }
    assert_eq!(sessions(&h, token).await.len(), 1, "nothing was signed out");
}

#[tokio::test]
async fn sql_metacharacters_are_stored_verbatim_and_harmless() {
    let h = server().await;
    h.signup("bo@example.com", "Bo").await;
    let name = "Robert'); DROP TABLE users;--";
    let device = r#"100% _sure_ "quoted" back\slash; DELETE FROM sessions; --"#;
    let email = "o'brien+%_x@example.com";
    let response = h
        .post(
            paths::SIGNUP,
            json!({"email": email, "password": PASSWORD, "name": name, "device_name": device}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let token = common::tokens(response).await.access_token;
    let token = token.expose();
    let me: Account = serde_json::from_value(h.get_json(paths::ME, token).await).expect("me");
    assert_eq!((me.name.as_str(), me.email.as_str()), (name, email));
    let listed = sessions(&h, token).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].device_name, device);
    let logged = events(&h, token, Some("login_succeeded")).await;
    assert_eq!(logged[0].device_name.as_deref(), Some(device));

    // Other accounts are all still there, and lookups are exact, not LIKE.
    h.login("bo@example.com", "after the injection").await;
    h.login(email, device).await;
    for pattern in [
        "%@example.com",
        "_'brien+%_x@example.com",
        "o'brien+%_x@example.co_",
    ] {
        expect_problem(
            h.login_as(pattern, PASSWORD, "x").await,
            "invalid_credentials",
        )
        .await;
    }
    let taken = h
        .post(
            paths::SIGNUP,
            json!({"email": "O'BRIEN+%_X@example.com", "password": PASSWORD, "name": "Twin"}),
        )
        .await;
    expect_problem(taken, "email_taken").await;
}

/// A problem without its request id, for comparing two answers' shapes.
fn shape(mut problem: acctl_api::Problem) -> acctl_api::Problem {
    problem.request_id = None;
    problem
}

#[tokio::test]
async fn junk_and_foreign_session_ids_look_exactly_like_made_up_ones() {
    let h = server().await;
    let ann = h.signup(EMAIL, "Ann").await;
    let ann_phone = h.login(EMAIL, "phone").await;
    let bo = h.signup("bo@example.com", "Bo").await;
    let token = ann.access_token.expose();
    let made_up = expect_problem(
        h.delete(&paths::session("made-up"), token).await,
        "not_found",
    )
    .await;
    assert_eq!(made_up.status, StatusCode::NOT_FOUND);
    let expected = shape(made_up.problem);

    let long = "a".repeat(5_000);
    let raw_ids = [
        "..%2F..%2Fme".to_string(),
        "..%2F..%2F..%2Fhealthz".to_string(),
        "%2E%2E%2Fme".to_string(),
        "%00".to_string(),
        "abc%00def".to_string(),
        "%FF%FE".to_string(),
        "%E2%80%AE".to_string(),
        "1%20OR%201%3D1".to_string(),
        "'%20OR%20'1'%3D'1".to_string(),
        "%25".to_string(),
        "*".to_string(),
        long,
        paths::encode_segment(&bo.session_id),
        paths::encode_segment(&format!("{}' OR '1'='1", bo.session_id)),
        paths::encode_segment(&ann_phone.session_id.to_uppercase()),
        paths::encode_segment(&format!(" {}", ann_phone.session_id)),
    ];
    for id in &raw_ids {
        let path = format!("{}/{id}", paths::SESSIONS);
        let answer = expect_refusal(h.delete(&path, token).await).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{id:.80}");
        assert_eq!(shape(answer.problem), expected, "{id:.80}");
    }
    // Nobody was signed out, and nothing was logged as if they were.
    assert_eq!(sessions(&h, token).await.len(), 2);
    assert_eq!(sessions(&h, bo.access_token.expose()).await.len(), 1);
    assert_eq!(event_count(&h, token, "session_revoked").await, 0);
    assert_eq!(
        event_count(&h, bo.access_token.expose(), "session_revoked").await,
        0
    );
}

/// Every page of `list` from `cursor` on, as `token` sees them.
async fn pages_from(h: &Harness, list: &str, token: &str, cursor: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = cursor.to_string();
    for _ in 0..20 {
        let page: Page<Value> = serde_json::from_value(
            h.get_json(&format!("{list}?limit=2&cursor={cursor}"), token)
                .await,
        )
        .expect("page");
        items.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = next,
            None => return items,
        }
    }
    panic!("the pages do not end");
}

#[tokio::test]
async fn another_accounts_cursors_show_only_your_own_rows() {
    let h = server().await;
    let ann = h.signup(EMAIL, "Ann").await;
    let bo = h.signup("bo@example.com", "Bo").await;
    for n in 0..3 {
        h.advance(std::time::Duration::from_secs(1));
        h.login(EMAIL, &format!("ann {n}")).await;
        h.login("bo@example.com", &format!("bo {n}")).await;
    }
    let (ann_token, bo_token) = (ann.access_token.expose(), bo.access_token.expose());
    for list in [paths::SECURITY_EVENTS, paths::SESSIONS] {
        let bo_first: Page<Value> =
            serde_json::from_value(h.get_json(&format!("{list}?limit=1"), bo_token).await)
                .expect("page");
        let bo_cursor = bo_first.next_cursor.expect("more of Bo's");
        let all_ann: Page<Value> =
            serde_json::from_value(h.get_json(&format!("{list}?limit=200"), ann_token).await)
                .expect("page");
        let all_bo: Page<Value> =
            serde_json::from_value(h.get_json(&format!("{list}?limit=200"), bo_token).await)
                .expect("page");
        let ids = |items: &[Value]| -> HashSet<String> {
            items
                .iter()
                .map(|item| item["id"].as_str().expect("id").to_string())
                .collect()
        };
        let (ann_ids, bo_ids) = (ids(&all_ann.items), ids(&all_bo.items));
        let seen = pages_from(&h, list, ann_token, &bo_cursor).await;
        assert!(!seen.is_empty(), "{list}: Ann has rows before Bo's cursor");
        let seen = ids(&seen);
        assert!(seen.is_subset(&ann_ids), "{list}: only Ann's rows");
        assert!(seen.is_disjoint(&bo_ids), "{list}: none of Bo's");
    }
}

/// Arbitrary text, weighted toward what matters here: whitespace at the
/// ends, control and direction characters, lengths around the limits.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,120}",
        " {0,2}[a-zA-Z'%_;\"\\\\-]{0,105} {0,2}",
        ".{0,4}[\u{0}-\u{1f}\u{7f}\u{85}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{2028}\u{2029}].{0,4}",
    ]
}

/// Characters nothing the server accepts may hold.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// `n` cases, kept modest: each is a request or two to a real server.
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        // Failures print their minimal input; nothing to keep in the tree.
        failure_persistence: None,
        ..ProptestConfig::with_cases(n)
    }
}

#[test]
fn signup_over_arbitrary_text_answers_cleanly_and_keeps_what_it_accepts() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let h = runtime.block_on(server());
    let counter = AtomicUsize::new(0);
    let mut runner = TestRunner::new(cases(64));
    let result = runner.run(&(text(), text(), text()), |(local, name, device)| {
        let n = counter.fetch_add(1, Ordering::Relaxed);
        // The number after the last '+' makes every address new.
        let email = format!("{local}+{n}@example.com");
        runtime.block_on(signup_case(&h, &email, &name, &device))
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

async fn signup_case(
    h: &Harness,
    email: &str,
    name: &str,
    device: &str,
) -> Result<(), TestCaseError> {
    let body = json!({"email": email, "password": PASSWORD, "name": name, "device_name": device});
    let response = h.post(paths::SIGNUP, body).await;
    let status = response.status();
    prop_assert!(!status.is_server_error(), "{status}");
    if status != StatusCode::CREATED {
        let answer = expect_refusal(response).await;
        prop_assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: HashSet<&str> = answer.problem.errors.keys().map(String::as_str).collect();
        prop_assert!(!fields.is_empty());
        prop_assert!(
            fields.is_subset(&HashSet::from(["email", "name", "device_name"])),
            "{:?}",
            fields
        );
        return Ok(());
    }
    let token = common::tokens(response).await.access_token;
    let me: Account = serde_json::from_value(h.get_json(paths::ME, token.expose()).await)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(me.name.as_str(), name.trim());
    prop_assert_eq!(me.email.as_str(), email.trim());
    prop_assert!(!me.name.chars().any(unsafe_char), "{:?}", me.name);
    prop_assert!(!me.email.chars().any(unsafe_char), "{:?}", me.email);
    let listed: Vec<Session> = sessions(h, token.expose()).await;
    let expected_device = match device.trim() {
        "" => "acctd-tests",
        given => given,
    };
    prop_assert_eq!(listed[0].device_name.as_str(), expected_device);
    prop_assert!(!expected_device.chars().any(unsafe_char));
    Ok(())
}

#[test]
fn login_over_arbitrary_text_is_always_a_clean_refusal() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let h = runtime.block_on(async {
        let h = server().await;
        h.signup(EMAIL, "Ann").await;
        h
    });
    let mut runner = TestRunner::new(cases(32));
    let result = runner.run(&(text(), text(), text()), |(email, password, device)| {
        runtime.block_on(async {
            let response = h.login_as(&email, &password, &device).await;
            prop_assert!(!response.status().is_server_error());
            let answer = expect_refusal(response).await;
            prop_assert!(
                ["invalid_credentials", "validation_failed"]
                    .contains(&answer.problem.code.as_str()),
                "{:?}",
                answer.problem
            );
            Ok(())
        })
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}
