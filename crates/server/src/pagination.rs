//! Cursor pagination: `?limit=&cursor=` → `{ items, next_cursor }`. A
//! cursor is the sort key of the last item sent, base64url("<ms>,<id>"):
//! opaque to clients, and stable however rows are added in front.

use acctl_api::{DEFAULT_PAGE_LIMIT, ErrorCode, MAX_PAGE_LIMIT};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::ApiError;

/// `limit` as asked (the default when not), or 400 outside 1..=MAX_PAGE_LIMIT.
pub fn limit(asked: Option<u32>) -> Result<u32, ApiError> {
    match asked {
        None => Ok(DEFAULT_PAGE_LIMIT),
        Some(n) if (1..=MAX_PAGE_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::new(
            ErrorCode::MalformedRequest,
            format!("`limit` must be from 1 to {MAX_PAGE_LIMIT}; {n} is not."),
        )
        .with_field_error("limit", format!("Use 1 to {MAX_PAGE_LIMIT}."))),
    }
}

pub fn encode(at_ms: i64, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{at_ms},{id}"))
}

/// The position a cursor stands for; 400 when it is not one of ours.
pub fn decode(cursor: &str) -> Result<(i64, String), ApiError> {
    parse(cursor).ok_or_else(|| {
        ApiError::new(
            ErrorCode::MalformedRequest,
            "The cursor is not one this server gave out. Start again without `cursor`.",
        )
    })
}

/// The position `cursor` stands for, when one was given.
pub fn position(cursor: Option<&str>) -> Result<Option<(i64, String)>, ApiError> {
    cursor.map(decode).transpose()
}

/// The cursor of the page after `records` when there are `more`: the
/// position of the last record sent.
pub fn next<R>(more: bool, records: &[R], position: impl Fn(&R) -> (i64, &str)) -> Option<String> {
    let last = records.last().filter(|_| more)?;
    let (at_ms, id) = position(last);
    Some(encode(at_ms, id))
}

fn parse(cursor: &str) -> Option<(i64, String)> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (at, id) = text.split_once(',')?;
    let valid_id =
        !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    valid_id.then_some((at.parse().ok()?, id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_cursor_is_the_last_record_sent_and_only_when_there_is_more() {
        fn at(r: &(i64, String)) -> (i64, &str) {
            (r.0, &r.1)
        }
        let records = [(5, "a".to_string()), (3, "b".to_string())];
        let cursor = next(true, &records, at).expect("a next page");
        assert_eq!(decode(&cursor).expect("ours"), (3, "b".to_string()));
        assert_eq!(next(false, &records, at), None);
        assert_eq!(next(true, &records[..0], at), None);
        assert_eq!(position(None).expect("none given"), None);
        assert!(position(Some("junk")).is_err());
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let id = "0b7e6c1e-4f4e-4a51-9a55-7f0e2d1c3b4a";
        assert_eq!(
            decode(&encode(1_700_000_000_123, id)).expect("ours"),
            (1_700_000_000_123, id.to_string())
        );
        assert!(decode("not a cursor").is_err());
        assert!(decode(&URL_SAFE_NO_PAD.encode("12,'; DROP TABLE")).is_err());
        assert_eq!(limit(None).ok(), Some(DEFAULT_PAGE_LIMIT));
        assert_eq!(limit(Some(MAX_PAGE_LIMIT)).ok(), Some(MAX_PAGE_LIMIT));
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(MAX_PAGE_LIMIT + 1)).is_err());
    }
}
