//! Zone maths: FTP → Coggan power zones, heart-rate zone scaling, pace parsing and
//! speed-zone scaling, and the display helpers the settings tools share.
//!
//! Everything here is a pure function of its inputs, with the exact rules of
//! `shared/spec/trainingpeaks-tools.md` §G (the reference server's behaviour, which the
//! TrainingPeaks web app accepts), plus the validation the reference skips:
//!
//! - [`coggan_power_zones`]: five Coggan zones in **watts** from an FTP (watts).
//! - [`update_hr_zones`]: rescales a heart-rate zone set (bpm) to a new threshold / max HR.
//! - [`parse_pace`] → m/s, [`scale_speed_zones`]: rescales a speed zone set (m/s).
//! - [`format_pace`], [`percent_of`], [`is_open_power`], [`is_open_hr`], [`is_open_speed`]:
//!   how zones are shown to people (paces as `M:SS/km`, open-ended top zones).
//!
//! Units on the wire (spec §8.1): power zones in watts (2000 W sentinel on the top zone),
//! heart-rate zones in bpm (the top zone ends at max HR; older sets use a 255 sentinel),
//! speed zones in metres per second (the top zone ends at 10 × threshold).
//!
//! Rounding follows JavaScript's `Math.round` (halves go up), see [`round_half_up`], so our
//! zones are bit-for-bit those the reference and the web app produce.

mod heart_rate;
mod power;
mod speed;

pub use heart_rate::{HrUpdate, HrZoneSet, update_hr_zones};
pub use power::{
    COGGAN_UPPER_PERCENTS, FTP_MAX_W, FTP_MIN_W, POWER_OPEN_W, POWER_SENTINEL_W,
    coggan_power_zones, is_open_power,
};
pub use speed::{
    PaceUnit, SPEED_OPEN_MPS, SPEED_SENTINEL_FACTOR, format_pace, is_open_speed, parse_pace,
    scale_speed_zones,
};

pub use heart_rate::{HR_MAX_BPM, HR_MIN_BPM, HR_OPEN_BPM, is_open_hr};

/// One zone: a label and its bounds, in the unit of its set (watts, bpm or m/s).
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// The zone's label, e.g. "Zone 1" or "Endurance".
    pub label: String,
    /// Lower bound.
    pub minimum: f64,
    /// Upper bound (the top zone's may be a sentinel meaning "open-ended").
    pub maximum: f64,
}

impl Zone {
    /// A zone from its label and bounds.
    pub fn new(label: impl Into<String>, minimum: f64, maximum: f64) -> Self {
        Self {
            label: label.into(),
            minimum,
            maximum,
        }
    }
}

/// Why a zone computation was refused. Messages say what would be valid; the tools attach
/// the argument name.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ZoneError {
    /// A number outside the plausible range (or not finite).
    #[error("{quantity} {value} {unit} is out of range; use a value from {min} to {max} {unit}")]
    OutOfRange {
        /// What the number is, e.g. "FTP".
        quantity: &'static str,
        /// The value given.
        value: f64,
        /// Smallest accepted value.
        min: f64,
        /// Largest accepted value.
        max: f64,
        /// Its unit, e.g. "W".
        unit: &'static str,
    },
    /// A pace that is not `M:SS` (optionally with the unit suffix).
    #[error("invalid pace \"{input}\": {reason}; use M:SS, e.g. {example}")]
    InvalidPace {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
        /// A valid example for this unit.
        example: &'static str,
    },
    /// A pace of zero or a negative pace.
    #[error("pace \"{input}\" must be positive (more than 0:00); use M:SS, e.g. {example}")]
    NonPositivePace {
        /// The text given.
        input: String,
        /// A valid example for this unit.
        example: &'static str,
    },
    /// Heart-rate values that contradict each other once merged with the current set.
    #[error("{0}")]
    Inconsistent(String),
    /// The zone set to rescale has no zones.
    #[error("the zone set has no zones to rescale")]
    NoZones,
}

/// Rounds like JavaScript's `Math.round`: to the nearest integer, halves towards +∞
/// (`2.5 → 3`, `-2.5 → -2`). Rust's `f64::round` sends `-2.5` to `-3`; all zone bounds are
/// non-negative so the two agree here, but the zones must match the reference exactly, so
/// we state the rule once and use it everywhere.
pub fn round_half_up(x: f64) -> f64 {
    let floor = x.floor();
    // `x - floor` is exact for every finite f64, so this never mis-rounds near halves
    // the way `(x + 0.5).floor()` does for 0.49999999999999994.
    if x - floor >= 0.5 { floor + 1.0 } else { floor }
}

/// `value` as a percentage of `threshold`, rounded to a whole percent (`None` when the
/// threshold is not positive).
pub fn percent_of(value: f64, threshold: f64) -> Option<f64> {
    (threshold > 0.0 && value.is_finite() && threshold.is_finite())
        .then(|| round_half_up(value / threshold * 100.0))
}

/// Checks that `value` is finite and within `min..=max`.
fn check_range(
    quantity: &'static str,
    value: f64,
    min: f64,
    max: f64,
    unit: &'static str,
) -> Result<(), ZoneError> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ZoneError::OutOfRange {
            quantity,
            value,
            min,
            max,
            unit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_half_up_matches_javascript() {
        let cases = [
            ("half goes up", 137.5, 138.0),
            ("below half", 213.75 - 0.5, 213.0),
            ("above half", 213.75, 214.0),
            ("negative half goes up", -2.5, -2.0),
            ("largest below half", 0.499_999_999_999_999_94, 0.0),
            ("integer", 176.0, 176.0),
            ("zero", 0.0, 0.0),
        ];
        for (name, x, want) in cases {
            assert_eq!(round_half_up(x), want, "{name}");
        }
    }

    #[test]
    fn percent_of_threshold() {
        let cases = [
            ("zone 2 top at FTP 250", 188.0, 250.0, Some(75.0)),
            ("threshold", 265.0, 265.0, Some(100.0)),
            ("no threshold", 100.0, 0.0, None),
            ("negative threshold", 100.0, -5.0, None),
        ];
        for (name, v, t, want) in cases {
            assert_eq!(percent_of(v, t), want, "{name}");
        }
    }
}
