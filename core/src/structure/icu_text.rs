//! The Intervals.icu workout text syntax, both ways: [`parse`] turns text into the friendly
//! structure JSON that [`compile_value`](super::compile_value) accepts, and [`print()`] writes a
//! TrainingPeaks wire [`Structure`] back as text (`shared/spec/intervals-icu.md` §4).
//!
//! # What is read
//! - **Lines.** A line starting with `- ` is a step. Any other line directly followed by a step
//!   is a section header (`Warmup`, `Main set 3x`); the others are free text, returned in
//!   [`Parsed::description`]. A section ends at the next blank or non-step line.
//! - **Repeats.** `Nx` at the end of a header (`Main set 3x`) or alone (`3x`) repeats the steps
//!   below it. TrainingPeaks stores one level of repetition and Intervals.icu none deeper, so an
//!   indented `Nx` inside a repeat is an error, and so is a ramp inside a repeat (a TrainingPeaks
//!   ramp is a block of its own).
//! - **Classes.** Steps under a header starting with `Warmup`/`Warm up` are `warmUp`, under
//!   `Cooldown`/`Cool down` `coolDown`, else `active`; `intensity=rest` (or `warmup`, `active`,
//!   `cooldown`, `other`, `recovery`) on a step overrides it.
//! - **Lengths.** `30s`, `10m`, `1h`, `1h2m30s`, `1m30` (90 s), `5'`, `30"`, `1'30"`, `1:30`,
//!   `1:02:30`; distances `400mtr`, `2km`, `0.4km`, `1mi`, `100yrd`. `m` is minutes, as on
//!   Intervals.icu; a whole hundred of minutes written `400m` is refused as ambiguous (say
//!   `400mtr` or `6h40m`). One workout is all time or all distance (TrainingPeaks keeps one
//!   length metric).
//! - **Targets**, converted to the one intensity metric TrainingPeaks keeps per workout (the
//!   first target decides; a target of another kind is an error): `75%`, `95-105%` (the
//!   [`Options::default_metric`], % FTP unless told), `220w` (needs the FTP), `Z2`, `Z3-Z4`
//!   (power zones: the athlete's when given, else the Coggan table of [`crate::zones`],
//!   Z1 0–55, Z2 56–75, Z3 76–90, Z4 91–105, Z5 106–120 %), `95% LTHR`, `70% HR` (of max HR:
//!   needs max HR and LTHR), `145bpm` (needs LTHR), `Z2 HR` (needs the HR zones and LTHR),
//!   `80% Pace`, `5:00/km Pace`, `7:15-7:00/km Pace`, `1:45/100m Pace` (the trailing `Pace` may
//!   be left out when the pace has a unit; needs the threshold pace), `Z2 Pace` (needs the speed
//!   zones and threshold). Cadence `90rpm`, `85-95rpm`, `90 rpm`.
//! - **Step kinds.** `ramp 50-75%` (a range is required), `freeride` (no target), `Press lap` /
//!   `lap press` (open duration: the length is the planned estimate TrainingPeaks needs).
//! - **Cues.** Every other word of a step line is its name (`- Recovery 30s 50%` and
//!   `- 10m 60% easy spin` both name the step), joined in order. A token that starts with a
//!   digit and is none of the above is an error (`10x`, `5K`), not a silent drop as on
//!   Intervals.icu.
//! - **Refused with a reason:** `%MMP`, custom zones `CZ1`, timed text events `60^30`, a second
//!   length or target on one step, power zones above Z5.
//!
//! # What [`print()`] cannot carry
//! The text has no place for: a ramp's sub-step count and bands (printed as one continuous
//! `ramp a-b%`, which compiles back to the default count of one sub-step per ~5 %), different
//! names on a ramp's sub-steps (the first is used), a step block holding several steps (each is
//! printed as its own step), targets with a unit other than cadence, unknown wire keys,
//! `visualizationDistanceUnit`, and words of a step name that would read as syntax (`30s`,
//! `Z2`, `ramp`, `90 rpm`…), which are left out of the printed name. Single-value wire targets
//! print as one value and come back as a range with min = max.

mod parse;
mod print;
mod token;

pub use parse::parse;
pub use print::{print, print_losses, print_value};

use super::{CompileError, IntensityMetric, Structure};
use crate::zones::Zone;
use serde_json::Value;

/// The syntax, short, as a string literal, so tool descriptions can `concat!` it (models rarely
/// read resources): the one source of [`CHEAT_SHEET`] and of the Intervals.icu tools that take
/// a workout. Everything it shows is read by [`parse`] and by Intervals.icu alike (the trailing
/// `Pace`, optional here, is required there, so it is always written).
macro_rules! workout_text_cheat_sheet {
    () => {
        "Workout text (Intervals.icu): one step per line: - [cue] length target [cadence]. \
Length: 30s 10m 1h 1m30s | 400mtr 2km 1mi (m = MINUTES, metres mtr). \
Target: 75% or 95-105% (FTP), 220w, Z2, 95% LTHR, 70% HR, Z2 HR, 80% Pace, 5:00/km Pace \
(write Pace); cadence 90rpm. Ramp: - 10m ramp 50-75%. Lap button: - 10m 50% Press lap. \
Free: - 5m freeride. Repeat: a line 3x or Main set 3x, its steps \
below, blank lines around it (no nesting). Warmup/Cooldown headers mark their steps. \
Other lines are notes. Example: \"Warmup\\n- 10m 50-70%\\n\\nMain set 4x\\n- 5m \
95-105%\\n- 3m 55%\\n\\nCooldown\\n- 10m 50%\""
    };
}
pub(crate) use workout_text_cheat_sheet;

/// A short description of the syntax for tool descriptions (at most 600 characters); the same
/// text the Intervals.icu tools that take a workout `concat!` into theirs.
pub const CHEAT_SHEET: &str = workout_text_cheat_sheet!();

/// The sport, for the default pace unit (`/km` for runs and others, `/100m` for swims).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sport {
    /// Cycling (the default).
    #[default]
    Ride,
    /// Running: paces per km.
    Run,
    /// Swimming: paces per 100 m.
    Swim,
    /// Anything else: paces per km.
    Other,
}

/// What [`parse`] needs to know about the athlete and the workout.
///
/// Thresholds are only needed by the targets that use them (watts need the FTP, `% HR` the max
/// HR and LTHR, absolute paces the threshold pace, `Z2 HR`/`Z2 Pace` the zones); a target
/// whose threshold is missing is an error naming the field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// The sport (default pace unit).
    pub sport: Sport,
    /// What a bare `75%` is a percentage of; `None` means % FTP, as on Intervals.icu.
    pub default_metric: Option<IntensityMetric>,
    /// Functional threshold power, watts.
    pub ftp_watts: Option<f64>,
    /// Lactate-threshold heart rate, bpm.
    pub lthr_bpm: Option<f64>,
    /// Maximum heart rate, bpm.
    pub max_hr_bpm: Option<f64>,
    /// Threshold pace as a speed, m/s (see [`crate::zones::parse_pace`]).
    pub threshold_speed_mps: Option<f64>,
    /// The athlete's power zones in watts, lowest first; empty → the Coggan table.
    pub power_zones: Vec<Zone>,
    /// The athlete's heart-rate zones in bpm, lowest first.
    pub hr_zones: Vec<Zone>,
    /// The athlete's speed zones in m/s, lowest first.
    pub speed_zones: Vec<Zone>,
}

/// A text that could not be read: where (1-based line and column, in characters) and what was
/// expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, col {col}: {message}")]
pub struct TextError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column (characters, not bytes).
    pub col: usize,
    /// What is wrong and what would be valid.
    pub message: String,
}

/// A section header line (`Warmup`, `Main set 3x`, `3x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// 1-based line number of the header.
    pub line: usize,
    /// The header without its repeat count (`Main set`; empty for a bare `3x`).
    pub title: String,
    /// The repeat count, for a repeat header.
    pub reps: Option<u32>,
}

/// Where a top-level block of the friendly structure came from, to put compile errors back
/// on their line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockSource {
    /// The line of the block: the step's, or the repeat header's.
    pub line: usize,
    /// For a repeat, the line of each inner step.
    pub inner: Vec<usize>,
}

/// The result of [`parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The friendly structure JSON (`{primaryIntensityMetric, steps: [...]}`) for
    /// [`compile_value`](super::compile_value).
    pub structure: Value,
    /// The free-text lines that are neither steps nor headers, trimmed, in order.
    pub description: Vec<String>,
    /// The section headers, in order.
    pub sections: Vec<Section>,
    /// The source line of each top-level block of `structure.steps`.
    pub sources: Vec<BlockSource>,
}

impl Parsed {
    /// Compiles the structure, putting a compiler error back on the line it came from.
    pub fn compile(&self) -> Result<Structure, TextError> {
        super::compile_object(&self.structure).map_err(|e| self.locate(&e))
    }

    /// The line a compiler error points at (`steps[i]` / `steps[i].steps[j]`), with its message.
    pub fn locate(&self, e: &CompileError) -> TextError {
        let (outer, inner) = step_indices(&e.path);
        let line = outer
            .and_then(|i| self.sources.get(i))
            .map(|b| {
                inner
                    .and_then(|j| b.inner.get(j).copied())
                    .unwrap_or(b.line)
            })
            .unwrap_or(1);
        let field = e.path.rsplit('.').next().unwrap_or_default();
        let what = match field {
            f if f.starts_with("duration_seconds") => "the duration ",
            f if f.starts_with("distance_meters") => "the distance ",
            f if f.starts_with("intensity") => "the target ",
            f if f.starts_with("cadence") => "the cadence ",
            f if f.starts_with("reps") => "the repeat count ",
            _ => "",
        };
        TextError {
            line,
            col: 1,
            message: format!("{what}{}", e.message),
        }
    }
}

/// `steps[3].steps[1].x` → (Some(3), Some(1)).
fn step_indices(path: &str) -> (Option<usize>, Option<usize>) {
    fn index(s: &str) -> Option<(usize, &str)> {
        let rest = s.strip_prefix("steps[")?;
        let end = rest.find(']')?;
        Some((rest.get(..end)?.parse().ok()?, rest.get(end + 1..)?))
    }
    match index(path) {
        Some((i, rest)) => (
            Some(i),
            rest.strip_prefix('.').and_then(index).map(|(j, _)| j),
        ),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cheat_sheet_fits_in_a_tool_description() {
        assert!(
            CHEAT_SHEET.chars().count() <= 600,
            "{} characters: {CHEAT_SHEET}",
            CHEAT_SHEET.chars().count()
        );
    }

    #[test]
    fn the_cheat_sheet_example_parses_and_compiles() {
        // The example is shown as a JSON string (`\n` for line breaks), as a model writes it.
        let quoted = CHEAT_SHEET
            .split("Example: ")
            .nth(1)
            .expect("the cheat-sheet has an example");
        let text: String = serde_json::from_str(quoted).expect("the example is a JSON string");
        let parsed = parse(&text, &Options::default()).expect("the example parses");
        let s = parsed.compile().expect("the example compiles");
        assert_eq!(s.structure.len(), 3, "{text}");
        // And the examples of each line of the sheet are read as the sheet says.
        for line in [
            "- 10m ramp 50-75%",
            "- 10m 50% Press lap",
            "- 5m freeride",
            "- Recovery 2m 55% intensity=rest",
            "- 400mtr 5:00/km Pace",
            "- 1m30s 95% LTHR 90rpm",
        ] {
            let opts = Options {
                ftp_watts: Some(250.0),
                lthr_bpm: Some(170.0),
                max_hr_bpm: Some(190.0),
                threshold_speed_mps: Some(4.0),
                ..Options::default()
            };
            parse(line, &opts)
                .and_then(|p| p.compile())
                .unwrap_or_else(|e| panic!("{line}: {e}"));
        }
    }

    #[test]
    fn print_losses_name_what_the_text_cannot_carry() {
        let s = crate::structure::compile_value(&serde_json::json!({"steps": [
            {"name": "Build 30s", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 60},
            {"type": "rampUp", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 80}
        ]}))
        .expect("compiles");
        let losses = print_losses(&s);
        assert!(
            losses
                .iter()
                .any(|l| l.starts_with("block 1: the step name")),
            "{losses:?}"
        );
        assert!(
            losses
                .iter()
                .any(|l| l.starts_with("block 2: a ramp of") && l.contains("sub-steps")),
            "{losses:?}"
        );
        let plain = crate::structure::compile_value(&serde_json::json!({"steps": [
            {"name": "Easy", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 60}
        ]}))
        .expect("compiles");
        assert_eq!(print_losses(&plain), Vec::<String>::new());
    }

    #[test]
    fn step_indices_read_compiler_paths() {
        assert_eq!(step_indices("steps[3].steps[1].x"), (Some(3), Some(1)));
        assert_eq!(step_indices("steps[2].duration_seconds"), (Some(2), None));
        assert_eq!(step_indices("(root)"), (None, None));
    }
}
