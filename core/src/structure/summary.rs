//! A one-line human summary of a workout structure, for tool output and the overlay, e.g.
//! `1h06 · 20′ warm-up 45–60 % FTP · 3×(“Threshold” 15′ @ 95–105 % FTP / 5′ @ 50–55 %) · 10′ cool-down`.
//!
//! Conventions: the total comes first; blocks are separated by ` · `; durations print as
//! `1h06`, `45′`, `1′30″`, `30″`; distances as `400 m`, `1.5 km`, `2 mi`; a repetition is
//! `N×(a / b)`; a ramp is `10′ ramp 50→75 % FTP`; a lap-button step is `lap ~5′` (its length is
//! the estimate); warm-up and cool-down steps are labelled, other steps use `@`; the metric name
//! (`% FTP`, `% threshold HR`, `% threshold pace`) is written once per block; cadence follows as
//! `85–95 rpm`. A step's name, as the coach wrote it, leads the step in quotes (`“Threshold”
//! 15′ …`), unless it only repeats the warm-up/cool-down label; a ramp shows its sub-steps'
//! name once.
//!
//! Two ways in: [`summary`] for a compiled [`Structure`], and [`stored_summary`] for a structure
//! as TrainingPeaks stored it, read leniently: numbers may be strings, fields may be missing or
//! `null`, and classes, units, block types and metrics may be ones we have never seen. What
//! cannot be read is shown as `?` (a length), left out (a target), or shown by its raw name (a
//! unit or metric); a total that misses some lengths is a lower bound (`≥ 1h06`). Both go
//! through one renderer, so a stored workout reads exactly like the one that was compiled.

use serde::Deserialize;
use serde_json::Value;

use super::wire::{
    Block, BlockKind, IntensityClass, IntensityMetric, LengthMetric, LengthUnit, Step, Structure,
};
use crate::wire::Field;
use std::fmt::Write as _;

/// Renders the readable summary of a compiled structure (one line).
pub fn summary(s: &Structure) -> String {
    render(&View::of(s))
}

/// The athlete's own numbers [`summary_with`] adds beside each % target, e.g. FTP 250 W turns
/// `15′ @ 95–105 % FTP` into `15′ @ 95–105 % FTP (238–263 W)`. A threshold that is missing
/// (or not a positive number) leaves targets of its metric in % only.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Thresholds {
    /// Functional threshold power, watts (for `% FTP` targets).
    pub ftp_w: Option<f64>,
    /// Threshold heart rate, bpm (for `% threshold HR` targets).
    pub lthr_bpm: Option<f64>,
    /// Threshold pace as a speed, m/s (for `% threshold pace` targets, which are % of this
    /// speed: 105 % is faster than threshold).
    pub threshold_speed_mps: Option<f64>,
    /// What a pace is shown per (km by default).
    pub pace_per: PaceUnit,
}

/// The distance a pace is written per: the athlete's units (TrainingPeaks' metric or imperial
/// setting) and the sport (a swim's pace is per 100 m or 100 yd, a run's per km or mile).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PaceUnit {
    /// `/km`.
    #[default]
    Km,
    /// `/mi`.
    Mile,
    /// `/100m`.
    Hundred,
    /// `/100yd`.
    HundredYards,
}

impl PaceUnit {
    /// The unit for a sport (`swim` or anything else) in metric or imperial units.
    pub fn of(swim: bool, imperial: bool) -> PaceUnit {
        match (swim, imperial) {
            (false, false) => PaceUnit::Km,
            (false, true) => PaceUnit::Mile,
            (true, false) => PaceUnit::Hundred,
            (true, true) => PaceUnit::HundredYards,
        }
    }

    /// The distance in metres and the label (after a no-break space).
    fn per(self) -> (f64, &'static str) {
        match self {
            PaceUnit::Km => (1000.0, "\u{a0}/km"),
            PaceUnit::Mile => (1609.344, "\u{a0}/mi"),
            PaceUnit::Hundred => (100.0, "\u{a0}/100m"),
            PaceUnit::HundredYards => (91.44, "\u{a0}/100yd"),
        }
    }
}

/// [`summary`] with each % target also in the athlete's own numbers (watts, bpm or pace), where
/// `t` has the threshold of the workout's intensity metric.
pub fn summary_with(s: &Structure, t: &Thresholds) -> String {
    let mut v = View::of(s);
    v.scale = Scale::of(s.primary_intensity_metric, t);
    render(&v)
}

/// How a % target of the workout's metric becomes the athlete's own number.
#[derive(Debug, Clone, Copy)]
enum Scale {
    Watts(f64),
    Bpm(f64),
    /// Threshold speed (m/s) and what a pace is shown per.
    Pace(f64, PaceUnit),
}

impl Scale {
    fn of(metric: IntensityMetric, t: &Thresholds) -> Option<Scale> {
        let good = |x: Option<f64>| x.filter(|v| v.is_finite() && *v > 0.0);
        match metric {
            IntensityMetric::PercentOfFtp => good(t.ftp_w).map(Scale::Watts),
            IntensityMetric::PercentOfThresholdHr => good(t.lthr_bpm).map(Scale::Bpm),
            IntensityMetric::PercentOfThresholdPace => {
                good(t.threshold_speed_mps).map(|v| Scale::Pace(v, t.pace_per))
            }
        }
    }

    /// ` (lo–hi unit)` for a % range (`sep` between the ends), or nothing when a value cannot
    /// be shown (a pace at 0 %). A no-break space before the unit keeps `278 W` on one line
    /// where the builder wraps the summary.
    fn push(&self, out: &mut String, lo: f64, hi: f64, sep: &str) {
        let (a, b, unit) = match *self {
            Scale::Watts(ftp) => (whole(lo * ftp / 100.0), whole(hi * ftp / 100.0), "\u{a0}W"),
            Scale::Bpm(lthr) => (
                whole(lo * lthr / 100.0),
                whole(hi * lthr / 100.0),
                "\u{a0}bpm",
            ),
            Scale::Pace(speed, unit) => {
                let (per, label) = unit.per();
                let pace = |pct: f64| {
                    let secs = per / (speed * pct / 100.0);
                    (secs.is_finite() && secs > 0.0 && secs < 360_000.0).then(|| {
                        let total = secs.round() as u64;
                        format!("{}:{:02}", total / 60, total % 60)
                    })
                };
                let (Some(a), Some(b)) = (pace(lo), pace(hi)) else {
                    return;
                };
                (a, b, label)
            }
        };
        if a == b {
            let _ = write!(out, " ({a}{unit})");
        } else {
            let _ = write!(out, " ({a}{sep}{b}{unit})");
        }
    }
}

fn whole(x: f64) -> String {
    trim(x.round(), 0)
}

/// Renders the readable summary of a structure as TrainingPeaks stored it (an object, or a
/// JSON string holding one), tolerating drift. `None` when there is no block list to summarise.
pub fn stored_summary(v: &Value) -> Option<String> {
    let parsed;
    let v = match v {
        Value::String(text) => {
            parsed = serde_json::from_str::<Value>(text).ok()?;
            &parsed
        }
        v => v,
    };
    if !v.is_object() {
        return None;
    }
    let root = StoredRoot::deserialize(v).ok()?;
    View::of_stored(&root).map(|v| render(&v))
}

// ---- the view both entries are rendered from ----

/// A length unit as the summary sees it.
#[derive(Debug, Clone, PartialEq)]
enum Unit {
    Second,
    /// Metres per unit (1 for `meter`, 1609.344 for `mile`, 1000 for `kilometer`).
    Distance(f64),
    /// The block-level "repetition" unit.
    Repetition,
    /// A unit we do not know, by its raw name.
    Other(String),
}

impl Unit {
    fn parse(s: &str) -> Unit {
        match s.trim().to_ascii_lowercase().as_str() {
            "second" | "seconds" => Unit::Second,
            "meter" | "meters" | "metre" | "metres" => Unit::Distance(1.0),
            "mile" | "miles" => Unit::Distance(LengthUnit::Mile.to_base()),
            "kilometer" | "kilometers" | "kilometre" | "kilometres" => Unit::Distance(1000.0),
            "repetition" => Unit::Repetition,
            _ => Unit::Other(s.to_string()),
        }
    }

    fn of(u: LengthUnit) -> Unit {
        match u {
            LengthUnit::Second => Unit::Second,
            LengthUnit::Repetition => Unit::Repetition,
            u => Unit::Distance(u.to_base()),
        }
    }

    /// The factor to the workout's base unit, when the unit belongs to `metric`.
    fn to_base(&self, metric: LengthMetric) -> Option<f64> {
        match (self, metric) {
            (Unit::Second, LengthMetric::Duration) => Some(1.0),
            (Unit::Distance(f), LengthMetric::Distance) => Some(*f),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Step,
    Repetition,
    RampUp,
    RampDown,
}

/// A `{min, max}` target with either end possibly unknown.
type Range = (Option<f64>, Option<f64>);

#[derive(Debug, Default)]
struct VStep {
    name: Option<String>,
    /// Value and unit, when both are known.
    length: Option<(f64, Unit)>,
    class: Option<IntensityClass>,
    open: bool,
    primary: Option<Range>,
    cadence: Option<Range>,
}

#[derive(Debug)]
struct VBlock {
    kind: Kind,
    /// How many times the steps run; `None` when a repetition's count is unknown.
    repeats: Option<f64>,
    steps: Vec<VStep>,
}

#[derive(Debug)]
struct View {
    blocks: Vec<VBlock>,
    metric: LengthMetric,
    label: String,
    /// The athlete's numbers beside the % targets ([`summary_with`]).
    scale: Option<Scale>,
}

fn label_of(m: IntensityMetric) -> &'static str {
    match m {
        IntensityMetric::PercentOfFtp => "% FTP",
        IntensityMetric::PercentOfThresholdHr => "% threshold HR",
        IntensityMetric::PercentOfThresholdPace => "% threshold pace",
    }
}

impl View {
    fn of(s: &Structure) -> View {
        let blocks = s
            .structure
            .iter()
            .map(|b: &Block| VBlock {
                kind: match b.kind {
                    BlockKind::Step => Kind::Step,
                    BlockKind::Repetition => Kind::Repetition,
                    BlockKind::RampUp => Kind::RampUp,
                    BlockKind::RampDown => Kind::RampDown,
                },
                repeats: Some(b.repeats()),
                steps: b
                    .steps
                    .iter()
                    .map(|st: &Step| VStep {
                        name: st.name.as_ref().map(|n| n.to_string()),
                        length: Some((st.length.value, Unit::of(st.length.unit))),
                        class: Some(st.intensity_class),
                        open: st.open_duration,
                        primary: st.primary().map(|t| (t.min_value, t.max_value)),
                        cadence: st.cadence().map(|t| (t.min_value, t.max_value)),
                    })
                    .collect(),
            })
            .collect();
        View {
            blocks,
            metric: s.primary_length_metric,
            label: label_of(s.primary_intensity_metric).to_string(),
            scale: None,
        }
    }

    fn of_stored(root: &StoredRoot) -> Option<View> {
        let blocks = root.structure.get()?;
        let declared = match root
            .primary_length_metric
            .get()
            .map(|m| m.trim().to_ascii_lowercase())
        {
            Some(m) if m == "duration" => Some(LengthMetric::Duration),
            Some(m) if m == "distance" => Some(LengthMetric::Distance),
            _ => None,
        };
        // Without a readable primaryLengthMetric, the steps tell: the first known unit wins.
        let metric = declared
            .or_else(|| {
                blocks
                    .iter()
                    .filter_map(|b| b.steps.get())
                    .flatten()
                    .filter_map(|s| s.length.get()?.unit.get())
                    .find_map(|u| match Unit::parse(u) {
                        Unit::Second => Some(LengthMetric::Duration),
                        Unit::Distance(_) => Some(LengthMetric::Distance),
                        _ => None,
                    })
            })
            .unwrap_or(LengthMetric::Duration);
        // A step without a unit is in the workout's base unit.
        let base_unit = match metric {
            LengthMetric::Duration => Unit::Second,
            LengthMetric::Distance => Unit::Distance(1.0),
        };
        let blocks: Vec<VBlock> = blocks
            .iter()
            .map(|b| {
                let kind = match b.kind.get().map(|k| k.trim().to_ascii_lowercase()) {
                    Some(k) if k == "repetition" => Kind::Repetition,
                    Some(k) if k == "rampup" => Kind::RampUp,
                    Some(k) if k == "rampdown" => Kind::RampDown,
                    // A step block, or a type we do not know: its steps in order.
                    _ => Kind::Step,
                };
                let repeats = match kind {
                    Kind::Repetition => b
                        .length
                        .get()
                        .and_then(|l| l.value.val())
                        .filter(|n| *n >= 0.0),
                    _ => Some(1.0),
                };
                let steps = b
                    .steps
                    .get()
                    .map(|steps| steps.iter().map(|st| stored_step(st, &base_unit)).collect())
                    .unwrap_or_default();
                VBlock {
                    kind,
                    repeats,
                    steps,
                }
            })
            .collect();
        let label = match root.primary_intensity_metric.get() {
            Some(m) => IntensityMetric::parse(m.trim()).map_or_else(
                || format!("% {}", clean_text(m)),
                |m| label_of(m).to_string(),
            ),
            None => "%".to_string(),
        };
        Some(View {
            blocks,
            metric,
            label,
            scale: None,
        })
    }
}

fn stored_step(st: &StoredStep, base_unit: &Unit) -> VStep {
    let length = st.length.get().and_then(|l| {
        let value = l.value.val()?;
        let unit = l
            .unit
            .get()
            .map_or_else(|| base_unit.clone(), |u| Unit::parse(u));
        Some((value, unit))
    });
    let targets = st.targets.get().map_or(&[][..], Vec::as_slice);
    // The primary target is the first without a unit (the reference's rule); cadence is the
    // one in rpm. Targets with another unit are not shown.
    let range = |t: &StoredTarget| (t.min_value.val(), t.max_value.val());
    let primary = targets.iter().find(|t| t.unit.get().is_none()).map(range);
    let cadence = targets
        .iter()
        .find(|t| t.unit.get().map(String::as_str) == Some(super::wire::CADENCE_UNIT))
        .map(range);
    VStep {
        name: st.name.get().cloned(),
        length,
        class: st
            .intensity_class
            .get()
            .and_then(|c| IntensityClass::parse(c)),
        open: st.open_duration.val().unwrap_or(false),
        primary,
        cadence,
    }
}

// ---- the stored (wire) structure, read leniently ----
//
// Display-only: these keep no `rest`, because the structure itself is kept verbatim on the
// workout (`Workout::structure`) and is never written back from here.

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct StoredRoot {
    structure: Field<Vec<StoredBlock>>,
    primary_length_metric: Field<String>,
    primary_intensity_metric: Field<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct StoredBlock {
    #[serde(rename = "type")]
    kind: Field<String>,
    length: Field<StoredLength>,
    steps: Field<Vec<StoredStep>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct StoredStep {
    name: Field<String>,
    length: Field<StoredLength>,
    targets: Field<Vec<StoredTarget>>,
    intensity_class: Field<String>,
    open_duration: Field<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct StoredLength {
    value: Field<f64>,
    unit: Field<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct StoredTarget {
    min_value: Field<f64>,
    max_value: Field<f64>,
    unit: Field<String>,
}

crate::lenient_struct!(StoredBlock, StoredStep, StoredLength, StoredTarget);

// ---- rendering ----

fn render(v: &View) -> String {
    if v.blocks.is_empty() {
        return "empty workout".to_owned();
    }
    let mut out = String::with_capacity(64 + 32 * v.blocks.len());
    let mut complete = true;
    let mut total = 0.0;
    for b in &v.blocks {
        let (len, whole) = block_length(b, v.metric);
        total += len;
        complete &= whole;
    }
    if !complete {
        if total <= 0.0 {
            out.push('?');
        } else {
            out.push_str("≥ ");
        }
    }
    if complete || total > 0.0 {
        match v.metric {
            LengthMetric::Duration => push_duration(&mut out, total),
            LengthMetric::Distance => push_distance(&mut out, total, 1.0),
        }
    }
    for b in &v.blocks {
        out.push_str(" · ");
        push_block(&mut out, b, &v.label, v.scale.as_ref());
    }
    out
}

/// A block's length in the workout's base unit (seconds or metres), and whether every part
/// of it was known.
fn block_length(b: &VBlock, metric: LengthMetric) -> (f64, bool) {
    let mut whole = b.repeats.is_some() && !b.steps.is_empty();
    let mut sum = 0.0;
    for s in &b.steps {
        match s
            .length
            .as_ref()
            .and_then(|(v, u)| Some(v * u.to_base(metric)?))
        {
            Some(x) => sum += x,
            None => whole = false,
        }
    }
    (b.repeats.unwrap_or(1.0) * sum, whole)
}

fn push_block(out: &mut String, b: &VBlock, metric: &str, scale: Option<&Scale>) {
    let mut metric = Some(metric);
    match b.kind {
        Kind::Repetition => {
            match b.repeats {
                Some(n) => {
                    let _ = write!(out, "{}×(", trim(n, 0));
                }
                None => out.push_str("?×("),
            }
            push_steps(out, &b.steps, &mut metric, scale);
            out.push(')');
        }
        Kind::RampUp | Kind::RampDown => push_ramp(out, b, metric.unwrap_or("%"), scale),
        Kind::Step => push_steps(out, &b.steps, &mut metric, scale),
    }
}

fn push_steps(out: &mut String, steps: &[VStep], metric: &mut Option<&str>, scale: Option<&Scale>) {
    if steps.is_empty() {
        out.push('?');
    }
    for (i, s) in steps.iter().enumerate() {
        if i > 0 {
            out.push_str(" / ");
        }
        push_step(out, s, metric, scale);
    }
}

fn push_length(out: &mut String, s: &VStep) {
    if s.open {
        out.push_str("lap ~");
    }
    match &s.length {
        Some((v, Unit::Second)) => push_duration(out, *v),
        Some((v, Unit::Distance(f))) => push_distance(out, *v, *f),
        Some((v, Unit::Repetition)) => {
            let _ = write!(out, "{}×", trim(*v, 1));
        }
        Some((v, Unit::Other(u))) => {
            let _ = write!(out, "{} {}", trim(*v, 2), clean_text(u));
        }
        None => out.push('?'),
    }
}

fn class_label(c: Option<IntensityClass>) -> Option<&'static str> {
    match c? {
        IntensityClass::WarmUp => Some("warm-up"),
        IntensityClass::CoolDown => Some("cool-down"),
        _ => None,
    }
}

/// Longest step name shown, in characters.
const NAME_MAX: usize = 40;

/// Control characters out, runs of whitespace folded, at most [`NAME_MAX`] characters (a cut
/// is marked with `…`).
fn clean_text(s: &str) -> String {
    let folded = s
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if folded.chars().count() > NAME_MAX {
        folded.chars().take(NAME_MAX - 1).collect::<String>() + "…"
    } else {
        folded
    }
}

/// The name to show for a step: none when empty or when it only repeats the class label
/// ("Warm up" on a warm-up step).
fn shown_name(name: Option<&str>, label: Option<&str>) -> Option<String> {
    let name = clean_text(name?);
    let key = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect::<String>()
    };
    if name.is_empty() || label.is_some_and(|l| key(l) == key(&name)) {
        return None;
    }
    Some(name)
}

fn push_name(out: &mut String, name: Option<String>) {
    if let Some(n) = name {
        let _ = write!(out, "“{n}” ");
    }
}

fn push_step(out: &mut String, s: &VStep, metric: &mut Option<&str>, scale: Option<&Scale>) {
    let label = class_label(s.class);
    push_name(out, shown_name(s.name.as_deref(), label));
    push_length(out, s);
    if let Some(l) = label {
        out.push(' ');
        out.push_str(l);
    }
    if let Some((lo, hi)) = s.primary
        && let (Some(lo), Some(hi)) = (lo.or(hi), hi.or(lo))
    {
        out.push_str(if label.is_some() { " " } else { " @ " });
        push_range(out, lo, hi, "–");
        out.push(' ');
        out.push_str(metric.take().unwrap_or("%"));
        if let Some(scale) = scale {
            scale.push(out, lo, hi, "–");
        }
    }
    push_cadence(out, s);
}

fn push_cadence(out: &mut String, s: &VStep) {
    if let Some((Some(lo), Some(hi))) = s.cadence {
        out.push(' ');
        push_range(out, lo, hi, "–");
        out.push_str(" rpm");
    }
}

fn push_ramp(out: &mut String, b: &VBlock, metric: &str, scale: Option<&Scale>) {
    let first = b.steps.first();
    let label = first.and_then(|s| class_label(s.class));
    push_name(
        out,
        shown_name(first.and_then(|s| s.name.as_deref()), label),
    );
    // A ramp's length is in its sub-steps' unit (time or distance), whatever the workout's.
    let ramp_metric = match first.and_then(|s| s.length.as_ref()).map(|l| &l.1) {
        Some(Unit::Distance(_)) => LengthMetric::Distance,
        _ => LengthMetric::Duration,
    };
    let (total, whole) = block_length(b, ramp_metric);
    if !whole {
        out.push_str(if total > 0.0 { "≥ " } else { "?" });
    }
    if whole || total > 0.0 {
        match ramp_metric {
            LengthMetric::Duration => push_duration(out, total),
            LengthMetric::Distance => push_distance(out, total, 1.0),
        }
    }
    if let Some(l) = label {
        out.push(' ');
        out.push_str(l);
    }
    out.push_str(" ramp");
    let first_t = first.and_then(|s| s.primary);
    let last_t = b.steps.last().and_then(|s| s.primary);
    if let (Some((fmin, fmax)), Some((lmin, lmax))) = (first_t, last_t) {
        let (start, end) = if b.kind == Kind::RampUp {
            (fmin.or(fmax), lmax.or(lmin))
        } else {
            (fmax.or(fmin), lmin.or(lmax))
        };
        if let (Some(a), Some(z)) = (start, end) {
            out.push(' ');
            push_range(out, a, z, "→");
            out.push(' ');
            out.push_str(metric);
            if let Some(scale) = scale {
                scale.push(out, a, z, "→");
            }
        }
    }
    if let Some(s) = first {
        push_cadence(out, s);
    }
}

fn push_range(out: &mut String, lo: f64, hi: f64, sep: &str) {
    if lo == hi {
        out.push_str(&trim(lo, 1));
    } else {
        let _ = write!(out, "{}{sep}{}", trim(lo, 1), trim(hi, 1));
    }
}

/// Formats a number with at most `decimals` decimals and no trailing zeros.
fn trim(x: f64, decimals: u32) -> String {
    crate::decimal::fixed(x, decimals, true)
}

fn push_duration(out: &mut String, seconds: f64) {
    let total = seconds.round().max(0.0) as u64;
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    if h > 0 {
        let _ = write!(out, "{h}h{m:02}");
        if s > 0 {
            let _ = write!(out, "′{s:02}″");
        }
    } else if m > 0 {
        let _ = write!(out, "{m}′");
        if s > 0 {
            let _ = write!(out, "{s:02}″");
        }
    } else {
        let _ = write!(out, "{s}″");
    }
}

/// A distance of `value` units of `metres_per_unit` metres: miles stay miles, the rest is
/// shown in metres or kilometres.
fn push_distance(out: &mut String, value: f64, metres_per_unit: f64) {
    if metres_per_unit == LengthUnit::Mile.to_base() {
        let _ = write!(out, "{} mi", trim(value, 2));
        return;
    }
    let metres = value * metres_per_unit;
    if metres < 1000.0 {
        let _ = write!(out, "{} m", trim(metres, 1));
    } else {
        let _ = write!(out, "{} km", trim(metres / 1000.0, 2));
    }
}

#[cfg(test)]
mod tests {
    use crate::structure::{compile_value, stored_summary, summary};
    use serde_json::{Value, json};

    #[test]
    fn summaries() {
        let cases = [
            (
                "classic threshold session",
                json!({"steps": [
                    {"duration_seconds": 1200, "intensity_min": 45, "intensity_max": 60, "intensityClass": "warmUp"},
                    {"type": "repetition", "reps": 3, "steps": [
                        {"duration_seconds": 900, "intensity_min": 95, "intensity_max": 105},
                        {"duration_seconds": 300, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}]},
                    {"duration_seconds": 600, "intensityClass": "coolDown"}]}),
                "1h30 · 20′ warm-up 45–60 % FTP · 3×(15′ @ 95–105 % FTP / 5′ @ 50–55 %) · 10′ cool-down",
            ),
            (
                "short with seconds and cadence",
                json!({"steps": [
                    {"type": "repetition", "reps": 10, "steps": [
                        {"duration_seconds": 30, "intensity_min": 120, "intensity_max": 150, "cadence_min": 100, "cadence_max": 110},
                        {"duration_seconds": 90, "intensity_min": 50, "intensity_max": 50}]}]}),
                "20′ · 10×(30″ @ 120–150 % FTP 100–110 rpm / 1′30″ @ 50 %)",
            ),
            (
                "ramps and lap step, HR",
                json!({"primaryIntensityMetric": "percentOfThresholdHr", "steps": [
                    {"type": "rampUp", "intensity_start": 60, "intensity_end": 80, "duration_seconds": 600, "intensityClass": "warmUp"},
                    {"duration_seconds": 300, "open_duration": true, "intensity_min": 70, "intensity_max": 75},
                    {"type": "rampDown", "intensity_start": 75, "intensity_end": 55, "duration_seconds": 240}]}),
                "19′ · 10′ warm-up ramp 60→80 % threshold HR · lap ~5′ @ 70–75 % threshold HR · 4′ ramp 75→55 % threshold HR",
            ),
            (
                "distance run, pace",
                json!({"primaryIntensityMetric": "percentOfThresholdPace", "steps": [
                    {"distance_meters": 2000, "intensity_min": 70, "intensity_max": 80, "intensityClass": "warmUp"},
                    {"type": "repetition", "reps": 6, "steps": [
                        {"distance_meters": 400, "intensity_min": 105, "intensity_max": 110},
                        {"distance_meters": 200, "intensity_min": 60, "intensity_max": 70}]},
                    {"distance_meters": 1500, "intensityClass": "coolDown"}]}),
                "7.1 km · 2 km warm-up 70–80 % threshold pace · 6×(400 m @ 105–110 % threshold pace / 200 m @ 60–70 %) · 1.5 km cool-down",
            ),
            (
                "just over an hour",
                json!({"steps": [{"duration_seconds": 3960, "intensity_min": 65, "intensity_max": 75}]}),
                "1h06 · 1h06 @ 65–75 % FTP",
            ),
            (
                "step names as the coach wrote them (issue 8 §2)",
                json!({"steps": [
                    {"name": "Warm up", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 65, "intensityClass": "warmUp"},
                    {"type": "repetition", "reps": 3, "steps": [
                        {"name": "Threshold", "duration_seconds": 600, "intensity_min": 95, "intensity_max": 100},
                        {"name": "Easy spin", "duration_seconds": 300, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}]},
                    {"type": "rampDown", "name": "Wind\ndown", "intensity_start": 60, "intensity_end": 40, "duration_seconds": 300},
                    {"name": "  ", "duration_seconds": 60, "intensity_min": 40, "intensity_max": 40, "intensityClass": "coolDown"}]}),
                "1h01 · 10′ warm-up 50–65 % FTP · 3×(“Threshold” 10′ @ 95–100 % FTP / “Easy spin” 5′ @ 50–55 %) · “Wind down” 5′ ramp 60→40 % FTP · 1′ cool-down 40 % FTP",
            ),
        ];
        for (name, input, want) in cases {
            let s = compile_value(&input).expect(name);
            assert_eq!(summary(&s), want, "{name}");
            // The stored form reads exactly like the compiled one, as an object or a string.
            let wire = s.to_value();
            assert_eq!(
                stored_summary(&wire).as_deref(),
                Some(want),
                "{name} stored"
            );
            let text = Value::String(wire.to_string());
            assert_eq!(
                stored_summary(&text).as_deref(),
                Some(want),
                "{name} as text"
            );
        }
    }

    /// A stored threshold session; `f` changes it the way a drifting server might.
    fn stored(f: impl FnOnce(&mut Value)) -> Option<String> {
        let s = compile_value(&json!({"steps": [
            {"name": "Warm up", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 65, "intensityClass": "warmUp"},
            {"type": "repetition", "reps": 3, "steps": [
                {"name": "Threshold", "duration_seconds": 600, "intensity_min": 95, "intensity_max": 100, "cadence_min": 85, "cadence_max": 95},
                {"name": "Easy spin", "duration_seconds": 300, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}]}]}))
        .unwrap();
        let mut v = s.to_value();
        f(&mut v);
        stored_summary(&v)
    }

    #[test]
    fn stored_structures_are_summarised_despite_drift() {
        let clean = "55′ · 10′ warm-up 50–65 % FTP · 3×(“Threshold” 10′ @ 95–100 % FTP 85–95 rpm / “Easy spin” 5′ @ 50–55 %)";
        type Change = Box<dyn FnOnce(&mut Value)>;
        let cases: Vec<(&str, Change, &str)> = vec![
            ("clean", Box::new(|_| {}), clean),
            (
                "numbers as strings and integral floats, unknown keys",
                Box::new(|v| {
                    v["structure"][1]["length"]["value"] = json!("3");
                    v["structure"][1]["steps"][0]["length"]["value"] = json!(600.0);
                    v["structure"][1]["steps"][0]["targets"][0]["minValue"] = json!("95");
                    v["structure"][0]["steps"][0]["zzNew"] = json!({"a": [1]});
                    v["zzNew0"] = json!(12.5);
                }),
                clean,
            ),
            (
                "unknown intensity class and metric",
                Box::new(|v| {
                    v["structure"][0]["steps"][0]["intensityClass"] = json!("zzUnheardOf");
                    v["primaryIntensityMetric"] = json!("zzUnheardOf");
                }),
                "55′ · “Warm up” 10′ @ 50–65 % zzUnheardOf · 3×(“Threshold” 10′ @ 95–100 % zzUnheardOf 85–95 rpm / “Easy spin” 5′ @ 50–55 %)",
            ),
            (
                "unknown length unit: shown raw, the total a lower bound",
                Box::new(|v| {
                    v["structure"][0]["steps"][0]["length"]["unit"] = json!("zzUnheardOf");
                }),
                "≥ 45′ · 600 zzUnheardOf warm-up 50–65 % FTP · 3×(“Threshold” 10′ @ 95–100 % FTP 85–95 rpm / “Easy spin” 5′ @ 50–55 %)",
            ),
            (
                "missing and null optional fields",
                Box::new(|v| {
                    let m = v.as_object_mut().unwrap();
                    m.remove("primaryLengthMetric");
                    m.remove("primaryIntensityMetric");
                    v["structure"][1]["steps"][0]["targets"] = Value::Null;
                    v["structure"][1]["steps"][1]["length"]["unit"] = Value::Null;
                    v["structure"][1]["steps"][1]["name"] = Value::Null;
                    v["structure"][0]["steps"][0]
                        .as_object_mut()
                        .unwrap()
                        .remove("length");
                }),
                "≥ 45′ · ? warm-up 50–65 % · 3×(“Threshold” 10′ / 5′ @ 50–55 %)",
            ),
            (
                "unknown block type and a missing rep count",
                Box::new(|v| {
                    v["structure"][0]["type"] = json!("zzUnheardOf");
                    v["structure"][1]["length"] = Value::Null;
                }),
                "≥ 25′ · 10′ warm-up 50–65 % FTP · ?×(“Threshold” 10′ @ 95–100 % FTP 85–95 rpm / “Easy spin” 5′ @ 50–55 %)",
            ),
            (
                "odd list entries are skipped",
                Box::new(|v| {
                    v["structure"].as_array_mut().unwrap().push(json!("junk"));
                    v["structure"][1]["steps"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!(7));
                }),
                clean,
            ),
        ];
        for (name, f, want) in cases {
            assert_eq!(stored(f).as_deref(), Some(want), "{name}");
        }
        for v in [
            json!(null),
            json!(5),
            json!("{not json"),
            json!({"title": "no blocks"}),
            json!({"structure": "x"}),
        ] {
            assert_eq!(stored_summary(&v), None, "{v}");
        }
        assert_eq!(
            stored_summary(&json!({"structure": []})).as_deref(),
            Some("empty workout")
        );
    }
}
