//! Numbers as text without `core::fmt`'s float printing.
//!
//! `format!("{x}")` and `format!("{x:.2}")` on an `f64` pull in the standard library's float
//! printers (Grisu with a Dragon fallback and their tables, ~30 KB of wasm); the playground's
//! keystroke module must stay under 300 KB (issue 11). What the compiler, the summary and the
//! charts print are numbers with a fixed, small number of decimals, which are exact as scaled
//! integers, so they are printed here from integers; the rare number too large for that goes
//! through serde_json's float printer, which the module holds anyway for its JSON output.
//!
//! Reading goes the same way: [`parse`] reads the decimals of the workout text and of the
//! preview options without `str::parse::<f64>` (its correctly rounded parser and tables, ~15 KB)
//! or serde_json's parser (~20 KB with the error formatting it brings), neither of which the
//! keystroke module otherwise needs.

/// `m × 10^e10` (`m` > 0) as the nearest `f64`; `sticky` says the true value is a little above
/// (digits dropped from `m`). Correctly rounded for `|e10|` ≤ 19, through 128-bit integers:
/// the exact product, or a quotient with at least 64 significant bits whose remainder (and
/// `sticky`) is folded into its lowest bit, so the one rounding of the cast to `f64` is the
/// right one. Beyond (numbers no workout or threshold has) scaled in steps, within a few ULPs.
fn scale(m: u64, e10: i64, sticky: bool) -> f64 {
    if m < 1 << 53 && !sticky && e10.unsigned_abs() <= 22 {
        // The common case: one correctly rounded operation on exact operands.
        let p = POW10[e10.unsigned_abs() as usize];
        return if e10 < 0 { m as f64 / p } else { m as f64 * p };
    }
    if (0..=19).contains(&e10) {
        // `m` has 19 digits when `sticky`, so the product's lowest bit is far below the
        // rounding position.
        let v = u128::from(m) * 10u128.pow(e10 as u32);
        return (v | u128::from(sticky)) as f64;
    }
    if (-19..0).contains(&e10) {
        let lz = m.leading_zeros();
        let n = u128::from(m << lz) << 64;
        let p = 10u128.pow(e10.unsigned_abs() as u32);
        let (q, r) = (n / p, n % p);
        // q ≥ 2^127 / 10^19 > 2^63: its lowest bit is below the rounding position.
        let q = q | u128::from(r != 0 || sticky);
        // 2^-(64 + lz), exactly (a normal number: 64 + lz ≤ 127).
        let unit = f64::from_bits(u64::from(1023 - 64 - lz) << 52);
        return q as f64 * unit;
    }
    let mut x = m as f64;
    let mut e = e10;
    while e > 22 && x.is_finite() {
        x *= 1e22;
        e -= 22;
    }
    while e < -22 && x != 0.0 {
        x /= 1e22;
        e += 22;
    }
    let p = POW10[e.unsigned_abs().min(22) as usize];
    if e < 0 { x / p } else { x * p }
}

/// Exact powers of ten as `f64` (10^22 is the last one).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A decimal number, `[-]digits[.digits][(e|E)[+|-]digits]` (JSON's number syntax, leading
/// zeros allowed), as an `f64`; `None` for anything else. Correctly rounded (as
/// `str::parse::<f64>`) whenever the decimal point sits at most 19 places from the 19th
/// significant digit: everything a workout or a typed threshold holds, including JavaScript's
/// 17-digit doubles (`1000 / 299`); within a few ULPs for the rest (see [`scale`]).
pub(crate) fn parse(s: &str) -> Option<f64> {
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() || (mantissa.len() > int.len() && frac.is_empty()) {
        return None;
    }
    // The power of ten the digits are scaled by, kept within a range where the loops below
    // end quickly (anything beyond it is 0 or infinite anyway).
    let mut e10: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (sign, digits) = match e.as_bytes().first() {
                Some(b'-') => (-1, &e[1..]),
                Some(b'+') => (1, &e[1..]),
                _ => (1, e),
            };
            if digits.is_empty() {
                return None;
            }
            let mut v: i64 = 0;
            for b in digits.bytes() {
                let d = b.checked_sub(b'0').filter(|d| *d < 10)?;
                v = (v * 10 + i64::from(d)).min(100_000);
            }
            sign * v
        }
    };
    let mut m: u64 = 0;
    let mut kept = 0;
    // A non-zero digit beyond the 19 kept: the value is a little above `m × 10^e10`.
    let mut dropped = false;
    for (i, b) in int.bytes().chain(frac.bytes()).enumerate() {
        let d = b.checked_sub(b'0').filter(|d| *d < 10)?;
        let in_frac = i >= int.len();
        if kept < 19 {
            if m > 0 || d > 0 {
                m = m * 10 + u64::from(d);
                kept += 1;
            }
            if in_frac {
                e10 -= 1;
            }
        } else {
            dropped |= d > 0;
            if !in_frac {
                // A dropped integer digit still counts in the magnitude.
                e10 += 1;
            }
        }
    }
    let x = if m == 0 { 0.0 } else { scale(m, e10, dropped) };
    Some(if negative { -x } else { x })
}

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

/// Formats as [`shortest`]: for numbers in messages, where `{x}` on an `f64` would bring
/// `core::fmt`'s float printer into the keystroke module (~16 KB, issue 11).
pub(crate) struct Shortest(pub f64);

impl std::fmt::Display for Shortest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&shortest(self.0))
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
    fn parse_reads_decimals_as_the_standard_parser() {
        for t in [
            "0",
            "60",
            "0.1",
            "72.5",
            "-3.25",
            "007.50",
            "1e3",
            "2.5E-8",
            "1e+22",
            "123456789012345",
            "0.000000000000000000001",
            "-0.0",
            "3.3333333333333335",
            "0.30000000000000004",
            "9007199254740993",
            "999999999999999.9",
            "12345678901234567890",
            "0.1234567890123456789",
            "1.00000000000000011102230246251565404236316680908203125",
            "2.5000000000000001e-3",
            "18446744073709551615",
            "1.7976931348623157e19",
            "4.35679e-10",
            "1234567890123456789e-19",
        ] {
            let x = parse(t).unwrap_or_else(|| panic!("{t}"));
            assert_eq!(x.to_bits(), t.parse::<f64>().unwrap().to_bits(), "{t}");
        }
        // Every 16- and 17-digit double JavaScript writes for a threshold speed or a share.
        for secs in 120..2000u32 {
            for x in [
                1000.0 / f64::from(secs),
                100.0 / f64::from(secs),
                f64::from(secs) / 7.0,
            ] {
                let t = serde_json::Number::from_f64(x)
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                assert_eq!(parse(&t).map(f64::to_bits), Some(x.to_bits()), "{t}");
            }
        }
        for t in [
            "1234567890123456789012",
            "1e300",
            "4.9e-300",
            "2.2250738585072014e-308",
        ] {
            let (got, want) = (parse(t).unwrap(), t.parse::<f64>().unwrap());
            let ulps = got.to_bits().abs_diff(want.to_bits());
            assert!(ulps <= 4, "{t}: {got} against {want}");
        }
        assert_eq!(parse("1e400"), Some(f64::INFINITY));
        assert_eq!(parse("1e-400"), Some(0.0));
        for bad in [
            "", "-", ".5", "5.", "1e", "1e+", "1x", "1.2.3", "--1", "e5", "0x10", " 1",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
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
