//! Pace parsing, speed-zone scaling and pace display (spec §G "Speed zones").

use super::{Zone, ZoneError, round_half_up};

/// Zone maxima at or above this speed (m/s) are shown as open-ended (spec §G display rule).
pub const SPEED_OPEN_MPS: f64 = 30.0;

/// The top speed zone's maximum is written as this many times the threshold (spec §G).
pub const SPEED_SENTINEL_FACTOR: f64 = 10.0;

/// The distance a pace is given per: run paces per kilometre, swim paces per 100 m.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceUnit {
    /// Minutes:seconds per kilometre (run).
    PerKm,
    /// Minutes:seconds per 100 metres (swim).
    Per100m,
}

impl PaceUnit {
    /// Metres the pace is measured over.
    pub fn metres(self) -> f64 {
        match self {
            PaceUnit::PerKm => 1000.0,
            PaceUnit::Per100m => 100.0,
        }
    }

    /// The suffix written after a pace, e.g. `/km`.
    pub fn suffix(self) -> &'static str {
        match self {
            PaceUnit::PerKm => "/km",
            PaceUnit::Per100m => "/100m",
        }
    }

    /// A valid example, for error messages.
    pub fn example(self) -> &'static str {
        match self {
            PaceUnit::PerKm => "4:30 or 4:30/km",
            PaceUnit::Per100m => "1:45 or 1:45/100m",
        }
    }

    /// The plausible range of a threshold pace, in seconds per unit (fastest, slowest).
    /// Run 2:00–20:00 /km, swim 0:45–6:00 /100m: outside that it is a typo, and writing it
    /// would silently wreck every zone.
    pub fn plausible_seconds(self) -> (u32, u32) {
        match self {
            PaceUnit::PerKm => (120, 1200),
            PaceUnit::Per100m => (45, 360),
        }
    }

    fn other(self) -> PaceUnit {
        match self {
            PaceUnit::PerKm => PaceUnit::Per100m,
            PaceUnit::Per100m => PaceUnit::PerKm,
        }
    }
}

/// Parses a threshold pace written `M:SS`, optionally followed by the unit's suffix
/// (`/km` for [`PaceUnit::PerKm`], `/100m` for [`PaceUnit::Per100m`], any case), and returns
/// the speed in m/s: 1000 / seconds (run) or 100 / seconds (swim).
/// `"4:30"` → 3.7037037037037037; `"1:45/100m"` → 0.9523809523809523.
///
/// Stricter than the reference on purpose (it is the input of a write):
/// - seconds must be exactly two digits 00–59 and minutes digits only. The reference's
///   `parseInt` read `"4:3x"` as 4:03 and `"4:3"` as 4:03 too, where the person may have meant
///   4:30; a threshold typo rewrites every zone, so we refuse instead of guessing;
/// - the other unit's suffix (`1:45/100m` given as a run pace) is refused, not stripped;
/// - zero and negative paces are [`ZoneError::NonPositivePace`];
/// - paces outside [`PaceUnit::plausible_seconds`] are refused.
pub fn parse_pace(input: &str, unit: PaceUnit) -> Result<f64, ZoneError> {
    let invalid = |reason: &'static str| ZoneError::InvalidPace {
        input: input.to_string(),
        reason,
        example: unit.example(),
    };
    let text = input.trim();
    let body = strip_suffix_ci(text, unit.suffix()).unwrap_or(text).trim();
    if strip_suffix_ci(body, unit.other().suffix()).is_some() {
        return Err(invalid(match unit {
            PaceUnit::PerKm => "a run pace is per km, not per 100 m",
            PaceUnit::Per100m => "a swim pace is per 100 m, not per km",
        }));
    }
    if body.starts_with('-') {
        return Err(ZoneError::NonPositivePace {
            input: input.to_string(),
            example: unit.example(),
        });
    }
    let Some((minutes, seconds)) = body.split_once(':') else {
        return Err(invalid("expected minutes and seconds separated by ':'"));
    };
    if seconds.contains(':') {
        return Err(invalid("expected exactly one ':' (hours are not accepted)"));
    }
    if minutes.is_empty() || minutes.len() > 3 || !minutes.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("minutes must be a whole number"));
    }
    if seconds.len() != 2 || !seconds.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("seconds must be two digits, 00 to 59"));
    }
    // Both are at most three ASCII digits, so these parses cannot fail or overflow.
    let m: u32 = minutes
        .parse()
        .map_err(|_| invalid("minutes must be a whole number"))?;
    let s: u32 = seconds
        .parse()
        .map_err(|_| invalid("seconds must be two digits, 00 to 59"))?;
    if s >= 60 {
        return Err(invalid("seconds must be two digits, 00 to 59"));
    }
    let total = m * 60 + s;
    if total == 0 {
        return Err(ZoneError::NonPositivePace {
            input: input.to_string(),
            example: unit.example(),
        });
    }
    let (fastest, slowest) = unit.plausible_seconds();
    if total < fastest || total > slowest {
        return Err(invalid(match unit {
            PaceUnit::PerKm => "a threshold run pace must be between 2:00 and 20:00 per km",
            PaceUnit::Per100m => "a threshold swim pace must be between 0:45 and 6:00 per 100 m",
        }));
    }
    Ok(unit.metres() / f64::from(total))
}

fn strip_suffix_ci<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(suffix.len())?;
    let (head, tail) = (text.get(..cut)?, text.get(cut..)?);
    tail.eq_ignore_ascii_case(suffix).then_some(head)
}

/// Rescales a speed zone set (m/s) from `old_threshold` to `new_threshold` (m/s):
/// if the old threshold is not positive only the threshold changes (zones returned as they
/// are); otherwise every bound is multiplied by new/old (no rounding) and the top zone's
/// maximum becomes `new_threshold` × [`SPEED_SENTINEL_FACTOR`].
///
/// Errors when `new_threshold` is not a positive finite speed, or there are no zones to scale.
pub fn scale_speed_zones(
    old_threshold: f64,
    zones: &[Zone],
    new_threshold: f64,
) -> Result<Vec<Zone>, ZoneError> {
    if !(new_threshold.is_finite() && new_threshold > 0.0) {
        return Err(ZoneError::OutOfRange {
            quantity: "threshold speed",
            value: new_threshold,
            min: 0.01,
            max: 30.0,
            unit: "m/s",
        });
    }
    if old_threshold.is_nan() || old_threshold <= 0.0 {
        return Ok(zones.to_vec());
    }
    let last = zones.len().checked_sub(1).ok_or(ZoneError::NoZones)?;
    let ratio = new_threshold / old_threshold;
    Ok(zones
        .iter()
        .enumerate()
        .map(|(i, z)| Zone {
            label: z.label.clone(),
            minimum: z.minimum * ratio,
            maximum: if i == last {
                new_threshold * SPEED_SENTINEL_FACTOR
            } else {
                z.maximum * ratio
            },
        })
        .collect())
}

/// A speed (m/s) as a pace `M:SS/km` or `M:SS/100m`. Total seconds are rounded **first**
/// (halves up), so 299.6 s/km prints `5:00/km`, never the reference's `4:60/km`.
/// `None` for a speed that is zero, negative, not finite, or slower than 99:59 per unit
/// (a zone bound of 0 m/s means "no lower limit", not a pace).
pub fn format_pace(speed_mps: f64, unit: PaceUnit) -> Option<String> {
    if !(speed_mps.is_finite() && speed_mps > 0.0) {
        return None;
    }
    let total = round_half_up(unit.metres() / speed_mps);
    if !(total.is_finite() && total <= 5999.0) {
        return None;
    }
    // `total` is a whole number in 0..=5999, so the conversion is exact.
    let total = total as u32;
    Some(format!("{}:{:02}{}", total / 60, total % 60, unit.suffix()))
}

/// Whether a speed zone maximum means "open-ended": at or above [`SPEED_OPEN_MPS`] (the
/// reference's display rule), or — beyond it — at the written sentinel of
/// [`SPEED_SENTINEL_FACTOR`] × `threshold` (a swim sentinel, 10 × ~1 m/s, never reaches 30).
pub fn is_open_speed(maximum_mps: f64, threshold_mps: f64) -> bool {
    maximum_mps >= SPEED_OPEN_MPS
        || (threshold_mps > 0.0 && maximum_mps >= threshold_mps * SPEED_SENTINEL_FACTOR * 0.999)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spec §G worked examples, bit for bit.
    #[test]
    fn pace_worked_examples() {
        let cases = [
            ("run 4:30", "4:30", PaceUnit::PerKm, 3.7037037037037037),
            (
                "swim 1:45/100m",
                "1:45/100m",
                PaceUnit::Per100m,
                0.9523809523809523,
            ),
            ("run 5:00", "5:00", PaceUnit::PerKm, 3.3333333333333335),
        ];
        for (name, text, unit, want) in cases {
            assert_eq!(parse_pace(text, unit), Ok(want), "{name}");
        }
    }

    #[test]
    fn pace_accepted_spellings() {
        let cases = [
            ("suffix /km", "4:30/km", PaceUnit::PerKm, 1000.0 / 270.0),
            (
                "upper-case suffix",
                "4:30/KM",
                PaceUnit::PerKm,
                1000.0 / 270.0,
            ),
            ("spaces", "  4:30 /km ", PaceUnit::PerKm, 1000.0 / 270.0),
            (
                "leading zero minutes",
                "04:30",
                PaceUnit::PerKm,
                1000.0 / 270.0,
            ),
            (
                "swim without suffix",
                "1:30",
                PaceUnit::Per100m,
                100.0 / 90.0,
            ),
            ("slow run", "12:05", PaceUnit::PerKm, 1000.0 / 725.0),
        ];
        for (name, text, unit, want) in cases {
            assert_eq!(parse_pace(text, unit), Ok(want), "{name}");
        }
    }

    #[test]
    fn pace_refusals() {
        let cases = [
            (
                "seconds 75",
                "4:75",
                PaceUnit::PerKm,
                "seconds must be two digits",
            ),
            (
                "seconds 60",
                "4:60",
                PaceUnit::PerKm,
                "seconds must be two digits",
            ),
            (
                "lenient 4:3x (reference read 4:03)",
                "4:3x",
                PaceUnit::PerKm,
                "seconds must be two digits",
            ),
            (
                "one-digit seconds",
                "4:3",
                PaceUnit::PerKm,
                "seconds must be two digits",
            ),
            ("no colon", "430", PaceUnit::PerKm, "separated by ':'"),
            (
                "decimal minutes",
                "4.5",
                PaceUnit::PerKm,
                "separated by ':'",
            ),
            ("hours", "1:04:30", PaceUnit::PerKm, "exactly one ':'"),
            (
                "letters",
                "abc:30",
                PaceUnit::PerKm,
                "minutes must be a whole number",
            ),
            (
                "empty minutes",
                ":30",
                PaceUnit::PerKm,
                "minutes must be a whole number",
            ),
            ("empty", "", PaceUnit::PerKm, "separated by ':'"),
            (
                "swim suffix on run",
                "1:45/100m",
                PaceUnit::PerKm,
                "per km, not per 100 m",
            ),
            (
                "run suffix on swim",
                "4:30/km",
                PaceUnit::Per100m,
                "per 100 m, not per km",
            ),
            (
                "too fast run",
                "1:30",
                PaceUnit::PerKm,
                "between 2:00 and 20:00",
            ),
            (
                "too slow run",
                "25:00",
                PaceUnit::PerKm,
                "between 2:00 and 20:00",
            ),
            (
                "too fast swim",
                "0:30",
                PaceUnit::Per100m,
                "between 0:45 and 6:00",
            ),
            ("zero", "0:00", PaceUnit::PerKm, "must be positive"),
            ("negative", "-4:30", PaceUnit::PerKm, "must be positive"),
            (
                "negative swim",
                "-1:45/100m",
                PaceUnit::Per100m,
                "must be positive",
            ),
        ];
        for (name, text, unit, needle) in cases {
            let err = parse_pace(text, unit).expect_err(name);
            let msg = err.to_string();
            assert!(msg.contains(needle), "{name}: {msg}");
            assert!(
                msg.contains(unit.example()),
                "{name}: message gives an example: {msg}"
            );
        }
    }

    #[test]
    fn pace_display_rounds_total_seconds_first() {
        let cases = [
            (
                "299.6 s/km is 5:00, not 4:60",
                1000.0 / 299.6,
                PaceUnit::PerKm,
                Some("5:00/km"),
            ),
            ("4:30", 1000.0 / 270.0, PaceUnit::PerKm, Some("4:30/km")),
            (
                "half second rounds up",
                1000.0 / 270.5,
                PaceUnit::PerKm,
                Some("4:31/km"),
            ),
            (
                "swim 1:45",
                100.0 / 105.0,
                PaceUnit::Per100m,
                Some("1:45/100m"),
            ),
            (
                "59.5 s rolls to the minute",
                100.0 / 119.5,
                PaceUnit::Per100m,
                Some("2:00/100m"),
            ),
            ("zero speed has no pace", 0.0, PaceUnit::PerKm, None),
            ("negative", -1.0, PaceUnit::PerKm, None),
            ("NaN", f64::NAN, PaceUnit::PerKm, None),
            ("slower than 99:59", 0.1, PaceUnit::PerKm, None),
        ];
        for (name, speed, unit, want) in cases {
            assert_eq!(format_pace(speed, unit).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn pace_round_trip() {
        for total in 120..=1200u32 {
            let text = format!("{}:{:02}", total / 60, total % 60);
            let speed = parse_pace(&text, PaceUnit::PerKm).unwrap();
            assert_eq!(
                format_pace(speed, PaceUnit::PerKm),
                Some(format!("{text}/km"))
            );
        }
    }

    fn zones(bounds: &[(f64, f64)]) -> Vec<Zone> {
        bounds
            .iter()
            .enumerate()
            .map(|(i, (a, b))| Zone::new(format!("Zone {}", i + 1), *a, *b))
            .collect()
    }

    #[test]
    fn speed_scaling() {
        let old = zones(&[(0.0, 3.0), (3.0, 3.5), (3.5, 4.0), (4.0, 40.0)]);
        let cases = [
            (
                "threshold 4.0 → 4.4 scales by 1.1, top = 10 × new",
                4.0,
                4.4,
                vec![
                    (0.0, 3.0 * 1.1),
                    (3.0 * 1.1, 3.5 * 1.1),
                    (3.5 * 1.1, 4.0 * 1.1),
                    (4.0 * 1.1, 44.0),
                ],
            ),
            (
                "old threshold 0: zones untouched",
                0.0,
                4.4,
                vec![(0.0, 3.0), (3.0, 3.5), (3.5, 4.0), (4.0, 40.0)],
            ),
        ];
        for (name, old_t, new_t, want) in cases {
            let got: Vec<(f64, f64)> = scale_speed_zones(old_t, &old, new_t)
                .unwrap()
                .iter()
                .map(|z| (z.minimum, z.maximum))
                .collect();
            assert_eq!(got.len(), want.len(), "{name}");
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g.0 - w.0).abs() < 1e-12 && (g.1 - w.1).abs() < 1e-12,
                    "{name}: {got:?} vs {want:?}"
                );
            }
        }
        assert_eq!(scale_speed_zones(4.0, &[], 4.4), Err(ZoneError::NoZones));
        assert!(scale_speed_zones(4.0, &old, -1.0).is_err());
        assert!(scale_speed_zones(4.0, &old, f64::NAN).is_err());
    }

    #[test]
    fn open_speed_sentinel() {
        let cases = [
            ("run sentinel", 37.0, 3.7, true),
            ("display limit", 30.0, 0.0, true),
            ("swim sentinel", 9.523809523809524, 0.9523809523809523, true),
            ("ordinary", 4.2, 3.7, false),
        ];
        for (name, max, t, want) in cases {
            assert_eq!(is_open_speed(max, t), want, "{name}");
        }
    }
}
