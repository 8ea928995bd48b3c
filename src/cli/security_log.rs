//! `acctl security-log [--json] [--limit N] [--kind KIND]`: what happened to
//! the account, newest first.

use acctl_api::{MAX_PAGE_LIMIT, Page, PageQuery, SecurityEvent, SecurityEventKind};
use acctl_client::Feature;
use chrono::{DateTime, Local, Utc};

use super::choice::NotOneOf;
use super::session::ProfileSession;
use super::table::columns;
use super::{CliError, Invocation, SecurityLogArgs};
use acctl_client::ApiError;

/// Longest device name shown in the table; JSON has the whole name.
const DEVICE_WIDTH: usize = 32;

/// The snake_case name the API uses, e.g. `login_failed`.
fn kind_name(kind: SecurityEventKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `--kind`: one of [`SecurityEventKind::ALL`] by its API name.
pub(super) fn parse_kind(name: &str) -> Result<SecurityEventKind, NotOneOf> {
    let wanted = name.trim().to_lowercase().replace('-', "_");
    SecurityEventKind::ALL
        .into_iter()
        .find(|kind| kind_name(*kind) == wanted)
        .ok_or_else(|| NotOneOf::new("unknown kind; ", SecurityEventKind::ALL.map(kind_name)))
}

pub(super) async fn run(inv: Invocation, args: SecurityLogArgs) -> Result<(), CliError> {
    let client = ProfileSession::open(&inv)
        .await?
        .client_offering(&inv, Feature::SecurityLog)
        .await?;
    let log = client.security_events();
    let (log, kind) = (&log, args.kind);
    let (events, more) = newest(args.limit, move |query: PageQuery| async move {
        log.list(&query, kind).await
    })
    .await?;
    if args.json.wanted() {
        return args.json.print(&events);
    }
    print!("{}", table(&events, args.kind));
    if more {
        println!(
            "Showing the newest {}; pass --limit for more.",
            events.len()
        );
    }
    Ok(())
}

/// Up to `limit` items (events, notifications, invoices), following
/// `next_cursor` from page to page; true when the server has older ones
/// than those returned.
pub(super) async fn newest<T, F, Fut>(limit: u32, fetch: F) -> Result<(Vec<T>, bool), ApiError>
where
    F: FnMut(PageQuery) -> Fut,
    Fut: Future<Output = Result<Page<T>, ApiError>>,
{
    newest_in_pages(limit, MAX_PAGE_LIMIT, fetch).await
}

/// As [`newest`], asking for at most `page` items a request.
pub(super) async fn newest_in_pages<T, F, Fut>(
    limit: u32,
    page: u32,
    mut fetch: F,
) -> Result<(Vec<T>, bool), ApiError>
where
    F: FnMut(PageQuery) -> Fut,
    Fut: Future<Output = Result<Page<T>, ApiError>>,
{
    let wanted = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut events: Vec<T> = Vec::new();
    let mut cursor = None;
    loop {
        let left = limit.saturating_sub(u32::try_from(events.len()).unwrap_or(u32::MAX));
        let query = PageQuery {
            limit: Some(left.clamp(1, page.clamp(1, MAX_PAGE_LIMIT))),
            cursor,
        };
        let page = fetch(query).await?;
        events.extend(page.items);
        if events.len() >= wanted {
            let more = page.next_cursor.is_some() || events.len() > wanted;
            events.truncate(wanted);
            return Ok((events, more));
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok((events, false)),
        }
    }
}

/// Columns: time, event, device, IP, detail.
fn table(events: &[SecurityEvent], kind: Option<SecurityEventKind>) -> String {
    if events.is_empty() {
        return match kind {
            Some(kind) => format!("No {} events.\n", kind_name(kind)),
            None => "No security events.\n".to_string(),
        };
    }
    let header = ["TIME", "EVENT", "DEVICE", "IP", "DETAIL"].map(str::to_string);
    let rows: Vec<Vec<String>> = std::iter::once(header)
        .chain(events.iter().map(row))
        .map(Vec::from)
        .collect();
    columns(&rows)
}

fn row(event: &SecurityEvent) -> [String; 5] {
    let or_dash = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".into());
    [
        local_time(event.at),
        event.kind.describe().to_string(),
        crate::widgets::fit(&or_dash(&event.device_name), DEVICE_WIDTH).into_owned(),
        or_dash(&event.ip),
        // Details are one line for people; a stray line break would
        // break the table.
        or_dash(&event.detail).replace(['\n', '\r'], " "),
    ]
}

/// As `acctl sessions list` shows times.
pub(super) fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: SecurityEventKind, detail: Option<&str>) -> SecurityEvent {
        SecurityEvent {
            id: "e1".into(),
            kind,
            at: "2026-01-02T03:04:05Z".parse().expect("time"),
            ip: Some("192.0.2.7".into()),
            device_name: Some("x".repeat(40)),
            detail: detail.map(str::to_string),
        }
    }

    #[test]
    fn every_listed_kind_parses_by_its_api_name() {
        for kind in SecurityEventKind::ALL {
            let name = kind_name(kind);
            assert_eq!(parse_kind(&name), Ok(kind), "{name}");
        }
        assert_eq!(
            parse_kind("Login-Failed"),
            Ok(SecurityEventKind::LoginFailed)
        );
        let err = parse_kind("other").expect_err("not askable").to_string();
        assert!(err.contains("login_failed, logout"), "{err}");
        assert!(!err.contains("other"), "{err}");
    }

    #[test]
    fn the_table_describes_events_in_words() {
        let text = table(
            &[
                event(SecurityEventKind::LoginFailed, None),
                event(SecurityEventKind::EmailChanged, Some("From a to\nb")),
            ],
            None,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].starts_with("TIME") && lines[0].ends_with("DETAIL"),
            "{text}"
        );
        assert!(lines[1].contains("Sign-in failed"), "{text}");
        assert!(lines[1].contains("192.0.2.7"), "{text}");
        assert!(lines[1].contains(&format!("{}…", "x".repeat(31))), "{text}");
        assert!(lines[1].ends_with('-'), "no detail: {text}");
        assert!(lines[2].ends_with("From a to b"), "{text}");
    }

    /// A log of `total` events served `per_page` at a time, whatever the
    /// limit asked; the queries it was asked.
    async fn paged(
        total: usize,
        per_page: usize,
        limit: u32,
    ) -> (Vec<String>, bool, Vec<PageQuery>) {
        let asked = std::cell::RefCell::new(Vec::new());
        let (events, more) = newest(limit, |query: PageQuery| {
            asked.borrow_mut().push(query.clone());
            let start: usize = query
                .cursor
                .as_deref()
                .map_or(0, |c| c.parse().expect("cursor"));
            let end = (start + per_page).min(total);
            let items = (start..end)
                .map(|i| SecurityEvent {
                    id: format!("e{i}"),
                    ..event(SecurityEventKind::Logout, None)
                })
                .collect();
            let next_cursor = (end < total).then(|| end.to_string());
            async move { Ok(Page { items, next_cursor }) }
        })
        .await
        .expect("no error");
        let ids = events.into_iter().map(|e| e.id).collect();
        (ids, more, asked.into_inner())
    }

    #[tokio::test]
    async fn pages_are_followed_until_the_limit_or_the_end() {
        let (ids, more, asked) = paged(7, 2, 5).await;
        assert_eq!(ids, ["e0", "e1", "e2", "e3", "e4"]);
        assert!(more);
        assert_eq!(asked.len(), 3);
        assert_eq!(asked[0].limit, Some(5));
        assert_eq!(asked[1].cursor.as_deref(), Some("2"));
        assert_eq!(asked[1].limit, Some(3), "only what is still wanted");

        let (ids, more, asked) = paged(3, 2, 20).await;
        assert_eq!(ids.len(), 3);
        assert!(!more, "the end of the log");
        assert_eq!(asked.len(), 2);

        let (ids, more, _) = paged(4, 2, 4).await;
        assert_eq!(ids.len(), 4);
        assert!(!more, "exactly all of it");
        let (_, more, _) = paged(5, 2, 4).await;
        assert!(more);
    }

    #[test]
    fn an_empty_log_says_so() {
        assert_eq!(table(&[], None), "No security events.\n");
        assert_eq!(
            table(&[], Some(SecurityEventKind::MfaFailed)),
            "No mfa_failed events.\n"
        );
    }
}
