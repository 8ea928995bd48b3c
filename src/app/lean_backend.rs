//! The terminal backend: what ratatui's diff says changed, written in as
//! few bytes as a person on a slow SSH link would want. ratatui's crossterm
//! backend moves the cursor with a full `CSI row;col H` before every run of
//! changed cells, spells each colour as `38;5;N`, resets every style after
//! every frame and shows and moves the cursor even when nothing changed.
//! This one keeps a copy of the screen so it can reprint a few unchanged
//! cells instead of jumping over them, uses the short SGR codes of the 16
//! basic colours, remembers the cursor and its visibility, and writes
//! nothing at all when a frame changes nothing.

use std::io::{self, Write};

use acctl_client::text::{REPLACEMENT, is_unsafe};
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::{Position, Rect, Size};
use unicode_width::UnicodeWidthStr;

mod sequences;

use sequences::{Pen, move_sequence, sgr};

/// Unchanged cells worth reprinting rather than jumping over: a cursor
/// move costs 3 to 8 bytes.
const MAX_GAP: u16 = 6;

/// A [`Backend`] writing ANSI sequences to `W` (the terminal, or a byte
/// counter in the benchmark).
pub struct LeanBackend<W: Write> {
    out: W,
    /// What the terminal shows, as far as this backend wrote it; None once
    /// unknown (a partial clear), until the next full clear.
    screen: Option<Buffer>,
    /// Where the terminal's cursor is; None when not known.
    cursor: Option<Position>,
    /// Whether the cursor is shown; None until set once.
    cursor_shown: Option<bool>,
    /// The style in force; None until set once.
    pen: Option<Pen>,
    /// The size to report instead of asking the terminal (tests, benches).
    fixed_size: Option<Size>,
}

impl<W: Write> LeanBackend<W> {
    /// For a terminal whose screen is blank and `size` big (a freshly
    /// entered alternate screen).
    pub fn new(out: W, size: Size) -> Self {
        Self {
            out,
            screen: Some(Buffer::empty(Rect::from((Position::ORIGIN, size)))),
            cursor: None,
            cursor_shown: None,
            pen: None,
            fixed_size: None,
        }
    }

    /// The same, always reporting `size` (no terminal is asked).
    pub fn fixed(out: W, size: Size) -> Self {
        Self {
            fixed_size: Some(size),
            ..Self::new(out, size)
        }
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    fn width(&self) -> u16 {
        self.screen.as_ref().map_or(0, |s| s.area.width)
    }

    /// Moves the cursor to `to` by the shortest sequence, or by reprinting
    /// the unchanged cells up to it when that is shorter.
    fn go_to(&mut self, to: Position) -> io::Result<()> {
        let Some(from) = self.cursor else {
            return self.write_move(None, to);
        };
        if from == to {
            return Ok(());
        }
        if let Some(gap) = self.reprintable(from, to) {
            let moved = move_sequence(Some(from), to);
            if gap.len() <= moved.len() {
                self.out.write_all(gap.as_bytes())?;
                self.cursor = Some(to);
                return Ok(());
            }
        }
        self.write_move(Some(from), to)
    }

    fn write_move(&mut self, from: Option<Position>, to: Position) -> io::Result<()> {
        self.out.write_all(move_sequence(from, to).as_bytes())?;
        self.cursor = Some(to);
        Ok(())
    }

    /// The text of the cells from `from` up to `to` on one row, if they can
    /// be printed as they are: one column each, in the style in force.
    fn reprintable(&self, from: Position, to: Position) -> Option<String> {
        if from.y != to.y || to.x <= from.x || to.x - from.x > MAX_GAP {
            return None;
        }
        let screen = self.screen.as_ref()?;
        let pen = self.pen?;
        let mut text = String::new();
        for x in from.x..to.x {
            let cell = screen.cell((x, from.y))?;
            let plain = cell.diff_option == CellDiffOption::None
                && Pen::of(cell) == pen
                && cell.symbol().width() == 1
                && !cell.symbol().contains(is_unsafe);
            if !plain {
                return None;
            }
            text.push_str(cell.symbol());
        }
        Some(text)
    }

    fn set_pen(&mut self, to: Pen) -> io::Result<()> {
        if self.pen == Some(to) {
            return Ok(());
        }
        let params = sgr(self.pen, to);
        write!(self.out, "\x1b[{params}m")?;
        self.pen = Some(to);
        Ok(())
    }

    fn print(&mut self, x: u16, y: u16, cell: &Cell) -> io::Result<()> {
        self.go_to(Position::new(x, y))?;
        self.set_pen(Pen::of(cell))?;
        let symbol = printable_symbol(cell.symbol());
        self.out.write_all(symbol.as_bytes())?;
        let width = match cell.diff_option {
            CellDiffOption::ForcedWidth(w) => w.get(),
            _ => u16::try_from(symbol.width()).unwrap_or(0),
        };
        // At the last column the terminal waits to wrap, and a zero-width
        // symbol leaves it unclear: where the cursor is must be asked anew.
        let next = x.saturating_add(width);
        self.cursor = (width > 0 && next < self.width()).then(|| Position::new(next, y));
        if let Some(slot) = self.screen.as_mut().and_then(|s| s.cell_mut((x, y))) {
            *slot = cell.clone();
        } else {
            self.screen = None;
        }
        Ok(())
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        for (x, y, cell) in content {
            let unchanged = self
                .screen
                .as_ref()
                .and_then(|s| s.cell((x, y)))
                .is_some_and(|on_screen| on_screen == cell);
            if !unchanged {
                self.print(x, y, cell)?;
            }
        }
        // Left as it was found, for whatever writes to the terminal next.
        if self.pen.is_some_and(|p| p != Pen::RESET) {
            self.out.write_all(b"\x1b[0m")?;
            self.pen = Some(Pen::RESET);
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(false) {
            self.out.write_all(b"\x1b[?25l")?;
            self.cursor_shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(true) {
            self.out.write_all(b"\x1b[?25h")?;
            self.cursor_shown = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        match self.cursor {
            Some(p) => Ok(p),
            None => crossterm::cursor::position()
                .map(|(x, y)| Position::new(x, y))
                .map_err(io::Error::other),
        }
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let to = position.into();
        if self.cursor != Some(to) {
            let from = self.cursor;
            self.write_move(from, to)?;
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        let sequence: &[u8] = match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        };
        // Erasing fills with the background in force: make it the default.
        if self.pen != Some(Pen::RESET) {
            self.out.write_all(b"\x1b[0m")?;
            self.pen = Some(Pen::RESET);
        }
        self.out.write_all(sequence)?;
        if clear_type == ClearType::All {
            // A full clear follows a resize, Ctrl-L or a resume from Ctrl-Z,
            // after which others may have moved, shown or hidden the cursor.
            self.cursor = None;
            self.cursor_shown = None;
        }
        self.screen = match clear_type {
            ClearType::All => self
                .size()
                .ok()
                .map(|size| Buffer::empty(Rect::from((Position::ORIGIN, size)))),
            _ => None,
        };
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        for _ in 0..n {
            self.out.write_all(b"\n")?;
        }
        self.cursor = None;
        self.screen = None;
        self.out.flush()
    }

    fn size(&self) -> io::Result<Size> {
        match self.fixed_size {
            Some(size) => Ok(size),
            None => crossterm::terminal::size().map(|(width, height)| Size { width, height }),
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let size = crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: size.columns,
                height: size.rows,
            },
            pixels: Size {
                width: size.width,
                height: size.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> Write for LeanBackend<W> {
    /// Bytes written past the backend (the clipboard's OSC 52): they move
    /// no cursor and change no style, but may leave the cursor unknown.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A cell's symbol as it may reach the terminal: everything the console
/// shows passes here, so a control that got into a cell by any road (a
/// widget setting symbols itself, text that skipped the client's cleaning)
/// is written as `�`, never obeyed. ratatui's own string writing already
/// drops C0 and C1 but not the bidirectional controls.
fn printable_symbol(symbol: &str) -> std::borrow::Cow<'_, str> {
    if symbol.contains(is_unsafe) {
        std::borrow::Cow::Owned(REPLACEMENT.to_string())
    } else {
        std::borrow::Cow::Borrowed(symbol)
    }
}

#[cfg(test)]
mod tests;
