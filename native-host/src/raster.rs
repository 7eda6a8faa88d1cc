//! Charts as PNG: the SVG that `paceline_core::chart` draws, rasterised here with `resvg`
//! (pure Rust, maintained by the linebender project, no system libraries), so that an image a
//! tool returns never depends on a browser.
//!
//! Text uses whatever fonts the system has: they are loaded once through `fontdb`. On a machine
//! with no fonts at all the text is left out and the rest of the chart is still drawn (`resvg`
//! skips text it cannot shape); rasterising does not fail for want of fonts.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// Why an SVG could not be turned into a PNG.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    /// The SVG did not parse (a bug in the chart code, or input that is not one of our charts).
    #[error("the chart SVG did not parse: {0}")]
    Parse(String),
    /// The requested size is zero or too large (more than 4096 px either way after scaling).
    #[error("cannot make a {0}×{1} px image (1–4096 px either way)")]
    Size(u32, u32),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// Families tried, in order, for the generic `sans-serif` (the chart's font stack ends with it).
const SANS: [&str; 6] = [
    "Segoe UI",
    "Helvetica Neue",
    "Arial",
    "Liberation Sans",
    "DejaVu Sans",
    "Noto Sans",
];

/// The system fonts, loaded once per process (scanning font folders takes tens of milliseconds).
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        let has = |name: &str| {
            db.faces()
                .any(|f| f.families.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)))
        };
        // The first family present stands in for `sans-serif`; otherwise any face at all, so that
        // a machine with one odd font still gets text.
        let pick = SANS
            .iter()
            .find(|n| has(n))
            .map(|n| (*n).to_string())
            .or_else(|| {
                db.faces()
                    .next()
                    .and_then(|f| f.families.first().map(|(n, _)| n.clone()))
            });
        if let Some(family) = pick {
            db.set_sans_serif_family(family);
        }
        Arc::new(db)
    })
    .clone()
}

/// How many font faces the system offers (0 means charts render without text).
pub fn font_faces() -> usize {
    fonts().len()
}

/// Rasterises `svg` to a PNG at `scale` times its own size (1.0 for 800×300 → 800×300 px; 2.0 for
/// high-density screens).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, RasterError> {
    render(svg, scale, fonts())
}

fn render(
    svg: &str,
    scale: f32,
    fontdb: Arc<usvg::fontdb::Database>,
) -> Result<Vec<u8>, RasterError> {
    let opt = usvg::Options {
        fontdb,
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| RasterError::Parse(e.to_string()))?;
    let size = tree.size();
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    if w == 0 || h == 0 || w > 4096 || h > 4096 {
        return Err(RasterError::Size(w, h));
    }
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or(RasterError::Size(w, h))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| RasterError::Encode(e.to_string()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use paceline_core::chart::{self, ChartOptions, Theme};

    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    fn bench_chart(theme: Theme) -> chart::Chart {
        let text = include_str!("../../core/tests/golden/charts/bench-workout-20.json");
        let s = paceline_core::structure::compile(text).unwrap();
        let opts = ChartOptions {
            theme,
            ..ChartOptions::default()
        };
        chart::workout_profile(&s, chart::RampStyle::Slope, &opts).unwrap()
    }

    #[test]
    fn raster_workout_png_decodes_at_size_and_under_100_kb() {
        for theme in [Theme::Light, Theme::Dark] {
            let c = bench_chart(theme);
            let png = svg_to_png(&c.svg, 1.0).unwrap();
            assert!(png.len() < 100 * 1024, "{} bytes", png.len());
            let (w, h, pixels) = decode(&png);
            assert_eq!((w, h), (800, 300));
            // Not blank: more than a handful of distinct colours were drawn.
            let mut colours: Vec<&[u8]> = pixels.chunks(4).collect();
            colours.sort();
            colours.dedup();
            assert!(colours.len() > 10, "only {} colours", colours.len());
        }
    }

    #[test]
    fn raster_scales_and_rejects_bad_input() {
        let c = bench_chart(Theme::Light);
        let (w, h, _) = decode(&svg_to_png(&c.svg, 2.0).unwrap());
        assert_eq!((w, h), (1600, 600));
        assert!(matches!(
            svg_to_png("<svg", 1.0),
            Err(RasterError::Parse(_))
        ));
        assert!(matches!(
            svg_to_png(&c.svg, 100.0),
            Err(RasterError::Size(80000, 30000))
        ));
    }

    #[test]
    fn raster_works_without_fonts() {
        // An empty font database stands in for a machine without fonts: text is skipped, the
        // picture is still made.
        let c = bench_chart(Theme::Light);
        let bare = render(&c.svg, 1.0, Arc::new(usvg::fontdb::Database::new())).unwrap();
        let (w, h, _) = decode(&bare);
        assert_eq!((w, h), (800, 300));
        // With the system's fonts (this machine has some) the labels add ink, so the two
        // images differ; without fonts only the text is missing.
        if font_faces() > 0 {
            assert_ne!(bare, svg_to_png(&c.svg, 1.0).unwrap());
        }
    }

    /// Every golden chart SVG (all kinds, light and dark) rasterises to a PNG of its size under
    /// 100 KB. With `CHART_SHOTS=1` the PNGs are kept in `target/chart-shots/` to look at.
    #[test]
    fn raster_golden_charts() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/golden/charts");
        let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/chart-shots");
        let keep = std::env::var_os("CHART_SHOTS").is_some();
        if keep {
            std::fs::create_dir_all(&shots).unwrap();
        }
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "svg"))
            .collect();
        names.sort();
        assert!(names.len() >= 10, "golden SVGs missing: {names:?}");
        for path in names {
            let svg = std::fs::read_to_string(&path).unwrap();
            let png = svg_to_png(&svg, 1.0).unwrap();
            let (w, h, _) = decode(&png);
            let attr = |name: &str| -> u32 {
                let key = format!(" {name}=\"");
                let at = svg.find(&key).unwrap() + key.len();
                svg[at..].split('"').next().unwrap().parse().unwrap()
            };
            assert_eq!(
                (w, h),
                (attr("width"), attr("height")),
                "{}",
                path.display()
            );
            assert!(
                png.len() < 100 * 1024,
                "{}: {} bytes",
                path.display(),
                png.len()
            );
            if keep {
                let name = path.file_stem().unwrap().to_string_lossy().to_string();
                std::fs::write(shots.join(format!("{name}.png")), &png).unwrap();
            }
        }
    }
}
