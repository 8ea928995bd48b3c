//! The whole request path (layers, extractors, validation, handlers, an
//! in-memory database) without a socket, for the fuzz target in `fuzz/`.
//! Only built with the `fuzzing` feature.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, header};
use tower::ServiceExt;

use crate::layers::app;
use crate::{AppState, Config, Store};

const EMAIL: &str = "fuzz@example.com";
const PASSWORD: &str = "cedar-otter-lumen-4821";

/// An acctd with one signed-in account, answering requests in memory.
pub struct Harness {
    runtime: tokio::runtime::Runtime,
    app: Router,
    token: String,
}

impl Harness {
    /// # Panics
    /// When the in-memory server cannot start; fuzzing is pointless then.
    pub fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let config = Config {
            dev: true,
            ..Config::for_tests()
        };
        let app = runtime.block_on(async {
            let store = Store::connect(&config.database_url, &config.pool)
                .await
                .expect("in-memory database");
            app(AppState::new(
                store,
                config,
                crate::secrets::Keyring::ephemeral(),
            ))
        });
        let mut harness = Self {
            runtime,
            app,
            token: String::new(),
        };
        let signup = format!(r#"{{"email":"{EMAIL}","password":"{PASSWORD}","name":"Fuzz"}}"#);
        harness.handle(
            "POST",
            acctl_api::paths::SIGNUP,
            "application/json",
            false,
            signup.as_bytes(),
        );
        let login = format!(r#"{{"email":"{EMAIL}","password":"{PASSWORD}"}}"#);
        let (_, body) = harness.send(
            "POST",
            acctl_api::paths::LOGIN,
            "application/json",
            false,
            login.as_bytes(),
        );
        let value: serde_json::Value = serde_json::from_slice(&body).expect("a login answer");
        harness.token = value["access_token"].as_str().expect("a token").to_string();
        harness
    }

    /// The status acctd answers `body` sent to `method path` with.
    pub fn handle(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        authed: bool,
        body: &[u8],
    ) -> u16 {
        self.send(method, path, content_type, authed, body).0
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        authed: bool,
        body: &[u8],
    ) -> (u16, Vec<u8>) {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type);
        if authed {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        }
        let Ok(mut request) = builder.body(Body::from(body.to_vec())) else {
            // Not a request http can even express (a bad method or URI).
            return (400, Vec::new());
        };
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 9))));
        self.runtime.block_on(async {
            let Ok(response) = self.app.clone().oneshot(request).await;
            let status = response.status().as_u16();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .map(|b| b.to_vec())
                .unwrap_or_default();
            (status, body)
        })
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}
