//! FIT workout files (`file_id.type` = 5): `file_id`, `workout`, then one `workout_step` per
//! step, written with the framing of [`crate::fit::encode`] (rules in the parent module's docs).

use super::{ExportError, ExportOptions};
use crate::fit::encode::{V, Writer};
use crate::structure::{
    Block, BlockKind, IntensityClass, IntensityMetric, LengthUnit, Step, Structure,
};

/// FIT `wkt_step_duration`.
const DURATION_TIME: u8 = 0;
const DURATION_DISTANCE: u8 = 1;
const DURATION_OPEN: u8 = 5;
const DURATION_REPEAT: u8 = 6;
/// FIT `wkt_step_target`.
const TARGET_SPEED: u8 = 0;
const TARGET_HEART_RATE: u8 = 1;
const TARGET_OPEN: u8 = 2;
const TARGET_POWER: u8 = 4;

/// The longest step name written (bytes, before the NUL); FIT strings are fixed-size fields.
const NAME_BYTES: usize = 40;

/// How a target becomes FIT's custom low/high values.
#[derive(Clone, Copy)]
enum Scale {
    /// % FTP as is (FIT reads 0–1000 as % FTP).
    PercentFtp,
    /// % LTHR → bpm + 100 (FIT reads 0–100 as % max HR, above as bpm + 100).
    Bpm { lthr: f64 },
    /// % threshold pace → speed in mm/s.
    Speed { threshold_mps: f64 },
}

impl Scale {
    fn target_type(self) -> u8 {
        match self {
            Scale::PercentFtp => TARGET_POWER,
            Scale::Bpm { .. } => TARGET_HEART_RATE,
            Scale::Speed { .. } => TARGET_SPEED,
        }
    }

    fn value(self, pct: f64) -> u32 {
        let v = match self {
            Scale::PercentFtp => pct,
            Scale::Bpm { lthr } => lthr * pct / 100.0 + 100.0,
            Scale::Speed { threshold_mps } => threshold_mps * pct / 100.0 * 1000.0,
        };
        v.round().clamp(0.0, f64::from(u32::MAX - 1)) as u32
    }
}

/// Writes the FIT workout.
pub(super) fn write(s: &Structure, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let positive = |v: Option<f64>| v.filter(|x| x.is_finite() && *x > 0.0);
    let scale = match s.primary_intensity_metric {
        IntensityMetric::PercentOfFtp => Scale::PercentFtp,
        IntensityMetric::PercentOfThresholdHr => Scale::Bpm {
            lthr: positive(opts.lthr_bpm).ok_or_else(|| {
                ExportError::new(
                    "lthrBpm",
                    "a FIT workout gives heart-rate targets in bpm, so % LTHR targets need the athlete's threshold heart rate",
                )
            })?,
        },
        IntensityMetric::PercentOfThresholdPace => Scale::Speed {
            threshold_mps: positive(opts.threshold_speed_mps).ok_or_else(|| {
                ExportError::new(
                    "thresholdSpeedMps",
                    "a FIT workout gives pace targets as speeds, so % pace targets need the athlete's threshold pace",
                )
            })?,
        },
    };
    let (sport, sub_sport) = match opts
        .sport
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("run" | "running") => (1, 0),
        Some("swim" | "swimming") => (5, 17),
        Some("other") => (0, 0),
        _ => (2, 0),
    };
    let mut steps: Vec<Vec<(u8, V)>> = Vec::new();
    for b in &s.structure {
        block(&mut steps, b, scale)?;
    }
    let count = u16::try_from(steps.len())
        .map_err(|_| ExportError::new("structure", "too many steps for a FIT workout"))?;

    let mut w = Writer::default();
    w.message(
        0,
        0,
        &[
            (0, V::Enum(Some(5))),  // type: workout
            (1, V::U16(Some(255))), // manufacturer: development
            (2, V::U16(Some(0))),   // product
            (3, V::U32z(Some(1))),  // serial number
            (4, V::U32(None)),      // time created: unknown (core has no clock here)
        ],
    );
    w.message(
        1,
        26,
        &[
            (4, V::Enum(Some(sport))),
            (11, V::Enum(Some(sub_sport))),
            (6, V::U16(Some(count))),
            (8, V::Str(truncate(opts.name()), str_size(opts.name()))),
        ],
    );
    for (i, mut fields) in steps.into_iter().enumerate() {
        fields.insert(0, (254, V::U16(Some(i as u16))));
        w.message(2, 27, &fields);
    }
    Ok(w.finish())
}

fn truncate(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if out.len() + c.len_utf8() > NAME_BYTES {
            break;
        }
        out.push(c);
    }
    out
}

fn str_size(s: &str) -> u8 {
    (truncate(s).len() + 1) as u8
}

fn block(out: &mut Vec<Vec<(u8, V)>>, b: &Block, scale: Scale) -> Result<(), ExportError> {
    let first = out.len();
    for st in &b.steps {
        out.push(step(st, scale)?);
    }
    if b.kind == BlockKind::Repetition && b.length.value > 1.0 {
        out.push(vec![
            (0, V::Str(String::new(), 1)),
            (1, V::Enum(Some(DURATION_REPEAT))),
            (2, V::U32(Some(first as u32))), // repeat from this step index
            (3, V::Enum(None)),
            (4, V::U32(Some(b.length.value.round() as u32))), // number of times
            (5, V::U32(None)),
            (6, V::U32(None)),
            (7, V::Enum(None)),
        ]);
    }
    Ok(())
}

fn step(st: &Step, scale: Scale) -> Result<Vec<(u8, V)>, ExportError> {
    let name = st.name.as_deref().unwrap_or_default();
    let (duration_type, duration_value) = if st.open_duration {
        (DURATION_OPEN, None)
    } else {
        match st.length.unit {
            LengthUnit::Second => (DURATION_TIME, Some(st.length.value * 1000.0)),
            LengthUnit::Meter | LengthUnit::Mile => (
                DURATION_DISTANCE,
                Some(st.length.value * st.length.unit.to_base() * 100.0),
            ),
            LengthUnit::Repetition => {
                return Err(ExportError::new(
                    "structure",
                    "a step measured in repetitions cannot be written to FIT",
                ));
            }
        }
    };
    let duration_value =
        duration_value.map(|v| v.round().clamp(0.0, f64::from(u32::MAX - 1)) as u32);
    let target = st
        .primary()
        .and_then(|t| Some((t.min_value.or(t.max_value)?, t.max_value.or(t.min_value)?)));
    let (target_type, low, high) = match target {
        Some((lo, hi)) => (
            scale.target_type(),
            Some(scale.value(lo.min(hi))),
            Some(scale.value(lo.max(hi))),
        ),
        None => (TARGET_OPEN, None, None),
    };
    let intensity = match st.intensity_class {
        IntensityClass::WarmUp => 2,
        IntensityClass::Rest => 1,
        IntensityClass::CoolDown => 3,
        IntensityClass::Active | IntensityClass::Other => 0,
    };
    Ok(vec![
        (0, V::Str(truncate(name), str_size(name))),
        (1, V::Enum(Some(duration_type))),
        (2, V::U32(duration_value)),
        (3, V::Enum(Some(target_type))),
        (4, V::U32(target.map(|_| 0))), // zone 0: the custom range below
        (5, V::U32(low)),
        (6, V::U32(high)),
        (7, V::Enum(Some(intensity))),
    ])
}
