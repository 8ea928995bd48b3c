//! A server's text is data, never control: the one place that decides
//! what of it may reach a terminal. Every answer the client decodes passes
//! through [`clean_json`] (in `answer.rs`, the only reader of answers; a
//! test holds it so), so the contract types handed to the console and the
//! CLI hold no terminal controls. The surfaces add a second line where
//! they write, which also covers text that never was a decoded answer
//! (`acctl api`, headers, error messages): the CLI cleans every table cell
//! and error line, `--json` escapes every [`is_unsafe`] character, and the
//! console's backend writes a `�` for any cell holding one.
//!
//! What a terminal would obey is what goes: C0 (ESC starts every CSI, OSC
//! 52 clipboard write and screen rewrite; CR returns to the line's start to
//! overwrite it; BEL, BS...), DEL, C1 (U+009B is a one-byte CSI and U+009D
//! an OSC in 8-bit terminals), and the bidirectional controls that make
//! text read differently from how it is stored (`evil\u{202e}txt.exe`).

use std::borrow::Cow;

/// How many lines a piece of text may take where it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// A name, a device, an address, a message: one line, so a line break
    /// cannot forge a row of a table or a line of output.
    One,
    /// A bio, a notification body: line breaks stay (as `\n`).
    Many,
}

/// Stands where a control was: a reader sees that something was there
/// (dropping `ESC` silently would leave `[2J` looking like the text).
pub const REPLACEMENT: char = '\u{fffd}';

/// Fields whose text keeps its line breaks; every other field is one line.
/// The keys of the contract types (and of the services a backend maps).
pub const MULTI_LINE_FIELDS: &[&str] = &["bio", "body"];

/// `text` with nothing a terminal would obey:
/// - a line break (LF, CR LF, a lone CR, U+2028, U+2029) is `\n` in
///   [`Lines::Many`] and a space in [`Lines::One`]; a lone CR is a break,
///   never a return to the start of the line to write over it;
/// - TAB is a space (where it lands depends on the terminal's tab stops);
/// - every other C0 control, DEL, C1 control, and the bidirectional
///   embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069)
///   become [`REPLACEMENT`];
/// - the bidirectional marks (U+200E, U+200F, U+061C) are dropped: they
///   are invisible, common in right-to-left names a person typed, and can
///   only move neutral characters, so a `�` would be noise there.
///
/// Borrowed when nothing had to change, which is nearly always.
pub fn clean(text: &str, lines: Lines) -> Cow<'_, str> {
    if !text.contains(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' | '\u{2028}' | '\u{2029}' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(match lines {
                    Lines::One => ' ',
                    Lines::Many => '\n',
                });
            }
            '\t' => out.push(' '),
            '\u{200e}' | '\u{200f}' | '\u{061c}' => {}
            c if is_unsafe(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`clean`] for one line, owned: the usual call for a cell or a label.
pub fn one_line(text: &str) -> String {
    clean(text, Lines::One).into_owned()
}

/// True for a character no server text may put on a terminal as it is:
/// C0 controls (LF too: only the one who prints decides where lines
/// break), DEL, C1 controls, the bidirectional controls, and the line and
/// paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200e}' | '\u{200f}' | '\u{061c}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}')
}

/// Every string in `value` (keys too) cleaned: one line, except the values
/// of [`MULTI_LINE_FIELDS`]. This is what every decoded answer goes
/// through, so no surface can forget it.
pub fn clean_json(value: &mut serde_json::Value) {
    clean_value(value, Lines::One);
}

fn clean_value(value: &mut serde_json::Value, lines: Lines) {
    use serde_json::Value;
    match value {
        Value::String(text) => {
            if let Cow::Owned(clean) = clean(text, lines) {
                *text = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| clean_value(v, lines)),
        Value::Object(map) => {
            if map.keys().any(|k| k.chars().any(is_unsafe)) {
                let taken = std::mem::take(map);
                *map = taken.into_iter().map(|(k, v)| (one_line(&k), v)).collect();
            }
            for (key, v) in map.iter_mut() {
                let lines = if MULTI_LINE_FIELDS.contains(&key.as_str()) {
                    Lines::Many
                } else {
                    Lines::One
                };
                clean_value(v, lines);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Every way a server's text could drive a terminal.
    const HOSTILE: &str = "a\u{1b}[2Jb\u{1b}]52;c;SGk=\u{7}c\u{9b}31md\u{9d}e\u{7f}f\u{8}g\
        \r\nh\ri\nj\u{202e}k\u{2066}l\u{200f}m\u{061c}n\to\u{2028}p\u{0}q";

    fn assert_safe(text: &str, keep_lines: bool) {
        for c in text.chars() {
            assert!(
                !is_unsafe(c) || (keep_lines && c == '\n'),
                "{c:?} in {text:?}"
            );
        }
    }

    #[test]
    fn one_line_keeps_the_text_and_shows_where_controls_were() {
        let line = one_line(HOSTILE);
        assert_safe(&line, false);
        assert_eq!(line, "a�[2Jb�]52;c;SGk=�c�31md�e�f�g h i j�k�lmn o p�q");
    }

    #[test]
    fn many_lines_keep_their_breaks_and_nothing_else() {
        let text = clean(HOSTILE, Lines::Many);
        assert_safe(&text, true);
        assert!(text.contains("g\nh\ni\nj"), "{text:?}");
        assert!(text.contains("o\np"), "{text:?}");
        assert_eq!(clean("x\r\n\r\ny", Lines::Many), "x\n\ny");
    }

    #[test]
    fn clean_text_is_borrowed_and_unchanged() {
        for text in ["Ada Lovelace", "Zoë 李 🦀", "שלום", ""] {
            assert!(matches!(clean(text, Lines::One), Cow::Borrowed(t) if t == text));
        }
    }

    /// The choke point holds only if nothing reads an answer past it: no
    /// file but answer.rs parses a body, and only `acctl api`'s raw answer
    /// (cleaned where the CLI prints it) and downloads (written to files)
    /// take the bytes. A backend for another service decodes its wire
    /// types with `answer::decode` too.
    #[test]
    fn every_answer_is_read_through_the_cleaning_decoder() {
        const READS: [&str; 7] = [
            "serde_json::from_slice",
            "serde_json::from_str",
            "serde_json::from_reader",
            ".json::<",
            ".json().await",
            ".text().await",
            ".bytes().await",
        ];
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![src.clone()];
        let mut offenders = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                let entries = std::fs::read_dir(&path).expect("readable dir");
                files.extend(entries.flatten().map(|e| e.path()));
                continue;
            }
            let name = path
                .strip_prefix(&src)
                .expect("under src")
                .display()
                .to_string();
            let allowed = match name.as_str() {
                "answer.rs" | "text.rs" => true,
                "raw.rs" | "download.rs" => true,
                // `acctl api`'s raw answer on Better Auth, parsed only to
                // take the session tokens out; shown escaped like raw.rs's.
                "backend/better_auth/redact.rs" => true,
                // Local files: the token store's own blob.
                other => other.starts_with("tokens"),
            };
            let text = std::fs::read_to_string(&path).expect("readable file");
            let production = text.split("#[cfg(test)]").next().unwrap_or_default();
            for read in READS {
                if !allowed && production.contains(read) {
                    offenders.push(format!("{name}: {read}"));
                }
            }
            if name == "raw.rs" && production.contains("serde_json") {
                offenders.push("raw.rs parses what it should hand over raw".into());
            }
        }
        assert!(
            offenders.is_empty(),
            "answers read past answer::decode, which cleans a server's text: {offenders:?}"
        );
    }

    #[test]
    fn answers_are_cleaned_everywhere_keeping_breaks_only_in_multi_line_fields() {
        let mut value = json!({
            "name": "A\u{1b}[2J\nB",
            "bio": "one\r\ntwo\u{9b}",
            "items": [{"device_name": "x\u{202e}y", "body": "l1\nl2"}],
            "k\u{1b}": ["\u{7}"],
        });
        clean_json(&mut value);
        assert_eq!(
            value,
            json!({
                "name": "A�[2J B",
                "bio": "one\ntwo�",
                "items": [{"device_name": "x�y", "body": "l1\nl2"}],
                "k�": ["�"],
            })
        );
    }
}
