//! The bytes of the lean backend: cursor moves and SGR style changes, each
//! the shortest the terminal understands.

use ratatui::buffer::Cell;
use ratatui::layout::Position;
use ratatui::style::{Color, Modifier};

pub(super) use crate::theme::palette;

/// The text style in force on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pen {
    pub(super) fg: Color,
    pub(super) bg: Color,
    pub(super) underline: Color,
    pub(super) modifier: Modifier,
}

impl Pen {
    pub(super) const RESET: Self = Self {
        fg: Color::Reset,
        bg: Color::Reset,
        underline: Color::Reset,
        modifier: Modifier::empty(),
    };

    pub(super) fn of(cell: &Cell) -> Self {
        Self {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// The shortest sequence that moves the cursor from `from` (None: not
/// known) to `to`.
pub(super) fn move_sequence(from: Option<Position>, to: Position) -> String {
    let absolute = match to.x {
        0 => format!("\x1b[{}H", to.y + 1),
        x => format!("\x1b[{};{}H", to.y + 1, x + 1),
    };
    let Some(from) = from else {
        return absolute;
    };
    let relative = if from.y == to.y {
        let column = format!("\x1b[{}G", to.x + 1);
        let step = match to.x.cmp(&from.x) {
            std::cmp::Ordering::Greater => count("C", to.x - from.x),
            std::cmp::Ordering::Less => count("D", from.x - to.x),
            std::cmp::Ordering::Equal => return String::new(),
        };
        shorter(column, step)
    } else if from.x == to.x {
        match to.y.cmp(&from.y) {
            std::cmp::Ordering::Greater => count("B", to.y - from.y),
            _ => count("A", from.y - to.y),
        }
    } else if to.y == from.y + 1 {
        // The next row: a line feed (never on the last row, so it cannot
        // scroll), then the column, absolute (whatever the line feed did
        // to it in a terminal that adds a carriage return).
        match to.x {
            0 => "\n\r".to_string(),
            x => format!("\n\x1b[{}G", x + 1),
        }
    } else {
        return absolute;
    };
    shorter(absolute, relative)
}

/// `CSI n X`, with n left out when it is 1.
fn count(letter: &str, n: u16) -> String {
    match n {
        1 => format!("\x1b[{letter}"),
        n => format!("\x1b[{n}{letter}"),
    }
}

fn shorter(a: String, b: String) -> String {
    if b.len() < a.len() { b } else { a }
}

/// The SGR parameters that take the terminal from `from` (None: not known)
/// to `to`: changes only, or a reset and `to` in full, whichever is shorter.
pub(super) fn sgr(from: Option<Pen>, to: Pen) -> String {
    let full = {
        let mut p = vec!["0".to_string()];
        p.extend(modifier_codes(to.modifier));
        p.extend(colour_changes(Pen::RESET, to));
        p.join(";")
    };
    let Some(from) = from else {
        return full;
    };
    let removed = from.modifier - to.modifier;
    let mut p = Vec::new();
    let mut readd = Modifier::empty();
    for (gone, code, pair) in [
        (
            Modifier::BOLD | Modifier::DIM,
            "22",
            Modifier::BOLD | Modifier::DIM,
        ),
        (Modifier::ITALIC, "23", Modifier::ITALIC),
        (Modifier::UNDERLINED, "24", Modifier::UNDERLINED),
        (
            Modifier::SLOW_BLINK | Modifier::RAPID_BLINK,
            "25",
            Modifier::SLOW_BLINK | Modifier::RAPID_BLINK,
        ),
        (Modifier::REVERSED, "27", Modifier::REVERSED),
        (Modifier::HIDDEN, "28", Modifier::HIDDEN),
        (Modifier::CROSSED_OUT, "29", Modifier::CROSSED_OUT),
    ] {
        if removed.intersects(gone) {
            p.push(code.to_string());
            // One code ends both bold and dim (both blinks): keep the other.
            readd |= to.modifier & pair;
        }
    }
    p.extend(modifier_codes((to.modifier - from.modifier) | readd));
    p.extend(colour_changes(from, to));
    shorter(full, p.join(";"))
}

fn modifier_codes(m: Modifier) -> Vec<String> {
    [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ]
    .into_iter()
    .filter(|(flag, _)| m.contains(*flag))
    .map(|(_, code)| code.to_string())
    .collect()
}

fn colour_changes(from: Pen, to: Pen) -> Vec<String> {
    let mut p = Vec::new();
    if from.fg != to.fg {
        p.push(colour(to.fg, 30, 39));
    }
    if from.bg != to.bg {
        p.push(colour(to.bg, 40, 49));
    }
    if from.underline != to.underline {
        p.push(match to.underline {
            Color::Reset => "59".to_string(),
            Color::Rgb(r, g, b) => format!("58;2;{r};{g};{b}"),
            c => format!("58;5;{}", palette(c).unwrap_or(0)),
        });
    }
    p
}

/// A colour's SGR parameters: `base` + 0..7 (+ 60 for the bright ones),
/// `reset` for the default, 8 + 0 for the 256-colour and true-colour forms.
fn colour(c: Color, base: u8, reset: u8) -> String {
    match (c, palette(c)) {
        (Color::Reset, _) => reset.to_string(),
        (Color::Rgb(r, g, b), _) => format!("{};2;{r};{g};{b}", base + 8),
        (Color::Indexed(i), _) => format!("{};5;{i}", base + 8),
        (_, Some(i)) if i < 8 => (base + i).to_string(),
        (_, Some(i)) => (base + 60 + i - 8).to_string(),
        (_, None) => reset.to_string(),
    }
}
