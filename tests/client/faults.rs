//! The client against a server that misbehaves: a canned answer written by
//! hand on a loopback socket (an HTML page from a proxy, a body cut short,
//! no answer at all), and the error each becomes.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use acctl_api::SecretText;
use acctl_client::tokens::StoredTokens;
use acctl_client::{ApiError, Client, ClientOptions};

/// Answers every connection with `answer` after `delay`, then closes.
fn fake_server(answer: &'static [u8], delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                std::thread::sleep(delay);
                let _ = stream.write_all(answer);
            });
        }
    });
    format!("http://{addr}")
}

/// A client with a token, so authenticated calls go straight out.
async fn client(url: &str, request_timeout: Duration) -> Client {
    let options = ClientOptions {
        request_timeout,
        ..ClientOptions::default()
    };
    let client = Client::new(url, options).expect("client");
    let tokens = StoredTokens {
        access_token: SecretText::new("at"),
        refresh_token: SecretText::new("rt"),
        access_expires_at: Some(chrono::Utc::now() + chrono::Duration::minutes(10)),
        session_id: "ses_1".into(),
    };
    client.set_tokens(Some(tokens)).await;
    client
}

#[tokio::test]
async fn an_html_error_page_from_a_proxy_reads_as_an_error_with_the_request_id() {
    let url = fake_server(
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nx-request-id: req_proxy\r\nContent-Length: 48\r\nConnection: close\r\n\r\n<html><h1>502 Bad Gateway</h1><p>nginx</p></html",
        Duration::ZERO,
    );
    let error = client(&url, Duration::from_secs(5))
        .await
        .me()
        .get()
        .await
        .expect_err("a 502");
    let text = error.to_string();
    assert!(text.contains("502 Bad Gateway"), "{text}");
    assert!(text.contains("req_proxy"), "{text}");
    assert!(error.is_transient(), "worth retrying");
}

#[tokio::test]
async fn a_body_cut_short_is_an_error_not_a_hang() {
    let url = fake_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\nx-request-id: req_cut\r\n\r\n{\"id\":\"usr_1\",\"email\":",
        Duration::ZERO,
    );
    let error = client(&url, Duration::from_secs(5))
        .await
        .me()
        .get()
        .await
        .expect_err("cut short");
    let ApiError::Unexpected {
        request_id, reason, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(request_id.as_deref(), Some("req_cut"));
    assert!(reason.contains("broke off"), "{reason}");
}

#[tokio::test]
async fn json_of_the_wrong_shape_names_what_is_wrong() {
    let url = fake_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 21\r\nConnection: close\r\n\r\n{\"items\": \"not list\"}",
        Duration::ZERO,
    );
    let error = client(&url, Duration::from_secs(5))
        .await
        .sessions()
        .list_all()
        .await
        .expect_err("wrong shape");
    assert!(error.to_string().contains("invalid type"), "{error}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_as_configured() {
    let url = fake_server(b"", Duration::from_secs(30));
    let error = client(&url, Duration::from_millis(300))
        .await
        .me()
        .get()
        .await
        .expect_err("no answer");
    assert!(matches!(error, ApiError::Timeout { .. }), "{error:?}");
    assert!(
        error.to_string().contains("request_timeout_secs"),
        "{error}"
    );
}
