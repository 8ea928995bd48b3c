//! What a signed-in client can make the server keep by repeating a write
//! is bounded: exports by a daily quota and an expiry, and an export does
//! not carry the notices of every export before it.

use crate::common;

use std::time::Duration;

use acctl_api::paths;
use acctl_api::privacy::ExportDocument;
use common::exports::{export_text, finished, start_export};
use common::{Harness, expect_problem, send, tokens};
use reqwest::{Method, StatusCode};
use serde_json::json;

const HOURS_9: Duration = Duration::from_secs(9 * 3600);

/// A fresh access token from the session's refresh token (no new session,
/// no new event); the new refresh token is kept in `refresh`.
async fn refreshed(h: &Harness, refresh: &mut String) -> String {
    let response = h
        .post(paths::REFRESH, json!({"refresh_token": refresh}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let pair = tokens_of(response).await;
    *refresh = pair.refresh_token.expose().to_string();
    pair.access_token.expose().to_string()
}

async fn tokens_of(response: reqwest::Response) -> acctl_api::TokenPair {
    response.json().await.expect("a token pair")
}

/// The document's size without its security log, which grows by one
/// event per export as it should.
fn size_without_log(text: &str) -> (usize, usize) {
    let mut document: ExportDocument = serde_json::from_str(text).expect("a document");
    let events = std::mem::take(&mut document.security_events).len();
    let rest = serde_json::to_string_pretty(&document).expect("json").len();
    (rest, events)
}

#[tokio::test]
async fn the_fiftieth_export_is_no_bigger_than_the_first_but_for_its_log() {
    let h = Harness::start().await;
    let pair = tokens(
        h.post(
            paths::SIGNUP,
            json!({"email": "many@example.com", "password": common::PASSWORD, "name": "Many"}),
        )
        .await,
    )
    .await;
    let mut refresh = pair.refresh_token.expose().to_string();
    let mut sizes = Vec::new();
    for _ in 0..50 {
        let token = refreshed(&h, &mut refresh).await;
        sizes.push(size_without_log(&export_text(&h, &token).await));
        h.advance(HOURS_9);
    }
    let ((first, first_events), (last, last_events)) = (sizes[0], sizes[49]);
    assert_eq!(last_events - first_events, 49, "one log event per export");
    // One "export ready" notice at most, and a few changed timestamps.
    assert!(last <= first + 1024, "grew from {first} to {last} bytes");
}

#[tokio::test]
async fn a_fourth_export_in_a_day_waits_and_expired_ones_are_removed() {
    let h = Harness::start().await;
    let token = h.signup("daily@example.com", "Daily").await.access_token;
    let token = token.expose();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let export = start_export(&h, token).await;
        finished(&h, token, &export.id).await;
        ids.push(export.id);
        h.advance(Duration::from_secs(60));
    }
    let refused = send(&h, Method::POST, paths::EXPORTS, token, json!({})).await;
    let answer = expect_problem(refused, "rate_limited").await;
    let wait: u64 = answer
        .retry_after
        .as_deref()
        .and_then(|s| s.parse().ok())
        .expect("Retry-After in seconds");
    assert!(wait > 0 && wait <= 24 * 3600, "{wait}");
    // Eight days on, the exports have expired and pruning removes them.
    h.advance(Duration::from_secs(8 * 24 * 3600));
    let token = h.login("daily@example.com", "again").await.access_token;
    assert!(h.server.prune().await.expect("pruned") >= 3);
    for id in &ids {
        let gone = h.get(&paths::export(id), token.expose()).await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }
    start_export(&h, token.expose()).await;
}
