//! An acctd with an administrator and an ordinary account, for the
//! `/v1/admin/` tests.

use acctd::Config;
use acctl_api::{OutboxMessage, TokenPair, paths};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use super::{Harness, PASSWORD, manual_clock, send};

pub const ADMIN: &str = "root@example.com";
pub const PERSON: &str = "ana@example.com";

pub struct AdminWorld {
    pub h: Harness,
    pub admin: TokenPair,
    pub person: TokenPair,
    pub person_id: String,
}

impl AdminWorld {
    /// A development server (its outbox readable) with the two accounts.
    pub async fn start() -> Self {
        let h = Harness::start_with(
            Config::for_tests()
                .with_clock(manual_clock())
                .with_dev(true),
        )
        .await;
        let admin = h.signup(ADMIN, "Root").await;
        let person = h.signup(PERSON, "Ana Lima").await;
        let granted = h
            .server
            .set_admin(ADMIN, true, "the first administrator")
            .await
            .expect("granted");
        assert!(granted);
        let me = h.get_json(paths::ME, person.access_token.expose()).await;
        let person_id = me["id"].as_str().expect("an id").to_string();
        Self {
            h,
            admin,
            person,
            person_id,
        }
    }

    pub fn admin_token(&self) -> &str {
        self.admin.access_token.expose()
    }

    /// The administrator proves it is them with the password.
    pub async fn step_up(&self) {
        let response = send(
            &self.h,
            Method::POST,
            paths::STEP_UP,
            self.admin_token(),
            json!({"password": PASSWORD}),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    /// `POST` (or `DELETE`) `path` as the administrator with `reason`.
    pub async fn write(&self, method: Method, path: &str, reason: &str) -> Response {
        send(
            &self.h,
            method,
            path,
            self.admin_token(),
            json!({ "reason": reason }),
        )
        .await
    }

    pub async fn get(&self, path: &str) -> Value {
        self.h.get_json(path, self.admin_token()).await
    }

    /// The audit log's first page, newest first.
    pub async fn audit(&self) -> Vec<Value> {
        let page = self.get(paths::ADMIN_AUDIT).await;
        page["items"].as_array().cloned().unwrap_or_default()
    }

    pub async fn outbox(&self, to: &str) -> Vec<OutboxMessage> {
        let response = self
            .h
            .http
            .get(self.h.url(paths::DEV_OUTBOX))
            .query(&[("to", to)])
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("messages")
    }
}
