//! Numbers as text without `core::fmt`'s float printing.
//!
//! `format!("{x}")` and `format!("{x:.2}")` on an `f64` pull in the standard library's float
//! printers (Grisu with a Dragon fallback and their tables, ~30 KB of wasm); the playground's
//! keystroke module must stay under 300 KB (issue 11). What the compiler, the summary and the
//! charts print are numbers with a fixed, small number of decimals, which are exact as scaled
//! integers, so they are printed here from integers; the rare number too large for that goes
//! through serde_json's float printer, which the module holds anyway for its JSON output.

/// `x` rounded to `decimals` decimals (half away from zero, on `x × 10^decimals`), written
/// with all its decimals (`0.80`) or, with `trim`, without trailing zeros (`0.8`, `12`).
/// No `-0`.
pub(crate) fn fixed(x: f64, decimals: u32, trim: bool) -> String {
    let scale = 10u64.pow(decimals.min(6));
    let scaled = (x * scale as f64).round();
    if !scaled.is_finite() || scaled.abs() >= 9e15 {
        return shortest(x);
    }
    // Exact: |scaled| < 2^53, so the conversion is lossless.
    let n = scaled as i64;
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    let (int, mut frac) = (n.unsigned_abs() / scale, n.unsigned_abs() % scale);
    push_u64(&mut out, int);
    let mut width = decimals.min(6);
    if trim {
        while width > 0 && frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
    }
    if width > 0 {
        out.push('.');
        let digits = frac.to_string();
        for _ in digits.len()..width as usize {
            out.push('0');
        }
        out.push_str(&digits);
    }
    out
}

/// The shortest text that reads back as `x`: whole numbers as integers (`60`), others as
/// serde_json writes them (`0.1`, `1e+300`); `NaN` and infinities by name.
pub(crate) fn shortest(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        let mut out = String::new();
        if x < 0.0 {
            out.push('-');
        }
        push_u64(&mut out, x.abs() as u64);
        return out;
    }
    match serde_json::Number::from_f64(x) {
        Some(n) => n.to_string(),
        None if x.is_nan() => "NaN".to_owned(),
        None if x > 0.0 => "inf".to_owned(),
        None => "-inf".to_owned(),
    }
}

fn push_u64(out: &mut String, v: u64) {
    out.push_str(&v.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_matches_the_standard_printer_away_from_ties() {
        for &(x, d) in &[
            (0.0, 1),
            (12.0, 1),
            (12.25, 2),
            (-3.04, 1),
            (66.666, 2),
            (0.853, 2),
            (1234567.891, 2),
            (-0.04, 1),
            (99.99, 1),
        ] {
            let std = format!("{x:.d$}", d = d as usize);
            let std = if std
                .trim_start_matches('-')
                .trim_matches(['0', '.'])
                .is_empty()
            {
                std.trim_start_matches('-').to_owned()
            } else {
                std
            };
            assert_eq!(fixed(x, d, false), std, "{x} to {d}");
        }
        assert_eq!(fixed(72.50, 2, true), "72.5");
        assert_eq!(fixed(75.0, 2, true), "75");
        assert_eq!(fixed(-0.01, 1, true), "0");
        assert_eq!(fixed(0.05, 2, false), "0.05");
        assert_eq!(fixed(1e300, 1, true), "1e+300");
    }

    #[test]
    fn shortest_reads_back() {
        for x in [0.0, 60.0, -7.0, 0.1, 72.5, 1.0 / 3.0, 1e300, -2.5e-8] {
            let s = shortest(x);
            assert_eq!(s.parse::<f64>().unwrap(), x, "{s}");
        }
        assert_eq!(shortest(60.0), "60");
        assert_eq!(shortest(f64::NAN), "NaN");
    }
}
