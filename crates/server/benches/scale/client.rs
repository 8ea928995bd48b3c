//! The bench's HTTP client: sign-in, the security log's pages and the
//! administrators' search, each timed.

use std::time::{Duration, Instant};

use acctl_api::{Page, SecurityEvent, TokenPair, paths};
use serde_json::json;

use super::{EMAIL, PASSWORD};

pub struct Bench {
    pub http: reqwest::Client,
    pub base: String,
}

impl Bench {
    pub async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("acctd answers")
    }

    pub async fn sign_in(&self) -> TokenPair {
        let body = json!({"email": EMAIL, "password": PASSWORD, "device_name": "bench"});
        let response = self.post(paths::LOGIN, body).await;
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.expect("a token pair")
    }

    pub async fn page(&self, token: &TokenPair, cursor: Option<&str>) -> Page<SecurityEvent> {
        let mut query = vec![("limit", "50")];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        let response = self
            .http
            .get(format!("{}{}", self.base, paths::SECURITY_EVENTS))
            .query(&query)
            .bearer_auth(token.access_token.expose())
            .send()
            .await
            .expect("acctd answers");
        let status = response.status();
        assert!(
            status.is_success(),
            "{status}: {}",
            response.text().await.unwrap_or_default()
        );
        response.json().await.expect("a page")
    }

    /// p50 and p99 times of a sign-in, the log's first page, and a page 40
    /// pages in. (The p99 shows plans that only some runs get, such as
    /// PostgreSQL's first few of a statement on each pooled connection.)
    pub async fn measure(&self) -> [(Duration, Duration); 3] {
        let mut sign_ins = Vec::new();
        let mut token = None;
        for _ in 0..100 {
            let started = Instant::now();
            token = Some(self.sign_in().await);
            sign_ins.push(started.elapsed());
        }
        let token = token.expect("signed in");
        let mut firsts = Vec::new();
        for _ in 0..200 {
            let started = Instant::now();
            self.page(&token, None).await;
            firsts.push(started.elapsed());
        }
        let mut cursor = self.page(&token, None).await.next_cursor;
        for _ in 0..39 {
            cursor = self.page(&token, cursor.as_deref()).await.next_cursor;
        }
        let mut deep = Vec::new();
        for _ in 0..200 {
            let started = Instant::now();
            self.page(&token, cursor.as_deref()).await;
            deep.push(started.elapsed());
        }
        [
            percentiles(sign_ins),
            percentiles(firsts),
            percentiles(deep),
        ]
    }
}

/// What an administrator's search is timed on: a prefix of many emails,
/// a prefix of names only, no prefix at all (every account, in order), and
/// a prefix of nothing, which finds none in either database (so its ratio
/// is the tables' size alone, not fifty rows against none).
pub const SEARCHES: [(&str, &str); 4] = [
    ("email prefix `user12`", "user12"),
    ("name prefix `user 34`", "user 34"),
    ("no query, first page", ""),
    ("prefix `zz`, no match", "zz"),
];

impl Bench {
    pub async fn search(
        &self,
        token: &TokenPair,
        query: &str,
        cursor: Option<&str>,
    ) -> Option<String> {
        let mut params = vec![("limit", "50"), ("query", query)];
        if let Some(cursor) = cursor {
            params.push(("cursor", cursor));
        }
        let response = self
            .http
            .get(format!("{}{}", self.base, paths::ADMIN_USERS))
            .query(&params)
            .bearer_auth(token.access_token.expose())
            .send()
            .await
            .expect("acctd answers");
        assert!(response.status().is_success(), "{}", response.status());
        let page: serde_json::Value = response.json().await.expect("a page");
        page["next_cursor"].as_str().map(str::to_string)
    }

    /// p50 and p99 of 200 searches each of [`SEARCHES`], then of a page 20
    /// pages into the first.
    pub async fn measure_search(&self, token: &TokenPair) -> Vec<(Duration, Duration)> {
        let mut rows = Vec::new();
        for (_, query) in SEARCHES {
            let mut times = Vec::new();
            for _ in 0..200 {
                let started = Instant::now();
                self.search(token, query, None).await;
                times.push(started.elapsed());
            }
            rows.push(percentiles(times));
        }
        let mut cursor = None;
        for _ in 0..20 {
            cursor = self.search(token, SEARCHES[0].1, cursor.as_deref()).await;
        }
        let mut times = Vec::new();
        for _ in 0..200 {
            let started = Instant::now();
            self.search(token, SEARCHES[0].1, cursor.as_deref()).await;
            times.push(started.elapsed());
        }
        rows.push(percentiles(times));
        rows
    }
}

fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}
