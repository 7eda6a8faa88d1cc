//! The TrainingPeaks wire structure (what is stored on a workout) and its exact serialisation.
//!
//! Field order follows the reference (and so the web app): root = `structure`, `polyline`,
//! `primaryLengthMetric`, `primaryIntensityMetric`, `primaryIntensityTargetOrRange`; block =
//! `type`, `length`, `steps`, `begin`, `end`; step = `name`, `length`, `targets`,
//! `intensityClass`, `openDuration`, `type`. Integral numbers print without a fraction (`1`, not
//! `1.0`), as JavaScript prints them, so the JSON is byte-comparable with the reference.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A compiled workout structure, exactly as TrainingPeaks stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Structure {
    /// The top-level blocks, in order.
    pub structure: Vec<Block>,
    /// The preview graph: `[x, y]` points, x = position 0–1, y = intensity relative to the
    /// workout's highest target (both rounded to 3 decimals); empty when nothing to draw.
    #[serde(serialize_with = "ser_points")]
    pub polyline: Vec<[f64; 2]>,
    /// Whether lengths, `begin`/`end` and the polyline are in seconds or metres.
    pub primary_length_metric: LengthMetric,
    /// What the primary targets are a percentage of.
    pub primary_intensity_metric: IntensityMetric,
    /// Always `range` when compiled (targets carry min and max).
    pub primary_intensity_target_or_range: TargetOrRange,
    /// Display unit for distance workouts (`meter`); absent for time-based workouts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visualization_distance_unit: Option<String>,
}

/// One top-level block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// `step`, `repetition`, `rampUp` or `rampDown`.
    #[serde(rename = "type")]
    pub kind: BlockKind,
    /// `{value: 1 | reps, unit: "repetition"}`.
    pub length: Length,
    /// The block's steps (a repetition repeats all of them in order).
    pub steps: Vec<Step>,
    /// Offset where the block starts, in the workout's length metric (seconds or metres).
    #[serde(serialize_with = "ser_num")]
    pub begin: f64,
    /// Offset where the block ends.
    #[serde(serialize_with = "ser_num")]
    pub end: f64,
    /// Unknown keys passed through from wire input.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Block {
    /// How many times the block's steps run (the rep count for repetitions, else 1).
    pub fn repeats(&self) -> f64 {
        match self.kind {
            BlockKind::Repetition => self.length.value,
            _ => 1.0,
        }
    }
}

/// Block types TrainingPeaks stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BlockKind {
    /// A single step.
    Step,
    /// Steps repeated `length.value` times.
    Repetition,
    /// A rising staircase of sub-steps.
    RampUp,
    /// A falling staircase of sub-steps.
    RampDown,
}

/// A `{value, unit}` length.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Length {
    /// The amount, in `unit`.
    #[serde(serialize_with = "ser_num")]
    pub value: f64,
    /// The unit.
    pub unit: LengthUnit,
}

/// Length units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LengthUnit {
    /// Blocks: how many times to run the steps.
    Repetition,
    /// Time steps.
    Second,
    /// Distance steps.
    Meter,
    /// Distance steps in miles (accepted from wire input; never generated).
    Mile,
}

impl LengthUnit {
    /// Factor to the workout's base unit (seconds or metres).
    pub fn to_base(self) -> f64 {
        match self {
            LengthUnit::Mile => 1609.344,
            _ => 1.0,
        }
    }
}

/// One interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Display name; absent when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Duration (`second`) or distance (`meter`, `mile`).
    pub length: Length,
    /// Primary target (no `unit`, % of the root metric) and optional cadence target.
    pub targets: Vec<Target>,
    /// Warm-up, active, rest, cool-down or other.
    pub intensity_class: IntensityClass,
    /// True for a lap-button step (its length is the planned estimate).
    pub open_duration: bool,
    /// `"step"` on steps inside multi-step blocks (repetitions, ramps); absent in step blocks.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<StepKind>,
    /// Unknown keys passed through from wire input.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Step {
    /// The primary target: the first target without a `unit` (the reference's rule).
    pub fn primary(&self) -> Option<&Target> {
        self.targets.iter().find(|t| t.unit.is_none())
    }

    /// The cadence target, if any.
    pub fn cadence(&self) -> Option<&Target> {
        self.targets
            .iter()
            .find(|t| t.unit.as_deref() == Some(CADENCE_UNIT))
    }
}

/// The wire unit of cadence targets.
pub const CADENCE_UNIT: &str = "roundOrStridePerMinute";

/// The only `type` a step carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepKind {
    /// `"step"`.
    Step,
}

/// A target range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// Lower bound (always set by the compiler; wire input may omit it).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_num"
    )]
    pub min_value: Option<f64>,
    /// Upper bound (a single-value wire target has only `minValue`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_num"
    )]
    pub max_value: Option<f64>,
    /// Absent for the primary target; `roundOrStridePerMinute` for cadence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Cow<'static, str>>,
    /// Unknown keys passed through from wire input.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Target {
    /// The value the polyline draws and the metrics use as the top: max, else min.
    pub fn top(&self) -> Option<f64> {
        self.max_value.or(self.min_value)
    }

    /// The midpoint (min+max)/2, or the single value.
    pub fn midpoint(&self) -> Option<f64> {
        match (self.min_value, self.max_value) {
            (Some(a), Some(b)) => Some((a + b) / 2.0),
            (a, b) => a.or(b),
        }
    }
}

/// `intensityClass` values TrainingPeaks accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IntensityClass {
    /// Warm-up.
    WarmUp,
    /// Work.
    Active,
    /// Recovery (the API rejects `recovery`; it maps here).
    Rest,
    /// Cool-down.
    CoolDown,
    /// Anything else.
    Other,
}

impl IntensityClass {
    /// Parses a class leniently: case, `_`, `-` and spaces are ignored; `recovery` → `rest`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut buf = [0u8; 16];
        let mut n = 0;
        for b in s.bytes() {
            if matches!(b, b'_' | b'-' | b' ') {
                continue;
            }
            if n == buf.len() {
                return None;
            }
            buf[n] = b.to_ascii_lowercase();
            n += 1;
        }
        Some(match buf.get(..n)? {
            b"warmup" => IntensityClass::WarmUp,
            b"active" => IntensityClass::Active,
            b"rest" | b"recovery" => IntensityClass::Rest,
            b"cooldown" => IntensityClass::CoolDown,
            b"other" => IntensityClass::Other,
            _ => return None,
        })
    }
}

/// What primary targets are a percentage of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IntensityMetric {
    /// % of functional threshold power.
    PercentOfFtp,
    /// % of threshold heart rate.
    PercentOfThresholdHr,
    /// % of threshold pace (speed).
    PercentOfThresholdPace,
}

impl IntensityMetric {
    /// Parses the wire name exactly.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "percentOfFtp" => IntensityMetric::PercentOfFtp,
            "percentOfThresholdHr" => IntensityMetric::PercentOfThresholdHr,
            "percentOfThresholdPace" => IntensityMetric::PercentOfThresholdPace,
            _ => return None,
        })
    }
}

/// Whether a workout is measured in time or distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LengthMetric {
    /// Seconds.
    Duration,
    /// Metres.
    Distance,
}

/// `primaryIntensityTargetOrRange`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TargetOrRange {
    /// Targets are ranges (what every writer sends).
    Range,
    /// Single targets (seen only in type declarations).
    Target,
}

/// Unknown JSON keys kept in input order; serialised after the known keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extra(pub Vec<(String, serde_json::Value)>);

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Extra;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Extra, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry()? {
                    out.push((k, v));
                }
                Ok(Extra(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Serialises integral values as integers (JavaScript's `1`, not serde's `1.0`).
pub(crate) fn ser_num<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    let x = *x;
    // 2^53: beyond it not every integer is representable, so keep the float form.
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        if x == 0.0 {
            // JavaScript prints -0 as 0.
            s.serialize_i64(0)
        } else {
            s.serialize_i64(x as i64)
        }
    } else {
        s.serialize_f64(x)
    }
}

fn ser_opt_num<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(x) => ser_num(x, s),
        None => s.serialize_none(),
    }
}

struct Num(f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_num(&self.0, s)
    }
}

fn ser_points<S: Serializer>(points: &[[f64; 2]], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(points.iter().map(|[x, y]| [Num(*x), Num(*y)]))
}

impl Structure {
    /// The structure as a JSON value (key order as on the wire).
    pub fn to_value(&self) -> serde_json::Value {
        // Serialising plain data to a Value cannot fail (no non-string map keys, no NaN
        // rejection in Value); fall back to Null rather than panic.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The structure as compact JSON text, byte-comparable with the reference output.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
