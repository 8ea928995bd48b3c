//! Reusable pieces of the console: form field, table with virtual scroll,
//! toast, dialog, help overlay, Loadable view, spinner, time formatting.
//! Widgets take their styles from the theme in [`Ui`]; none writes a colour.

pub mod avatar;
pub mod dialog;
pub mod form;
pub mod form_field;
pub mod help;
pub mod loadable;
pub mod money;
pub mod multiline;
pub mod paged;
pub mod picker;
pub mod qr;
pub mod spinner;
pub mod table;
pub mod time;
pub mod toast;

use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::text::Span;

use crate::keymap::{Command, Keymap, Scope};
use crate::theme::Theme;

/// What every render function is handed: read-only, and the only source of
/// styles, key names and the current time (a fixed clock in snapshots).
#[derive(Clone, Copy)]
pub struct Ui<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub now: DateTime<Utc>,
    /// The account's time zone: every time is shown in it.
    pub tz: chrono_tz::Tz,
    /// The account's language (amounts follow it), "en" until known.
    pub language: &'a str,
    /// Advances while something loads; ignored when `motion` is off.
    pub spinner_frame: usize,
    /// False with `reduce_motion` or `screen_reader`: nothing animates.
    pub motion: bool,
    /// Plain output: no decorative glyphs.
    pub screen_reader: bool,
    /// The demo account's password, for pages that ask for it, so the demo
    /// can be tried in full; None outside `acctl demo`.
    pub demo_password: Option<&'a acctl_api::SecretText>,
}

impl Ui<'_> {
    /// The key bound to `command` (looked up in `scope`, then global), for
    /// sentences like "press r to retry"; None when unbound.
    pub fn key(&self, scope: Scope, command: Command) -> Option<String> {
        self.keymap
            .hint(scope, command)
            .or_else(|| self.keymap.hint(Scope::Global, command))
    }

    /// "Press r to retry." or nothing when the command has no key.
    pub fn press(&self, scope: Scope, command: Command, what: &str) -> Option<String> {
        self.key(scope, command)
            .map(|k| format!("Press {k} to {what}."))
    }

    /// A key name styled as a hint.
    pub fn key_span(&self, key: impl Into<String>) -> Span<'static> {
        Span::styled(key.into(), self.theme.key_hint)
    }
}

/// A rectangle of at most `width` x `height`, centred in `area` and never
/// outside it (so tiny terminals cannot make a widget draw out of bounds).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// `text` in at most `width` cells, ending in `…` where it had to be cut,
/// so a cut never passes for the whole text.
pub fn fit(text: &str, width: usize) -> std::borrow::Cow<'_, str> {
    use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};
    if text.width() <= width {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    std::borrow::Cow::Owned(out)
}

/// [`fit`], then spaces up to `width` cells: a column of server text
/// (an invoice line) that keeps what follows it aligned, wide characters
/// (CJK, emoji) counted as the two cells they take.
pub fn fit_padded(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr as _;
    let fitted = fit(text, width);
    let pad = width.saturating_sub(fitted.width());
    format!("{fitted}{}", " ".repeat(pad))
}

/// [`wrap`] to at most `rows` lines, the last ending in `…` when the text
/// goes on beyond them.
pub fn wrap_fit(text: &str, width: usize, rows: usize) -> Vec<String> {
    let mut lines = wrap(text, width);
    if lines.len() > rows {
        lines.truncate(rows);
        if let Some(last) = lines.last_mut() {
            // Room for the mark even when the last line is full.
            let mut cut = fit(last, width.saturating_sub(1))
                .trim_end_matches('…')
                .to_string();
            cut.push('…');
            *last = cut;
        }
    }
    lines
}

/// Splits `text` into lines of at most `width` columns at spaces (words
/// longer than a line are cut). Counts chars: error texts are plain.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let len = line.chars().count();
        if len > 0 && len + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.extend(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod fit_tests {
    use super::*;

    #[test]
    fn a_cut_text_ends_in_an_ellipsis_and_a_whole_one_does_not() {
        assert_eq!(fit("Safari on iPhone", 20), "Safari on iPhone");
        assert_eq!(fit("Safari on iPhone", 10), "Safari on…");
        assert_eq!(fit("日本語", 4), "日…");
        let rows = wrap_fit("one two three four five six", 9, 2);
        assert_eq!(rows, ["one two", "three…"]);
        assert_eq!(wrap_fit("one two", 9, 2), ["one two"]);
    }

    #[test]
    fn a_padded_fit_takes_exactly_its_columns_whatever_the_script() {
        use unicode_width::UnicodeWidthStr as _;
        for text in ["Pro plan", "専門家プラン（月額）", "🦀 crab tier", ""] {
            for width in [1, 5, 12, 30] {
                let cell = fit_padded(text, width);
                assert_eq!(cell.width(), width, "{text:?} in {width}: {cell:?}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }

    #[test]
    fn centered_never_leaves_the_area() {
        let area = Rect::new(2, 3, 5, 4);
        assert_eq!(centered(area, 100, 100), area);
        assert_eq!(centered(area, 1, 2), Rect::new(4, 4, 1, 2));
    }
}
