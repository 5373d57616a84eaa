//! The app icon, «Лесенка»: a white staircase climbing to a yellow sun on green.
//!
//! One geometry (a 512-unit square) drawn twice: as SVG, and rasterised into PNGs (192, 512,
//! 180 for iOS) with 4×4 supersampling and a small PNG encoder, so no image tools are needed.

use std::io::Write;

use anyhow::Result;
use flate2::Compression;
use flate2::write::ZlibEncoder;

const BACKGROUND: [u8; 3] = [0x2e, 0x6b, 0x4f];
const STEPS: [u8; 3] = [0xff, 0xff, 0xff];
const SUN: [u8; 3] = [0xf5, 0xc2, 0x42];

/// The staircase: (x, y, width, height) in 512 units, bottom-aligned at y = 400.
const STEP_RECTS: [(f32, f32, f32, f32); 4] = [
    (96.0, 336.0, 80.0, 64.0),
    (176.0, 272.0, 80.0, 128.0),
    (256.0, 208.0, 80.0, 192.0),
    (336.0, 144.0, 80.0, 256.0),
];
/// The sun above the top step: centre and radius.
const SUN_CIRCLE: (f32, f32, f32) = (376.0, 96.0, 30.0);

/// The icon as SVG (with rounded corners; the PNGs are full-bleed so they can be masked).
pub fn svg() -> String {
    let mut s = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 512 512\" width=\"512\" height=\"512\">\n",
    );
    s.push_str(&format!(
        "  <rect width=\"512\" height=\"512\" rx=\"96\" fill=\"{}\"/>\n",
        hex(BACKGROUND)
    ));
    for (x, y, w, h) in STEP_RECTS {
        s.push_str(&format!(
            "  <rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{}\"/>\n",
            hex(STEPS)
        ));
    }
    let (cx, cy, r) = SUN_CIRCLE;
    s.push_str(&format!("  <circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"{}\"/>\n", hex(SUN)));
    s.push_str("</svg>\n");
    s
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

fn colour_at(x: f32, y: f32) -> [u8; 3] {
    let (cx, cy, r) = SUN_CIRCLE;
    if (x - cx).powi(2) + (y - cy).powi(2) <= r * r {
        return SUN;
    }
    if STEP_RECTS.iter().any(|&(rx, ry, w, h)| x >= rx && x < rx + w && y >= ry && y < ry + h) {
        return STEPS;
    }
    BACKGROUND
}

/// RGBA pixels of the icon at `size`×`size`.
pub fn raster(size: u32) -> Vec<u8> {
    const SS: u32 = 4;
    let scale = 512.0 / size as f32;
    let mut px = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            let mut acc = [0u32; 3];
            for sy in 0..SS {
                for sx in 0..SS {
                    let ux = (x as f32 + (sx as f32 + 0.5) / SS as f32) * scale;
                    let uy = (y as f32 + (sy as f32 + 0.5) / SS as f32) * scale;
                    let c = colour_at(ux, uy);
                    for i in 0..3 {
                        acc[i] += u32::from(c[i]);
                    }
                }
            }
            let n = SS * SS;
            px.extend(acc.iter().map(|a| ((a + n / 2) / n) as u8));
            px.push(255);
        }
    }
    px
}

/// Encodes RGBA pixels as a PNG file.
pub fn encode_png(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>> {
    let mut raw = Vec::with_capacity(rgba.len() + height as usize);
    for row in rgba.chunks(width as usize * 4) {
        raw.push(0); // filter: none
        raw.extend_from_slice(row);
    }
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    z.write_all(&raw)?;
    let idat = z.finish()?;

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA, deflate, no filter, no interlace
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    Ok(png)
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

/// The PNG icon at `size`×`size`.
pub fn png(size: u32) -> Result<Vec<u8>> {
    encode_png(size, size, &raster(size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_has_signature_header_and_crc() {
        let png = png(16).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 16);
        // CRC of IHDR, checked independently of the encoder's own chunk().
        let mut crc = flate2::Crc::new();
        crc.update(&png[12..29]);
        assert_eq!(u32::from_be_bytes(png[29..33].try_into().unwrap()), crc.sum());
        assert!(png.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]));
    }

    #[test]
    fn raster_shows_background_steps_and_sun() {
        let size = 512;
        let px = raster(size);
        let at = |x: u32, y: u32| {
            let i = ((y * size + x) * 4) as usize;
            [px[i], px[i + 1], px[i + 2]]
        };
        assert_eq!(at(10, 10), BACKGROUND);
        assert_eq!(at(120, 380), STEPS);
        assert_eq!(at(376, 96), SUN);
        assert_eq!(at(120, 300), BACKGROUND, "above the first step");
    }

    #[test]
    fn svg_draws_every_shape() {
        let s = svg();
        assert_eq!(s.matches("<rect").count(), 1 + STEP_RECTS.len());
        assert!(s.contains("<circle"));
    }
}
