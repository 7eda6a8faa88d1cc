//! From the lenient input model to a validated [`Structure`]: format detection, the friendly
//! builder (steps, repetitions, ramps), wire pass-through, offsets and the polyline.

use super::CompileError;
use super::input::{InLength, InRoot, InStep, InTarget, J, Tree};
use super::keys::{self, Role};
use super::wire::{
    Block, BlockKind, CADENCE_UNIT, Extra, IntensityClass, IntensityMetric, Length, LengthMetric,
    LengthUnit, Step, StepKind, StepName, Structure, Target, TargetOrRange, Targets,
};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Longest step or workout, in seconds (24 h).
pub(crate) const MAX_SECONDS: f64 = 86_400.0;
/// Longest step or workout, in metres (1000 km).
pub(crate) const MAX_METERS: f64 = 1_000_000.0;
/// Highest intensity, in % of threshold.
const MAX_INTENSITY: f64 = 1000.0;
/// Cadence bounds, in rpm (rowing stroke rates sit near the bottom, run cadence near the top).
const CADENCE_RANGE: (f64, f64) = (1.0, 250.0);
/// Most repetitions of one block.
const MAX_REPS: f64 = 1000.0;
/// Most intervals once repetitions are expanded (keeps the polyline bounded).
const MAX_INSTANCES: usize = 10_000;
/// Ramp sub-step bounds.
const RAMP_STEPS: (f64, f64) = (2.0, 30.0);

/// A lazily rendered field path: building one costs nothing unless an error is reported.
#[derive(Clone, Copy)]
enum P<'a> {
    Root,
    Key(&'a P<'a>, &'static str),
    /// A key taken from the input (an unknown key): quoted when it is not a plain identifier.
    Field(&'a P<'a>, &'a str),
    Idx(&'a P<'a>, usize),
}

impl<'a> P<'a> {
    fn key(&'a self, k: &'static str) -> P<'a> {
        P::Key(self, k)
    }
    fn idx(&'a self, i: usize) -> P<'a> {
        P::Idx(self, i)
    }
    fn field(&'a self, k: &'a str) -> P<'a> {
        P::Field(self, k)
    }
    fn write(&self, out: &mut String) {
        match self {
            P::Root => {}
            P::Key(parent, k) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            P::Field(parent, k) => {
                parent.write(out);
                let plain = !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if plain {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                } else {
                    // `steps[0]["two words"]`: JSON string syntax, so any key reads back.
                    let _ = write!(
                        out,
                        "[{}]",
                        serde_json::Value::String(k.chars().take(60).collect())
                    );
                }
            }
            P::Idx(parent, i) => {
                parent.write(out);
                let _ = write!(out, "[{i}]");
            }
        }
    }
    fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        if out.is_empty() {
            out.push_str("(root)");
        }
        out
    }
    fn err<T>(&self, message: impl Into<String>) -> Result<T, CompileError> {
        Err(CompileError::new(self.render(), message))
    }
}

type R<T> = Result<T, CompileError>;

/// Re-enters the text parser for a double-serialised (string) root.
pub(crate) type Reparse = fn(&str, bool) -> R<Structure>;

pub(crate) fn compile_root<T: Tree>(
    input: &T,
    allow_string: bool,
    reparse: Reparse,
) -> R<Structure> {
    let p = P::Root;
    let root = match input.read() {
        J::Obj(obj) => InRoot::of(obj),
        J::Str(text) if allow_string && text.trim_start().starts_with('{') => {
            return reparse(text, false);
        }
        other => {
            return p.err(format!(
                "Structure must be a JSON object with a \"steps\" array (got {}).",
                other.kind_name()
            ));
        }
    };
    let metric = match root.primary_intensity_metric {
        None | Some(J::Null) => IntensityMetric::PercentOfFtp,
        Some(J::Str(s)) => match IntensityMetric::parse(s) {
            Some(m) => m,
            None => return bad_metric(&p, root.primary_intensity_metric),
        },
        other => return bad_metric(&p, other),
    };
    let vis_unit = match root.visualization_distance_unit {
        Some(J::Str(s)) => Some(s),
        _ => None,
    };
    let mut b = Builder::default();

    let steps_is_array = matches!(root.steps, Some(J::Arr(_)));
    if !steps_is_array && let Some(J::Arr(blocks)) = root.structure {
        let sp = p.key("structure");
        if blocks.is_empty() {
            return sp.err("Structure must have at least one step block.");
        }
        let mut out = Vec::with_capacity(blocks.len());
        for (i, blk) in blocks.iter().enumerate() {
            out.push(b.wire_block(&InStep::of(blk.read()), &sp.idx(i))?);
        }
        return b.finish(out, metric, vis_unit, &sp);
    }

    let sp = p.key("steps");
    let steps = match root.steps {
        Some(J::Arr(v)) if !v.is_empty() => v,
        Some(J::Arr(_)) => return sp.err("Structure must have at least one step."),
        Some(s) if !s.is_null() => {
            return sp.err(format!(
                "\"steps\" must be an array of steps, got {}.",
                s.kind_name()
            ));
        }
        _ => {
            return sp.err("Structure must have a \"steps\" array with at least one step.");
        }
    };

    let has_friendly = |s: &T| {
        let s = InStep::of(s.read());
        s.has_friendly_keys()
            || matches!(s.steps, Some(J::Arr(inner))
                if inner.iter().any(|i| InStep::of(i.read()).has_friendly_keys()))
    };
    // The first step decides in the common case; only otherwise is every step scanned.
    let friendly = steps.iter().any(has_friendly);
    if friendly {
        if root.structure.is_some() {
            return p.key("structure").err(
                "give either \"steps\" (this structure's friendly steps) or \"structure\" (wire \
                 blocks), not both.",
            );
        }
        if let Some(k) = root.unknown {
            return unknown_key(&p, k, Role::Root);
        }
        let mut out = Vec::with_capacity(steps.len());
        for (i, s) in steps.iter().enumerate() {
            out.push(b.friendly_block(&InStep::of(s.read()), &sp.idx(i))?);
        }
        return b.finish(out, metric, vis_unit, &sp);
    }
    let wire = steps.first().is_some_and(|s| {
        matches!(
            InStep::of(s.read()).length.map(InLength::of),
            Some(InLength {
                not_object: None,
                unit: Some(J::Str(_)),
                ..
            })
        )
    });
    if wire {
        let mut out = Vec::with_capacity(steps.len());
        for (i, s) in steps.iter().enumerate() {
            out.push(b.wire_block(&InStep::of(s.read()), &sp.idx(i))?);
        }
        return b.finish(out, metric, vis_unit, &sp);
    }
    // Neither format: a misspelt friendly key is the likeliest cause ("duration": 600), so name
    // it when it has a likely meaning.
    for (i, s) in steps.iter().enumerate() {
        let st = InStep::of(s.read());
        let ip = sp.idx(i);
        let role = if st.steps.is_some() {
            Role::Repetition
        } else {
            Role::Step
        };
        if let Some(k) = st.unknown
            && keys::has_suggestion(k, role)
        {
            return unknown_key(&ip, k, role);
        }
        if let Some(J::Arr(inner)) = st.steps {
            let sp = ip.key("steps");
            for (j, x) in inner.iter().enumerate() {
                if let Some(k) = InStep::of(x.read()).unknown
                    && keys::has_suggestion(k, Role::Step)
                {
                    return unknown_key(&sp.idx(j), k, Role::Step);
                }
            }
        }
    }
    sp.idx(0).err(
        "Could not determine structure format. Use the simple format with duration_seconds \
         (or distance_meters), intensity_min, intensity_max on each step, or TrainingPeaks wire \
         blocks whose steps carry length {value, unit}.",
    )
}

/// An unknown key on a friendly object: an error at the key's own path (out of line: valid
/// input never comes here).
#[cold]
#[inline(never)]
fn unknown_key<T>(p: &P<'_>, key: &str, role: Role) -> R<T> {
    p.field(key).err(keys::unknown_key_message(key, role))
}

/// The wire-format keys `length` and `targets` on a friendly object: the structure was detected
/// as friendly (some step uses a friendly key), so this object is read as friendly too.
#[cold]
#[inline(never)]
fn wire_key_in_friendly<T>(p: &P<'_>, key: &'static str, role: Role) -> R<T> {
    let fix = match (role, key) {
        (Role::Repetition, "length") => "a repetition's count is \"reps\"",
        (Role::Repetition, _) => "targets go on each inner step as intensity_min and intensity_max",
        (_, "length") => "give the length as duration_seconds (or distance_meters)",
        _ => "give the target as intensity_min and intensity_max (and cadence_min and cadence_max)",
    };
    p.key(key).err(format!(
        "is a wire-format key, but this structure is in the friendly format (its steps use \
         duration_seconds, intensity_min, …); {fix}, and write every step in the same format."
    ))
}

/// Keys the friendly format knows but that do not apply to this kind of object. Reading them
/// would mean ignoring them, which silently changes the workout, so each one is an error.
#[cold]
#[inline(never)]
fn misplaced<X>(s: &InStep<'_, X>, p: &P<'_>, role: Role) -> R<()> {
    const RAMP_KEY: &str = "belongs to a ramp; for a ramp use \"type\": \"rampUp\" or \
                            \"rampDown\" (outside any repetition), for a constant target use \
                            intensity_min and intensity_max.";
    const ON_INNER: &str = "does not apply to a repetition; put it on each of its inner steps \
                            (a repetition takes type, name, reps and steps).";
    let candidates: [(&'static str, bool, &str); 12] = [
        ("length", s.length.is_some(), ""),
        ("targets", s.targets.is_some(), ""),
        (
            "reps",
            role == Role::Ramp && s.reps.is_some(),
            "a ramp cannot repeat: TrainingPeaks stores one level of repetition and a repetition \
             holds plain steps only; remove reps and write the ramp again where it recurs.",
        ),
        (
            "intensity_start",
            role != Role::Ramp && s.intensity_start.is_some(),
            RAMP_KEY,
        ),
        (
            "intensity_end",
            role != Role::Ramp && s.intensity_end.is_some(),
            RAMP_KEY,
        ),
        (
            "steps_count",
            role != Role::Ramp && s.steps_count.is_some(),
            "belongs to a ramp (its number of sub-steps); remove it, or make this a ramp with \
             \"type\": \"rampUp\" or \"rampDown\".",
        ),
        (
            "intensity_min",
            role == Role::Repetition && s.intensity_min.is_some(),
            ON_INNER,
        ),
        (
            "intensity_max",
            role == Role::Repetition && s.intensity_max.is_some(),
            ON_INNER,
        ),
        (
            "cadence_min",
            role == Role::Repetition && s.cadence_min.is_some(),
            ON_INNER,
        ),
        (
            "cadence_max",
            role == Role::Repetition && s.cadence_max.is_some(),
            ON_INNER,
        ),
        (
            "intensityClass",
            role == Role::Repetition && s.intensity_class.is_some(),
            ON_INNER,
        ),
        (
            "open_duration",
            role == Role::Repetition
                && (s.open_duration.is_some() || s.open_duration_wire.is_some()),
            ON_INNER,
        ),
    ];
    for (key, present, message) in candidates {
        if present {
            return match key {
                "length" | "targets" => wire_key_in_friendly(p, key, role),
                _ => p.key(key).err(message),
            };
        }
    }
    Ok(())
}

fn bad_metric<T, X>(p: &P<'_>, got: Option<J<'_, X>>) -> R<T> {
    p.key("primaryIntensityMetric").err(format!(
        "must be \"percentOfFtp\", \"percentOfThresholdHr\" or \"percentOfThresholdPace\", got {}.",
        got.map_or_else(|| "nothing".to_owned(), J::describe)
    ))
}

/// What a step's length measures.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LenKind {
    Time,
    Distance,
}

#[derive(Default)]
struct Builder {
    /// The length metric fixed by the first step; every later step must match it.
    kind: Option<LenKind>,
}

/// A present, non-null field value.
fn present<'a, T>(v: &Option<J<'a, T>>) -> Option<J<'a, T>> {
    match *v {
        None | Some(J::Null) => None,
        Some(s) => Some(s),
    }
}

/// The error of [`in_range`] / [`whole`]: kept out of line so that the accepting path (every
/// number of every valid input) stays a few inlined compares.
#[cold]
#[inline(never)]
fn number_err<T, X>(v: J<'_, X>, p: &P<'_>, expected: &str) -> R<T> {
    match v {
        J::Num(x) if x.is_finite() => p.err(format!("must be {expected}, got {x}.")),
        other => p.err(format!("must be {expected}, got {}.", other.describe())),
    }
}

#[inline]
fn in_range<T>(
    v: J<'_, T>,
    p: &P<'_>,
    lo: f64,
    lo_inclusive: bool,
    hi: f64,
    expected: &str,
) -> R<f64> {
    if let J::Num(x) = v {
        // NaN fails every compare, infinities fail one bound (every `hi` here is finite).
        let ok_lo = if lo_inclusive { x >= lo } else { x > lo };
        if ok_lo && x <= hi && x.is_finite() {
            return Ok(x);
        }
    }
    number_err(v, p, expected)
}

#[inline]
fn whole<T>(v: J<'_, T>, p: &P<'_>, lo: f64, hi: f64, expected: &str) -> R<f64> {
    if let J::Num(x) = v
        && x.is_finite()
        && x.fract() == 0.0
        && x >= lo
        && x <= hi
    {
        return Ok(x);
    }
    number_err(v, p, expected)
}

fn name<T>(v: &Option<J<'_, T>>, p: &P<'_>) -> R<Option<StepName>> {
    match v {
        None | Some(J::Null) => Ok(None),
        Some(J::Str(s)) => Ok(Some(StepName::new(s))),
        Some(other) => p
            .key("name")
            .err(format!("must be a string, got {}.", other.describe())),
    }
}

fn class<T>(v: &Option<J<'_, T>>, p: &P<'_>) -> R<IntensityClass> {
    match present(v) {
        None => Ok(IntensityClass::Active),
        // The exact wire spellings first (the common case), then the lenient parse.
        Some(J::Str("active")) => Ok(IntensityClass::Active),
        Some(J::Str("rest")) => Ok(IntensityClass::Rest),
        Some(J::Str("warmUp")) => Ok(IntensityClass::WarmUp),
        Some(J::Str("coolDown")) => Ok(IntensityClass::CoolDown),
        Some(J::Str(s)) => match IntensityClass::parse(s) {
            Some(c) => Ok(c),
            None => bad_class(p, J::<T>::Str(s)),
        },
        Some(other) => bad_class(p, other),
    }
}

fn bad_class<T, X>(p: &P<'_>, got: J<'_, X>) -> R<T> {
    p.key("intensityClass").err(format!(
        "must be one of \"warmUp\", \"active\", \"rest\", \"coolDown\", \"other\" \
         (\"recovery\" is accepted as \"rest\"), got {}.",
        got.describe()
    ))
}

fn flag<T>(v: &Option<J<'_, T>>, p: &P<'_>, key: &'static str) -> R<bool> {
    match present(v) {
        None => Ok(false),
        Some(J::Bool(b)) => Ok(b),
        Some(other) => p
            .key(key)
            .err(format!("must be true or false, got {}.", other.describe())),
    }
}

fn type_name<'a, T>(v: &Option<J<'a, T>>, p: &P<'_>) -> R<Option<&'a str>> {
    match present(v) {
        None => Ok(None),
        Some(J::Str(s)) => Ok(Some(s)),
        Some(other) => p
            .key("type")
            .err(format!("must be a string, got {}.", other.describe())),
    }
}

/// Reads an optional `(min, max)` pair: both or neither, each in range, min ≤ max.
///
/// Every step reads two pairs, so the accepting path is a few inlined compares; anything else
/// goes to [`pair_checked`], which finds and reports the problem.
#[inline]
fn pair<T>(
    min: &Option<J<'_, T>>,
    max: &Option<J<'_, T>>,
    p: &P<'_>,
    keys: (&'static str, &'static str),
    lo: f64,
    hi: f64,
    expected: &str,
) -> R<Option<(f64, f64)>> {
    match (present(min), present(max)) {
        (None, None) => return Ok(None),
        // Finite bounds reject NaN and infinities, as `in_range` does.
        (Some(J::Num(a)), Some(J::Num(b))) if a >= lo && b <= hi && a <= b => {
            return Ok(Some((a, b)));
        }
        _ => {}
    }
    pair_checked(min, max, p, keys, lo, hi, expected)
}

#[cold]
#[inline(never)]
fn pair_checked<T>(
    min: &Option<J<'_, T>>,
    max: &Option<J<'_, T>>,
    p: &P<'_>,
    keys: (&'static str, &'static str),
    lo: f64,
    hi: f64,
    expected: &str,
) -> R<Option<(f64, f64)>> {
    match (present(min), present(max)) {
        (None, None) => Ok(None),
        (Some(_), None) => p.key(keys.1).err(format!(
            "is missing: give both {} and {} (the same value twice for a single target).",
            keys.0, keys.1
        )),
        (None, Some(_)) => p.key(keys.0).err(format!(
            "is missing: give both {} and {} (the same value twice for a single target).",
            keys.0, keys.1
        )),
        (Some(a), Some(b)) => {
            let a = in_range(a, &p.key(keys.0), lo, true, hi, expected)?;
            let b = in_range(b, &p.key(keys.1), lo, true, hi, expected)?;
            if a > b {
                return p.key(keys.0).err(format!(
                    "{} ({a}) is greater than {} ({b}); the minimum must not exceed the maximum.",
                    keys.0, keys.1
                ));
            }
            Ok(Some((a, b)))
        }
    }
}

const INTENSITY_EXPECTED: &str = "a percentage of threshold from 0 to 1000";
const CADENCE_EXPECTED: &str = "a cadence from 1 to 250 rpm";

fn primary_target(min: f64, max: f64) -> Target {
    Target {
        min_value: Some(min),
        max_value: Some(max),
        unit: None,
        extra: Extra::default(),
    }
}

fn cadence_target(min: f64, max: f64) -> Target {
    Target {
        min_value: Some(min),
        max_value: Some(max),
        unit: Some(Cow::Borrowed(CADENCE_UNIT)),
        extra: Extra::default(),
    }
}

impl Builder {
    /// Fixes the workout's length metric on first use and rejects any later mix.
    fn use_kind(&mut self, kind: LenKind, p: &P<'_>) -> R<()> {
        match self.kind {
            None => {
                self.kind = Some(kind);
                Ok(())
            }
            Some(k) if k == kind => Ok(()),
            Some(k) => {
                let (this, other) = match k {
                    LenKind::Time => ("distance", "time (duration_seconds / second)"),
                    LenKind::Distance => ("time", "distance (distance_meters / meter)"),
                };
                p.err(format!(
                    "this step is {this}-based but earlier steps are {other}-based; TrainingPeaks \
                     stores one length metric per workout, so use duration_seconds on every step \
                     or distance_meters on every step."
                ))
            }
        }
    }

    /// Reads a friendly `duration_seconds` / `distance_meters` length.
    fn friendly_length<T: Tree>(&mut self, s: &InStep<'_, T>, p: &P<'_>, open: bool) -> R<Length> {
        match (present(&s.duration_seconds), present(&s.distance_meters)) {
            (Some(_), Some(_)) => p
                .key("distance_meters")
                .err("give either duration_seconds or distance_meters, not both."),
            (Some(v), None) => {
                let dp = p.key("duration_seconds");
                let x = in_range(
                    v,
                    &dp,
                    0.0,
                    false,
                    MAX_SECONDS,
                    "a number of seconds greater than 0 and at most 86400 (24 h)",
                )?;
                self.use_kind(LenKind::Time, &dp)?;
                Ok(Length {
                    value: x,
                    unit: LengthUnit::Second,
                })
            }
            (None, Some(v)) => {
                let dp = p.key("distance_meters");
                let x = in_range(
                    v,
                    &dp,
                    0.0,
                    false,
                    MAX_METERS,
                    "a number of metres greater than 0 and at most 1000000 (1000 km)",
                )?;
                self.use_kind(LenKind::Distance, &dp)?;
                Ok(Length {
                    value: x,
                    unit: LengthUnit::Meter,
                })
            }
            (None, None) => {
                let why = if open {
                    "an open-duration step still needs duration_seconds (or distance_meters) as \
                     its planned estimate"
                } else {
                    "has no valid duration_seconds: every step needs duration_seconds > 0 \
                     (or distance_meters > 0)"
                };
                match &s.duration_seconds {
                    Some(J::Null) => p.key("duration_seconds").err(format!("is null; {why}.")),
                    _ => p.key("duration_seconds").err(format!("is missing; {why}.")),
                }
            }
        }
    }

    fn friendly_targets<T: Tree>(&self, s: &InStep<'_, T>, p: &P<'_>) -> R<Targets> {
        let primary = pair(
            &s.intensity_min,
            &s.intensity_max,
            p,
            ("intensity_min", "intensity_max"),
            0.0,
            MAX_INTENSITY,
            INTENSITY_EXPECTED,
        )?;
        let cadence = self.cadence(s, p)?;
        Ok(
            match (primary.map(|(a, b)| primary_target(a, b)), cadence) {
                (Some(p), Some(c)) => Targets::from([p, c]),
                (Some(t), None) | (None, Some(t)) => Targets::from(t),
                (None, None) => Targets::new(),
            },
        )
    }

    fn cadence<T: Tree>(&self, s: &InStep<'_, T>, p: &P<'_>) -> R<Option<Target>> {
        Ok(pair(
            &s.cadence_min,
            &s.cadence_max,
            p,
            ("cadence_min", "cadence_max"),
            CADENCE_RANGE.0,
            CADENCE_RANGE.1,
            CADENCE_EXPECTED,
        )?
        .map(|(a, b)| cadence_target(a, b)))
    }

    /// A friendly single step (top-level or inside a repetition), appended to `out` (built in
    /// place: a `Step` is a few hundred bytes, so returning it by value costs copies).
    fn friendly_step<T: Tree>(
        &mut self,
        s: &InStep<'_, T>,
        p: &P<'_>,
        inner: bool,
        out: &mut Vec<Step>,
    ) -> R<()> {
        if let Some(k) = s.unknown {
            return unknown_key(p, k, Role::Step);
        }
        if s.length.is_some()
            || s.targets.is_some()
            || s.intensity_start.is_some()
            || s.intensity_end.is_some()
            || s.steps_count.is_some()
        {
            misplaced(s, p, Role::Step)?;
        }
        let open = flag(&s.open_duration, p, "open_duration")?
            || flag(&s.open_duration_wire, p, "openDuration")?;
        let length = self.friendly_length(s, p, open)?;
        let targets = self.friendly_targets(s, p)?;
        let intensity_class = class(&s.intensity_class, p)?;
        let name = name(&s.name, p)?;
        out.push(Step {
            name,
            length,
            targets,
            intensity_class,
            open_duration: open,
            kind: inner.then_some(StepKind::Step),
            extra: Extra::default(),
        });
        Ok(())
    }

    fn friendly_block<T: Tree>(&mut self, s: &InStep<'_, T>, p: &P<'_>) -> R<Block> {
        if let Some(got) = &s.not_object {
            return p.err(format!(
                "each step must be an object, got {}.",
                got.kind_name()
            ));
        }
        // A wire block among friendly steps: say so before its type is read as friendly.
        if s.length.is_some() || s.targets.is_some() {
            let role = if s.steps.is_some() {
                Role::Repetition
            } else {
                Role::Step
            };
            let key = if s.length.is_some() {
                "length"
            } else {
                "targets"
            };
            return wire_key_in_friendly(p, key, role);
        }
        let ty = type_name(&s.kind, p)?;
        let kind = match ty {
            Some(t) if t.eq_ignore_ascii_case("step") => {
                if s.steps.is_some() || s.reps.is_some() {
                    return p.key("type").err(
                        "a \"step\" cannot contain steps or reps; use \"type\": \"repetition\".",
                    );
                }
                BlockKind::Step
            }
            Some(t) if t.eq_ignore_ascii_case("repetition") => BlockKind::Repetition,
            Some(t) if t.eq_ignore_ascii_case("rampUp") => BlockKind::RampUp,
            Some(t) if t.eq_ignore_ascii_case("rampDown") => BlockKind::RampDown,
            Some(t) if t.eq_ignore_ascii_case("ramp") => {
                return self.friendly_ramp(s, p, None);
            }
            Some(t) => {
                return p.key("type").err(format!(
                    "must be \"step\", \"repetition\", \"rampUp\", \"rampDown\" or \"ramp\", got \"{t}\"."
                ));
            }
            None if s.steps.is_some() || s.reps.is_some() => BlockKind::Repetition,
            None if s.intensity_start.is_some() || s.intensity_end.is_some() => {
                return self.friendly_ramp(s, p, None);
            }
            None => BlockKind::Step,
        };
        match kind {
            BlockKind::Step => {
                let mut steps = Vec::with_capacity(1);
                self.friendly_step(s, p, false, &mut steps)?;
                Ok(block(BlockKind::Step, 1.0, steps))
            }
            BlockKind::Repetition => self.friendly_repetition(s, p),
            k => self.friendly_ramp(s, p, Some(k)),
        }
    }

    fn friendly_repetition<T: Tree>(&mut self, s: &InStep<'_, T>, p: &P<'_>) -> R<Block> {
        if let Some(k) = s.unknown {
            return unknown_key(p, k, Role::Repetition);
        }
        if s.length.is_some()
            || s.targets.is_some()
            || s.intensity_min.is_some()
            || s.intensity_max.is_some()
            || s.intensity_start.is_some()
            || s.intensity_end.is_some()
            || s.steps_count.is_some()
            || s.cadence_min.is_some()
            || s.cadence_max.is_some()
            || s.intensity_class.is_some()
            || s.open_duration.is_some()
            || s.open_duration_wire.is_some()
        {
            misplaced(s, p, Role::Repetition)?;
        }
        for (key, v) in [
            ("duration_seconds", &s.duration_seconds),
            ("distance_meters", &s.distance_meters),
        ] {
            if present(v).is_some() {
                return p.key(key).err(
                    "a repetition takes its length from its inner steps; move the length onto them.",
                );
            }
        }
        let reps = match present(&s.reps) {
            // No default: `{"steps": [...]}` without reps is far more often a misspelt count
            // than a deliberate single pass (no reference vector relies on a default).
            None => {
                return p.key("reps").err(
                    "is missing: a repetition needs \"reps\", the number of times its steps \
                     repeat (1–1000).",
                );
            }
            Some(v) => whole(
                v,
                &p.key("reps"),
                1.0,
                MAX_REPS,
                "a whole number of repetitions from 1 to 1000",
            )?,
        };
        let sp = p.key("steps");
        let inner = match &s.steps {
            Some(J::Arr(v)) if !v.is_empty() => v,
            Some(got) if !got.is_null() && !got.is_array() => {
                return sp.err(format!(
                    "must be an array of inner steps, got {}.",
                    got.kind_name()
                ));
            }
            _ => {
                return sp
                    .err("a repetition must have a steps array with at least one inner interval.");
            }
        };
        let mut steps = Vec::with_capacity(inner.len());
        for (j, st) in inner.iter().enumerate() {
            let st = &InStep::of(st.read());
            let ip = sp.idx(j);
            if let Some(got) = &st.not_object {
                return ip.err(format!(
                    "each inner step must be an object, got {}.",
                    got.kind_name()
                ));
            }
            let nested_type = match type_name(&st.kind, &ip)? {
                None => false,
                Some(t) if t.eq_ignore_ascii_case("step") => false,
                Some(_) => true,
            };
            if nested_type
                || st.steps.is_some()
                || st.reps.is_some()
                || st.intensity_start.is_some()
            {
                return ip.err(
                    "a repetition cannot contain another repetition or a ramp: TrainingPeaks \
                     stores one level of repetition. Flatten it (2×(3×A) → 6×A) or split it into \
                     consecutive blocks.",
                );
            }
            self.friendly_step(st, &ip, true, &mut steps)?;
        }
        Ok(block(BlockKind::Repetition, reps, steps))
    }

    /// A friendly ramp → the staircase block (see the module docs for the rules).
    fn friendly_ramp<T: Tree>(
        &mut self,
        s: &InStep<'_, T>,
        p: &P<'_>,
        kind: Option<BlockKind>,
    ) -> R<Block> {
        if let Some(k) = s.unknown {
            return unknown_key(p, k, Role::Ramp);
        }
        if s.length.is_some() || s.targets.is_some() || s.reps.is_some() {
            misplaced(s, p, Role::Ramp)?;
        }
        for (key, v) in [
            ("open_duration", &s.open_duration),
            ("openDuration", &s.open_duration_wire),
        ] {
            if flag(v, p, key)? {
                return p
                    .key(key)
                    .err("a ramp cannot be open-duration; use a plain step.");
            }
        }
        if s.steps.is_some() {
            return p.key("steps").err(
                "a ramp builds its own sub-steps; give intensity_start, intensity_end, a length \
                 and optionally steps_count instead of steps.",
            );
        }
        let has_start_end = s.intensity_start.is_some() || s.intensity_end.is_some();
        let has_min_max = s.intensity_min.is_some() || s.intensity_max.is_some();
        let (start, end) = if has_start_end {
            if has_min_max {
                return p.key("intensity_min").err(
                    "a ramp takes intensity_start and intensity_end; drop intensity_min/intensity_max.",
                );
            }
            let get = |key: &'static str, v: &Option<J<'_, T>>| -> R<f64> {
                let kp = p.key(key);
                match present(v) {
                    Some(v) => in_range(v, &kp, 0.0, true, MAX_INTENSITY, INTENSITY_EXPECTED),
                    None => kp.err("is missing: a ramp needs intensity_start and intensity_end."),
                }
            };
            (
                get("intensity_start", &s.intensity_start)?,
                get("intensity_end", &s.intensity_end)?,
            )
        } else {
            let Some((lo, hi)) = pair(
                &s.intensity_min,
                &s.intensity_max,
                p,
                ("intensity_min", "intensity_max"),
                0.0,
                MAX_INTENSITY,
                INTENSITY_EXPECTED,
            )?
            else {
                return p.key("intensity_start").err(
                    "is missing: a ramp needs intensity_start and intensity_end (% of threshold).",
                );
            };
            match kind {
                Some(BlockKind::RampDown) => (hi, lo),
                Some(_) => (lo, hi),
                None => {
                    return p.key("intensity_start").err(
                        "is missing: with \"type\": \"ramp\" give intensity_start and \
                         intensity_end so the direction is clear.",
                    );
                }
            }
        };
        if start == end {
            return p.key("intensity_end").err(format!(
                "equals intensity_start ({start}); a ramp needs different start and end \
                 intensities (use a plain step for a constant target)."
            ));
        }
        let kind = match kind {
            None => {
                if start < end {
                    BlockKind::RampUp
                } else {
                    BlockKind::RampDown
                }
            }
            Some(BlockKind::RampUp) if start > end => {
                return p.key("intensity_start").err(format!(
                    "a rampUp must rise, but intensity_start ({start}) > intensity_end ({end}); \
                     swap them or use \"rampDown\"."
                ));
            }
            Some(BlockKind::RampDown) if start < end => {
                return p.key("intensity_start").err(format!(
                    "a rampDown must fall, but intensity_start ({start}) < intensity_end ({end}); \
                     swap them or use \"rampUp\"."
                ));
            }
            Some(k) => k,
        };
        let total = self.friendly_length(s, p, false)?;
        let n = match present(&s.steps_count) {
            Some(v) => whole(
                v,
                &p.key("steps_count"),
                RAMP_STEPS.0,
                RAMP_STEPS.1,
                "a whole number of ramp sub-steps from 2 to 30",
            )?,
            None => ((end - start).abs() / 5.0).round().clamp(2.0, 10.0),
        };
        // Whole totals stay whole per sub-step; the remainder goes one unit at a time to the
        // first sub-steps.
        let whole_total = total.value.fract() == 0.0;
        if whole_total && total.value < n {
            return p.key(length_key(total.unit)).err(format!(
                "{} is too short for {n} ramp sub-steps; give at least {n} or lower steps_count.",
                total.value
            ));
        }
        let base = if whole_total {
            (total.value / n).floor()
        } else {
            total.value / n
        };
        let remainder = if whole_total {
            total.value - base * n
        } else {
            0.0
        };
        let cadence = self.cadence(s, p)?;
        let intensity_class = class(&s.intensity_class, p)?;
        let nm = name(&s.name, p)?;
        let count = n as usize;
        let delta = (end - start) / n;
        let mut steps = Vec::with_capacity(count);
        for i in 0..count {
            let a = round2(start + delta * i as f64);
            let b = if i + 1 == count {
                end
            } else {
                round2(start + delta * (i + 1) as f64)
            };
            let primary = primary_target(a.min(b), a.max(b));
            let targets = match &cadence {
                Some(c) => Targets::from([primary, c.clone()]),
                None => Targets::from(primary),
            };
            let extra_unit = if (i as f64) < remainder { 1.0 } else { 0.0 };
            steps.push(Step {
                name: nm.clone(),
                length: Length {
                    value: base + extra_unit,
                    unit: total.unit,
                },
                targets,
                intensity_class,
                open_duration: false,
                kind: Some(StepKind::Step),
                extra: Extra::default(),
            });
        }
        Ok(block(kind, 1.0, steps))
    }

    /// A wire block, validated and passed through.
    fn wire_block<T: Tree>(&mut self, s: &InStep<'_, T>, p: &P<'_>) -> R<Block> {
        if let Some(got) = &s.not_object {
            return p.err(format!(
                "each block must be an object, got {}.",
                got.kind_name()
            ));
        }
        let ty = type_name(&s.kind, p)?;
        let sp = p.key("steps");
        let items = match &s.steps {
            Some(J::Arr(v)) if !v.is_empty() => v,
            _ => {
                return p.err(format!(
                    "{} has no steps array — each top-level block must contain at least one interval.",
                    ty.unwrap_or("block")
                ));
            }
        };
        let kind = match ty {
            Some("step") => BlockKind::Step,
            Some("repetition") => BlockKind::Repetition,
            Some("rampUp") => BlockKind::RampUp,
            Some("rampDown") => BlockKind::RampDown,
            None if items.len() == 1 => BlockKind::Step,
            None => {
                return p.key("type").err(
                    "is missing: use \"step\" (one step), \"repetition\", \"rampUp\" or \"rampDown\".",
                );
            }
            Some(t) => {
                return p.key("type").err(format!(
                    "must be \"step\", \"repetition\", \"rampUp\" or \"rampDown\", got \"{t}\"."
                ));
            }
        };
        if kind == BlockKind::Step && items.len() != 1 {
            return sp.err(format!(
                "a \"step\" block holds exactly one step, got {}; use a \"repetition\" block \
                 (length value 1) for several.",
                items.len()
            ));
        }
        let lp = p.key("length");
        let reps = match (s.length.map(InLength::of), kind) {
            (None, BlockKind::Repetition) => {
                return lp.err("is missing: a repetition block needs length {value: <reps>, unit: \"repetition\"}.");
            }
            (None, _) => 1.0,
            (Some(len), kind) => {
                if let Some(got) = &len.not_object {
                    return lp.err(format!(
                        "must be an object {{value, unit}}, got {}.",
                        got.kind_name()
                    ));
                }
                match present(&len.unit) {
                    None => {}
                    Some(J::Str("repetition")) => {}
                    Some(other) => {
                        return lp.key("unit").err(format!(
                            "a block's length unit must be \"repetition\", got {}.",
                            other.describe()
                        ));
                    }
                }
                let vp = lp.key("value");
                match (present(&len.value), kind) {
                    (Some(v), BlockKind::Repetition) => whole(
                        v,
                        &vp,
                        1.0,
                        MAX_REPS,
                        "a whole number of repetitions from 1 to 1000",
                    )?,
                    (None, BlockKind::Repetition) => {
                        return vp.err("is missing: give the number of repetitions (1 to 1000).");
                    }
                    (None, _) => 1.0,
                    (Some(v), _) => whole(
                        v,
                        &vp,
                        1.0,
                        1.0,
                        "1 for step and ramp blocks (use a repetition block to repeat)",
                    )?,
                }
            }
        };
        let multi = kind != BlockKind::Step;
        let mut steps = Vec::with_capacity(items.len());
        for (j, st) in items.iter().enumerate() {
            steps.push(self.wire_step(&InStep::of(st.read()), &sp.idx(j), multi)?);
        }
        Ok(Block {
            kind,
            length: Length {
                value: reps,
                unit: LengthUnit::Repetition,
            },
            steps,
            begin: 0.0,
            end: 0.0,
            extra: Extra(s.extra()),
        })
    }

    fn wire_step<T: Tree>(&mut self, s: &InStep<'_, T>, p: &P<'_>, _multi: bool) -> R<Step> {
        if let Some(got) = &s.not_object {
            return p.err(format!(
                "each step must be an object, got {}.",
                got.kind_name()
            ));
        }
        if s.steps.is_some() {
            return p.key("steps").err(
                "a step inside a block cannot hold steps: TrainingPeaks stores one level of \
                 repetition (no repetition inside a repetition).",
            );
        }
        let kind = match present(&s.kind) {
            None => None,
            Some(J::Str("step")) => Some(StepKind::Step),
            Some(other) => {
                return p.key("type").err(format!(
                    "a step's type must be \"step\" or absent, got {}.",
                    other.describe()
                ));
            }
        };
        let lp = p.key("length");
        let length = match s.length.map(InLength::of) {
            Some(InLength {
                not_object: None,
                value,
                unit,
                ..
            }) => {
                let unit = match present(&unit) {
                    Some(J::Str(u)) => match u {
                        "second" => LengthUnit::Second,
                        "meter" => LengthUnit::Meter,
                        "mile" => LengthUnit::Mile,
                        _ => return bad_unit(&lp, present(&unit)),
                    },
                    other => return bad_unit(&lp, other),
                };
                let vp = lp.key("value");
                let (max, expected) = match unit {
                    LengthUnit::Second => (
                        MAX_SECONDS,
                        "a positive number of seconds, at most 86400 (24 h)",
                    ),
                    LengthUnit::Mile => (
                        MAX_METERS / 1609.344,
                        "a positive number of miles, at most 621",
                    ),
                    _ => (
                        MAX_METERS,
                        "a positive number of metres, at most 1000000 (1000 km)",
                    ),
                };
                let v = match present(&value) {
                    Some(v) => in_range(v, &vp, 0.0, false, max, expected)?,
                    None => return vp.err(format!("is missing: must be {expected}.")),
                };
                let k = if unit == LengthUnit::Second {
                    LenKind::Time
                } else {
                    LenKind::Distance
                };
                self.use_kind(k, &lp)?;
                Length { value: v, unit }
            }
            _ => {
                return lp.err(
                    "is missing or not an object: each step needs length {value: > 0, unit: \
                     \"second\" | \"meter\" | \"mile\"} (length.value must be a positive number).",
                );
            }
        };
        let tp = p.key("targets");
        let targets = match &s.targets {
            None | Some(J::Null) => Targets::new(),
            Some(J::Arr(v)) if v.len() <= 2 => {
                let mut out = Targets::new();
                for (k, t) in v.iter().enumerate() {
                    out.push(wire_target(&InTarget::of(t.read()), &tp.idx(k))?);
                }
                out
            }
            Some(J::Arr(v)) => {
                let mut out = Vec::with_capacity(v.len());
                for (k, t) in v.iter().enumerate() {
                    out.push(wire_target(&InTarget::of(t.read()), &tp.idx(k))?);
                }
                Targets::from(out)
            }
            Some(got) => {
                return tp.err(format!(
                    "must be an array of targets, got {}.",
                    got.kind_name()
                ));
            }
        };
        let intensity_class = class(&s.intensity_class, p)?;
        let open = flag(&s.open_duration_wire, p, "openDuration")?;
        Ok(Step {
            name: name(&s.name, p)?,
            length,
            targets,
            intensity_class,
            open_duration: open,
            kind,
            extra: Extra(s.extra()),
        })
    }

    /// Computes `begin`/`end` and the polyline, and checks the workout totals.
    fn finish(
        &self,
        mut blocks: Vec<Block>,
        metric: IntensityMetric,
        vis_unit: Option<&str>,
        p: &P<'_>,
    ) -> R<Structure> {
        let length_metric = match self.kind {
            Some(LenKind::Distance) => LengthMetric::Distance,
            _ => LengthMetric::Duration,
        };
        let mut cursor = 0.0f64;
        let mut instances = 0usize;
        let mut max_y = 0.0f64;
        for b in &mut blocks {
            let mut inner = 0.0f64;
            for s in &b.steps {
                inner += s.length.value * s.length.unit.to_base();
                if let Some(top) = s.primary().and_then(Target::top)
                    && top > max_y
                {
                    max_y = top;
                }
            }
            let reps = b.repeats();
            instances = instances.saturating_add(b.steps.len().saturating_mul(reps as usize));
            b.begin = cursor;
            cursor += reps * inner;
            b.end = cursor;
        }
        let total = cursor;
        let (limit, what) = match length_metric {
            LengthMetric::Duration => (MAX_SECONDS, "24 h (86400 s)"),
            LengthMetric::Distance => (MAX_METERS, "1000 km"),
        };
        if total > limit {
            return p.err(format!(
                "the workout adds up to {total} {}, more than {what}; shorten it or split it into \
                 several workouts.",
                if length_metric == LengthMetric::Duration {
                    "s"
                } else {
                    "m"
                }
            ));
        }
        if instances > MAX_INSTANCES {
            return p.err(format!(
                "the workout expands to {instances} intervals once repetitions are counted; at \
                 most {MAX_INSTANCES} are supported."
            ));
        }
        let polyline = polyline(&blocks, total, max_y, instances);
        let vis = match length_metric {
            LengthMetric::Distance => Some(vis_unit.unwrap_or("meter").to_owned()),
            LengthMetric::Duration => vis_unit.map(str::to_owned),
        };
        Ok(Structure {
            structure: blocks,
            polyline,
            primary_length_metric: length_metric,
            primary_intensity_metric: metric,
            primary_intensity_target_or_range: TargetOrRange::Range,
            visualization_distance_unit: vis,
        })
    }
}

fn bad_unit<T, X>(lp: &P<'_>, got: Option<J<'_, X>>) -> R<T> {
    lp.key("unit").err(format!(
        "must be \"second\", \"meter\" or \"mile\", got {}.",
        got.map_or_else(|| "nothing".to_owned(), J::describe)
    ))
}

fn wire_target<T: Tree>(t: &InTarget<'_, T>, p: &P<'_>) -> R<Target> {
    if let Some(got) = &t.not_object {
        return p.err(format!(
            "each target must be an object, got {}.",
            got.kind_name()
        ));
    }
    let unit: Option<Cow<'static, str>> = match present(&t.unit) {
        None => None,
        Some(J::Str(u)) if u == CADENCE_UNIT => Some(Cow::Borrowed(CADENCE_UNIT)),
        Some(J::Str(u)) => Some(Cow::Owned(u.to_string())),
        Some(other) => {
            return p
                .key("unit")
                .err(format!("must be a string, got {}.", other.describe()));
        }
    };
    let (lo, hi, expected) = match unit.as_deref() {
        None => (0.0, MAX_INTENSITY, INTENSITY_EXPECTED),
        Some(CADENCE_UNIT) => (CADENCE_RANGE.0, CADENCE_RANGE.1, CADENCE_EXPECTED),
        Some(_) => (0.0, f64::MAX, "a non-negative number"),
    };
    let read = |key: &'static str, v: &Option<J<'_, T>>| -> R<Option<f64>> {
        match present(v) {
            None => Ok(None),
            Some(v) => in_range(v, &p.key(key), lo, true, hi, expected).map(Some),
        }
    };
    let min = read("minValue", &t.min_value)?;
    let max = read("maxValue", &t.max_value)?;
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return p.key("minValue").err(format!(
            "minValue ({a}) is greater than maxValue ({b}); the minimum must not exceed the maximum."
        ));
    }
    Ok(Target {
        min_value: min,
        max_value: max,
        unit,
        extra: Extra(t.extra()),
    })
}

fn length_key(unit: LengthUnit) -> &'static str {
    if unit == LengthUnit::Second {
        "duration_seconds"
    } else {
        "distance_meters"
    }
}

fn round2(x: f64) -> f64 {
    round(x * 100.0) / 100.0
}

/// Rounds like the reference's `Math.round(n * 1000) / 1000` (identical for non-negative values).
fn r3(x: f64) -> f64 {
    round(x * 1000.0) / 1000.0
}

/// Exactly `f64::round` (half away from zero), without the libm call that `round` becomes on
/// targets without SSE4.1: the polyline rounds hundreds of values per compile.
#[inline]
fn round(y: f64) -> f64 {
    // From 2^52 on every f64 is whole (infinities too), and NaN stays NaN: nothing to round.
    if y.is_nan() || y.abs() >= 4_503_599_627_370_496.0 {
        return y.round();
    }
    // `as i64` truncates toward zero; copysign keeps the sign of a zero result (round(-0.3) is
    // -0.0). `y - t` is exact: it is the fractional bits of `y`.
    let t = (y as i64 as f64).copysign(y);
    let d = y - t;
    if d >= 0.5 {
        t + 1.0
    } else if d <= -0.5 {
        t - 1.0
    } else {
        t
    }
}

fn block(kind: BlockKind, reps: f64, steps: Vec<Step>) -> Block {
    Block {
        kind,
        length: Length {
            value: reps,
            unit: LengthUnit::Repetition,
        },
        steps,
        begin: 0.0,
        end: 0.0,
        extra: Extra::default(),
    }
}

/// The reference polyline: `[0,0]`, then per step instance `[x0,y]`, `[x1,y]`, `[x1,0]`.
fn polyline(blocks: &[Block], total: f64, max_y: f64, instances: usize) -> Vec<[f64; 2]> {
    if total <= 0.0 || max_y <= 0.0 {
        return Vec::new();
    }
    /// A step's length in base units and its height: computed once per block, not once per
    /// repetition (repetitions are most of the instances).
    fn shape(s: &Step, max_y: f64) -> (f64, f64) {
        let len = s.length.value * s.length.unit.to_base();
        let y = s
            .primary()
            .and_then(Target::top)
            .map_or(0.0, |t| r3(t / max_y));
        (len, y)
    }
    let mut points = Vec::with_capacity(1 + 3 * instances);
    points.push([0.0, 0.0]);
    let mut cursor = 0.0f64;
    // Each instance starts where the previous one ended: the same cursor gives the same x.
    let mut x0 = 0.0f64;
    let mut emit = |points: &mut Vec<[f64; 2]>, (len, y): (f64, f64)| {
        cursor += len;
        let x1 = r3(cursor / total);
        points.extend_from_slice(&[[x0, y], [x1, y], [x1, 0.0]]);
        x0 = x1;
    };
    let mut scratch = [(0.0f64, 0.0f64); 8];
    for b in blocks {
        let reps = b.repeats() as usize;
        match scratch.get_mut(..b.steps.len()) {
            Some(shapes) if reps > 1 => {
                for (slot, s) in shapes.iter_mut().zip(&b.steps) {
                    *slot = shape(s, max_y);
                }
                for _ in 0..reps {
                    for &sh in shapes.iter() {
                        emit(&mut points, sh);
                    }
                }
            }
            _ => {
                for _ in 0..reps {
                    for s in &b.steps {
                        emit(&mut points, shape(s, max_y));
                    }
                }
            }
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use crate::structure::{
        BlockKind, CompileError, IntensityClass, LengthMetric, LengthUnit, Structure,
        compile_value, metrics, planned_distance_meters,
    };
    use serde_json::{Value, json};

    fn ok(input: Value) -> Structure {
        match compile_value(&input) {
            Ok(s) => s,
            Err(e) => panic!("{input} rejected: {e}"),
        }
    }

    fn err(input: Value) -> CompileError {
        match compile_value(&input) {
            Ok(s) => panic!("{input} accepted: {}", s.to_json()),
            Err(e) => e,
        }
    }

    fn targets(s: &Structure, block: usize) -> Vec<(f64, f64)> {
        s.structure[block]
            .steps
            .iter()
            .filter_map(|st| st.primary())
            .map(|t| (t.min_value.unwrap_or(-1.0), t.max_value.unwrap_or(-1.0)))
            .collect()
    }

    fn lengths(s: &Structure, block: usize) -> Vec<f64> {
        s.structure[block]
            .steps
            .iter()
            .map(|st| st.length.value)
            .collect()
    }

    #[test]
    fn fast_round_matches_std() {
        let mut x = -3.0f64;
        while x < 3.0 {
            for y in [x, x * 1000.0, x * 1e12, 0.5 + x.floor(), -0.5 + x.floor()] {
                let (a, b) = (super::round(y), y.round());
                assert!(
                    a == b && a.is_sign_negative() == b.is_sign_negative(),
                    "{y}: {a} vs {b}"
                );
            }
            x += 0.000_37;
        }
        for y in [
            0.499_999_999_999_999_94,
            -0.499_999_999_999_999_94,
            4_503_599_627_370_495.5,
            -4_503_599_627_370_495.5,
            9e15,
            f64::INFINITY,
            -0.0,
        ] {
            assert_eq!(super::round(y).to_bits(), y.round().to_bits(), "{y}");
        }
        assert!(super::round(f64::NAN).is_nan());
    }

    #[test]
    fn ramps() {
        struct Case {
            name: &'static str,
            step: Value,
            kind: BlockKind,
            lengths: Vec<f64>,
            targets: Vec<(f64, f64)>,
        }
        let cases = [
            Case {
                name: "rampUp in 4 equal bands",
                step: json!({"type": "rampUp", "intensity_start": 50, "intensity_end": 75,
                             "duration_seconds": 600, "steps_count": 4}),
                kind: BlockKind::RampUp,
                lengths: vec![150.0; 4],
                targets: vec![(50.0, 56.25), (56.25, 62.5), (62.5, 68.75), (68.75, 75.0)],
            },
            Case {
                name: "rampDown bands are ordered min ≤ max and fall",
                step: json!({"type": "rampDown", "intensity_start": 80, "intensity_end": 50,
                             "duration_seconds": 300, "steps_count": 3}),
                kind: BlockKind::RampDown,
                lengths: vec![100.0; 3],
                targets: vec![(70.0, 80.0), (60.0, 70.0), (50.0, 60.0)],
            },
            Case {
                name: "default steps_count ≈ one per 5 %",
                step: json!({"type": "rampUp", "intensity_start": 45, "intensity_end": 65,
                             "duration_seconds": 480}),
                kind: BlockKind::RampUp,
                lengths: vec![120.0; 4],
                targets: vec![(45.0, 50.0), (50.0, 55.0), (55.0, 60.0), (60.0, 65.0)],
            },
            Case {
                name: "uneven whole total spreads the remainder",
                step: json!({"type": "rampUp", "intensity_start": 50, "intensity_end": 70,
                             "duration_seconds": 602, "steps_count": 4}),
                kind: BlockKind::RampUp,
                lengths: vec![151.0, 151.0, 150.0, 150.0],
                targets: vec![(50.0, 55.0), (55.0, 60.0), (60.0, 65.0), (65.0, 70.0)],
            },
            Case {
                name: "type ramp derives the direction",
                step: json!({"type": "ramp", "intensity_start": 70, "intensity_end": 60,
                             "duration_seconds": 120, "steps_count": 2}),
                kind: BlockKind::RampDown,
                lengths: vec![60.0, 60.0],
                targets: vec![(65.0, 70.0), (60.0, 65.0)],
            },
            Case {
                name: "rampUp from intensity_min/max",
                step: json!({"type": "rampUp", "intensity_min": 40, "intensity_max": 60,
                             "duration_seconds": 200, "steps_count": 2}),
                kind: BlockKind::RampUp,
                lengths: vec![100.0, 100.0],
                targets: vec![(40.0, 50.0), (50.0, 60.0)],
            },
            Case {
                name: "distance ramp",
                step: json!({"type": "rampUp", "intensity_start": 80, "intensity_end": 90,
                             "distance_meters": 1000, "steps_count": 2}),
                kind: BlockKind::RampUp,
                lengths: vec![500.0, 500.0],
                targets: vec![(80.0, 85.0), (85.0, 90.0)],
            },
        ];
        for c in cases {
            let s = ok(json!({"steps": [c.step]}));
            let b = &s.structure[0];
            assert_eq!(b.kind, c.kind, "{}", c.name);
            assert_eq!(
                (b.length.value, b.length.unit),
                (1.0, LengthUnit::Repetition),
                "{}",
                c.name
            );
            assert_eq!(lengths(&s, 0), c.lengths, "{}", c.name);
            assert_eq!(targets(&s, 0), c.targets, "{}", c.name);
            assert!(
                b.steps.iter().all(|st| st.kind.is_some()),
                "{}: sub-steps carry type step",
                c.name
            );
            assert_eq!(b.end, c.lengths.iter().sum::<f64>(), "{}", c.name);
        }
        // Wire ramp blocks pass through with recomputed offsets.
        let wire = ok(
            json!({"steps": [{"type": "rampUp", "length": {"value": 1, "unit": "repetition"},
            "steps": [
                {"length": {"value": 60, "unit": "second"}, "targets": [{"minValue": 50, "maxValue": 60}], "type": "step"},
                {"length": {"value": 60, "unit": "second"}, "targets": [{"minValue": 60, "maxValue": 70}], "type": "step"}
            ], "begin": 7, "end": 9}]}),
        );
        assert_eq!(wire.structure[0].kind, BlockKind::RampUp);
        assert_eq!(
            (wire.structure[0].begin, wire.structure[0].end),
            (0.0, 120.0)
        );
    }

    #[test]
    fn distance_steps() {
        let s = ok(
            json!({"primaryIntensityMetric": "percentOfThresholdPace", "steps": [
            {"name": "WU", "distance_meters": 2000, "intensity_min": 70, "intensity_max": 80, "intensityClass": "warmUp"},
            {"type": "repetition", "reps": 5, "steps": [
                {"distance_meters": 400, "intensity_min": 105, "intensity_max": 110},
                {"distance_meters": 200, "intensity_min": 60, "intensity_max": 70, "intensityClass": "recovery"}]},
            {"distance_meters": 1500, "intensity_min": 65, "intensity_max": 75, "intensityClass": "coolDown"}]}),
        );
        assert_eq!(s.primary_length_metric, LengthMetric::Distance);
        assert_eq!(s.visualization_distance_unit.as_deref(), Some("meter"));
        let ends: Vec<(f64, f64)> = s.structure.iter().map(|b| (b.begin, b.end)).collect();
        assert_eq!(
            ends,
            vec![(0.0, 2000.0), (2000.0, 5000.0), (5000.0, 6500.0)]
        );
        assert!(
            s.structure
                .iter()
                .flat_map(|b| &b.steps)
                .all(|st| st.length.unit == LengthUnit::Meter)
        );
        // Polyline x is metres / total metres: the warm-up ends at 2000 / 6500.
        assert_eq!(s.polyline[2], [0.308, 0.727]);
        assert_eq!(s.polyline.last(), Some(&[1.0, 0.0]));
        // Metres are never treated as seconds.
        assert_eq!(metrics(&s, Some(250.0)), None);
        assert_eq!(planned_distance_meters(&s), Some(6500.0));
        let v = s.to_value();
        assert_eq!(
            v["structure"][1]["steps"][0]["length"],
            json!({"value": 400, "unit": "meter"})
        );
        assert_eq!(v["primaryLengthMetric"], "distance");
    }

    #[test]
    fn open_duration_steps() {
        let s = ok(json!({"steps": [
            {"name": "Warm up until ready", "duration_seconds": 600, "open_duration": true,
             "intensity_min": 50, "intensity_max": 60},
            {"duration_seconds": 300, "intensity_min": 90, "intensity_max": 100}]}));
        let st = &s.structure[0].steps[0];
        assert!(st.open_duration);
        assert!(!s.structure[1].steps[0].open_duration);
        // The estimate counts like any other length.
        assert_eq!((s.structure[1].begin, s.structure[1].end), (600.0, 900.0));
        assert_eq!(metrics(&s, None).map(|m| m.total_seconds), Some(900.0));
        assert_eq!(
            s.to_value()["structure"][0]["steps"][0]["openDuration"],
            json!(true)
        );
        // Wire openDuration is kept.
        let w = ok(
            json!({"structure": [{"type": "step", "length": {"value": 1, "unit": "repetition"},
            "steps": [{"length": {"value": 60, "unit": "second"}, "openDuration": true}]}]}),
        );
        assert!(w.structure[0].steps[0].open_duration);
    }

    #[test]
    fn intensity_metrics_cadence_and_classes() {
        for m in [
            "percentOfFtp",
            "percentOfThresholdHr",
            "percentOfThresholdPace",
        ] {
            let s = ok(json!({"primaryIntensityMetric": m, "steps": [
                {"duration_seconds": 60, "intensity_min": 80, "intensity_max": 90, "cadence_min": 170, "cadence_max": 180}]}));
            assert_eq!(s.to_value()["primaryIntensityMetric"], m);
            assert_eq!(
                s.structure[0].steps[0].cadence().and_then(|c| c.max_value),
                Some(180.0)
            );
        }
        for (given, want) in [
            ("warmUp", IntensityClass::WarmUp),
            ("warmup", IntensityClass::WarmUp),
            ("cool_down", IntensityClass::CoolDown),
            ("Recovery", IntensityClass::Rest),
            ("other", IntensityClass::Other),
        ] {
            let s = ok(json!({"steps": [{"duration_seconds": 60, "intensityClass": given}]}));
            assert_eq!(s.structure[0].steps[0].intensity_class, want, "{given}");
        }
        // A step without targets is fine and draws nothing when no step has a target.
        let s = ok(json!({"steps": [{"duration_seconds": 60}]}));
        assert!(s.polyline.is_empty());
        assert!(s.structure[0].steps[0].targets.is_empty());
    }

    #[test]
    fn wire_input_is_validated_and_preserved() {
        let s = ok(
            json!({"structure": [{"type": "repetition", "length": {"value": 2, "unit": "repetition"},
            "custom": 1, "steps": [
                {"name": "A", "type": "step", "length": {"value": 30, "unit": "second"},
                 "targets": [{"minValue": 90, "maxValue": 100}, {"minValue": 80, "maxValue": 90, "unit": "roundOrStridePerMinute"}],
                 "intensityClass": "active", "openDuration": false, "notes": "x"}]}],
            "polyline": [[0, 0]], "primaryLengthMetric": "duration", "primaryIntensityMetric": "percentOfThresholdHr"}),
        );
        let v = s.to_value();
        assert_eq!(v["structure"][0]["custom"], 1);
        assert_eq!(v["structure"][0]["steps"][0]["notes"], "x");
        assert_eq!(v["structure"][0]["end"], 60);
        assert_eq!(v["primaryIntensityMetric"], "percentOfThresholdHr");
        assert_eq!(s.polyline.len(), 1 + 3 * 2);
        // Miles count as metres in offsets.
        let m = ok(
            json!({"steps": [{"type": "step", "length": {"value": 1, "unit": "repetition"},
            "steps": [{"length": {"value": 1, "unit": "mile"}}]}]}),
        );
        assert_eq!(m.primary_length_metric, LengthMetric::Distance);
        assert_eq!(m.structure[0].end, 1609.344);
    }

    /// The case the browser e2e suite found: `repeat` for `reps` used to compile to one
    /// repetition (a 40-minute workout instead of 3×(15+5) + 20 = 80 minutes), silently.
    #[test]
    fn misspelt_reps_is_an_error_not_one_repetition() {
        let input = json!({"steps": [
            {"duration_seconds": 600, "intensity_min": 50, "intensity_max": 65, "intensityClass": "warmUp"},
            {"repeat": 3, "steps": [
                {"duration_seconds": 900, "intensity_min": 95, "intensity_max": 105},
                {"duration_seconds": 300, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}]},
            {"duration_seconds": 600, "intensity_min": 45, "intensity_max": 55, "intensityClass": "coolDown"}]});
        for e in [
            err(input.clone()),
            super::super::compile(&input.to_string()).unwrap_err(),
        ] {
            assert_eq!(e.path, "steps[1].repeat");
            assert!(
                e.to_string()
                    .starts_with("steps[1].repeat: unknown key; did you mean \"reps\"?"),
                "{e}"
            );
        }
        // Spelt right, it is the 80-minute workout.
        let mut fixed = input;
        fixed["steps"][1]["reps"] = fixed["steps"][1]["repeat"].take();
        if let Some(o) = fixed["steps"][1].as_object_mut() {
            o.remove("repeat");
        }
        let s = ok(fixed);
        assert_eq!(s.structure[1].length.value, 3.0);
        assert_eq!(s.structure.last().map(|b| b.end), Some(4800.0));
    }

    #[test]
    fn friendly_format_rejects_unknown_and_misplaced_keys() {
        let st = |extra: Value| {
            let mut s = json!({"duration_seconds": 60, "intensity_min": 50, "intensity_max": 60});
            if let (Some(o), Value::Object(e)) = (s.as_object_mut(), extra) {
                o.extend(e);
            }
            s
        };
        let rep = |extra: Value| {
            let mut s = json!({"type": "repetition", "reps": 3, "steps": [st(json!({}))]});
            if let (Some(o), Value::Object(e)) = (s.as_object_mut(), extra) {
                o.extend(e);
            }
            s
        };
        let ramp = |extra: Value| {
            let mut s = json!({"type": "rampUp", "intensity_start": 50, "intensity_end": 70, "duration_seconds": 600});
            if let (Some(o), Value::Object(e)) = (s.as_object_mut(), extra) {
                o.extend(e);
            }
            s
        };
        let one = |s: Value| json!({"steps": [st(json!({})), s]});
        let cases: Vec<(&str, Value, &str, &str)> = vec![
            // Unknown keys with a did-you-mean.
            (
                "repeats",
                one(json!({"repeats": 3, "steps": [st(json!({}))]})),
                "steps[1].repeats",
                "did you mean \"reps\"",
            ),
            (
                "repetitions",
                one(json!({"type": "repetition", "repetitions": 3, "steps": [st(json!({}))]})),
                "steps[1].repetitions",
                "did you mean \"reps\"",
            ),
            (
                "times",
                one(json!({"times": 3, "steps": [st(json!({}))]})),
                "steps[1].times",
                "did you mean \"reps\"",
            ),
            (
                "count on a repetition",
                one(json!({"count": 3, "steps": [st(json!({}))]})),
                "steps[1].count",
                "did you mean \"reps\"",
            ),
            (
                "typo of reps",
                one(json!({"type": "repetition", "resp": 3, "steps": [st(json!({}))]})),
                "steps[1].resp",
                "did you mean \"reps\"",
            ),
            (
                "duration",
                one(json!({"duration": 60, "intensity_min": 50, "intensity_max": 60})),
                "steps[1].duration",
                "did you mean \"duration_seconds\"",
            ),
            (
                "seconds",
                one(json!({"seconds": 60})),
                "steps[1].seconds",
                "did you mean \"duration_seconds\"",
            ),
            (
                "duration_s",
                one(json!({"duration_s": 60})),
                "steps[1].duration_s",
                "did you mean \"duration_seconds\"",
            ),
            (
                "camelCase duration",
                one(json!({"durationSeconds": 60})),
                "steps[1].durationSeconds",
                "did you mean \"duration_seconds\"",
            ),
            (
                "minutes",
                one(json!({"duration_minutes": 10})),
                "steps[1].duration_minutes",
                "10 min = 600",
            ),
            (
                "distance",
                json!({"steps": [{"distance": 400, "distance_meters": 400}]}),
                "steps[0].distance",
                "did you mean \"distance_meters\"",
            ),
            (
                "distance_m",
                json!({"steps": [{"distance_m": 400, "distance_meters": 400}]}),
                "steps[0].distance_m",
                "did you mean \"distance_meters\"",
            ),
            (
                "meters",
                json!({"steps": [{"meters": 400, "distance_meters": 400}]}),
                "steps[0].meters",
                "did you mean \"distance_meters\"",
            ),
            (
                "min",
                one(st(json!({"min": 50}))),
                "steps[1].min",
                "did you mean \"intensity_min\"",
            ),
            (
                "max",
                one(st(json!({"max": 50}))),
                "steps[1].max",
                "did you mean \"intensity_max\"",
            ),
            (
                "low",
                one(st(json!({"low": 50}))),
                "steps[1].low",
                "did you mean \"intensity_min\"",
            ),
            (
                "high",
                one(st(json!({"high": 50}))),
                "steps[1].high",
                "did you mean \"intensity_max\"",
            ),
            (
                "intensity",
                one(st(json!({"intensity": 50}))),
                "steps[1].intensity",
                "did you mean \"intensity_min\" and \"intensity_max\"",
            ),
            (
                "cadence",
                one(st(json!({"cadence": 90}))),
                "steps[1].cadence",
                "did you mean \"cadence_min\" and \"cadence_max\"",
            ),
            (
                "class",
                one(st(json!({"class": "rest"}))),
                "steps[1].class",
                "did you mean \"intensityClass\"",
            ),
            (
                "typo of intensityClass",
                one(st(json!({"intesityClass": "rest"}))),
                "steps[1].intesityClass",
                "did you mean \"intensityClass\"",
            ),
            (
                "typo of type",
                one(json!({"tpye": "repetition", "reps": 2, "steps": [st(json!({}))]})),
                "steps[1].tpye",
                "did you mean \"type\"",
            ),
            (
                "typo of steps",
                one(json!({"type": "repetition", "reps": 2, "step": [st(json!({}))]})),
                "steps[1].step",
                "did you mean \"steps\"",
            ),
            (
                "typo of name",
                one(st(json!({"nmae": "x"}))),
                "steps[1].nmae",
                "did you mean \"name\"",
            ),
            (
                "open",
                one(st(json!({"open": true}))),
                "steps[1].open",
                "did you mean \"open_duration\"",
            ),
            (
                "ramp count",
                one(ramp(json!({"count": 4}))),
                "steps[1].count",
                "did you mean \"steps_count\"",
            ),
            (
                "ramp stepsCount",
                one(ramp(json!({"stepsCount": 4}))),
                "steps[1].stepsCount",
                "did you mean \"steps_count\"",
            ),
            (
                "ramp end",
                json!({"steps": [{"type": "rampUp", "intensity_start": 50, "end": 70, "duration_seconds": 600}]}),
                "steps[0].end",
                "did you mean \"intensity_end\"",
            ),
            (
                "inner step",
                one(rep(json!({"steps": [st(json!({"duraton_seconds": 5}))]}))),
                "steps[1].steps[0].duraton_seconds",
                "did you mean \"duration_seconds\"",
            ),
            // Unknown keys without a suggestion list what is accepted.
            (
                "unknown step key",
                one(st(json!({"foo": 1}))),
                "steps[1].foo",
                "a step takes name, type \"step\", duration_seconds",
            ),
            (
                "unknown repetition key",
                one(rep(json!({"foo": 1}))),
                "steps[1].foo",
                "a repetition takes type \"repetition\", reps",
            ),
            (
                "unknown ramp key",
                one(ramp(json!({"foo": 1}))),
                "steps[1].foo",
                "a ramp takes",
            ),
            (
                "key with spaces",
                one(st(json!({"my key": 1}))),
                "steps[1][\"my key\"]",
                "unknown key",
            ),
            (
                "notes on a step",
                one(st(json!({"notes": "smooth"}))),
                "steps[1].notes",
                "no notes or description",
            ),
            (
                "description on a step",
                one(st(json!({"description": "x"}))),
                "steps[1].description",
                "put a short cue in \"name\"",
            ),
            (
                "begin on a step",
                one(st(json!({"begin": 0}))),
                "steps[1].begin",
                "computed",
            ),
            (
                "rest as a key",
                one(rep(json!({"rest": 60}))),
                "steps[1].rest",
                "its own step",
            ),
            // Known keys that would be ignored where they are.
            (
                "wire length on a friendly step",
                one(
                    json!({"length": {"value": 60, "unit": "second"}, "intensity_min": 1, "intensity_max": 2}),
                ),
                "steps[1].length",
                "duration_seconds",
            ),
            (
                "wire targets on a friendly step",
                one(st(json!({"targets": [{"minValue": 1, "maxValue": 2}]}))),
                "steps[1].targets",
                "intensity_min and intensity_max",
            ),
            (
                "wire block among friendly steps",
                one(
                    json!({"type": "step", "length": {"value": 1, "unit": "repetition"},
                    "steps": [{"length": {"value": 60, "unit": "second"}}]}),
                ),
                "steps[1].length",
                "write every step in the same format",
            ),
            (
                "wire length on a repetition",
                one(
                    json!({"type": "repetition", "length": {"value": 3, "unit": "repetition"}, "steps": [st(json!({}))]}),
                ),
                "steps[1].length",
                "\"reps\"",
            ),
            (
                "intensity on a repetition",
                one(rep(json!({"intensity_min": 50, "intensity_max": 60}))),
                "steps[1].intensity_min",
                "inner steps",
            ),
            (
                "class on a repetition",
                one(rep(json!({"intensityClass": "rest"}))),
                "steps[1].intensityClass",
                "inner steps",
            ),
            (
                "cadence on a repetition",
                one(rep(json!({"cadence_max": 90}))),
                "steps[1].cadence_max",
                "inner steps",
            ),
            (
                "open on a repetition",
                one(rep(json!({"open_duration": true}))),
                "steps[1].open_duration",
                "inner steps",
            ),
            (
                "ramp keys on a step",
                one(st(json!({"type": "step", "intensity_end": 80}))),
                "steps[1].intensity_end",
                "belongs to a ramp",
            ),
            (
                "steps_count on a step",
                one(st(json!({"steps_count": 3}))),
                "steps[1].steps_count",
                "belongs to a ramp",
            ),
            (
                "ramp key on an inner step",
                one(rep(json!({"steps": [st(json!({"intensity_end": 80}))]}))),
                "steps[1].steps[0].intensity_end",
                "belongs to a ramp",
            ),
            (
                "reps on a ramp",
                one(ramp(json!({"reps": 3}))),
                "steps[1].reps",
                "cannot repeat",
            ),
            (
                "openDuration on a ramp",
                one(ramp(json!({"openDuration": true}))),
                "steps[1].openDuration",
                "open-duration",
            ),
            // A repetition needs reps.
            (
                "repetition without reps",
                one(json!({"type": "repetition", "steps": [st(json!({}))]})),
                "steps[1].reps",
                "is missing: a repetition needs \"reps\"",
            ),
            (
                "steps without reps or type",
                one(json!({"steps": [st(json!({}))]})),
                "steps[1].reps",
                "(1–1000)",
            ),
            (
                "null reps",
                one(json!({"reps": null, "steps": [st(json!({}))]})),
                "steps[1].reps",
                "is missing",
            ),
            // The friendly root.
            (
                "unknown root key",
                json!({"steps": [st(json!({}))], "metric": "percentOfFtp"}),
                "metric",
                "did you mean \"primaryIntensityMetric\"",
            ),
            (
                "misspelt root metric",
                json!({"steps": [st(json!({}))], "primaryIntensityMetirc": "percentOfFtp"}),
                "primaryIntensityMetirc",
                "did you mean \"primaryIntensityMetric\"",
            ),
            (
                "computed root key",
                json!({"steps": [st(json!({}))], "primaryLengthMetric": "distance"}),
                "primaryLengthMetric",
                "computed",
            ),
            (
                "workout field in the root",
                json!({"steps": [st(json!({}))], "title": "VO2"}),
                "title",
                "belongs on the workout",
            ),
            (
                "unknown root key, no suggestion",
                json!({"steps": [st(json!({}))], "zzz": 1}),
                "zzz",
                "\"steps\", \"primaryIntensityMetric\"",
            ),
            (
                "steps and structure",
                json!({"steps": [st(json!({}))], "structure": []}),
                "structure",
                "not both",
            ),
            // Neither format: a key with a likely meaning is named.
            (
                "no friendly key, misspelt",
                json!({"steps": [{"name": "x", "duration": 600, "min": 50, "max": 60}]}),
                "steps[0].duration",
                "did you mean \"duration_seconds\"",
            ),
            (
                "no friendly key, misspelt inner",
                json!({"steps": [{"type": "repetition", "steps": [{"secs": 60}]}]}),
                "steps[0].steps[0].secs",
                "did you mean \"duration_seconds\"",
            ),
        ];
        for (name, input, path, needle) in cases {
            let e = err(input.clone());
            assert_eq!(e.path, path, "{name}: {e}");
            assert!(
                e.message.contains(needle),
                "{name}: message {:?} lacks {needle:?}",
                e.message
            );
            // Text input reports the same error.
            let t = super::super::compile(&input.to_string()).unwrap_err();
            assert_eq!(t, e, "{name}: text and value disagree");
        }
    }

    #[test]
    fn friendly_format_tolerates_its_documented_extras() {
        // `name` on a repetition (the reference vectors use it; blocks have no name on the
        // wire, so it is dropped), the `intensity_class` and `openDuration` spellings, and the
        // root's `primary_intensity_metric` and `visualizationDistanceUnit`.
        let s = ok(
            json!({"primary_intensity_metric": "percentOfThresholdHr", "visualizationDistanceUnit": "kilometer",
            "steps": [
                {"name": "Set", "type": "repetition", "reps": 2, "steps": [
                    {"type": "step", "duration_seconds": 60, "intensity_min": 80, "intensity_max": 90, "intensity_class": "active"},
                    {"duration_seconds": 30, "intensity_min": 50, "intensity_max": 60, "openDuration": true}]},
                {"name": "Ramp", "type": "rampDown", "intensity_start": 70, "intensity_end": 50, "duration_seconds": 120,
                 "steps_count": 2, "open_duration": false, "openDuration": false, "intensityClass": "coolDown",
                 "cadence_min": 80, "cadence_max": 90}]}),
        );
        assert_eq!(s.structure[0].length.value, 2.0);
        assert!(s.structure[0].steps[1].open_duration);
        assert_eq!(
            s.to_value()["primaryIntensityMetric"],
            "percentOfThresholdHr"
        );
        assert_eq!(s.structure[1].steps.len(), 2);
    }

    #[test]
    fn wire_formats_still_pass_unknown_keys_through() {
        // A wire block with keys that would be errors in the friendly format: TrainingPeaks
        // adds fields, so wire input keeps them.
        let blocks = ok(
            json!({"steps": [{"type": "repetition", "length": {"value": 2, "unit": "repetition"},
            "repeat": 9, "notes": "n", "steps": [{"length": {"value": 60, "unit": "second"}, "duration": 5,
            "targets": [{"minValue": 50, "maxValue": 60, "zone": 2}]}]}]}),
        );
        let v = blocks.to_value();
        assert_eq!(v["structure"][0]["repeat"], 9);
        assert_eq!(v["structure"][0]["notes"], "n");
        assert_eq!(v["structure"][0]["steps"][0]["duration"], 5);
        assert_eq!(v["structure"][0]["steps"][0]["targets"][0]["zone"], 2);
        assert_eq!(v["structure"][0]["end"], 120);
        // The full wire structure's root keeps its own keys too.
        let full = ok(
            json!({"structure": [{"type": "step", "length": {"value": 1, "unit": "repetition"},
            "steps": [{"length": {"value": 60, "unit": "second"}, "custom": true}]}],
            "polyline": [], "primaryLengthMetric": "duration", "somethingNew": 1}),
        );
        assert_eq!(full.to_value()["structure"][0]["steps"][0]["custom"], true);
    }

    #[test]
    fn validation_errors_name_the_field() {
        let step = |extra: Value| {
            let mut s = json!({"duration_seconds": 60, "intensity_min": 50, "intensity_max": 60});
            if let (Some(o), Value::Object(e)) = (s.as_object_mut(), extra) {
                o.extend(e);
            }
            s
        };
        let wire_step = json!({"length": {"value": 60, "unit": "second"}});
        let cases: Vec<(&str, Value, &str, &str)> = vec![
            ("not JSON object", json!(5), "(root)", "JSON object"),
            (
                "string that is not JSON",
                json!("nope"),
                "(root)",
                "not valid JSON",
            ),
            (
                "steps missing",
                json!({"foo": 1}),
                "steps",
                "\"steps\" array",
            ),
            ("steps wrong type", json!({"steps": "a"}), "steps", "array"),
            (
                "steps empty",
                json!({"steps": []}),
                "steps",
                "at least one step",
            ),
            (
                "unknown format",
                json!({"steps": [{"name": "x"}]}),
                "steps[0]",
                "Could not determine",
            ),
            (
                "step not an object",
                json!({"steps": [step(json!({})), 3]}),
                "steps[1]",
                "object",
            ),
            (
                "unknown metric",
                json!({"primaryIntensityMetric": "watts", "steps": [step(json!({}))]}),
                "primaryIntensityMetric",
                "percentOfFtp",
            ),
            (
                "zero duration",
                json!({"steps": [step(json!({"duration_seconds": 0}))]}),
                "steps[0].duration_seconds",
                "greater than 0",
            ),
            (
                "negative duration",
                json!({"steps": [step(json!({"duration_seconds": -5}))]}),
                "steps[0].duration_seconds",
                "greater than 0",
            ),
            (
                "string duration",
                json!({"steps": [step(json!({"duration_seconds": "10 min"}))]}),
                "steps[0].duration_seconds",
                "\"10 min\"",
            ),
            (
                "duration over 24 h",
                json!({"steps": [step(json!({"duration_seconds": 90000}))]}),
                "steps[0].duration_seconds",
                "86400",
            ),
            (
                "workout over 24 h",
                json!({"steps": [{"type": "repetition", "reps": 30, "steps": [step(json!({"duration_seconds": 3600}))]}]}),
                "steps",
                "24 h",
            ),
            (
                "distance over 1000 km",
                json!({"steps": [step(json!({"duration_seconds": null, "distance_meters": 2e6}))]}),
                "steps[0].distance_meters",
                "1000 km",
            ),
            (
                "both lengths",
                json!({"steps": [step(json!({"distance_meters": 100}))]}),
                "steps[0].distance_meters",
                "not both",
            ),
            (
                "min above max",
                json!({"steps": [step(json!({"intensity_min": 110, "intensity_max": 100}))]}),
                "steps[0].intensity_min",
                "greater than",
            ),
            (
                "intensity over 1000 %",
                json!({"steps": [step(json!({"intensity_max": 1200}))]}),
                "steps[0].intensity_max",
                "1000",
            ),
            (
                "negative intensity",
                json!({"steps": [step(json!({"intensity_min": -1}))]}),
                "steps[0].intensity_min",
                "0 to 1000",
            ),
            (
                "only intensity_min",
                json!({"steps": [{"duration_seconds": 60, "intensity_min": 50}]}),
                "steps[0].intensity_max",
                "both",
            ),
            (
                "cadence out of range",
                json!({"steps": [step(json!({"cadence_min": 0, "cadence_max": 90}))]}),
                "steps[0].cadence_min",
                "1 to 250",
            ),
            (
                "cadence min above max",
                json!({"steps": [step(json!({"cadence_min": 100, "cadence_max": 90}))]}),
                "steps[0].cadence_min",
                "greater than",
            ),
            (
                "unknown class",
                json!({"steps": [step(json!({"intensityClass": "hard"}))]}),
                "steps[0].intensityClass",
                "warmUp",
            ),
            (
                "class wrong type",
                json!({"steps": [step(json!({"intensityClass": 3}))]}),
                "steps[0].intensityClass",
                "coolDown",
            ),
            (
                "unknown type",
                json!({"steps": [step(json!({"type": "interval"}))]}),
                "steps[0].type",
                "repetition",
            ),
            (
                "name not a string",
                json!({"steps": [step(json!({"name": 5}))]}),
                "steps[0].name",
                "string",
            ),
            (
                "open_duration not bool",
                json!({"steps": [step(json!({"open_duration": "yes"}))]}),
                "steps[0].open_duration",
                "true or false",
            ),
            (
                "open without estimate",
                json!({"steps": [{"open_duration": true}]}),
                "steps[0].duration_seconds",
                "estimate",
            ),
            (
                "fractional reps",
                json!({"steps": [{"type": "repetition", "reps": 2.5, "steps": [step(json!({}))]}]}),
                "steps[0].reps",
                "whole number",
            ),
            (
                "zero reps",
                json!({"steps": [{"type": "repetition", "reps": 0, "steps": [step(json!({}))]}]}),
                "steps[0].reps",
                "1 to 1000",
            ),
            (
                "reps as string",
                json!({"steps": [{"type": "repetition", "reps": "3", "steps": [step(json!({}))]}]}),
                "steps[0].reps",
                "\"3\"",
            ),
            (
                "empty repetition",
                json!({"steps": [{"type": "repetition", "reps": 3, "steps": []}]}),
                "steps[0].steps",
                "at least one",
            ),
            (
                "repetition in repetition",
                json!({"steps": [{"type": "repetition", "reps": 2, "steps": [
                    {"type": "repetition", "reps": 2, "steps": [step(json!({}))]}]}]}),
                "steps[0].steps[0]",
                "one level",
            ),
            (
                "ramp in repetition",
                json!({"steps": [{"type": "repetition", "reps": 2, "steps": [
                    {"type": "rampUp", "intensity_start": 50, "intensity_end": 60, "duration_seconds": 60}]}]}),
                "steps[0].steps[0]",
                "ramp",
            ),
            (
                "inner zero duration",
                json!({"steps": [{"type": "repetition", "reps": 2, "steps": [
                    step(json!({})), step(json!({"duration_seconds": 0}))]}]}),
                "steps[0].steps[1].duration_seconds",
                "greater than 0",
            ),
            (
                "time/distance mix",
                json!({"steps": [step(json!({})), step(json!({"duration_seconds": null, "distance_meters": 400}))]}),
                "steps[1].distance_meters",
                "one length metric",
            ),
            (
                "ramp flat",
                json!({"steps": [{"type": "rampUp", "intensity_start": 60, "intensity_end": 60, "duration_seconds": 60}]}),
                "steps[0].intensity_end",
                "different",
            ),
            (
                "rampUp falling",
                json!({"steps": [{"type": "rampUp", "intensity_start": 70, "intensity_end": 60, "duration_seconds": 60}]}),
                "steps[0].intensity_start",
                "rampDown",
            ),
            (
                "ramp steps_count 1",
                json!({"steps": [{"type": "rampUp", "intensity_start": 50, "intensity_end": 60, "duration_seconds": 60, "steps_count": 1}]}),
                "steps[0].steps_count",
                "2 to 30",
            ),
            (
                "ramp too short",
                json!({"steps": [{"type": "rampUp", "intensity_start": 50, "intensity_end": 60, "duration_seconds": 3, "steps_count": 4}]}),
                "steps[0].duration_seconds",
                "too short",
            ),
            (
                "ramp without end",
                json!({"steps": [{"type": "rampUp", "intensity_start": 50, "duration_seconds": 60}]}),
                "steps[0].intensity_end",
                "missing",
            ),
            (
                "wire: block without steps",
                json!({"steps": [{"type": "step", "length": {"value": 1, "unit": "repetition"}}]}),
                "steps[0]",
                "no steps array",
            ),
            (
                "wire: bad unit",
                json!({"structure": [{"type": "step", "steps": [{"length": {"value": 1, "unit": "hour"}}]}]}),
                "structure[0].steps[0].length.unit",
                "second",
            ),
            (
                "wire: zero length",
                json!({"structure": [{"type": "step", "steps": [{"length": {"value": 0, "unit": "second"}}]}]}),
                "structure[0].steps[0].length.value",
                "positive",
            ),
            (
                "wire: fractional reps",
                json!({"structure": [{"type": "repetition", "length": {"value": 1.5, "unit": "repetition"}, "steps": [wire_step.clone()]}]}),
                "structure[0].length.value",
                "whole number",
            ),
            (
                "wire: step block with two steps",
                json!({"structure": [{"type": "step", "steps": [wire_step.clone(), wire_step.clone()]}]}),
                "structure[0].steps",
                "exactly one",
            ),
            (
                "wire: nested steps",
                json!({"structure": [{"type": "repetition", "length": {"value": 2, "unit": "repetition"},
                    "steps": [{"length": {"value": 1, "unit": "second"}, "steps": [wire_step.clone()]}]}]}),
                "structure[0].steps[0].steps",
                "one level",
            ),
            (
                "wire: min above max",
                json!({"structure": [{"type": "step", "steps": [{"length": {"value": 60, "unit": "second"},
                    "targets": [{"minValue": 90, "maxValue": 80}]}]}]}),
                "structure[0].steps[0].targets[0].minValue",
                "greater than",
            ),
            (
                "wire: unknown block type",
                json!({"structure": [{"type": "loop", "steps": [wire_step.clone()]}]}),
                "structure[0].type",
                "repetition",
            ),
            (
                "wire: unknown class",
                json!({"structure": [{"type": "step", "steps": [{"length": {"value": 60, "unit": "second"}, "intensityClass": "easy"}]}]}),
                "structure[0].steps[0].intensityClass",
                "rest",
            ),
            (
                "wire: empty structure",
                json!({"structure": []}),
                "structure",
                "at least one",
            ),
        ];
        for (name, input, path, needle) in cases {
            let e = err(input);
            assert_eq!(e.path, path, "{name}: {e}");
            assert!(
                e.message.contains(needle),
                "{name}: message {:?} lacks {needle:?}",
                e.message
            );
            assert_eq!(e.to_string(), format!("{}: {}", e.path, e.message));
        }
    }
}
