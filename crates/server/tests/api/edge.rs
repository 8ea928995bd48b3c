//! The connection edge: slow or silent clients are cut off, and a crowd of
//! idle connections cannot keep a health check out. Timeouts are small
//! here so the tests stay short; every loop is bounded and stops itself.

use std::time::Duration;

use acctd::config::EdgeLimits;
use acctd::{Config, RunningServer};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const SHORT: Duration = Duration::from_secs(1);
const LONG: Duration = Duration::from_secs(120);
/// Steps of a trickle: far more than a timeout needs to fire.
const TRICKLE_STEPS: usize = 100;
const TRICKLE_EVERY: Duration = Duration::from_millis(100);

async fn server(edge: EdgeLimits) -> RunningServer {
    acctd::start(Config::for_tests().with_edge(edge))
        .await
        .expect("acctd starts")
}

fn limits() -> EdgeLimits {
    EdgeLimits {
        header_timeout: LONG,
        idle_timeout: LONG,
        body_timeout: LONG,
        handler_timeout: LONG,
        max_connections: 1024,
    }
}

async fn connect(server: &RunningServer) -> TcpStream {
    TcpStream::connect(server.addr()).await.expect("connects")
}

/// Sends `bytes` one at a time until the server closes the connection;
/// true when it did before they ran out.
async fn trickle(stream: &mut TcpStream, bytes: &[u8]) -> bool {
    for byte in bytes.iter().cycle().take(TRICKLE_STEPS) {
        if stream.write_all(&[*byte]).await.is_err() || closed_within(stream, TRICKLE_EVERY).await {
            return true;
        }
    }
    false
}

/// Whether the peer closed (EOF or reset) within `wait`; data is skipped.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buffer = [0_u8; 4096];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn a_request_head_sent_a_byte_at_a_time_is_cut_off() {
    let server = server(EdgeLimits {
        header_timeout: SHORT,
        ..limits()
    })
    .await;
    let mut stream = connect(&server).await;
    let head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    assert!(
        trickle(&mut stream, head).await,
        "the slow head was let run"
    );
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed() {
    let server = server(EdgeLimits {
        header_timeout: SHORT,
        ..limits()
    })
    .await;
    let mut stream = connect(&server).await;
    assert!(closed_within(&mut stream, Duration::from_secs(30)).await);
}

#[tokio::test]
async fn a_kept_alive_connection_left_idle_is_closed() {
    let server = server(EdgeLimits {
        idle_timeout: SHORT,
        ..limits()
    })
    .await;
    let mut stream = connect(&server).await;
    let request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    stream.write_all(request).await.expect("sent");
    let mut answer = [0_u8; 12];
    stream.read_exact(&mut answer).await.expect("an answer");
    assert_eq!(&answer, b"HTTP/1.1 200");
    assert!(closed_within(&mut stream, Duration::from_secs(30)).await);
}

#[tokio::test]
async fn a_body_sent_a_byte_at_a_time_gets_408() {
    let server = server(EdgeLimits {
        body_timeout: SHORT,
        ..limits()
    })
    .await;
    let mut stream = connect(&server).await;
    let head = "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                Content-Length: 1000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.expect("sent");
    let mut answer = Vec::new();
    for _ in 0..TRICKLE_STEPS {
        if stream.write_all(b" ").await.is_err() {
            break;
        }
        let mut buffer = [0_u8; 4096];
        if let Ok(Ok(n)) = tokio::time::timeout(TRICKLE_EVERY, stream.read(&mut buffer)).await {
            answer.extend_from_slice(&buffer[..n]);
            if n == 0 || answer.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn health_answers_through_two_thousand_idle_connections() {
    let cap = 64;
    let server = server(EdgeLimits {
        max_connections: cap,
        ..limits()
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..2000 {
        idle.push(connect(&server).await);
    }
    let health = reqwest::get(format!("{}/healthz", server.base_url()))
        .await
        .expect("answered");
    assert_eq!(health.status(), 200);
    // All but the newest `cap` were closed to make room.
    let mut closed = 0;
    for stream in &mut idle {
        if closed_within(stream, Duration::from_millis(5)).await {
            closed += 1;
        }
    }
    assert!(closed >= 2000 - cap, "only {closed} closed");
}

#[tokio::test]
async fn the_settings_have_defaults_below_the_file_limit() {
    let config = acctd::config::within_file_limit(Config::for_tests());
    let shown = config.printable();
    assert!(shown.contains("header_timeout_secs = 10\n"), "{shown}");
    assert!(shown.contains("max_connections"), "{shown}");
    assert!(config.edge.max_connections >= 1);
}
