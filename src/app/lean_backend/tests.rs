use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::buffer::Buffer;
use ratatui::layout::Size;
use ratatui::style::{Color, Modifier};

use super::*;
use crate::app::testing::Harness;
use crate::config::Config;

/// The console in colour (the default theme) on Sessions, a real terminal
/// emulator reading what the backend writes.
struct Wire {
    h: Harness,
    term: Terminal<LeanBackend<Vec<u8>>>,
    screen: vt100::Parser,
}

use crate::action::{AccountRequest, SessionsDone, SessionsRequest};

impl Wire {
    fn new(sessions: usize) -> Self {
        let mut h = Harness::with_sessions(sessions);
        h.app = Harness::new(Config::default(), true).app;
        let now = crate::app::testing::fixed_now();
        h.respond(AccountRequest::Load.answered(Ok(crate::app::testing::fake_account(now))));
        h.app.update(crate::action::Action::Navigate(
            crate::action::ScreenId::Sessions,
        ));
        let list = crate::app::testing::fake_sessions(sessions, now);
        h.respond(SessionsRequest::List.answered(SessionsDone::List(Ok(list))));
        let size = Size::new(80, 24);
        let term = Terminal::new(LeanBackend::fixed(Vec::new(), size)).expect("a terminal");
        Self {
            h,
            term,
            screen: vt100::Parser::new(24, 80, 0),
        }
    }

    /// Draws; returns the bytes written, checked to reproduce the frame.
    fn draw(&mut self) -> Vec<u8> {
        let app = &self.h.app;
        let frame = self.term.draw(|f| app.render(f)).expect("draws");
        let buffer = frame.buffer.clone();
        let bytes = std::mem::take(self.term.backend_mut().writer_mut());
        self.screen.process(&bytes);
        same_screen(&buffer, self.screen.screen());
        bytes
    }
}

/// Every cell's text, colours, boldness and reversal, and the cursor.
fn same_screen(buffer: &Buffer, screen: &vt100::Screen) {
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let want = &buffer[(x, y)];
            let got = screen.cell(y, x).expect("a cell in range");
            let text = match got.contents() {
                "" => " ",
                t => t,
            };
            let at = format!("at column {x}, row {y}");
            assert_eq!(text, want.symbol(), "{at}");
            assert_eq!(got.fgcolor(), vt_colour(want.fg), "foreground {at}");
            assert_eq!(got.bgcolor(), vt_colour(want.bg), "background {at}");
            assert_eq!(got.bold(), want.modifier.contains(Modifier::BOLD), "{at}");
            let reversed = want.modifier.contains(Modifier::REVERSED);
            assert_eq!(got.inverse(), reversed, "reversed {at}");
        }
    }
}

fn vt_colour(c: Color) -> vt100::Color {
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        c => vt100::Color::Idx(crate::theme::palette(c).expect("a palette colour")),
    }
}

#[test]
fn what_is_written_reproduces_every_frame() {
    let mut w = Wire::new(300);
    assert!(w.draw().len() > 1000, "the first frame draws everything");
    let keys = [KeyCode::Down; 30]
        .into_iter()
        .chain([KeyCode::PageDown, KeyCode::End, KeyCode::Up, KeyCode::Home])
        .chain([KeyCode::Char('?'), KeyCode::Esc, KeyCode::Char('4')])
        .chain([KeyCode::Down, KeyCode::Enter, KeyCode::Char('2')]);
    for key in keys {
        w.h.press(key);
        w.draw();
    }
    let (row, col) = w.screen.screen().cursor_position();
    let cursor = w.term.get_cursor_position().expect("known");
    assert_eq!(
        (col, row),
        (cursor.x, cursor.y),
        "the cursor is where it was put"
    );
}

#[test]
fn a_frame_that_changes_nothing_writes_nothing() {
    let mut w = Wire::new(50);
    w.draw();
    w.h.press(KeyCode::Up);
    assert_eq!(w.draw(), b"", "Up at the top of the list");
    w.h.press(KeyCode::Down);
    assert!(!w.draw().is_empty(), "Down moves the selection");
    assert_eq!(w.draw(), b"", "the same frame again");
}

#[test]
fn a_clear_repaints_everything() {
    let mut w = Wire::new(50);
    let first = w.draw().len();
    w.term.clear().expect("clears");
    let again = w.draw();
    assert!(
        again.len() * 10 > first * 9,
        "{} bytes after a clear, {first} at first",
        again.len()
    );
    let shows = again.windows(6).any(|s| s == b"\x1b[?25h");
    assert!(
        shows,
        "the cursor is shown again (a Ctrl-Z may have hidden it)"
    );
}

#[test]
fn moves_take_the_shortest_sequence() {
    let at = |x, y| Position::new(x, y);
    assert_eq!(move_sequence(None, at(0, 4)), "\x1b[5H");
    assert_eq!(move_sequence(None, at(9, 4)), "\x1b[5;10H");
    assert_eq!(move_sequence(Some(at(3, 4)), at(4, 4)), "\x1b[C");
    assert_eq!(
        move_sequence(Some(at(3, 4)), at(40, 4)),
        "\x1b[41G",
        "as short as 37 C"
    );
    assert_eq!(move_sequence(Some(at(40, 4)), at(2, 4)), "\x1b[3G");
    assert_eq!(move_sequence(Some(at(7, 4)), at(7, 6)), "\x1b[2B");
    assert_eq!(move_sequence(Some(at(7, 9)), at(1, 2)), "\x1b[3;2H");
    assert_eq!(move_sequence(Some(at(70, 9)), at(24, 10)), "\n\x1b[25G");
    assert_eq!(move_sequence(Some(at(70, 9)), at(0, 10)), "\n\r");
}

#[test]
fn styles_change_by_the_shortest_sgr() {
    let pen = |fg, bg, modifier| Pen {
        fg,
        bg,
        underline: Color::Reset,
        modifier,
    };
    let plain = pen(Color::Reset, Color::Reset, Modifier::empty());
    let selected = pen(Color::Black, Color::Cyan, Modifier::BOLD);
    assert_eq!(sgr(None, plain), "0");
    assert_eq!(sgr(Some(plain), selected), "1;30;46");
    assert_eq!(sgr(Some(selected), plain), "0");
    let dim_bold = pen(Color::Black, Color::Cyan, Modifier::BOLD | Modifier::DIM);
    assert_eq!(sgr(Some(dim_bold), selected), "22;1", "one code ends both");
    assert_eq!(
        sgr(
            Some(plain),
            pen(Color::Indexed(208), Color::LightRed, Modifier::empty())
        ),
        "38;5;208;101"
    );
}

#[test]
fn a_control_in_a_cell_is_written_as_a_replacement_never_obeyed() {
    let size = Size::new(10, 2);
    let mut backend = LeanBackend::fixed(Vec::new(), size);
    let mut cells = Vec::new();
    // Cells set directly, past ratatui's filtering of strings.
    for symbol in ["\u{1b}]52;c;SGk=\u{7}", "\u{9b}2J", "\u{202e}", "\r\n", "a"] {
        let mut cell = Cell::default();
        cell.set_symbol(symbol);
        cells.push(cell);
    }
    let content = cells.iter().enumerate().map(|(x, c)| (x as u16, 0, c));
    backend.draw(content).expect("draws");
    let written = String::from_utf8(backend.writer_mut().clone()).expect("utf-8");
    // Home, the default style, then one `�` for each cell with a control.
    assert_eq!(
        written,
        "\u{1b}[1H\u{1b}[0m\u{fffd}\u{fffd}\u{fffd}\u{fffd}a"
    );
}
