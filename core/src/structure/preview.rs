//! Everything the workout builder shows for what the person has typed, in one call: the compiled
//! structure, its readable summary, planned duration, distance, IF and TSS, the profile chart, and
//! errors placed on a line and column.
//!
//! The builder calls this on every keystroke (the playground page in its own wasm, the overlay on
//! app.trainingpeaks.com through the extension's background), so both homes show exactly the same
//! thing. Input is either the Intervals.icu workout text ([`super::icu_text`]) or JSON in any format
//! [`super::compile`] accepts; which one is decided by the first non-blank character, because a
//! workout text never starts with `{`, `[` or `"`.

use serde::Serialize;

use super::export;
use super::icu_text::{self, Sport};
use super::{PaceUnit, Structure, Thresholds, metrics, planned_distance_meters, summary_with};
use crate::chart::{self, ChartOptions, RampStyle, Theme};

mod options;

/// What the builder knows besides the text: the sport, the athlete's thresholds and how to draw.
///
/// Read from JSON with camelCase keys by [`preview_options`]; unknown keys are an error naming the
/// key, so a typo in the page's code shows up at once instead of silently dropping a threshold.
#[derive(Debug, Clone, Default)]
pub struct PreviewOptions {
    /// `ride` (default), `run`, `swim` or `other`: the default pace unit of the text syntax.
    pub sport: Option<String>,
    /// Functional threshold power in watts (for `220w` targets and planned energy).
    pub ftp_w: Option<f64>,
    /// Lactate-threshold heart rate in bpm (for `95% LTHR` targets).
    pub lthr_bpm: Option<f64>,
    /// Maximum heart rate in bpm (for `70% HR` targets).
    pub max_hr_bpm: Option<f64>,
    /// Threshold pace as a speed in m/s (for `5:00/km Pace` targets).
    pub threshold_speed_mps: Option<f64>,
    /// Paces in miles and yards (`"units": "imperial"`) rather than km and metres: the
    /// athlete's TrainingPeaks setting. Only what the summary shows changes; the text syntax's
    /// default pace unit stays the sport's metric one.
    pub imperial: bool,
    /// Chart colours.
    pub theme: Theme,
    /// Chart width in CSS pixels (default 800).
    pub width: Option<u32>,
    /// Chart height in CSS pixels (default 260).
    pub height: Option<u32>,
}

/// One problem with the input, placed where the person can find it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewError {
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    /// The JSON path of the offending field, for JSON input.
    pub path: Option<String>,
    /// What is wrong and what would be valid.
    pub message: String,
}

/// The builder's view of an input. `ok` is false exactly when `errors` is not empty; the other
/// fields are then absent.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// Whether the input compiled.
    pub ok: bool,
    /// `text` (Intervals.icu workout text) or `json`.
    pub format: &'static str,
    /// What is wrong, in input order.
    pub errors: Vec<PreviewError>,
    /// The TrainingPeaks wire structure, ready for `create_workout`'s `structure` argument
    /// (serialised as its wire JSON object, [`Structure::to_json`]).
    pub structure: Option<Structure>,
    /// The readable one-line summary; each % target also in watts, bpm or pace where the
    /// options give the threshold of the workout's metric.
    pub summary: Option<String>,
    /// Lines of the text that are neither steps nor headers (the workout's notes).
    pub description: Vec<String>,
    /// Planned duration in seconds (time-based structures).
    pub duration_s: Option<f64>,
    /// Planned distance in metres (distance-based structures).
    pub distance_m: Option<f64>,
    /// Planned intensity factor.
    pub intensity_factor: Option<f64>,
    /// Planned TSS.
    pub tss: Option<f64>,
    /// Planned energy in kJ, when an FTP was given and targets are % FTP.
    pub energy_kj: Option<f64>,
    /// The profile chart as SVG.
    pub svg: Option<String>,
    /// The chart's text description (its `<desc>`), for screen readers and models.
    pub chart_description: Option<String>,
    /// The input is structure JSON or a pasted `.zwo`, `.erg` or `.mrc`, and this preview was
    /// made with the workout-text reader only ([`preview_without_files`]): ask the module that
    /// has the other readers. Left out of the JSON when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub needs_file_reader: bool,
}

impl Preview {
    fn failed(format: &'static str, errors: Vec<PreviewError>) -> Preview {
        Preview {
            ok: false,
            format,
            errors,
            structure: None,
            summary: None,
            description: Vec::new(),
            duration_s: None,
            distance_m: None,
            intensity_factor: None,
            tss: None,
            energy_kj: None,
            svg: None,
            chart_description: None,
            needs_file_reader: false,
        }
    }
}

/// Reads the options JSON of [`preview`] (an object of the fields of [`PreviewOptions`] in
/// camelCase, `null` for "not given"); an empty string means the defaults. Errors have the path
/// `options` and name the key.
pub fn preview_options(json: &str) -> Result<PreviewOptions, PreviewError> {
    if json.trim().is_empty() {
        return Ok(PreviewOptions::default());
    }
    options::read(json)
}

/// Compiles `input` and describes it for the builder. Never fails: problems come back as
/// [`Preview::errors`].
pub fn preview(input: &str, opts: &PreviewOptions) -> Preview {
    preview_with(input, opts, Some(&ALL_READERS))
}

/// [`preview`] reading the workout text only: structure JSON and pasted `.zwo`, `.erg` and
/// `.mrc` files come back failed with [`Preview::needs_file_reader`] set. The playground's
/// keystroke module is built on this so that the JSON reader (serde's parser into a
/// `serde_json::Value` and the compiler's second instantiation, over [`super::compile()`]'s
/// light tree), the file readers and the exports can live in a second module the page fetches
/// only when one is needed (issue 11: the 300 KB budget); nothing else references them there,
/// so the linker leaves them out.
pub fn preview_without_files(input: &str, opts: &PreviewOptions) -> Preview {
    preview_with(input, opts, None)
}

/// The readers beyond the workout text's, passed as function pointers so that a module built
/// on [`preview_without_files`] does not reference them at all.
struct Readers {
    /// Structure JSON in any format the compiler accepts.
    json: fn(&str) -> Result<Structure, PreviewError>,
    /// Pasted `.zwo`, `.erg` and `.mrc` (given the FTP), compiled, with their description
    /// lines and workout name.
    file: fn(&str, Option<f64>) -> Result<ReadFile, PreviewError>,
}

/// A pasted file read and compiled: the structure, its description lines, its workout name.
type ReadFile = (Structure, Vec<String>, Option<String>);

const ALL_READERS: Readers = Readers {
    json: compile_json,
    file: read_file,
};

/// A pasted `.zwo`, `.erg` or `.mrc`, read by [`export::import`] and compiled (here rather than
/// in [`read_input_with`], so that the text-only preview does not reference `compile_value`,
/// whose string case reaches the JSON text reader).
fn read_file(input: &str, ftp_w: Option<f64>) -> Result<ReadFile, PreviewError> {
    let imp = export::import(input, ftp_w).map_err(text_error)?;
    let s = super::compile_value(&imp.structure).map_err(|e| PreviewError {
        line: None,
        column: None,
        path: Some(e.path.clone()),
        message: e.to_string(),
    })?;
    Ok((s, imp.description.into_iter().collect(), imp.name))
}

fn preview_with(input: &str, opts: &PreviewOptions, readers: Option<&Readers>) -> Preview {
    if let Err(e) = parse_sport(opts.sport.as_deref()) {
        return Preview::failed(format_of(input), vec![e]);
    }
    let trimmed = input.trim_start();
    if trimmed.is_empty() {
        return Preview::failed(
            "text",
            vec![PreviewError {
                line: Some(1),
                column: Some(1),
                path: None,
                message: "Type a workout, e.g. `- 10m 50-65%` on its own line.".into(),
            }],
        );
    }
    let read = match read_input_with(input, opts, readers) {
        Ok(r) => r,
        Err((format, e)) => {
            let mut p = Preview::failed(format, vec![e]);
            p.needs_file_reader = readers.is_none() && format != "text";
            return p;
        }
    };
    describe(read.format, read.structure, read.description, opts)
}

/// A builder input read and compiled: what [`preview`] shows and what the export buttons write.
#[derive(Debug, Clone)]
pub struct ReadInput {
    /// `text`, `json`, `zwo`, `erg` or `mrc`.
    pub format: &'static str,
    /// The compiled structure.
    pub structure: Structure,
    /// The text's free lines (or an imported file's description).
    pub description: Vec<String>,
    /// An imported file's workout name.
    pub name: Option<String>,
}

/// Reads the builder's input in whichever format it is (Intervals.icu text, structure JSON, a
/// pasted `.zwo`, `.erg` or `.mrc`) and compiles it; the error comes with the detected format.
pub fn read_input(
    input: &str,
    opts: &PreviewOptions,
) -> Result<ReadInput, (&'static str, PreviewError)> {
    read_input_with(input, opts, Some(&ALL_READERS))
}

fn read_input_with(
    input: &str,
    opts: &PreviewOptions,
    readers: Option<&Readers>,
) -> Result<ReadInput, (&'static str, PreviewError)> {
    let sport = parse_sport(opts.sport.as_deref()).map_err(|e| (format_of(input), e))?;
    let format = format_of(input);
    let mut name = None;
    let (compiled, description) = match format {
        "json" => match readers {
            Some(r) => ((r.json)(input), Vec::new()),
            None => (Err(not_loaded("structure JSON is")), Vec::new()),
        },
        "text" => {
            let text_opts = icu_text::Options {
                sport,
                ftp_watts: opts.ftp_w,
                lthr_bpm: opts.lthr_bpm,
                max_hr_bpm: opts.max_hr_bpm,
                threshold_speed_mps: opts.threshold_speed_mps,
                ..icu_text::Options::default()
            };
            match icu_text::parse(input, &text_opts) {
                Ok(parsed) => {
                    let description = parsed.description.clone();
                    (parsed.compile().map_err(text_error), description)
                }
                Err(e) => (Err(text_error(e)), Vec::new()),
            }
        }
        _ => match readers.map(|r| (r.file)(input, opts.ftp_w)) {
            None => (Err(not_loaded("a pasted workout file is")), Vec::new()),
            Some(Ok((s, description, file_name))) => {
                name = file_name;
                (Ok(s), description)
            }
            Some(Err(e)) => (Err(e), Vec::new()),
        },
    };
    let structure = compiled.map_err(|e| (format, e))?;
    Ok(ReadInput {
        format,
        structure,
        description,
        name,
    })
}

/// The error of an input the workout-text-only preview does not read (the page then asks the
/// module that has the readers; nobody should see it).
#[cold]
fn not_loaded(what: &str) -> PreviewError {
    PreviewError {
        line: Some(1),
        column: Some(1),
        path: None,
        message: format!("{what} read by the files module, which is not loaded"),
    }
}

fn describe(
    format: &'static str,
    s: Structure,
    description: Vec<String>,
    opts: &PreviewOptions,
) -> Preview {
    let planned = metrics(&s, opts.ftp_w);
    let chart_opts = ChartOptions {
        theme: opts.theme,
        width: opts.width.unwrap_or(800),
        height: opts.height.unwrap_or(260),
        title: None,
    };
    // A structure that compiles but cannot be drawn (or a bad chart size) still previews: the
    // chart's problem is reported beside the numbers rather than hiding them.
    let (svg, chart_description, errors) =
        match chart::workout_profile(&s, RampStyle::Slope, &chart_opts) {
            Ok(c) => (Some(c.svg), Some(c.description), Vec::new()),
            Err(e) => (
                None,
                None,
                vec![PreviewError {
                    line: None,
                    column: None,
                    path: Some("chart".into()),
                    message: e.to_string(),
                }],
            ),
        };
    Preview {
        ok: errors.is_empty(),
        format,
        errors,
        summary: Some(summary_with(&s, &thresholds(opts))),
        description,
        duration_s: planned.as_ref().map(|m| m.total_seconds),
        distance_m: planned_distance_meters(&s),
        intensity_factor: planned.as_ref().map(|m| m.if_planned),
        tss: planned.as_ref().map(|m| m.tss_planned),
        energy_kj: planned.as_ref().and_then(|m| m.energy_planned),
        svg,
        chart_description,
        structure: Some(s),
        needs_file_reader: false,
    }
}

/// The thresholds the summary shows the athlete's own numbers with (watts, bpm, pace per km or
/// mile or, for a swim, per 100 m or 100 yd).
fn thresholds(opts: &PreviewOptions) -> Thresholds {
    Thresholds {
        ftp_w: opts.ftp_w,
        lthr_bpm: opts.lthr_bpm,
        threshold_speed_mps: opts.threshold_speed_mps,
        pace_per: PaceUnit::of(opts.sport.as_deref() == Some("swim"), opts.imperial),
    }
}

fn format_of(input: &str) -> &'static str {
    if let Some(f) = export::detect(input) {
        return f.name();
    }
    match input.trim_start().chars().next() {
        Some('{' | '[' | '"') => "json",
        _ => "text",
    }
}

fn parse_sport(s: Option<&str>) -> Result<Sport, PreviewError> {
    match s.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("" | "ride" | "bike" | "cycling") => Ok(Sport::Ride),
        Some("run" | "running") => Ok(Sport::Run),
        Some("swim" | "swimming") => Ok(Sport::Swim),
        Some("other") => Ok(Sport::Other),
        Some(other) => Err(PreviewError {
            line: None,
            column: None,
            path: Some("sport".into()),
            message: format!("sport: unknown sport `{other}`; use ride, run, swim or other"),
        }),
    }
}

fn text_error(e: icu_text::TextError) -> PreviewError {
    PreviewError {
        line: Some(e.line),
        column: Some(e.col),
        path: None,
        message: e.message,
    }
}

/// JSON input: a syntax error is placed on its line and column; a structure error keeps the
/// compiler's path (the JSON has no line map to put it back on).
fn compile_json(input: &str) -> Result<Structure, PreviewError> {
    let value: serde_json::Value = serde_json::from_str(input).map_err(|e| PreviewError {
        line: Some(e.line()),
        column: Some(e.column()),
        path: None,
        message: format!("not valid JSON: {e}"),
    })?;
    super::compile_value(&value).map_err(|e| PreviewError {
        line: None,
        column: None,
        path: Some(e.path.clone()),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> PreviewOptions {
        PreviewOptions {
            ftp_w: Some(250.0),
            ..PreviewOptions::default()
        }
    }

    #[test]
    fn a_text_workout_previews_with_chart_and_numbers() {
        let p = preview(
            "Warmup\n- 10m 50-65%\n\nMain set 3x\n- 15m 95-105%\n- 5m 55%\n\nCooldown\n- 10m 50%\nKeep cadence high",
            &opts(),
        );
        assert!(p.ok, "{:?}", p.errors);
        assert_eq!(p.format, "text");
        assert_eq!(p.duration_s, Some(4800.0));
        let tss = p.tss.unwrap_or_default();
        assert!(tss > 95.0 && tss < 110.0, "tss {tss}");
        let svg = p.svg.unwrap_or_default();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("<title"));
        assert_eq!(p.description, vec!["Keep cadence high".to_string()]);
        assert!(p.structure.is_some());
        assert!(p.energy_kj.is_some());
    }

    #[test]
    fn the_summary_shows_the_athletes_own_numbers_where_a_threshold_is_given() {
        let bike = preview(
            "- 10m 50-65%\n\n3x\n- 15m 95-105%\n\n- 10m ramp 50-75%",
            &opts(),
        );
        assert!(bike.ok, "{:?}", bike.errors);
        let text = bike.summary.unwrap_or_default();
        assert!(text.contains("50–65 % FTP (125–163\u{a0}W)"), "{text}");
        assert!(
            text.contains("3×(15′ @ 95–105 % FTP (238–263\u{a0}W)"),
            "{text}"
        );
        assert!(text.contains("ramp 50→75 % FTP (125→188\u{a0}W)"), "{text}");

        let run = PreviewOptions {
            sport: Some("run".into()),
            threshold_speed_mps: Some(1000.0 / 300.0),
            lthr_bpm: Some(170.0),
            ..PreviewOptions::default()
        };
        let pace = preview("- 10m 90-100% Pace", &run)
            .summary
            .unwrap_or_default();
        assert!(pace.contains("(5:33–5:00\u{a0}/km)"), "{pace}");
        let hr = preview("- 10m 80% LTHR", &run).summary.unwrap_or_default();
        assert!(hr.contains("80 % threshold HR (136\u{a0}bpm)"), "{hr}");
        let swim = PreviewOptions {
            sport: Some("swim".into()),
            threshold_speed_mps: Some(1.0),
            ..PreviewOptions::default()
        };
        let css = preview("- 400mtr 100% Pace", &swim)
            .summary
            .unwrap_or_default();
        assert!(css.contains("(1:40\u{a0}/100m)"), "{css}");

        // The athlete's imperial units: a run per mile, a swim per 100 yd.
        let mile = PreviewOptions {
            imperial: true,
            ..run.clone()
        };
        let pace = preview("- 10m 90-100% Pace", &mile)
            .summary
            .unwrap_or_default();
        assert!(pace.contains("(8:56–8:03\u{a0}/mi)"), "{pace}");
        let yards = PreviewOptions {
            imperial: true,
            ..swim
        };
        let css = preview("- 400mtr 100% Pace", &yards)
            .summary
            .unwrap_or_default();
        assert!(css.contains("(1:31\u{a0}/100yd)"), "{css}");

        // No threshold for the metric: the target stays in %.
        let bare = preview("- 10m 90%", &PreviewOptions::default())
            .summary
            .unwrap_or_default();
        assert!(bare.ends_with("90 % FTP"), "{bare}");
    }

    #[test]
    fn a_text_error_names_line_and_column() {
        let p = preview("- 10m 50%\n- 10q 80%", &opts());
        assert!(!p.ok);
        let e = &p.errors[0];
        assert_eq!(e.line, Some(2), "{e:?}");
        assert!(e.column.is_some());
        assert!(p.svg.is_none() && p.structure.is_none());
    }

    #[test]
    fn json_input_compiles_and_json_errors_are_placed() {
        let ok = preview(
            r#"{"primaryIntensityMetric":"percentOfFtp","steps":[{"name":"Z2","duration_seconds":600,"intensity_min":60,"intensity_max":70}]}"#,
            &opts(),
        );
        assert!(ok.ok, "{:?}", ok.errors);
        assert_eq!(ok.format, "json");
        assert_eq!(ok.duration_s, Some(600.0));

        let syntax = preview("{\n \"steps\": [,]\n}", &opts());
        assert_eq!(syntax.errors[0].line, Some(2), "{:?}", syntax.errors);

        let field = preview(r#"{"steps":[{"duration_seconds":-5}]}"#, &opts());
        assert!(!field.ok);
        let path = field.errors[0].path.clone().unwrap_or_default();
        assert!(path.starts_with("steps[0]"), "{path}");
    }

    #[test]
    fn bad_options_name_the_field() {
        assert!(
            preview_options(r#"{"ftpW":250,"ftp":1}"#)
                .unwrap_err()
                .message
                .contains("ftp")
        );
        let p = preview(
            "- 10m 50%",
            &PreviewOptions {
                sport: Some("rowing-machine".into()),
                ..PreviewOptions::default()
            },
        );
        assert_eq!(p.errors[0].path.as_deref(), Some("sport"));
        assert!(preview_options("").is_ok());
    }

    #[test]
    fn pasted_files_preview_and_their_errors_are_placed() {
        let zwo = "<workout_file><workout>\n<SteadyState Duration=\"600\" Power=\"0.8\"/>\n</workout></workout_file>";
        let p = preview(zwo, &opts());
        assert!(p.ok, "{:?}", p.errors);
        assert_eq!(p.format, "zwo");
        assert_eq!(p.duration_s, Some(600.0));
        let bad = preview(&zwo.replace("0.8", "x"), &opts());
        assert_eq!(bad.format, "zwo");
        assert_eq!(bad.errors[0].line, Some(2), "{:?}", bad.errors);
        let mrc = "[COURSE HEADER]\nMINUTES PERCENT\n[END COURSE HEADER]\n[COURSE DATA]\n0 50\n10 50\n[END COURSE DATA]\n";
        let p = preview(mrc, &opts());
        assert!(p.ok, "{:?}", p.errors);
        assert_eq!(p.format, "mrc");
        assert_eq!(p.duration_s, Some(600.0));
    }

    #[test]
    fn without_the_file_readers_json_and_pasted_files_ask_for_them() {
        let zwo = "<workout_file><workout>\n<SteadyState Duration=\"600\" Power=\"0.8\"/>\n</workout></workout_file>";
        let mrc = "[COURSE HEADER]\nMINUTES PERCENT\n[END COURSE HEADER]\n[COURSE DATA]\n0 50\n10 50\n[END COURSE DATA]\n";
        let json = r#"{"steps":[{"name":"a","duration_seconds":60,"intensity_min":50,"intensity_max":60}]}"#;
        let bad_json = r#"{"steps":[{"duration_seconds":-5}]}"#;
        for (input, format) in [
            (zwo, "zwo"),
            (mrc, "mrc"),
            (json, "json"),
            (bad_json, "json"),
        ] {
            let p = preview_without_files(input, &opts());
            assert!(!p.ok);
            assert_eq!(p.format, format);
            assert!(p.needs_file_reader, "{input}");
            let written = serde_json::to_value(&p).unwrap();
            assert_eq!(written["needsFileReader"], true, "{written}");
        }
        // The same inputs through the full preview are read.
        assert!(preview(zwo, &opts()).ok && preview(mrc, &opts()).ok && preview(json, &opts()).ok);
        assert!(!preview(bad_json, &opts()).needs_file_reader);
        // Workout text needs no other reader, and the flag stays out of its JSON.
        for input in ["- 10m 50%", "- 5q"] {
            let p = preview_without_files(input, &opts());
            assert!(!p.needs_file_reader, "{input}");
            assert!(
                serde_json::to_value(&p)
                    .unwrap()
                    .get("needsFileReader")
                    .is_none()
            );
            assert_eq!(p.ok, preview(input, &opts()).ok, "{input}");
            assert_eq!(
                serde_json::to_value(&p).unwrap(),
                serde_json::to_value(preview(input, &opts())).unwrap()
            );
        }
    }

    #[test]
    fn the_structure_is_written_as_its_wire_json() {
        let p = preview("- 10m 50%\n- 5m ramp 60-80%", &opts());
        let s = p.structure.clone().expect("a structure");
        let written = serde_json::to_value(&p).unwrap();
        assert_eq!(written["structure"], s.to_value());
        assert_eq!(
            written["structure"]["structure"].as_array().map(Vec::len),
            Some(2)
        );
    }

    #[test]
    fn empty_input_says_what_to_type() {
        let p = preview("  \n", &opts());
        assert!(!p.ok);
        assert!(p.errors[0].message.contains("10m"));
    }
}
