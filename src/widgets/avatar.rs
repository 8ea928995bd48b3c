//! The avatar in the terminal: two pixels per cell, one above the other
//! (`▀` with the top pixel as foreground, the bottom as background). Without
//! colour, each cell is shaded by its brightness instead (` ░▒▓█`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;

use super::Ui;

/// Side of the pixels kept for drawing: more than any terminal cell grid
/// the profile gives it, and 3 KiB in memory.
pub const KEPT_SIDE: usize = 32;
/// Largest PNG decoded (the server sends 256x256, so this only stops junk).
const DECODE_LIMIT_BYTES: usize = 16 * 1024 * 1024;
const SHADES: [char; 5] = [' ', '░', '▒', '▓', '█'];

/// Why a PNG could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    #[error("it is not a PNG the console can read ({0})")]
    Decode(String),
    #[error("the picture is empty")]
    Empty,
}

/// A square picture, [`KEPT_SIDE`] pixels across, RGB.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    rgb: Vec<[u8; 3]>,
}

impl Picture {
    /// Decodes a PNG (any colour type; transparency over black) and scales
    /// it to [`KEPT_SIDE`] square by averaging.
    pub fn from_png(bytes: &[u8]) -> Result<Self, PictureError> {
        let mut decoder = png::Decoder::new_with_limits(
            bytes,
            png::Limits {
                bytes: DECODE_LIMIT_BYTES,
            },
        );
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let decode = |e: png::DecodingError| PictureError::Decode(e.to_string());
        let mut reader = decoder.read_info().map_err(decode)?;
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).map_err(decode)?;
        let (width, height) = (info.width as usize, info.height as usize);
        if width == 0 || height == 0 {
            return Err(PictureError::Empty);
        }
        let channels = info.color_type.samples();
        let pixel = |x: usize, y: usize| -> [u8; 3] {
            let at = (y * width + x) * channels;
            let p = buf.get(at..at + channels).unwrap_or(&[0, 0, 0]);
            let (rgb, alpha) = match p {
                [g] => ([*g; 3], 255),
                [g, a] => ([*g; 3], *a),
                [r, g, b] => ([*r, *g, *b], 255),
                [r, g, b, a, ..] => ([*r, *g, *b], *a),
                [] => ([0; 3], 255),
            };
            rgb.map(|c| (u16::from(c) * u16::from(alpha) / 255) as u8)
        };
        // The centred square, then averaged down to the kept size.
        let side = width.min(height);
        let (left, top) = ((width - side) / 2, (height - side) / 2);
        let square: Vec<[u8; 3]> = (0..side * side)
            .map(|i| pixel(left + i % side, top + i / side))
            .collect();
        let rgb = (0..KEPT_SIDE * KEPT_SIDE)
            .map(|i| average(&square, side, KEPT_SIDE, i % KEPT_SIDE, i / KEPT_SIDE))
            .collect();
        Ok(Self { rgb })
    }

    /// The average colour of cell (`x`, `y`) of an `n` x `n` grid laid
    /// over the picture.
    fn sample(&self, n: usize, x: usize, y: usize) -> [u8; 3] {
        average(&self.rgb, KEPT_SIDE, n, x, y)
    }

    /// The columns and rows the picture takes when drawn in `area`: as large
    /// as fits, square (a cell is about twice as tall as wide).
    pub fn size_in(area: Rect) -> (u16, u16) {
        let side = area.width.min(area.height.saturating_mul(2));
        (side, side / 2)
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>) {
        let (cols, rows) = Self::size_in(area);
        if cols < 2 || rows < 1 {
            return;
        }
        let n = usize::from(cols);
        let colourless = ui.theme.is_colourless();
        let buffer = frame.buffer_mut();
        for row in 0..rows {
            for col in 0..cols {
                let top = self.sample(n, usize::from(col), usize::from(row) * 2);
                let bottom = self.sample(n, usize::from(col), usize::from(row) * 2 + 1);
                let cell = &mut buffer[(area.x + col, area.y + row)];
                if colourless {
                    let light = (luma(top) + luma(bottom)) / 2;
                    cell.set_char(SHADES[usize::from(light) * (SHADES.len() - 1) / 255]);
                } else {
                    cell.set_char('▀')
                        .set_fg(Color::Rgb(top[0], top[1], top[2]))
                        .set_bg(Color::Rgb(bottom[0], bottom[1], bottom[2]));
                }
            }
        }
    }
}

/// The average colour of cell (`x`, `y`) of an `n` x `n` grid laid over
/// `pixels`, a square `side` pixels across (every cell at least one pixel).
fn average(pixels: &[[u8; 3]], side: usize, n: usize, x: usize, y: usize) -> [u8; 3] {
    let span = |i: usize| {
        let start = i * side / n;
        (start, ((i + 1) * side / n).max(start + 1).min(side))
    };
    let ((x0, x1), (y0, y1)) = (span(x), span(y));
    let mut sum = [0u32; 3];
    let mut count = 0u32;
    for py in y0..y1 {
        for px in x0..x1 {
            if let Some(p) = pixels.get(py * side + px) {
                for c in 0..3 {
                    sum[c] += u32::from(p[c]);
                }
                count += 1;
            }
        }
    }
    sum.map(|s| (s / count.max(1)) as u8)
}

/// Brightness as people see it (Rec. 601 weights), 0-255.
fn luma([r, g, b]: [u8; 3]) -> u16 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w` x `h` RGB PNG whose left half is black and right half white.
    pub fn half_and_half(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("header");
        let data: Vec<u8> = (0..h)
            .flat_map(|_| (0..w).flat_map(move |x| if x < w / 2 { [0u8; 3] } else { [255u8; 3] }))
            .collect();
        writer.write_image_data(&data).expect("pixels");
        drop(writer);
        out
    }

    #[test]
    fn a_png_is_kept_small_and_square_with_its_colours() {
        let picture = Picture::from_png(&half_and_half(256, 256)).expect("decodes");
        assert_eq!(picture.rgb.len(), KEPT_SIDE * KEPT_SIDE);
        assert_eq!(picture.sample(4, 0, 0), [0, 0, 0]);
        assert_eq!(picture.sample(4, 3, 3), [255, 255, 255]);
        assert!(Picture::from_png(b"not a png").is_err());
    }

    #[test]
    fn it_fits_the_area_as_a_square() {
        assert_eq!(Picture::size_in(Rect::new(0, 0, 16, 20)), (16, 8));
        assert_eq!(Picture::size_in(Rect::new(0, 0, 40, 5)), (10, 5));
    }
}
