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
    pub name: Option<StepName>,
    /// Duration (`second`) or distance (`meter`, `mile`).
    pub length: Length,
    /// Primary target (no `unit`, % of the root metric) and optional cadence target.
    pub targets: Targets,
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

/// A step's display name, read as a `&str` (`Deref<Target = str>`) and serialised as a JSON
/// string, exactly like a `String`.
///
/// Names up to [`StepName::INLINE`] bytes (nearly all: "Warm Up", "Threshold") are held inline,
/// so that compiling a step does not allocate for its name; longer ones live on the heap.
#[derive(Clone)]
pub struct StepName(NameRepr);

#[derive(Clone)]
enum NameRepr {
    Inline {
        len: u8,
        buf: [u8; StepName::INLINE],
    },
    Heap(Box<str>),
}

impl StepName {
    /// The longest name held without a heap allocation, in bytes.
    pub const INLINE: usize = 22;

    /// A name holding a copy of `s`.
    pub fn new(s: &str) -> Self {
        let mut buf = [0u8; StepName::INLINE];
        match buf.get_mut(..s.len()) {
            Some(dst) => {
                dst.copy_from_slice(s.as_bytes());
                StepName(NameRepr::Inline {
                    len: s.len() as u8,
                    buf,
                })
            }
            None => StepName(NameRepr::Heap(s.into())),
        }
    }

    /// The name as a string slice.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // The bytes are a whole `&str` copied in `new`, so they are always valid UTF-8 (the
            // fallback is unreachable); checking keeps this free of `unsafe`.
            NameRepr::Inline { len, buf } => buf
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
            NameRepr::Heap(s) => s,
        }
    }
}

impl std::ops::Deref for StepName {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for StepName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for StepName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for StepName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for StepName {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for StepName {}

impl PartialEq<str> for StepName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for StepName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<&str> for StepName {
    fn from(s: &str) -> Self {
        StepName::new(s)
    }
}

impl From<String> for StepName {
    fn from(s: String) -> Self {
        if s.len() <= StepName::INLINE {
            StepName::new(&s)
        } else {
            StepName(NameRepr::Heap(s.into_boxed_str()))
        }
    }
}

impl Serialize for StepName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for StepName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(StepName::from)
    }
}

/// A step's targets, read as a slice (`Deref<Target = [Target]>`) and serialised as a JSON
/// array, exactly like a `Vec<Target>`.
///
/// Compiled steps have at most two targets (the primary and the cadence target), so up to two
/// are held inline and a step costs no heap allocation for them; longer wire lists spill to a
/// `Vec`. Build one with [`Targets::new`] + [`Targets::push`], `From<Vec<Target>>` or `collect()`.
#[derive(Clone, Default)]
pub struct Targets(TargetsRepr);

#[derive(Clone, Default)]
enum TargetsRepr {
    #[default]
    Zero,
    One(Target),
    Two([Target; 2]),
    Heap(Vec<Target>),
}

impl Targets {
    /// No targets.
    pub const fn new() -> Self {
        Targets(TargetsRepr::Zero)
    }

    /// Appends a target.
    pub fn push(&mut self, t: Target) {
        self.0 = match std::mem::take(&mut self.0) {
            TargetsRepr::Zero => TargetsRepr::One(t),
            TargetsRepr::One(a) => TargetsRepr::Two([a, t]),
            TargetsRepr::Two([a, b]) => TargetsRepr::Heap(vec![a, b, t]),
            TargetsRepr::Heap(mut v) => {
                v.push(t);
                TargetsRepr::Heap(v)
            }
        };
    }

    /// The targets as a slice.
    pub fn as_slice(&self) -> &[Target] {
        match &self.0 {
            TargetsRepr::Zero => &[],
            TargetsRepr::One(t) => std::slice::from_ref(t),
            TargetsRepr::Two(ts) => ts,
            TargetsRepr::Heap(v) => v,
        }
    }
}

impl std::ops::Deref for Targets {
    type Target = [Target];
    fn deref(&self) -> &[Target] {
        self.as_slice()
    }
}

impl fmt::Debug for Targets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl PartialEq for Targets {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl From<Target> for Targets {
    fn from(t: Target) -> Self {
        Targets(TargetsRepr::One(t))
    }
}

impl From<[Target; 2]> for Targets {
    fn from(ts: [Target; 2]) -> Self {
        Targets(TargetsRepr::Two(ts))
    }
}

impl From<Vec<Target>> for Targets {
    fn from(v: Vec<Target>) -> Self {
        if v.len() > 2 {
            return Targets(TargetsRepr::Heap(v));
        }
        v.into_iter().collect()
    }
}

impl FromIterator<Target> for Targets {
    fn from_iter<I: IntoIterator<Item = Target>>(iter: I) -> Self {
        let mut out = Targets::new();
        for t in iter {
            out.push(t);
        }
        out
    }
}

impl<'a> IntoIterator for &'a Targets {
    type Item = &'a Target;
    type IntoIter = std::slice::Iter<'a, Target>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl Serialize for Targets {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.as_slice())
    }
}

impl<'de> Deserialize<'de> for Targets {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<Target>::deserialize(d).map(Targets::from)
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
        struct ExtraVisitor;
        impl<'de> Visitor<'de> for ExtraVisitor {
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
        d.deserialize_map(ExtraVisitor)
    }
}

/// Serialises integral values as integers (JavaScript's `1`, not serde's `1.0`).
pub(crate) fn ser_num<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    let x = *x;
    // 2^53: beyond it not every integer is representable, so keep the float form. The
    // round trip through i64 tests for a whole number without `fract()` (a libm call
    // natively); NaN and infinities fail the bound. -0 becomes 0, as JavaScript prints it.
    if x.abs() < 9_007_199_254_740_992.0 {
        let i = x as i64;
        if i as f64 == x {
            return s.serialize_i64(i);
        }
    }
    s.serialize_f64(x)
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
