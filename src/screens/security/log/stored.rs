//! A security event as the log keeps it: 100,000 of them must fit in a few
//! megabytes. The API's `SecurityEvent` holds four separate strings (four
//! allocations, 112 bytes before any text); this keeps the same texts one
//! after another in one allocation and where each ends, so an event costs
//! about half as much. The rows in view are expanded back when drawn.

use acctl_api::{SecurityEvent, SecurityEventKind};
use chrono::{DateTime, Utc};

/// One event: its time and kind, and its texts packed together.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub at: DateTime<Utc>,
    pub kind: SecurityEventKind,
    /// The id, IP, device name and detail, one after another.
    text: Box<str>,
    /// Where the id, IP, device name and detail end in `text`.
    ends: [u32; 4],
    /// Which of IP, device name and detail the event has (bits 0, 1, 2).
    present: u8,
}

const IP: usize = 1;
const DEVICE: usize = 2;
const DETAIL: usize = 3;

impl StoredEvent {
    pub fn new(event: &SecurityEvent) -> Self {
        let parts = [
            Some(event.id.as_str()),
            event.ip.as_deref(),
            event.device_name.as_deref(),
            event.detail.as_deref(),
        ];
        let mut text = String::with_capacity(parts.iter().flatten().map(|p| p.len()).sum());
        let mut ends = [0; 4];
        let mut present = 0;
        for (i, part) in parts.iter().enumerate() {
            if let Some(part) = part {
                text.push_str(part);
                if i > 0 {
                    present |= 1 << (i - 1);
                }
            }
            // Texts of 4 GB do not come from a server: saturating is enough.
            ends[i] = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        Self {
            at: event.at,
            kind: event.kind,
            text: text.into_boxed_str(),
            ends,
            present,
        }
    }

    fn part(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |before| self.ends[before]);
        let (start, end) = (start as usize, self.ends[i] as usize);
        self.text.get(start..end).unwrap_or_default()
    }

    fn optional(&self, i: usize) -> Option<&str> {
        (self.present & (1 << (i - 1)) != 0).then(|| self.part(i))
    }

    pub fn id(&self) -> &str {
        self.part(0)
    }

    pub fn ip(&self) -> Option<&str> {
        self.optional(IP)
    }

    pub fn device_name(&self) -> Option<&str> {
        self.optional(DEVICE)
    }

    pub fn detail(&self) -> Option<&str> {
        self.optional(DETAIL)
    }

    /// The event as the API gives it, for drawing.
    pub fn expand(&self) -> SecurityEvent {
        SecurityEvent {
            id: self.id().to_string(),
            kind: self.kind,
            at: self.at,
            ip: self.ip().map(str::to_string),
            device_name: self.device_name().map(str::to_string),
            detail: self.detail().map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::testing::{fake_security_events, fixed_now};

    #[test]
    fn an_event_comes_back_as_it_was_stored() {
        let mut events = fake_security_events(0, 6, fixed_now());
        events[1].ip = None;
        events[2].device_name = None;
        events[3].detail = Some("Ünïcödé · 🙂".into());
        events[4] = SecurityEvent {
            id: String::new(),
            ip: Some(String::new()),
            device_name: None,
            detail: None,
            ..events[4].clone()
        };
        for event in &events {
            let stored = StoredEvent::new(event);
            assert_eq!(&stored.expand(), event);
            assert_eq!(stored.device_name(), event.device_name.as_deref());
        }
    }

    #[test]
    fn it_is_smaller_than_the_api_form() {
        assert!(std::mem::size_of::<StoredEvent>() * 2 <= std::mem::size_of::<SecurityEvent>());
    }
}
