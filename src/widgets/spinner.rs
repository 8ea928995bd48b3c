//! A loading indicator that only moves when motion is allowed.

use super::Ui;

const FRAMES: [&str; 4] = ["|", "/", "-", "\\"];

/// The glyph to put before "Loading…": turning while motion is on, a fixed
/// "*" otherwise (reduce_motion, screen readers), and nothing decorative in
/// screen-reader mode.
pub fn glyph(ui: &Ui<'_>) -> &'static str {
    if ui.screen_reader {
        ""
    } else if ui.motion {
        FRAMES[ui.spinner_frame % FRAMES.len()]
    } else {
        "*"
    }
}

/// "| Loading sessions…", or plain "Loading sessions…".
pub fn label(ui: &Ui<'_>, text: &str) -> String {
    match glyph(ui) {
        "" => text.to_string(),
        g => format!("{g} {text}"),
    }
}
