//! The workout-structure compiler: friendly or wire JSON in, the TrainingPeaks wire structure
//! out, plus planned metrics and a readable summary.
//!
//! # Accepted input
//! [`compile()`] takes raw JSON text, [`compile_value`] a JSON object (or a JSON string holding
//! one, as workouts carry it on the wire). Three formats are detected the way the reference
//! server detects them, plus the extras below:
//!
//! 1. **Friendly**: `{primaryIntensityMetric?, visualizationDistanceUnit?, steps: [...]}` where
//!    a step is `{type?: "step", name?, duration_seconds | distance_meters, intensity_min?,
//!    intensity_max?, cadence_min?, cadence_max?, intensityClass?, open_duration?}`, a
//!    repetition is `{type?: "repetition", name?, reps, steps: [step, ...]}` and a ramp is
//!    `{type: "rampUp" | "rampDown" | "ramp", name?, intensity_start, intensity_end,
//!    duration_seconds | distance_meters, steps_count?, cadence_min?, cadence_max?,
//!    intensityClass?}`. Unknown keys are rejected (see below).
//! 2. **Wire blocks**: `{primaryIntensityMetric?, steps: [block, ...]}` where blocks already carry
//!    `length: {value, unit}`.
//! 3. **Full wire structure**: `{structure: [block, ...], ...}` as TrainingPeaks returns it.
//!
//! The format is friendly as soon as any step (or inner step) uses a friendly-only key
//! (`duration_seconds`, `distance_meters`, `intensity_min`/`_max`, `intensity_start`/`_end`,
//! `steps_count`, `reps`, `open_duration`); otherwise it is wire blocks when the first step has a
//! `length` object with a string `unit`.
//!
//! # Rules beyond the reference (decided here, each enforced with a path-naming error)
//! - **Ramps** compile to the staircase TrainingPeaks stores: a `rampUp`/`rampDown` block with
//!   `length {1, repetition}` and `steps_count` sub-steps (`type: "step"`). The range from
//!   `intensity_start` to `intensity_end` is cut into equal bands, one per sub-step, so
//!   sub-step *i* targets `[start + i·Δ, start + (i+1)·Δ]` (ordered min ≤ max, 2 decimals).
//!   `steps_count` is 2–30 and defaults to one sub-step per ~5 % of range, clamped to 2–10.
//!   Sub-step lengths are equal; when the total is a whole number that does not divide evenly,
//!   the remainder is spread one unit at a time over the first sub-steps so that every length
//!   stays whole. `intensity_min`/`intensity_max` are accepted instead of start/end for
//!   `rampUp` (min → max) and `rampDown` (max → min).
//! - **Distance**: `distance_meters` gives lengths in `meter`, `primaryLengthMetric: "distance"`
//!   and `begin`/`end`/polyline in metres. One workout uses **one** length metric: every step
//!   is time-based or every step is distance-based. TrainingPeaks keeps a single
//!   `primaryLengthMetric` and `begin`/`end` counter per workout, and no verified source shows
//!   how it places time blocks inside a distance workout, so any mix is rejected (write swim
//!   rests as a short easy distance, or an open-duration step with a distance estimate).
//!   Wire steps may use `second`, `meter` or `mile` (miles count as 1609.344 m).
//! - **Open duration** (`open_duration: true` → `openDuration: true`): the athlete ends the step
//!   with the lap button, but TrainingPeaks still needs a length, so the step must give
//!   `duration_seconds` or `distance_meters` as its planned estimate. The estimate counts like any
//!   other length in `begin`/`end`, the polyline and the planned metrics.
//! - **Validation**: min ≤ max; lengths > 0 and at most 24 h / 1000 km per step and per workout;
//!   reps a whole number 1–1000; intensities 0–1000 %; cadence 1–250 rpm; `intensityClass` one
//!   of `warmUp`, `active`, `rest`, `coolDown`, `other` (`recovery` → `rest`, case and `_`/`-`
//!   ignored); `primaryIntensityMetric` one of `percentOfFtp`, `percentOfThresholdHr`,
//!   `percentOfThresholdPace`; a repetition holds plain steps only (no repetition or ramp inside:
//!   TrainingPeaks stores one level); a `step` block holds exactly one step; unknown `type`
//!   values are rejected rather than silently turned into steps.
//! - **A repetition needs `reps`** (the reference defaults it to 1; no reference vector relies
//!   on that, and a missing count is far more often a misspelling than a single pass).
//!
//! # Unknown keys
//! Wire blocks, wire steps and targets keep unknown keys (after the known keys), as the
//! reference does: TrainingPeaks adds fields, and a round trip must not drop them. The wire
//! roots' own keys (`polyline`, `primaryLengthMetric`, …) are recomputed.
//!
//! The friendly format is written by hand (by assistants), so a key it does not know is a
//! mistake, and ignoring it changes the workout silently (`"repeat": 3` gave one repetition).
//! In a friendly structure every step, repetition, ramp and inner step, and the root, reject:
//! - **unknown keys**, at the key's own path with a did-you-mean where one is likely
//!   (`steps[1].repeat: unknown key; did you mean "reps"?`: synonyms, other spellings such as
//!   `durationSeconds`, and typos within a small edit distance), otherwise with the accepted
//!   keys. `description`/`notes` are rejected too: a TrainingPeaks step has no such field, so
//!   the text would be lost (put a cue in `name`). `begin`/`end` and the root's `polyline`,
//!   `primaryLengthMetric`, `primaryIntensityTargetOrRange` are computed, so rejected;
//! - **known keys that do not apply where they are**, since reading them would mean ignoring
//!   them: wire `length`/`targets` on a friendly object (one structure, one format), targets,
//!   cadence, `intensityClass` or `open_duration` on a repetition (they belong on its inner
//!   steps), ramp keys (`intensity_start`/`_end`, `steps_count`) on a plain step, `reps` on a
//!   ramp, a root with both `steps` and `structure`.
//!
//! Tolerated, because the vectors or the wire format use them: `name` on a repetition or ramp
//! (blocks carry no name on the wire, so a repetition's name is dropped; a ramp's goes on its
//! sub-steps), `type: "step"` on a step, the spellings `intensity_class`, `openDuration` and
//! the root's `primary_intensity_metric`. When no step has a friendly key and none is a wire
//! block, a misspelt friendly key with a likely meaning is named instead of "Could not
//! determine structure format". Detection itself is unchanged: the keys that make a structure
//! friendly are the ones listed above.

mod compile;
pub mod export;
pub mod icu_text;
mod input;
mod keys;
mod metrics;
pub mod preview;
mod summary;
mod wire;

pub use metrics::{PlannedMetrics, metrics, planned_distance_meters};
pub use summary::{PaceUnit, Thresholds, stored_summary, summary, summary_with};
pub use wire::{
    Block, BlockKind, Extra, IntensityClass, IntensityMetric, Length, LengthMetric, LengthUnit,
    Step, StepKind, StepName, Structure, Target, TargetOrRange, Targets,
};

/// A rejected structure: which field is wrong and what would be valid.
///
/// `path` uses JSON-path-like notation relative to the input root, for example
/// `steps[1].steps[0].duration_seconds`; whole-input problems use `(root)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct CompileError {
    /// Where the problem is, e.g. `steps[1].steps[0].duration_seconds`.
    pub path: String,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl CompileError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        CompileError {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Compiles raw JSON text (any accepted format) into the TrainingPeaks wire structure.
///
/// Text that is a JSON string holding the object (the double-serialised wire form) is
/// accepted too.
pub fn compile(input: &str) -> Result<Structure, CompileError> {
    compile_text(input, true)
}

fn compile_text(input: &str, allow_string: bool) -> Result<Structure, CompileError> {
    let mut de = serde_json::Deserializer::from_str(input);
    let parsed = serde::Deserialize::deserialize(&mut de).and_then(|root| de.end().map(|()| root));
    match parsed {
        Ok(root) => compile::compile_root::<input::TextNode<'_>>(&root, allow_string, compile_text),
        Err(e) => Err(CompileError::new(
            "(root)",
            format!(
                "Structure is not valid JSON ({e}): {}",
                input.chars().take(200).collect::<String>()
            ),
        )),
    }
}

/// Compiles a JSON object in any accepted format (never a string holding one), without
/// referencing the JSON text reader: what the workout-text parser makes goes through here, so
/// that the playground's keystroke module, which reads workout text only, holds one
/// instantiation of the compiler and no JSON parser for structures (issue 11).
pub(crate) fn compile_object(input: &serde_json::Value) -> Result<Structure, CompileError> {
    compile::compile_root(input, false, |_, _| {
        // Not reached: with `allow_string` false a string root is reported, not re-parsed.
        Err(CompileError::new("(root)", "expected a JSON object"))
    })
}

/// Compiles a JSON value: an object in any accepted format, or a JSON string holding one.
pub fn compile_value(input: &serde_json::Value) -> Result<Structure, CompileError> {
    if let serde_json::Value::String(text) = input {
        return compile_text(text, false);
    }
    compile::compile_root(input, false, compile_text)
}
