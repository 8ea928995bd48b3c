//! A hostile server: a real acctd behind a proxy on 127.0.0.1 (random
//! port) that answers the acctd contract with every free-text string of
//! every answer, error documents too, starting with [`PAYLOAD`]: the
//! escape sequences a compromised server would send to clear the screen,
//! write the clipboard (OSC 52), start a CSI in one byte (C1), forge a
//! line (CR, LF) and reverse text (bidirectional overrides). What must keep
//! its value to be read at all (timestamps, enum words, tokens, cursors,
//! the features of `/v1/meta`) is left alone, so every command works and
//! shows the text it would show.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use serde_json::Value;

use super::server::TestServer;

/// Everything a server's text could try on a terminal, in one string.
pub const PAYLOAD: &str = "\u{1b}[2J\u{1b}[H\u{1b}]52;c;SE9TVElMRQ==\u{7}\u{9b}31m\u{9d}0;pwned\u{7}\
    \u{1b}[?1049l\r\nFORGED\r\u{202e}DESREVER\u{2066}\u{7f}\u{8}\u{85}\u{2028}|";

/// What shows of [`PAYLOAD`] once cleaned (`ESC [2J` as `�[2J`; a
/// terminal that obeyed the ESC would show none of it): proof that the
/// text reached the surface. vt100 draws no `�`, so it is left out.
pub const SHOWN: &str = "[2J";

/// Keys whose values are read, not shown as text: they keep their value.
const KEEP: &[&str] = &[
    "access_token",
    "refresh_token",
    "mfa_token",
    "token_type",
    "session_id",
    "cursor",
    "next_cursor",
    "methods",
    "kind",
    "status",
    "state",
    "type",
    "code",
    "interval",
    "category",
    "channel",
    "profile_visibility",
];

/// True for a character no terminal should receive from server text:
/// C0 but the line feed (which output is made of), DEL, C1, and the
/// bidirectional controls and separators.
pub fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}'
        )
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Panics naming the first forbidden character of `text` (from `what`),
/// and when a line of it starts with `FORGED` (a line break got through).
pub fn assert_clean(what: &str, text: &str) {
    if let Some((at, c)) = text.char_indices().find(|(_, c)| forbidden(*c)) {
        let from = text[..at]
            .char_indices()
            .rev()
            .nth(20)
            .map_or(0, |(i, _)| i);
        let around: String = text[from..].chars().take(40).collect();
        panic!("{what}: {c:?} reached the terminal, at {around:?}");
    }
    assert!(
        !text.lines().any(|line| line.starts_with("FORGED")),
        "{what}: a line break from the server forged a line:\n{text}"
    );
}

/// acctd behind the hostile proxy.
pub struct HostileServer {
    /// The proxy's address: what acctl is pointed at.
    pub url: String,
    pub upstream: TestServer,
    runtime: tokio::runtime::Runtime,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

struct Upstream {
    http: reqwest::Client,
    base: String,
}

impl HostileServer {
    pub fn start() -> Self {
        let upstream = TestServer::start();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let state = Arc::new(Upstream {
            http: reqwest::Client::new(),
            base: upstream.url.clone(),
        });
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let app = axum::Router::new().fallback(forward).with_state(state);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        runtime.spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Self {
            url,
            upstream,
            runtime,
            stop: Some(stop),
        }
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Sends the request on to acctd and the answer back, its JSON poisoned.
async fn forward(State(upstream): State<Arc<Upstream>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 16 << 20).await.unwrap_or_default();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut outgoing = upstream
        .http
        .request(parts.method.clone(), format!("{}{path}", upstream.base))
        .body(body);
    for (name, value) in &parts.headers {
        if name != axum::http::header::HOST && name != axum::http::header::CONTENT_LENGTH {
            outgoing = outgoing.header(name, value);
        }
    }
    let Ok(answer) = outgoing.send().await else {
        return Response::builder()
            .status(502)
            .body(Body::empty())
            .unwrap_or_default();
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap_or_default();
    let is_json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("json"));
    let body = match serde_json::from_slice::<Value>(&bytes) {
        Ok(mut value) if is_json => {
            poison(&mut value, None, path.starts_with("/v1/meta"));
            serde_json::to_vec(&value).unwrap_or_default()
        }
        _ => bytes.to_vec(),
    };
    let mut response = Response::builder().status(status);
    for (name, value) in &headers {
        if name != axum::http::header::CONTENT_LENGTH
            && name != axum::http::header::TRANSFER_ENCODING
            && name.as_str() != "x-request-id"
        {
            response = response.header(name, value);
        }
    }
    // A header cannot carry ESC, but UTF-8 bytes can spell a C1 CSI and a
    // right-to-left override, which `acctl api --include` prints.
    let request_id = "req_\u{9b}2J\u{202e}DESREVER".as_bytes();
    if let Ok(value) = axum::http::HeaderValue::from_bytes(request_id) {
        response = response.header("x-request-id", value);
    }
    response.body(Body::from(body)).unwrap_or_default()
}

/// Every free-text string under `value` starts with [`PAYLOAD`].
fn poison(value: &mut Value, key: Option<&str>, meta: bool) {
    match value {
        Value::String(text) => {
            let keep = key.is_some_and(|k| KEEP.contains(&k) || (meta && k == "features"))
                || chrono::DateTime::parse_from_rfc3339(text).is_ok();
            if !keep {
                *text = format!("{PAYLOAD}{text}");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| poison(v, key, meta)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                poison(v, Some(k), meta);
            }
        }
        _ => {}
    }
}
