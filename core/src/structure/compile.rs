//! From the lenient input model to a validated [`Structure`]: format detection here, and the
//! builder by what it builds, one file each:
//!
//! - `path.rs`: `FieldPath`, the lazily rendered path every error names;
//! - `fields.rs`: reading one field (numbers in range, whole numbers, min/max pairs, names,
//!   classes, flags), each rejection naming the field;
//! - `rejected_keys.rs`: unknown and misplaced keys on friendly objects;
//! - `step.rs`: friendly steps, their length and targets, and the dispatch of a friendly block
//!   by its type;
//! - `repetition.rs`, `ramp.rs`: friendly repetitions and ramps (the ramp staircase);
//! - `wire_blocks.rs`: wire blocks, steps and targets, validated and passed through;
//! - `finish.rs`: `begin`/`end` offsets, the workout totals and the polyline;
//! - `rounding.rs`: the rounding the reference applies to targets and the polyline.
//!
//! Tests are in `compile/tests.rs` and `compile/tests/`.

use super::CompileError;
use super::input::{InLength, InRoot, InStep, JsonRef, Tree};
use super::keys::{self, Role};
use super::wire::{Block, BlockKind, Extra, IntensityMetric, Length, LengthUnit, Step, Structure};

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

mod fields;
mod finish;
mod path;
mod ramp;
mod rejected_keys;
mod repetition;
mod rounding;
mod step;
#[cfg(test)]
mod tests;
mod wire_blocks;

use fields::bad_metric;
use path::FieldPath;
use rejected_keys::unknown_key;

/// What every step of the compiler returns: the value, or the error naming the field.
type CompileResult<T> = Result<T, CompileError>;

/// Re-enters the text parser for a double-serialised (string) root.
pub(crate) type Reparse = fn(&str, bool) -> CompileResult<Structure>;

/// Compiles a parsed root: detects its format (module docs of `structure`) and builds every
/// block, naming the field of the first problem.
pub(crate) fn compile_root<T: Tree>(
    input: &T,
    allow_string: bool,
    reparse: Reparse,
) -> CompileResult<Structure> {
    let p = FieldPath::Root;
    let root = match input.read() {
        JsonRef::Obj(obj) => InRoot::of(obj),
        JsonRef::Str(text) if allow_string && text.trim_start().starts_with('{') => {
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
        None | Some(JsonRef::Null) => IntensityMetric::PercentOfFtp,
        Some(JsonRef::Str(s)) => match IntensityMetric::parse(s) {
            Some(m) => m,
            None => return bad_metric(&p, root.primary_intensity_metric),
        },
        other => return bad_metric(&p, other),
    };
    let vis_unit = match root.visualization_distance_unit {
        Some(JsonRef::Str(s)) => Some(s),
        _ => None,
    };
    let mut b = Builder::default();

    let steps_is_array = matches!(root.steps, Some(JsonRef::Arr(_)));
    if !steps_is_array && let Some(JsonRef::Arr(blocks)) = root.structure {
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
        Some(JsonRef::Arr(v)) if !v.is_empty() => v,
        Some(JsonRef::Arr(_)) => return sp.err("Structure must have at least one step."),
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
            || matches!(s.steps, Some(JsonRef::Arr(inner))
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
                unit: Some(JsonRef::Str(_)),
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
        if let Some(JsonRef::Arr(inner)) = st.steps {
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

/// What a step's length measures.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LengthKind {
    Time,
    Distance,
}

/// What the block builders share while one structure is compiled (their methods live in the
/// files named in the module docs).
#[derive(Default)]
struct Builder {
    /// The length metric fixed by the first step; every later step must match it.
    kind: Option<LengthKind>,
}

impl Builder {
    /// Fixes the workout's length metric on first use and rejects any later mix.
    fn use_kind(&mut self, kind: LengthKind, p: &FieldPath<'_>) -> CompileResult<()> {
        match self.kind {
            None => {
                self.kind = Some(kind);
                Ok(())
            }
            Some(k) if k == kind => Ok(()),
            Some(k) => {
                let (this, other) = match k {
                    LengthKind::Time => ("distance", "time (duration_seconds / second)"),
                    LengthKind::Distance => ("time", "distance (distance_meters / meter)"),
                };
                p.err(format!(
                    "this step is {this}-based but earlier steps are {other}-based; TrainingPeaks \
                     stores one length metric per workout, so use duration_seconds on every step \
                     or distance_meters on every step."
                ))
            }
        }
    }
}

/// A block holding `steps`, repeated `reps` times (offsets are filled in by `finish`).
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
