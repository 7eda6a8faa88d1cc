//! What one whitespace-separated word of a step line means. Shared by the parser and by the
//! printer, which uses it to keep step names free of words that would read as syntax.

use crate::structure::IntensityClass;

/// The unit of a number or a range of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    /// `%`.
    Pct,
    /// `w`.
    Watt,
    /// `rpm`.
    Rpm,
    /// `bpm`.
    Bpm,
    /// `Z2`: a zone number.
    Zone,
}

/// A word after a target that says what the target is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Qual {
    /// `Pace`.
    Pace,
    /// `HR` (of max HR after a %, or heart-rate zones after a zone).
    Hr,
    /// `LTHR`.
    Lthr,
    /// `MMP`.
    Mmp,
}

/// One word, classified.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// A duration in seconds.
    Time(f64),
    /// A distance in metres.
    Dist(f64),
    /// `M:SS` / `H:MM:SS` with no pace unit: a duration, or a pace when `Pace` follows.
    Clock(f64),
    /// A pace (range) in seconds per `per` metres (`None`: the sport's default unit), in the
    /// order written.
    Pace { a: f64, b: f64, per: Option<f64> },
    /// A number or range with a unit, in the order written.
    Range { unit: Unit, a: f64, b: f64 },
    /// A bare number (a name word, unless a unit word follows: `90 rpm`).
    Num(f64),
    /// A unit on its own (`rpm`, `bpm`, `%`, `w`), read with the number before it.
    UnitWord(Unit),
    /// `Pace`, `HR`, `LTHR`, `MMP`.
    Qual(Qual),
    /// `ramp`.
    Ramp,
    /// `freeride`.
    FreeRide,
    /// `press` (of `press lap` / `lap press`).
    Press,
    /// `lap`.
    Lap,
    /// `intensity=rest`.
    Intensity(IntensityClass),
    /// A word of the step's name.
    Word,
    /// A word that looks like syntax but is not valid; the text says why (or is empty for the
    /// generic "expected …" message).
    Bad(&'static str),
}

const AMBIGUOUS_M: &str = "m means minutes on Intervals.icu, so this is a very long step; \
                           write metres as 400mtr, or the time with hours (6h40m)";

/// Classifies one word (no whitespace).
pub(super) fn classify(t: &str) -> Tok {
    // Words are short: lower-case them on the stack (this runs on every keystroke).
    let mut buf = [0u8; 32];
    let heap;
    let lower: &str = match buf.get_mut(..t.len()) {
        Some(dst) => {
            dst.copy_from_slice(t.as_bytes());
            dst.make_ascii_lowercase();
            // ASCII lower-casing keeps UTF-8 valid; the fallback is unreachable.
            std::str::from_utf8(dst).unwrap_or(t)
        }
        None => {
            heap = t.to_ascii_lowercase();
            &heap
        }
    };
    match lower {
        "ramp" => return Tok::Ramp,
        "freeride" => return Tok::FreeRide,
        "press" => return Tok::Press,
        "lap" => return Tok::Lap,
        "pace" => return Tok::Qual(Qual::Pace),
        "hr" => return Tok::Qual(Qual::Hr),
        "lthr" => return Tok::Qual(Qual::Lthr),
        "mmp" => return Tok::Qual(Qual::Mmp),
        "rpm" => return Tok::UnitWord(Unit::Rpm),
        "bpm" => return Tok::UnitWord(Unit::Bpm),
        "%" => return Tok::UnitWord(Unit::Pct),
        "w" => return Tok::UnitWord(Unit::Watt),
        _ => {}
    }
    if let Some(class) = lower.strip_prefix("intensity=") {
        return match IntensityClass::parse(class) {
            Some(c) => Tok::Intensity(c),
            None => Tok::Bad("expected intensity=warmup, active, rest or cooldown"),
        };
    }
    let bytes = lower.as_bytes();
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    if lower.starts_with("cz") && digit_at(2) {
        return Tok::Bad(
            "custom zones (CZ1) have no TrainingPeaks target; write the range, e.g. 80-85%",
        );
    }
    if lower.starts_with('z') && digit_at(1) {
        return match range(lower) {
            Ok(tok) => tok,
            Err(why) => Tok::Bad(why),
        };
    }
    if !digit_at(0) {
        return Tok::Word;
    }
    if lower.as_bytes().contains(&b'^') {
        return Tok::Bad(
            "timed text events (60^30 Text) have no place in a TrainingPeaks step; put the text \
             in the step's name",
        );
    }
    match range(lower) {
        Ok(tok) => tok,
        Err(why) => Tok::Bad(why),
    }
}

/// A single value or an `a-b` range.
fn range(s: &str) -> Result<Tok, &'static str> {
    let Some(dash) = s.get(1..).and_then(|r| r.find('-')).map(|i| i + 1) else {
        return single(s);
    };
    let (left, right) = (&s[..dash], &s[dash + 1..]);
    let right = single(right)?;
    let left = single(left)?;
    let bad_range = "only targets and cadence take a range (95-105%, 200-240w, Z2-Z3, 85-95rpm, \
                     7:15-7:00/km Pace)";
    match (left, right) {
        (Tok::Num(a), Tok::Range { unit, a: b, .. }) if unit != Unit::Zone => {
            Ok(Tok::Range { unit, a, b })
        }
        (Tok::Range { unit: u, a, .. }, Tok::Range { unit, a: b, .. }) if u == unit => {
            Ok(Tok::Range { unit, a, b })
        }
        (Tok::Clock(a), Tok::Pace { a: b, per, .. }) => Ok(Tok::Pace { a, b, per }),
        (Tok::Clock(a), Tok::Clock(b)) => Ok(Tok::Pace { a, b, per: None }),
        (Tok::Pace { a, per: p, .. }, Tok::Pace { a: b, per, .. }) if p == per => {
            Ok(Tok::Pace { a, b, per })
        }
        _ => Err(bad_range),
    }
}

/// A number at the start of `s` and the rest.
fn number(s: &str) -> Option<(f64, &str)> {
    let end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
        .map_or(s.len(), |(i, _)| i);
    let (n, rest) = s.split_at(end);
    if n.is_empty() || n.starts_with('.') || n.ends_with('.') || n.matches('.').count() > 1 {
        return None;
    }
    decimal(n).map(|v| (v, rest))
}

/// `digits[.digits]` as an `f64`, read by [`crate::decimal::parse`] rather than
/// `str::parse::<f64>`, whose correctly rounded parser and its tables (~15 KB of wasm) would be
/// in the playground's keystroke module for this one call (issue 11: 300 KB budget); correctly
/// rounded for everything a workout holds (see there for the exact bounds).
fn decimal(n: &str) -> Option<f64> {
    crate::decimal::parse(n)
}

/// One value with its unit (lower-cased input).
fn single(s: &str) -> Result<Tok, &'static str> {
    if let Some(z) = s.strip_prefix('z') {
        return match z.parse::<u32>() {
            Ok(n) => Ok(Tok::Range {
                unit: Unit::Zone,
                a: f64::from(n),
                b: f64::from(n),
            }),
            Err(_) => Err("expected a zone like Z2 or Z2-Z3"),
        };
    }
    if s.contains(':') {
        return clock(s);
    }
    let Some((v, suffix)) = number(s) else {
        return Err("");
    };
    let one = |unit| Ok(Tok::Range { unit, a: v, b: v });
    match suffix {
        "" => Ok(Tok::Num(v)),
        "%" => one(Unit::Pct),
        "w" => one(Unit::Watt),
        "rpm" => one(Unit::Rpm),
        "bpm" => one(Unit::Bpm),
        "mtr" => Ok(Tok::Dist(v)),
        "km" => Ok(Tok::Dist(v * 1000.0)),
        "mi" => Ok(Tok::Dist(v * 1609.344)),
        "yrd" => Ok(Tok::Dist(v * 0.9144)),
        "m" if v >= 100.0 && v % 100.0 == 0.0 => Err(AMBIGUOUS_M),
        _ => time(s).map(Tok::Time).ok_or(""),
    }
}

/// `1h2m30s`, `5m30s`, `1m30`, `5'`, `30"`, `1'30"` → seconds.
fn time(mut s: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut last_rank = None::<u8>;
    while !s.is_empty() {
        let (v, rest) = number(s)?;
        let (rank, factor, rest) = match rest.chars().next() {
            Some('h') => (0, 3600.0, &rest[1..]),
            Some('m' | '\'') => (1, 60.0, &rest[1..]),
            Some('s' | '"') => (2, 1.0, &rest[1..]),
            // A trailing bare number after minutes is seconds (`1m30`).
            None if last_rank == Some(1) => (2, 1.0, rest),
            _ => return None,
        };
        if last_rank.is_some_and(|r| r >= rank) {
            return None;
        }
        last_rank = Some(rank);
        total += v * factor;
        s = rest;
    }
    Some(total)
}

/// `M:SS`, `H:MM:SS`, optionally `/unit` → a clock or a pace.
fn clock(s: &str) -> Result<Tok, &'static str> {
    let (time, per) = match s.split_once('/') {
        Some((t, u)) => (t, Some(pace_unit(u)?)),
        None => (s, None),
    };
    let mut parts = time.split(':');
    let first = parts.next().and_then(|p| p.parse::<u32>().ok());
    let rest: Vec<&str> = parts.collect();
    let two_digits = |p: &&str| p.len() == 2 && p.parse::<u32>().is_ok_and(|v| v < 60);
    let secs = match (first, rest.as_slice()) {
        (Some(a), [b]) if two_digits(b) => {
            f64::from(a) * 60.0 + f64::from(b.parse::<u32>().unwrap_or(0))
        }
        (Some(a), [b, c]) if two_digits(b) && two_digits(c) => {
            f64::from(a) * 3600.0
                + f64::from(b.parse::<u32>().unwrap_or(0)) * 60.0
                + f64::from(c.parse::<u32>().unwrap_or(0))
        }
        _ => {
            return Err("expected a time like 1:30 or a pace like 5:00/km (seconds as two digits)");
        }
    };
    Ok(match per {
        Some(per) => Tok::Pace {
            a: secs,
            b: secs,
            per: Some(per),
        },
        None => Tok::Clock(secs),
    })
}

/// Metres of a pace unit (`km`, `mi`, `100m`, `100y`, `500m`, `400m`, `250m`).
fn pace_unit(u: &str) -> Result<f64, &'static str> {
    Ok(match u {
        "km" => 1000.0,
        "mi" => 1609.344,
        "100m" => 100.0,
        "100y" => 91.44,
        "500m" => 500.0,
        "400m" => 400.0,
        "250m" => 250.0,
        _ => return Err("expected a pace unit /km, /mi, /100m, /100y, /500m, /400m or /250m"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_read_as_the_standard_parser_reads_them() {
        let cases = [
            "0",
            "7",
            "007",
            "0.1",
            "0.30",
            "72.5",
            "66.67",
            "1234567.891",
            "0.000001",
            "123456789012345",
            "999999999999999.9",
            "12345678901234567890",
            "0.1234567890123456789",
        ];
        for n in cases {
            assert_eq!(decimal(n), n.parse::<f64>().ok(), "{n}");
        }
        for i in 0..20_000u32 {
            let n = format!("{}.{:02}", i / 7, i % 100);
            assert_eq!(decimal(&n), n.parse::<f64>().ok(), "{n}");
        }
    }

    #[test]
    fn words() {
        let cases: &[(&str, Tok)] = &[
            ("10m", Tok::Time(600.0)),
            ("1h2m30s", Tok::Time(3750.0)),
            ("1m30", Tok::Time(90.0)),
            ("1'30\"", Tok::Time(90.0)),
            ("30\"", Tok::Time(30.0)),
            ("1:30", Tok::Clock(90.0)),
            ("1:02:30", Tok::Clock(3750.0)),
            ("0.4km", Tok::Dist(400.0)),
            ("400mtr", Tok::Dist(400.0)),
            ("100yrd", Tok::Dist(91.44)),
            (
                "95-105%",
                Tok::Range {
                    unit: Unit::Pct,
                    a: 95.0,
                    b: 105.0,
                },
            ),
            (
                "Z3-Z4",
                Tok::Range {
                    unit: Unit::Zone,
                    a: 3.0,
                    b: 4.0,
                },
            ),
            (
                "7:15-7:00/km",
                Tok::Pace {
                    a: 435.0,
                    b: 420.0,
                    per: Some(1000.0),
                },
            ),
            ("90", Tok::Num(90.0)),
            ("Recovery", Tok::Word),
            ("VO2", Tok::Word),
            ("intensity=rest", Tok::Intensity(IntensityClass::Rest)),
        ];
        for (word, want) in cases {
            assert_eq!(&classify(word), want, "{word}");
        }
        for bad in [
            "10x", "5K", "400m", "1:3", "60^30", "CZ1", "10-20m", "1h1h", "30s10m",
        ] {
            assert!(matches!(classify(bad), Tok::Bad(_)), "{bad}");
        }
    }
}
