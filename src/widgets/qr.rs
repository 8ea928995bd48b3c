//! QR codes drawn with half blocks: one character cell holds two modules
//! (rows), so a 37-module code takes 41 columns and 21 rows with its quiet
//! zone. Only the terminal's own foreground and background are used, so it
//! scans with or without colour; `invert` swaps which of the two is the
//! "dark" module, for light-on-dark versus dark-on-light terminals.

use qrcode::{EcLevel, QrCode};

/// Light modules around the code; scanners want a margin of the light
/// colour, and 2 is what fits 80x24 while still scanning reliably.
pub const QUIET_ZONE: usize = 2;

/// A QR code's modules, row by row.
#[derive(Clone, PartialEq, Eq)]
pub struct Qr {
    /// True for a dark module.
    modules: Vec<bool>,
    width: usize,
}

/// Why a text cannot be drawn as a QR code (it is too long for one).
#[derive(Debug, thiserror::Error)]
#[error("cannot draw a QR code of this text: {0}")]
pub struct QrError(#[from] qrcode::types::QrError);

impl std::fmt::Debug for Qr {
    // The modules encode a secret (the otpauth URI); never print them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Qr({0}x{0})", self.width)
    }
}

impl Qr {
    /// Encodes `data` at the lowest error correction level, which keeps the
    /// code smallest; a screen is a clean surface.
    pub fn new(data: &str) -> Result<Self, QrError> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::L)?;
        Ok(Self {
            width: code.width(),
            modules: code
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect(),
        })
    }

    /// Columns and rows the drawing takes, quiet zone included.
    pub fn size(&self) -> (u16, u16) {
        let side = self.width + 2 * QUIET_ZONE;
        let cols = u16::try_from(side).unwrap_or(u16::MAX);
        let rows = u16::try_from(side.div_ceil(2)).unwrap_or(u16::MAX);
        (cols, rows)
    }

    fn dark(&self, x: usize, y: usize) -> bool {
        let inside = QUIET_ZONE..QUIET_ZONE + self.width;
        if !inside.contains(&x) || !inside.contains(&y) {
            return false;
        }
        let (x, y) = (x - QUIET_ZONE, y - QUIET_ZONE);
        self.modules[y * self.width + x]
    }

    /// The drawing, one string per terminal row. Without `invert` the light
    /// modules are drawn in the foreground colour (for dark terminals); with
    /// it the dark ones are (for light terminals).
    pub fn lines(&self, invert: bool) -> Vec<String> {
        let side = self.width + 2 * QUIET_ZONE;
        let ink = |x: usize, y: usize| y < side && self.dark(x, y) == invert;
        (0..side)
            .step_by(2)
            .map(|y| {
                (0..side)
                    .map(|x| match (ink(x, y), ink(x, y + 1)) {
                        (true, true) => '█',
                        (true, false) => '▀',
                        (false, true) => '▄',
                        (false, false) => ' ',
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the modules back from the drawing.
    fn decode(lines: &[String], invert: bool) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        for line in lines {
            let (mut top, mut bottom) = (Vec::new(), Vec::new());
            for c in line.chars() {
                let (t, b) = match c {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    _ => (false, false),
                };
                top.push(t == invert);
                bottom.push(b == invert);
            }
            rows.push(top);
            rows.push(bottom);
        }
        rows
    }

    #[test]
    fn the_drawing_holds_every_module_in_both_polarities() {
        let uri = "otpauth://totp/acctd:demo%40acctl.dev?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=acctd";
        let qr = Qr::new(uri).expect("encodes");
        let code = QrCode::with_error_correction_level(uri, EcLevel::L).expect("encodes");
        for invert in [false, true] {
            let side = code.width() + 2 * QUIET_ZONE;
            let mut rows = decode(&qr.lines(invert), invert);
            // An odd side leaves half a row under the code, outside it.
            rows.truncate(side);
            for y in 0..code.width() {
                for x in 0..code.width() {
                    let dark = code[(x, y)] == qrcode::Color::Dark;
                    assert_eq!(rows[y + QUIET_ZONE][x + QUIET_ZONE], dark, "({x},{y})");
                }
            }
            // The quiet zone is light all round.
            assert!(rows[0].iter().all(|dark| !dark));
            assert!(rows.iter().all(|r| !r[0] && !r[r.len() - 1]));
        }
    }

    /// What a phone camera sees: the drawing on a terminal whose foreground
    /// is light and background dark (or, with `invert`, the reverse), with
    /// some terminal background around it, 4 pixels per module.
    fn photograph(lines: &[String], invert: bool) -> String {
        const PX: usize = 4;
        const BORDER: usize = 8;
        let (ink, paper) = if invert { (0u8, 255u8) } else { (255u8, 0u8) };
        let cells: Vec<Vec<char>> = lines.iter().map(|l| l.chars().collect()).collect();
        let cols = cells.iter().map(Vec::len).max().unwrap_or(0);
        let (w, h) = (cols * PX + 2 * BORDER, lines.len() * 2 * PX + 2 * BORDER);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            if x < BORDER || y < BORDER {
                return paper;
            }
            let (col, half_row) = ((x - BORDER) / PX, (y - BORDER) / PX);
            let Some(c) = cells.get(half_row / 2).and_then(|r| r.get(col)) else {
                return paper;
            };
            let top = half_row % 2 == 0;
            let inked = matches!((c, top), ('█', _) | ('▀', true) | ('▄', false));
            if inked { ink } else { paper }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in view");
        let (_, text) = grids[0].decode().expect("the code decodes");
        text
    }

    #[test]
    fn a_camera_reads_the_uri_back_on_dark_and_light_terminals() {
        let uri = "otpauth://totp/acctd%20demo:demo%40acctl.dev?secret=GH6QRSIX7CPEEC42IN75MIEYVGMO2HDY&issuer=acctd%20demo";
        let qr = Qr::new(uri).expect("encodes");
        assert_eq!(photograph(&qr.lines(false), false), uri);
        assert_eq!(photograph(&qr.lines(true), true), uri);
    }

    #[test]
    fn a_typical_otpauth_uri_fits_beside_text_at_80x24() {
        // 21 rows is the body of an 80x24 console; 60 columns its main area.
        let uri = "otpauth://totp/acctd:ann.smith%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=acctd";
        let (cols, rows) = Qr::new(uri).expect("encodes").size();
        assert!(cols <= 41 && rows <= 21, "{cols}x{rows}");
        let qr = Qr::new(uri).expect("encodes");
        assert_eq!(format!("{qr:?}"), format!("Qr({0}x{0})", cols - 4));
    }
}
