//! `acctl api METHOD PATH [--input FILE|-] [-H 'Name: value']`, like
//! `gh api`: the escape hatch for what the commands do not cover. The
//! profile's tokens go along (refreshed as needed); the body comes back as
//! it is, pretty JSON on a terminal, and never a raw control character.

use std::io::{IsTerminal as _, Read as _};
use std::path::Path;

use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};

use super::json::{escape_controls, to_text};
use super::session::ProfileSession;
use super::table::one_line;
use super::{ApiArgs, CliError, Exit, Invocation};
use acctl_client::{RawRequest, RawResponse};

/// A method `acctl api` does not send.
#[derive(Debug, thiserror::Error)]
#[error("use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS")]
pub(super) struct UnknownMethod;

pub(super) fn parse_method(text: &str) -> Result<Method, UnknownMethod> {
    let upper = text.trim().to_uppercase();
    match upper.as_str() {
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" => {
            Method::from_bytes(upper.as_bytes()).map_err(|_| UnknownMethod)
        }
        _ => Err(UnknownMethod),
    }
}

pub(super) async fn run(inv: Invocation, args: ApiArgs) -> Result<(), CliError> {
    let path = request_path(&args.path)?;
    let headers = args
        .headers
        .iter()
        .map(|h| parse_header(h))
        .collect::<Result<Vec<_>, _>>()?;
    let body = match &args.input {
        Some(source) => Some(read_input(source)?),
        None => None,
    };
    let client = ProfileSession::open(&inv).await?.client(&inv).await?;
    let answer = client
        .raw(RawRequest {
            method: args.method,
            path: &path,
            body: body.as_deref(),
            headers: &headers,
        })
        .await?;
    let terminal = std::io::stdout().is_terminal();
    if args.include {
        print!("{}", head_text(&answer));
    }
    let text = body_text(&answer, terminal)?;
    if !text.is_empty() {
        print!("{text}");
        if !text.ends_with('\n') {
            println!();
        }
    }
    if answer.status >= 400 {
        return Err(CliError::new(
            Exit::Error,
            format!("the server answered HTTP {} to {path}", answer.status),
        ));
    }
    Ok(())
}

/// `/v1/me`, or `v1/me` made into it. Only a path: the profile's tokens
/// never go to another server.
fn request_path(path: &str) -> Result<String, CliError> {
    let path = path.trim();
    if path.contains("://") || path.starts_with("//") {
        return Err(CliError::new(
            Exit::Usage,
            "PATH: give a path on the profile's server, e.g. /v1/me; \
             the tokens are never sent to another address",
        ));
    }
    Ok(if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    })
}

fn parse_header(text: &str) -> Result<(HeaderName, HeaderValue), CliError> {
    let bad = |why: &str| CliError::new(Exit::Usage, format!("-H '{}': {why}", one_line(text)));
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| bad("write it as 'Name: value'"))?;
    let name = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| bad("that is not a header name"))?;
    if name == reqwest::header::AUTHORIZATION {
        return Err(bad("acctl sends the profile's token itself"));
    }
    let value =
        HeaderValue::from_str(value.trim()).map_err(|_| bad("that is not a header value"))?;
    Ok((name, value))
}

/// The body to send: a file, or standard input with `-`.
fn read_input(source: &Path) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    let read = if source == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(source).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    read.map_err(|e| {
        CliError::new(
            Exit::Usage,
            format!("--input: cannot read {}: {e}", source.display()),
        )
    })?;
    Ok(bytes)
}

/// `HTTP 200` and the headers, one per line, then a blank line.
fn head_text(answer: &RawResponse) -> String {
    let mut out = format!("HTTP {}\n", answer.status);
    for (name, value) in &answer.headers {
        out.push_str(&format!("{name}: {}\n", one_line(value)));
    }
    out.push('\n');
    out
}

/// The body as printed: JSON pretty on a terminal and compact in a pipe, controls escaped either way; other text with controls made
/// visible; anything binary refused on a terminal.
fn body_text(answer: &RawResponse, terminal: bool) -> Result<String, CliError> {
    let is_json = answer
        .content_type
        .as_deref()
        .is_some_and(|ct| ct.contains("json"));
    if is_json && let Ok(value) = serde_json::from_slice::<serde_json::Value>(&answer.body) {
        return if terminal {
            to_text(&value)
        } else {
            serde_json::to_string(&value)
                .map(|text| escape_controls(&text))
                .map_err(|e| CliError::new(Exit::Error, e.to_string()))
        };
    }
    match std::str::from_utf8(&answer.body) {
        Ok(text) => Ok(super::profile::printable(text)),
        Err(_) if terminal => Err(CliError::new(
            Exit::Error,
            format!(
                "the answer is {} bytes of binary data; redirect it to a file",
                answer.body.len()
            ),
        )),
        Err(_) => {
            // Bytes for a file: written as they came.
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            out.write_all(&answer.body)
                .and_then(|()| out.flush())
                .map_err(|e| CliError::new(Exit::Error, format!("could not write: {e}")))?;
            Ok(String::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(content_type: &str, body: &str) -> RawResponse {
        RawResponse {
            status: 200,
            content_type: Some(content_type.into()),
            headers: vec![("etag".into(), "\"v1\u{1b}[2J\"".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn json_is_pretty_on_a_terminal_and_compact_in_a_pipe() {
        let json = answer("application/json", r#"{"name":"Ada","n":[1,2]}"#);
        let pretty = body_text(&json, true).expect("text");
        assert!(pretty.contains("\n  \"name\": \"Ada\""), "{pretty}");
        assert_eq!(
            body_text(&json, false).expect("text"),
            r#"{"n":[1,2],"name":"Ada"}"#
        );
    }

    #[test]
    fn a_servers_control_characters_never_reach_the_terminal() {
        let json = answer(
            "application/json",
            "{\"bio\":\"\\u001b]52;c;x\\u0007 \u{9b}2J\"}",
        );
        for terminal in [true, false] {
            let text = body_text(&json, terminal).expect("text");
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{9b}'),
                "{text:?}"
            );
        }
        let plain = answer("text/plain", "hi\u{1b}[2J\nthere");
        assert_eq!(
            body_text(&plain, true).expect("text"),
            "hi\u{fffd}[2J\nthere"
        );
    }

    #[test]
    fn include_prints_status_and_headers_without_controls() {
        let head = head_text(&answer("application/json", "{}"));
        assert_eq!(head, "HTTP 200\netag: \"v1\u{fffd}[2J\"\n\n");
    }

    #[test]
    fn paths_stay_on_the_profiles_server() {
        assert_eq!(request_path("v1/me").expect("ok"), "/v1/me");
        assert_eq!(request_path("/v1/me").expect("ok"), "/v1/me");
        for bad in ["https://evil.example/v1/me", "//evil.example/x"] {
            assert_eq!(request_path(bad).expect_err(bad).exit, Exit::Usage);
        }
    }

    #[test]
    fn headers_are_name_colon_value_and_never_the_token() {
        let (name, value) = parse_header("Accept: application/json").expect("ok");
        assert_eq!(name, reqwest::header::ACCEPT);
        assert_eq!(value, "application/json");
        assert!(parse_header("no colon").is_err());
        assert!(parse_header("Authorization: Bearer x").is_err());
        assert_eq!(parse_method("patch").expect("ok"), Method::PATCH);
        assert!(parse_method("FETCH").is_err());
    }
}
