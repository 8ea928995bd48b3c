//! Every shipped theme must be readable: each style's text against its
//! background at 4.5:1 or more (WCAG 2.x AA), borders at 3:1. Where a
//! theme leaves a colour to the terminal, xterm's defaults stand in for it.

use ratatui::style::{Color, Modifier, Style};

use super::{BUILTIN, Theme};

/// xterm's colours for the 16 ANSI names.
fn ansi(index: u8) -> (u8, u8, u8) {
    const TABLE: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    TABLE[usize::from(index % 16)]
}

fn indexed(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ansi(i),
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            let i = i - 16;
            (level(i / 36), level((i / 6) % 6), level(i % 6))
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
    }
}

fn rgb(color: Color) -> Option<(u8, u8, u8)> {
    match color {
        Color::Rgb(r, g, b) => Some((r, g, b)),
        other => super::palette(other).map(indexed),
    }
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The colours a style is drawn in, the terminal's own where it sets none.
fn drawn(style: Style, terminal: ((u8, u8, u8), (u8, u8, u8))) -> ((u8, u8, u8), (u8, u8, u8)) {
    let fg = style.fg.and_then(rgb).unwrap_or(terminal.0);
    let bg = style.bg.and_then(rgb).unwrap_or(terminal.1);
    match style.add_modifier.contains(Modifier::REVERSED) {
        true => (bg, fg),
        false => (fg, bg),
    }
}

#[test]
fn every_style_of_every_shipped_theme_reads_at_4_5_to_1() {
    for (name, _) in BUILTIN {
        let theme = Theme::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The light theme is for light terminals; the others for dark ones.
        let terminal = match *name {
            "light" => ((0, 0, 0), (255, 255, 255)),
            _ => ((229, 229, 229), (0, 0, 0)),
        };
        let mut styles = theme.slots();
        styles.push(("badge", theme.badge()));
        for (slot, style) in styles {
            let (fg, bg) = drawn(style, terminal);
            let needed = if slot.starts_with("border") { 3.0 } else { 4.5 };
            let ratio = contrast(fg, bg);
            assert!(
                ratio >= needed,
                "{name}.{slot}: {fg:?} on {bg:?} is {ratio:.2}:1, under {needed}:1"
            );
        }
    }
}

#[test]
fn the_contrast_formula_matches_known_pairs() {
    assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
    assert!((contrast((119, 119, 119), (255, 255, 255)) - 4.48).abs() < 0.01);
}
