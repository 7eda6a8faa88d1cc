//! Workout files, both ways: [`export`] writes a compiled [`Structure`] as a TrainingPeaks
//! structure JSON, Intervals.icu text, a Zwift `.zwo`, an `.erg` or `.mrc` course file, or a FIT
//! workout file; [`import`] reads a pasted `.zwo`, `.erg` or `.mrc` back into the friendly
//! structure JSON that [`compile_value`](super::compile_value) takes (Intervals.icu text is read
//! by [`super::icu_text::parse`]).
//!
//! # What each format carries
//! - **TrainingPeaks JSON**: everything (it is the wire structure, pretty-printed).
//! - **Intervals.icu text**: see [`super::icu_text`] (a ramp's sub-step count is not carried).
//! - **`.zwo`** (Zwift): time-based % FTP workouts only, since Zwift targets are fractions of FTP
//!   over seconds. A target range is written as its midpoint (`SteadyState` has one `Power`), a
//!   repetition of exactly two steps as `IntervalsT`, others unrolled; a ramp as one `Warmup`,
//!   `Cooldown` or `Ramp` element from its start to its end value; a step with no target as
//!   `FreeRide`; step names as a `textevent` at the element's start; cadence as `Cadence`.
//! - **`.erg` / `.mrc`** (course files): time-based % FTP workouts only, as a list of
//!   `minutes value` points (a step is two points at one value, a ramp two points from its start
//!   to its end value, repetitions unrolled, ranges as midpoints); step names in
//!   `[COURSE TEXT]`. `.erg` is in watts, so it needs the athlete's FTP (the error says so);
//!   `.mrc` is in % FTP.
//! - **FIT workout** (`file_id.type` = workout): one `workout_step` per step, a ramp as its
//!   stored sub-steps, a repetition as its steps followed by a `repeat_until_steps_cmplt` step;
//!   % FTP targets as FIT's % FTP power targets; % LTHR targets need the LTHR (written in bpm)
//!   and % threshold-pace targets need the threshold speed (written as speeds), the error naming
//!   the missing option; lap-button steps as `open` duration (the planned estimate is lost);
//!   cadence targets are left out (FIT has one target per step).
//!
//! Import reads the elements and attributes named above; anything else is an error naming its
//! line, so nothing is dropped silently.

mod course;
mod fit;
mod xml;
mod zwo;

use serde::Deserialize;
use serde_json::{Value, json};

use super::icu_text::TextError;
use super::{BlockKind, IntensityMetric, LengthMetric, Step, Structure, Target};
use crate::chart::Theme;

/// The file formats [`export`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// The TrainingPeaks wire structure (`.json`).
    TrainingPeaksJson,
    /// Intervals.icu workout text (`.txt`).
    IntervalsText,
    /// Zwift workout (`.zwo`).
    Zwo,
    /// Course file in watts (`.erg`).
    Erg,
    /// Course file in % FTP (`.mrc`).
    Mrc,
    /// FIT workout file (`.fit`).
    Fit,
}

impl ExportKind {
    /// Every kind, in the order the builder shows its buttons.
    pub const ALL: [ExportKind; 6] = [
        ExportKind::TrainingPeaksJson,
        ExportKind::IntervalsText,
        ExportKind::Zwo,
        ExportKind::Erg,
        ExportKind::Mrc,
        ExportKind::Fit,
    ];

    /// The name used by the wasm export and the builder's `data-kind`.
    pub fn name(self) -> &'static str {
        match self {
            ExportKind::TrainingPeaksJson => "tp-json",
            ExportKind::IntervalsText => "icu-text",
            ExportKind::Zwo => "zwo",
            ExportKind::Erg => "erg",
            ExportKind::Mrc => "mrc",
            ExportKind::Fit => "fit",
        }
    }

    /// Reads a kind by [`ExportKind::name`] (case-insensitive).
    pub fn parse(s: &str) -> Result<Self, ExportError> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                ExportError::new(
                    "kind",
                    format!(
                        "unknown export kind `{s}`; use one of {}",
                        Self::ALL.map(ExportKind::name).join(", ")
                    ),
                )
            })
    }

    fn extension(self) -> &'static str {
        match self {
            ExportKind::TrainingPeaksJson => "json",
            ExportKind::IntervalsText => "txt",
            ExportKind::Zwo => "zwo",
            ExportKind::Erg => "erg",
            ExportKind::Mrc => "mrc",
            ExportKind::Fit => "fit",
        }
    }

    fn mime(self) -> &'static str {
        match self {
            ExportKind::TrainingPeaksJson => "application/json",
            ExportKind::IntervalsText | ExportKind::Erg | ExportKind::Mrc => "text/plain",
            ExportKind::Zwo => "application/xml",
            ExportKind::Fit => "application/vnd.ant.fit",
        }
    }
}

/// What the formats need besides the structure. Read from JSON with camelCase keys (the
/// builder passes its preview options, so the chart keys are accepted and ignored); unknown keys
/// are an error naming the key.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportOptions {
    /// `ride` (default), `run`, `swim` or `other`: the FIT sport and the text's pace unit.
    pub sport: Option<String>,
    /// FTP in watts: needed by `.erg`.
    pub ftp_w: Option<f64>,
    /// Lactate-threshold heart rate: needed by FIT for % LTHR targets.
    pub lthr_bpm: Option<f64>,
    /// Maximum heart rate (read by the text parser for `% HR` targets).
    pub max_hr_bpm: Option<f64>,
    /// Threshold pace as a speed in m/s: needed by FIT for % pace targets.
    pub threshold_speed_mps: Option<f64>,
    /// The workout's name (file name and the name inside the file); default "Workout".
    pub name: Option<String>,
    /// A description written where the format has a place for one.
    pub description: Option<String>,
    /// Ignored (a preview option).
    pub theme: Option<Theme>,
    /// Ignored (a preview option).
    pub width: Option<u32>,
    /// Ignored (a preview option).
    pub height: Option<u32>,
}

impl ExportOptions {
    /// Reads the options JSON; an empty string means the defaults.
    pub fn from_json(json: &str) -> Result<Self, ExportError> {
        if json.trim().is_empty() {
            return Ok(Self::default());
        }
        serde_json::from_str(json).map_err(|e| ExportError::new("options", e.to_string()))
    }

    fn name(&self) -> &str {
        self.name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or("Workout")
    }
}

/// A file's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A text file (UTF-8).
    Text(String),
    /// A binary file.
    Binary(Vec<u8>),
}

/// One exported file.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// A file name from the workout's name and the format's extension.
    pub filename: String,
    /// Its MIME type.
    pub mime: &'static str,
    /// The bytes.
    pub content: Content,
}

impl Exported {
    /// `{filename, mime, text}` or `{filename, mime, base64}`, as the wasm export returns it.
    pub fn to_json(&self) -> Value {
        match &self.content {
            Content::Text(t) => json!({"filename": self.filename, "mime": self.mime, "text": t}),
            Content::Binary(b) => json!({
                "filename": self.filename,
                "mime": self.mime,
                "base64": crate::http::base64::encode(b),
            }),
        }
    }
}

/// Why a structure could not be written in a format: the option or part that is missing or
/// does not fit, and what would work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ExportError {
    /// The option or part of the workout at fault (`ftpW`, `kind`, `structure`…).
    pub field: String,
    /// What is wrong and what would work.
    pub message: String,
}

impl ExportError {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Writes `s` in the format `kind`.
pub fn export(
    s: &Structure,
    kind: ExportKind,
    opts: &ExportOptions,
) -> Result<Exported, ExportError> {
    let content = match kind {
        ExportKind::TrainingPeaksJson => {
            let v: Value = serde_json::from_str(&s.to_json())
                .map_err(|e| ExportError::new("structure", e.to_string()))?;
            let mut t = serde_json::to_string_pretty(&v)
                .map_err(|e| ExportError::new("structure", e.to_string()))?;
            t.push('\n');
            Content::Text(t)
        }
        ExportKind::IntervalsText => Content::Text(super::icu_text::print(s)),
        ExportKind::Zwo => Content::Text(zwo::write(s, opts)?),
        ExportKind::Erg => Content::Text(course::write(s, opts, course::Units::Watts)?),
        ExportKind::Mrc => Content::Text(course::write(s, opts, course::Units::Percent)?),
        ExportKind::Fit => Content::Binary(fit::write(s, opts)?),
    };
    Ok(Exported {
        filename: format!("{}.{}", slug(opts.name()), kind.extension()),
        mime: kind.mime(),
        content,
    })
}

/// Reads the builder's input (any format [`super::preview::read_input`] reads), compiles it and
/// writes it as `kind` (an [`ExportKind::name`]). A file imported with a name keeps it unless
/// `opts.name` is set; the text's note lines become the description.
pub fn export_input(
    input: &str,
    kind: &str,
    opts: &ExportOptions,
) -> Result<Exported, ExportError> {
    let kind = ExportKind::parse(kind)?;
    let popts = super::preview::PreviewOptions {
        sport: opts.sport.clone(),
        ftp_w: opts.ftp_w,
        lthr_bpm: opts.lthr_bpm,
        max_hr_bpm: opts.max_hr_bpm,
        threshold_speed_mps: opts.threshold_speed_mps,
        ..Default::default()
    };
    let read = super::preview::read_input(input, &popts).map_err(|(_, e)| {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("line {l}, col {c}: "),
            (Some(l), None) => format!("line {l}: "),
            _ => String::new(),
        };
        ExportError::new("input", format!("{at}{}", e.message))
    })?;
    let mut opts = opts.clone();
    if opts.name.is_none() {
        opts.name = read.name;
    }
    if opts.description.is_none() && !read.description.is_empty() {
        opts.description = Some(read.description.join("\n"));
    }
    export(&read.structure, kind, &opts)
}

/// The formats [`import`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// Zwift `.zwo` (XML).
    Zwo,
    /// Course file in watts.
    Erg,
    /// Course file in % FTP.
    Mrc,
}

impl ImportFormat {
    /// `zwo`, `erg` or `mrc`.
    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Zwo => "zwo",
            ImportFormat::Erg => "erg",
            ImportFormat::Mrc => "mrc",
        }
    }
}

/// A file read by [`import`].
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Which format it was.
    pub format: ImportFormat,
    /// The friendly structure JSON, for [`compile_value`](super::compile_value).
    pub structure: Value,
    /// The workout's name, when the file has one.
    pub name: Option<String>,
    /// The workout's description, when the file has one.
    pub description: Option<String>,
}

/// Which importable format `text` is, from its first non-blank characters: `<` (XML) is a
/// `.zwo`; a `[COURSE HEADER]` is an `.erg` or, when its units line says `PERCENT`, an `.mrc`.
pub fn detect(text: &str) -> Option<ImportFormat> {
    let t = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if t.starts_with('<') {
        return Some(ImportFormat::Zwo);
    }
    let head = t.get(..15)?;
    if !head.eq_ignore_ascii_case("[course header]") {
        return None;
    }
    Some(course::detect_units(t))
}

/// Reads a pasted `.zwo`, `.erg` or `.mrc`. `ftp_w` converts an `.erg`'s watts to % FTP when
/// the file's header has no `FTP =` line.
pub fn import(text: &str, ftp_w: Option<f64>) -> Result<Imported, TextError> {
    match detect(text) {
        Some(ImportFormat::Zwo) => zwo::read(text),
        Some(f @ (ImportFormat::Erg | ImportFormat::Mrc)) => course::read(text, f, ftp_w),
        None => Err(TextError {
            line: 1,
            col: 1,
            message: "not a .zwo (XML) or .erg/.mrc ([COURSE HEADER]) file".into(),
        }),
    }
}

/// A file name stem: lower-case letters and digits, other runs as one `-`, at most 60 chars.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.chars().count() >= 60 {
            break;
        }
    }
    let t = out.trim_end_matches('-');
    if t.is_empty() {
        "workout".into()
    } else {
        t.into()
    }
}

/// The formats of the Zwift/course family need seconds and % FTP.
fn require_time_and_ftp(s: &Structure, format: &str) -> Result<(), ExportError> {
    if s.primary_length_metric != LengthMetric::Duration {
        return Err(ExportError::new(
            "structure",
            format!("{format} needs a time-based workout; this one is measured in distance"),
        ));
    }
    if s.primary_intensity_metric != IntensityMetric::PercentOfFtp {
        return Err(ExportError::new(
            "structure",
            format!(
                "{format} holds power targets only (% FTP); this workout's targets are {}",
                match s.primary_intensity_metric {
                    IntensityMetric::PercentOfThresholdHr => "% of threshold heart rate",
                    _ => "% of threshold pace",
                }
            ),
        ));
    }
    Ok(())
}

/// A stretch of a workout at one target or ramping between two, repetitions unrolled.
#[derive(Debug, Clone, PartialEq)]
struct Segment {
    seconds: f64,
    /// % at the start and the end (equal for a steady step); `None` for no target.
    start: Option<f64>,
    end: Option<f64>,
    name: Option<String>,
    cadence: Option<f64>,
}

fn step_segment(st: &Step) -> Segment {
    let p = st.primary().and_then(Target::midpoint);
    Segment {
        seconds: st.length.value * st.length.unit.to_base(),
        start: p,
        end: p,
        name: st.name.as_ref().map(|n| n.to_string()),
        cadence: st.cadence().and_then(Target::midpoint),
    }
}

/// A ramp block's start and end values (the low edge of the first band to the high edge of the
/// last for a ramp up, and the other way down), or `None` when it is not a clean staircase.
fn ramp_ends(kind: BlockKind, steps: &[Step]) -> Option<(f64, f64)> {
    let (first, last) = (steps.first()?.primary()?, steps.last()?.primary()?);
    let low = |t: &Target| t.min_value.or(t.max_value);
    let (a, b) = match kind {
        BlockKind::RampUp => (low(first)?, last.top()?),
        BlockKind::RampDown => (first.top()?, low(last)?),
        _ => return None,
    };
    (a != b).then_some((a, b))
}

/// Every stretch of the workout in order (repetitions unrolled, ramps as one sloped stretch).
fn segments(s: &Structure) -> Vec<Segment> {
    let mut out = Vec::new();
    for b in &s.structure {
        if let Some((a, z)) = ramp_ends(b.kind, &b.steps) {
            let first = b.steps.first().map(step_segment);
            out.push(Segment {
                seconds: b
                    .steps
                    .iter()
                    .map(|st| st.length.value * st.length.unit.to_base())
                    .sum(),
                start: Some(a),
                end: Some(z),
                name: first.as_ref().and_then(|f| f.name.clone()),
                cadence: first.and_then(|f| f.cadence),
            });
            continue;
        }
        let reps = b.repeats().max(1.0) as usize;
        for _ in 0..reps {
            out.extend(b.steps.iter().map(step_segment));
        }
    }
    out
}

/// A number with at most `decimals` decimals and no trailing zeros (`1`, `0.55`).
fn num(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        let t = s.trim_end_matches('0').trim_end_matches('.');
        if t == "-0" { "0".into() } else { t.into() }
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_by_name_and_refuse_others_naming_the_field() {
        for k in ExportKind::ALL {
            assert_eq!(ExportKind::parse(k.name()), Ok(k));
        }
        let e = ExportKind::parse("pdf").unwrap_err();
        assert_eq!(e.field, "kind");
        assert!(e.message.contains("zwo"), "{e}");
    }

    #[test]
    fn slugs_and_numbers() {
        assert_eq!(slug("Sweet spot 3×15 — Tue!"), "sweet-spot-3-15-tue");
        assert_eq!(slug("  !!"), "workout");
        assert_eq!(num(1.0, 3), "1");
        assert_eq!(num(0.55, 3), "0.55");
        assert_eq!(num(0.8750001, 3), "0.875");
        assert_eq!(num(-0.0001, 2), "0");
    }

    #[test]
    fn detect_reads_the_first_characters() {
        assert_eq!(detect("  <workout_file>"), Some(ImportFormat::Zwo));
        assert_eq!(
            detect("[COURSE HEADER]\nMINUTES WATTS\n"),
            Some(ImportFormat::Erg)
        );
        assert_eq!(
            detect("[course header]\nMINUTES PERCENT\n"),
            Some(ImportFormat::Mrc)
        );
        assert_eq!(detect("- 10m 50%"), None);
        assert_eq!(detect("[{\"x\":1}]"), None);
    }

    #[test]
    fn options_refuse_unknown_keys() {
        let e = ExportOptions::from_json(r#"{"ftp":250}"#).unwrap_err();
        assert!(e.message.contains("ftp"), "{e}");
        assert!(ExportOptions::from_json(r#"{"ftpW":250,"theme":"dark","width":600}"#).is_ok());
    }
}
