//! Sessions and the security log against a real server.

use crate::common;

use std::collections::HashSet;
use std::time::Duration;

use acctl_api::{Page, RevokedSessions, SecurityEvent, SecurityEventKind, Session, paths};
use common::{Harness, expect_problem, sessions};
use reqwest::StatusCode;

#[tokio::test]
async fn revoking_a_session_ends_its_access_at_once() {
    let h = Harness::start().await;
    let phone = h.signup("ann@example.com", "Ann").await;
    h.advance(Duration::from_secs(120));
    let laptop = h.login("ann@example.com", "laptop").await;

    let listed = sessions(&h, laptop.access_token.expose()).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(
        listed[0].id, laptop.session_id,
        "most recently active first"
    );
    assert!(listed[0].current);
    assert!(!listed[1].current);

    let response = h
        .delete(
            &paths::session(&phone.session_id),
            laptop.access_token.expose(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    expect_problem(
        h.get(paths::ME, phone.access_token.expose()).await,
        "session_revoked",
    )
    .await;
    let listed = sessions(&h, laptop.access_token.expose()).await;
    assert_eq!(
        listed.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        [laptop.session_id.as_str()]
    );

    // Revoking it again: it is no longer a signed-in session.
    let again = h
        .delete(
            &paths::session(&phone.session_id),
            laptop.access_token.expose(),
        )
        .await;
    expect_problem(again, "not_found").await;

    let events: Page<SecurityEvent> = serde_json::from_value(
        h.get_json(
            &format!("{}?kind=session_revoked", paths::SECURITY_EVENTS),
            laptop.access_token.expose(),
        )
        .await,
    )
    .expect("events");
    assert_eq!(events.items.len(), 1);
    assert!(
        events.items[0]
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("acctd-tests")
    );
}

#[tokio::test]
async fn the_current_session_cannot_be_revoked_this_way() {
    let h = Harness::start().await;
    let pair = h.signup("ann@example.com", "Ann").await;
    let response = h
        .delete(
            &paths::session(&pair.session_id),
            pair.access_token.expose(),
        )
        .await;
    let answer = expect_problem(response, "current_session").await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert_eq!(
        h.get(paths::ME, pair.access_token.expose()).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn another_accounts_session_looks_exactly_like_a_made_up_id() {
    let h = Harness::start().await;
    let ann = h.signup("ann@example.com", "Ann").await;
    let bo = h.signup("bo@example.com", "Bo").await;
    let theirs = expect_problem(
        h.delete(&paths::session(&bo.session_id), ann.access_token.expose())
            .await,
        "not_found",
    )
    .await;
    let garbage = expect_problem(
        h.delete(&paths::session("../../me"), ann.access_token.expose())
            .await,
        "not_found",
    )
    .await;
    let mut theirs = theirs.problem;
    let mut garbage = garbage.problem;
    theirs.request_id = None;
    garbage.request_id = None;
    assert_eq!(theirs, garbage);
    assert_eq!(
        h.get(paths::ME, bo.access_token.expose()).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn sign_out_everywhere_else() {
    let h = Harness::start().await;
    let first = h.signup("ann@example.com", "Ann").await;
    let second = h.login("ann@example.com", "two").await;
    let keep = h.login("ann@example.com", "three").await;
    let bo = h.signup("bo@example.com", "Bo").await;

    let bare = h.delete(paths::SESSIONS, keep.access_token.expose()).await;
    expect_problem(bare, "malformed_request").await;

    let response = h
        .delete(
            &format!("{}?others=true", paths::SESSIONS),
            keep.access_token.expose(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let revoked: RevokedSessions = response.json().await.expect("count");
    assert_eq!(revoked.revoked, 2);
    for gone in [&first, &second] {
        expect_problem(
            h.get(paths::ME, gone.access_token.expose()).await,
            "session_revoked",
        )
        .await;
    }
    assert_eq!(sessions(&h, keep.access_token.expose()).await.len(), 1);
    assert_eq!(
        h.get(paths::ME, bo.access_token.expose()).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn security_events_page_without_gaps_or_repeats_and_filter_by_kind() {
    let h = Harness::start().await;
    let first = h.signup("ann@example.com", "Ann").await;
    for n in 0..4 {
        // Some events share a millisecond, some do not: both orders count.
        if n % 2 == 0 {
            h.advance(Duration::from_millis(1500));
        }
        h.login("ann@example.com", &format!("device {n}")).await;
    }
    assert_eq!(
        h.login_as("ann@example.com", "wrong password", "x")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let keep = h.login("ann@example.com", "keep").await;
    h.delete(
        &format!("{}?others=true", paths::SESSIONS),
        keep.access_token.expose(),
    )
    .await;
    // 1 account_created + 6 sign-ins + 1 failure + 5 revocations.
    let expected = 13;

    let token = keep.access_token.expose();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for page_number in 0.. {
        assert!(
            page_number < 10,
            "the cursor keeps going: it does not advance"
        );
        let query = match &cursor {
            Some(c) => format!("?limit=3&cursor={c}"),
            None => "?limit=3".to_string(),
        };
        let page: Page<SecurityEvent> = serde_json::from_value(
            h.get_json(&format!("{}{query}", paths::SECURITY_EVENTS), token)
                .await,
        )
        .expect("page");
        assert!(page.items.len() <= 3);
        seen.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), expected);
    let ids: HashSet<&str> = seen.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), expected, "no event twice");
    assert!(seen.windows(2).all(|w| w[0].at >= w[1].at), "newest first");

    let all: Page<SecurityEvent> =
        serde_json::from_value(h.get_json(paths::SECURITY_EVENTS, token).await).expect("page");
    assert_eq!(all.items, seen, "paging returns what one page does");
    assert_eq!(all.next_cursor, None);

    let logins: Page<SecurityEvent> = serde_json::from_value(
        h.get_json(
            &format!("{}?kind=login_succeeded&limit=200", paths::SECURITY_EVENTS),
            token,
        )
        .await,
    )
    .expect("page");
    assert_eq!(logins.items.len(), 6);
    assert!(
        logins
            .items
            .iter()
            .all(|e| e.kind == SecurityEventKind::LoginSucceeded)
    );

    expect_problem(
        h.get(&format!("{}?kind=volcano", paths::SECURITY_EVENTS), token)
            .await,
        "malformed_request",
    )
    .await;
    expect_problem(
        h.get(&format!("{}?cursor=zzz", paths::SECURITY_EVENTS), token)
            .await,
        "malformed_request",
    )
    .await;
    expect_problem(
        h.get(&format!("{}?limit=many", paths::SECURITY_EVENTS), token)
            .await,
        "malformed_request",
    )
    .await;
    drop(first);
}

#[tokio::test]
async fn session_lists_page_too() {
    let h = Harness::start().await;
    let mut last = h.signup("ann@example.com", "Ann").await;
    for n in 0..3 {
        h.advance(Duration::from_secs(5));
        last = h.login("ann@example.com", &format!("device {n}")).await;
    }
    let token = last.access_token.expose();
    let page: Page<Session> = serde_json::from_value(
        h.get_json(&format!("{}?limit=3", paths::SESSIONS), token)
            .await,
    )
    .expect("page");
    assert_eq!(page.items.len(), 3);
    let cursor = page.next_cursor.expect("a second page");
    let rest: Page<Session> = serde_json::from_value(
        h.get_json(
            &format!("{}?limit=3&cursor={cursor}", paths::SESSIONS),
            token,
        )
        .await,
    )
    .expect("page");
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.items[0].device_name, "acctd-tests");
    assert_eq!(rest.next_cursor, None);
}
