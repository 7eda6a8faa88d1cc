//! The small SVG writer every chart kind uses: the document frame (accessible title and
//! description), colours per theme, number formatting and text escaping.

use std::fmt::{self, Write as _};

use super::{ChartOptions, Theme};

/// The system font stack: no font is embedded, each viewer uses its own sans-serif.
const FONT: &str = "system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif";

/// Colours for one theme.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    pub background: &'static str,
    /// Main text (contrast ≥ 7:1 on the background).
    pub text: &'static str,
    /// Axis labels (contrast ≥ 4.5:1).
    pub muted: &'static str,
    /// Grid lines.
    pub grid: &'static str,
    /// Axis baseline and the emphasised reference line (100 %, zero TSB).
    pub axis: &'static str,
    /// Seven zone colours, easy to hard.
    pub zones: [&'static str; 7],
    /// Series colours: blue, pink, amber, green, purple, teal, grey.
    pub series: [&'static str; 7],
}

pub(crate) fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            background: "#ffffff",
            text: "#1f2328",
            muted: "#57606a",
            grid: "#e4e7eb",
            axis: "#8c959f",
            zones: [
                "#9aa4ae", "#3d8fd6", "#35a853", "#e8b923", "#f08a24", "#de3b3b", "#9c4fd6",
            ],
            series: [
                "#1f6fd1", "#d6336c", "#c77700", "#2b9a48", "#8a4fd0", "#0f8b8d", "#6e7781",
            ],
        },
        Theme::Dark => Palette {
            background: "#14171c",
            text: "#e6edf3",
            muted: "#a3acb6",
            grid: "#2b3138",
            axis: "#6e7781",
            zones: [
                "#7d8790", "#4b9ee8", "#3fb960", "#e9c440", "#f5953a", "#ef5350", "#b271ec",
            ],
            series: [
                "#58a6ff", "#f0659a", "#f0a93b", "#4cc46d", "#b48cf2", "#36b8ba", "#9aa4ae",
            ],
        },
    }
}

/// A number with at most one decimal and no trailing `.0` (`12`, `12.5`, `-3`): coordinates
/// stay short and the output does not depend on float printing beyond one decimal.
pub(crate) struct N(pub f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // From integers, not `{:.1}`: see `crate::decimal` (it also never writes "-0").
        f.write_str(&crate::decimal::fixed(self.0, 1, true))
    }
}

/// Text escaped for SVG content and attribute values.
pub(crate) struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                // Control characters are not allowed in XML 1.0 at all.
                c if (c as u32) < 0x20 && c != '\n' && c != '\t' => f.write_char(' ')?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// A document being written. `String` writes cannot fail, so `write!` results are ignored
/// through [`Doc::w`].
pub(crate) struct Doc {
    pub out: String,
    pub pal: Palette,
    pub width: f64,
    pub height: f64,
}

impl Doc {
    /// Starts a document: root element, title, description, background.
    pub fn start(opts: &ChartOptions, title: &str, description: &str) -> Doc {
        let pal = palette(opts.theme);
        let mut out = String::with_capacity(8192);
        // Ids unique per content, so several charts inline in one page do not collide, and
        // still deterministic.
        let id = fnv(title.as_bytes(), description.as_bytes());
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"c{id}t c{id}d\" \
             font-family=\"{FONT}\" font-size=\"12\">\
             <title id=\"c{id}t\">{t}</title><desc id=\"c{id}d\">{d}</desc>\
             <rect width=\"{w}\" height=\"{h}\" fill=\"{bg}\"/>",
            w = opts.width,
            h = opts.height,
            t = Esc(title),
            d = Esc(description),
            bg = pal.background,
        );
        Doc {
            out,
            pal,
            width: f64::from(opts.width),
            height: f64::from(opts.height),
        }
    }

    /// Appends formatted text.
    pub fn w(&mut self, args: fmt::Arguments<'_>) {
        let _ = self.out.write_fmt(args);
    }

    /// A text element.
    pub fn text(&mut self, x: f64, y: f64, anchor: &str, fill: &str, s: &str) {
        let anchor = match anchor {
            "start" => String::new(),
            a => format!(" text-anchor=\"{a}\""),
        };
        self.w(format_args!(
            "<text x=\"{}\" y=\"{}\"{anchor} fill=\"{fill}\">{}</text>",
            N(x),
            N(y),
            Esc(s)
        ));
    }

    /// Closes the document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// Where a bold 14 px title starting at `left` ends, estimated (about 8.5 px a character; no
/// text is measured here), plus a gap. Legends that would start before this are left out: the
/// description still says what they would.
pub(crate) fn title_end(left: f64, title: &str) -> f64 {
    left + title.chars().count() as f64 * 8.5 + 16.0
}

/// Estimated width of 12 px text (about 6.5 px a character).
pub(crate) fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * 6.5
}

/// 32-bit FNV-1a over the given byte slices, printed in hex by the caller.
fn fnv(a: &[u8], b: &[u8]) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for byte in a.iter().chain(b) {
        h ^= u32::from(*byte);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// A "nice" step (1, 2, 2.5 or 5 × 10ⁿ) so that `span` is covered by about `target` ticks.
pub(crate) fn nice_step(span: f64, target: f64) -> f64 {
    // NaN fails both comparisons, so it lands here too.
    if span.is_nan() || target.is_nan() || span <= 0.0 || target <= 0.0 {
        return 1.0;
    }
    let raw = span / target;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let m = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Formats a whole number with thousands separators (`4,321`).
pub(crate) fn thousands(v: f64) -> String {
    let r = v.round();
    let neg = r < 0.0;
    let digits = crate::decimal::shortest(r.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if neg { format!("-{out}") } else { out }
}

/// A duration in words-short: `45s`, `10m`, `1h`, `1h20`, `2h05`, `1m30s`.
pub(crate) fn short_duration(seconds: f64) -> String {
    let s = seconds.round().max(0.0) as u64;
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    match (h, m, sec) {
        (0, 0, sec) => format!("{sec}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, sec) => format!("{m}m{sec:02}s"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_short_and_without_negative_zero() {
        assert_eq!(N(12.0).to_string(), "12");
        assert_eq!(N(12.04).to_string(), "12");
        assert_eq!(N(12.06).to_string(), "12.1");
        assert_eq!(N(-0.01).to_string(), "0");
        assert_eq!(N(-3.25).to_string(), "-3.3");
    }

    #[test]
    fn durations_and_thousands() {
        assert_eq!(short_duration(45.0), "45s");
        assert_eq!(short_duration(600.0), "10m");
        assert_eq!(short_duration(90.0), "1m30s");
        assert_eq!(short_duration(4800.0), "1h20");
        assert_eq!(short_duration(7200.0), "2h");
        assert_eq!(thousands(4321.4), "4,321");
        assert_eq!(thousands(-1234567.0), "-1,234,567");
        assert_eq!(thousands(12.0), "12");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            Esc("a<b & \"c\">").to_string(),
            "a&lt;b &amp; &quot;c&quot;&gt;"
        );
    }
}
