//! Turning an uploaded PNG or JPEG into the avatar the server keeps: the
//! centred square, scaled to `AVATAR_SIDE`, encoded afresh as PNG. Nothing
//! of the upload (metadata, trailing bytes, a polyglot's other half) is
//! served back, and decoding is bounded so a small file that claims to be
//! a huge picture (a decompression bomb) is refused before it is unpacked.

use std::io::Cursor;

use acctl_api::AVATAR_SIDE;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

/// Widest and tallest picture decoded.
pub const MAX_SIDE: u32 = 8192;
/// Most memory one decode may take: a 32-megapixel RGBA photo fits.
const MAX_DECODED_BYTES: u64 = 128 * 1024 * 1024;

/// Why an upload is not an avatar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a PNG or JPEG, or a broken one.
    Unreadable,
    /// Within the byte limit, but too many pixels to unpack.
    TooManyPixels,
}

impl Refusal {
    /// The message for the `avatar` field.
    pub fn message(self) -> String {
        match self {
            Self::Unreadable => {
                "Send a PNG or JPEG picture; this file could not be read as one.".to_string()
            }
            Self::TooManyPixels => format!(
                "This picture has too many pixels to read; send a smaller one \
                 (at most {MAX_SIDE} pixels a side, 32 megapixels in all)."
            ),
        }
    }
}

impl From<ImageError> for Refusal {
    fn from(error: ImageError) -> Self {
        match error {
            ImageError::Limits(_) => Self::TooManyPixels,
            _ => Self::Unreadable,
        }
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    limits
}

/// The avatar PNG made from `upload`. CPU-bound: call off the async threads.
pub fn square_png(upload: &[u8]) -> Result<Vec<u8>, Refusal> {
    let image = decode(upload)?;
    let (width, height) = (image.width(), image.height());
    let side = width.min(height);
    let square = image.crop_imm((width - side) / 2, (height - side) / 2, side, side);
    let scaled = square.resize_exact(AVATAR_SIDE, AVATAR_SIDE, FilterType::Triangle);
    // Eight bits a channel is all a small picture needs; alpha only if any.
    let scaled = if scaled.color().has_alpha() {
        DynamicImage::ImageRgba8(scaled.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(scaled.to_rgb8())
    };
    let mut png = Vec::new();
    scaled
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| Refusal::Unreadable)?;
    Ok(png)
}

/// Decodes a PNG or JPEG (told apart by their first bytes, whatever the
/// upload was labelled), upright as its EXIF orientation says.
fn decode(upload: &[u8]) -> Result<DynamicImage, Refusal> {
    let mut reader = ImageReader::new(Cursor::new(upload))
        .with_guessed_format()
        .map_err(|_| Refusal::Unreadable)?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg)) {
        return Err(Refusal::Unreadable);
    }
    reader.limits(limits());
    // Dimensions are checked against the limits here, from the header alone.
    let mut decoder = reader.into_decoder()?;
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(Refusal::TooManyPixels);
    }
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    if image.width() == 0 || image.height() == 0 {
        return Err(Refusal::Unreadable);
    }
    Ok(image)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), format)
            .expect("encodes");
        bytes
    }

    #[test]
    fn the_centre_square_is_kept() {
        // Red left third, green middle, blue right: only green survives the crop.
        let image = image::RgbImage::from_fn(300, 100, |x, _| match x {
            0..100 => image::Rgb([255, 0, 0]),
            100..200 => image::Rgb([0, 255, 0]),
            _ => image::Rgb([0, 0, 255]),
        });
        let png = square_png(&encoded(&image.into(), ImageFormat::Png)).expect("avatar");
        let back = image::load_from_memory_with_format(&png, ImageFormat::Png)
            .expect("a PNG")
            .to_rgb8();
        assert_eq!(back.dimensions(), (AVATAR_SIDE, AVATAR_SIDE));
        for pixel in [back.get_pixel(0, 0), back.get_pixel(AVATAR_SIDE - 1, 128)] {
            assert!(
                pixel[1] > 200 && pixel[0] < 40 && pixel[2] < 40,
                "{pixel:?}"
            );
        }
    }

    #[test]
    fn other_formats_and_junk_are_unreadable() {
        assert_eq!(square_png(b"GIF89a\x01\x00"), Err(Refusal::Unreadable));
        assert_eq!(square_png(b""), Err(Refusal::Unreadable));
        let png = encoded(&DynamicImage::new_rgb8(4, 4), ImageFormat::Png);
        assert_eq!(square_png(&png[..png.len() / 2]), Err(Refusal::Unreadable));
    }
}
