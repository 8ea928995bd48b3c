//! `acctl api` on Better Auth: its answers carry session tokens (ours in
//! set-auth-token and cookies, every session's in list-sessions), which
//! are never shown.

use super::AUTH_TOKEN_HEADER;

/// Stands in for a token in what `acctl api` shows.
const REDACTED: &str = "[not shown]";

/// `acctl api`'s answer without a session token in it: the headers that
/// carry ours (set-auth-token, cookies), and every `token` in a JSON body
/// (list-sessions has every session's, sign-in ours).
pub(crate) fn redact(raw: &mut crate::RawResponse) {
    for (name, value) in &mut raw.headers {
        if name.eq_ignore_ascii_case(AUTH_TOKEN_HEADER) || name.eq_ignore_ascii_case("set-cookie") {
            *value = REDACTED.to_string();
        }
    }
    let Ok(mut body) = serde_json::from_slice::<serde_json::Value>(&raw.body) else {
        return;
    };
    redact_json(&mut body);
    if let Ok(bytes) = serde_json::to_vec(&body) {
        raw.body = bytes;
    }
}

fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                if name == "token" && field.is_string() {
                    *field = serde_json::Value::String(REDACTED.to_string());
                } else {
                    redact_json(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_token_is_shown_by_acctl_api() {
        let mut raw = crate::RawResponse {
            status: 200,
            content_type: Some("application/json".into()),
            headers: vec![
                ("set-auth-token".into(), "abc.sig".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: br#"[{"id":"s1","token":"secret1"},{"id":"s2","token":"secret2","n":{"token":"x"}}]"#.to_vec(),
        };
        redact(&mut raw);
        let body = String::from_utf8(raw.body).expect("utf-8");
        assert!(
            !body.contains("secret") && !body.contains("\"x\""),
            "{body}"
        );
        assert!(body.contains("\"id\":\"s2\""), "{body}");
        assert_eq!(raw.headers[0].1, REDACTED);
        assert_eq!(raw.headers[1].1, "application/json");
        let mut text = crate::RawResponse {
            body: b"not json".to_vec(),
            ..raw
        };
        redact(&mut text);
        assert_eq!(text.body, b"not json");
    }
}
