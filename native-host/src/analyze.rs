//! `paceline analyze stream|fit|cp`: the activity analytics of `paceline_core::analysis` from a
//! shell.
//!
//! `stream` reads one activity as JSON on stdin and prints its summary as JSON on stdout; `cp`
//! reads a mean-maximal power curve and prints the critical-power fit. Input is checked strictly:
//! an unknown key, a wrong type or an impossible value exits with status 2 and names the field
//! on stderr (distinct from 1, an operational failure). `fit` decodes a device file (`.fit` or
//! gzipped `.fit.gz`, told apart by content) with `paceline_core::fit` and prints the same summary
//! as `stream`; its thresholds come from flags, and FTP falls back to the one the device recorded.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use paceline_core::analysis::Streams;
use paceline_core::analysis::models::{CP2_MAX_S, CP2_MIN_S, cp2, cp3};
use paceline_core::analysis::summary::{Thresholds, summarize};
use serde_json::{Map, Value, json};

/// Analyze subcommands.
#[derive(Debug, Subcommand)]
pub enum AnalyzeCommand {
    /// Summarise one activity given as JSON on stdin: {"sample_rate_s": 1, "power_w": [...],
    /// "heart_rate_bpm": [...], ..., "ftp_w": 250, "lthr_bpm": 170, "cp_w": 260,
    /// "w_prime_j": 20000}; every array optional, null entries are gaps.
    Stream,
    /// Summarise a FIT activity file (.fit or .fit.gz) with the same output as `stream`.
    Fit {
        /// The FIT file.
        file: PathBuf,
        /// FTP in watts (IF, TSS, power zones); defaults to the threshold the device recorded.
        #[arg(long)]
        ftp_w: Option<f64>,
        /// Lactate-threshold heart rate in bpm (HR zones).
        #[arg(long)]
        lthr_bpm: Option<f64>,
        /// Critical power in watts (W′ balance, with --w-prime-j).
        #[arg(long)]
        cp_w: Option<f64>,
        /// W′ in joules (W′ balance, with --cp-w).
        #[arg(long)]
        w_prime_j: Option<f64>,
    },
    /// Fit CP and W′ (2-parameter, 3–20 min efforts) and Pmax (3-parameter) to
    /// {"mean_max_power_w": {"180": 350, ...}} on stdin.
    Cp,
}

/// Exit status for input that was rejected (distinct from 1, an operational failure).
const EXIT_INVALID: u8 = 2;

/// Input that names the field it is wrong about.
struct Invalid(String);

/// Runs an analyze subcommand.
pub fn run(cmd: AnalyzeCommand) -> anyhow::Result<ExitCode> {
    if let AnalyzeCommand::Fit {
        file,
        ftp_w,
        lthr_bpm,
        cp_w,
        w_prime_j,
    } = &cmd
    {
        let flags = [
            ("--ftp-w", ftp_w),
            ("--lthr-bpm", lthr_bpm),
            ("--cp-w", cp_w),
            ("--w-prime-j", w_prime_j),
        ];
        if let Some((name, v)) = flags
            .iter()
            .find(|(_, v)| v.is_some_and(|x| !(x.is_finite() && x > 0.0)))
        {
            crate::output::stderr_line(&format!(
                "error: invalid input: {name} must be a positive number, got {}",
                v.unwrap_or_default()
            ));
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let activity = match paceline_core::fit::decode(&bytes) {
            Ok(a) => a,
            Err(e) => {
                crate::output::stderr_line(&format!(
                    "error: invalid input: {}: {e}",
                    file.display()
                ));
                return Ok(ExitCode::from(EXIT_INVALID));
            }
        };
        let recorded_ftp = activity
            .session
            .as_ref()
            .and_then(|s| s.threshold_power_w)
            .filter(|w| *w > 0.0);
        let thresholds = Thresholds {
            ftp_w: ftp_w.or(recorded_ftp),
            lthr_bpm: *lthr_bpm,
            cp_w: *cp_w,
            w_prime_j: *w_prime_j,
        };
        let summary = serde_json::to_value(summarize(&streams_of(&activity), &thresholds))
            .context("encoding the summary")?;
        return crate::output::finish(
            crate::output::stdout_line(&summary.to_string()),
            ExitCode::SUCCESS,
        );
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading the input JSON from stdin")?;
    let result = serde_json::from_str::<Value>(&input)
        .map_err(|e| Invalid(format!("input is not JSON: {e}")))
        .and_then(|v| match cmd {
            AnalyzeCommand::Cp => cp(&v),
            _ => stream(&v),
        });
    match result {
        Ok(out) => crate::output::finish(
            crate::output::stdout_line(&out.to_string()),
            ExitCode::SUCCESS,
        ),
        Err(Invalid(msg)) => {
            crate::output::stderr_line(&format!("error: invalid input: {msg}"));
            Ok(ExitCode::from(EXIT_INVALID))
        }
    }
}

const CHANNELS: [&str; 6] = [
    "power_w",
    "heart_rate_bpm",
    "cadence_rpm",
    "speed_mps",
    "altitude_m",
    "distance_m",
];
const SCALARS: [&str; 6] = [
    "sample_rate_s",
    "ftp_w",
    "lthr_bpm",
    "weight_kg",
    "cp_w",
    "w_prime_j",
];

fn object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, Invalid> {
    v.as_object()
        .ok_or_else(|| Invalid(format!("{what} must be a JSON object")))
}

fn positive(obj: &Map<String, Value>, key: &str) -> Result<Option<f64>, Invalid> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_f64() {
            Some(x) if x.is_finite() && x > 0.0 => Ok(Some(x)),
            _ => Err(Invalid(format!("{key} must be a positive number, got {v}"))),
        },
    }
}

fn channel(obj: &Map<String, Value>, key: &str) -> Result<Vec<Option<f64>>, Invalid> {
    let Some(v) = obj.get(key) else {
        return Ok(Vec::new());
    };
    let arr = v
        .as_array()
        .ok_or_else(|| Invalid(format!("{key} must be an array of numbers or nulls")))?;
    arr.iter()
        .enumerate()
        .map(|(i, x)| match x {
            Value::Null => Ok(None),
            _ => x
                .as_f64()
                .map(Some)
                .ok_or_else(|| Invalid(format!("{key}[{i}] must be a number or null, got {x}"))),
        })
        .collect()
}

fn stream(v: &Value) -> Result<Value, Invalid> {
    let obj = object(v, "the activity")?;
    if let Some(k) = obj
        .keys()
        .find(|k| !CHANNELS.contains(&k.as_str()) && !SCALARS.contains(&k.as_str()))
    {
        return Err(Invalid(format!(
            "unknown field `{k}`; expected one of {}, {}",
            CHANNELS.join(", "),
            SCALARS.join(", ")
        )));
    }
    // weight_kg is accepted (the input carries it) and checked, but no output key needs it.
    positive(obj, "weight_kg")?;
    let streams = Streams {
        sample_rate_s: positive(obj, "sample_rate_s")?.unwrap_or(1.0),
        power_w: channel(obj, "power_w")?,
        heart_rate_bpm: channel(obj, "heart_rate_bpm")?,
        cadence_rpm: channel(obj, "cadence_rpm")?,
        speed_mps: channel(obj, "speed_mps")?,
        altitude_m: channel(obj, "altitude_m")?,
        distance_m: channel(obj, "distance_m")?,
    };
    let thresholds = Thresholds {
        ftp_w: positive(obj, "ftp_w")?,
        lthr_bpm: positive(obj, "lthr_bpm")?,
        cp_w: positive(obj, "cp_w")?,
        w_prime_j: positive(obj, "w_prime_j")?,
    };
    serde_json::to_value(summarize(&streams, &thresholds))
        .map_err(|e| Invalid(format!("the summary could not be encoded: {e}")))
}

/// The decoder's 1 Hz grid as analysis streams: a pause or a dropout stays a gap (`None`).
fn streams_of(activity: &paceline_core::fit::Activity) -> Streams {
    // A channel the device never recorded is left empty, as an absent array is in `stream`, so
    // the keys that need it are omitted rather than computed from gaps.
    let channel = |f: fn(&paceline_core::fit::Sample) -> Option<f64>| {
        let values: Vec<_> = activity.samples.iter().map(f).collect();
        if values.iter().all(Option::is_none) {
            Vec::new()
        } else {
            values
        }
    };
    Streams {
        sample_rate_s: 1.0,
        power_w: channel(|s| s.power_w),
        heart_rate_bpm: channel(|s| s.heart_rate_bpm),
        cadence_rpm: channel(|s| s.cadence_rpm),
        speed_mps: channel(|s| s.speed_mps),
        altitude_m: channel(|s| s.altitude_m),
        distance_m: channel(|s| s.distance_m),
    }
}

fn cp(v: &Value) -> Result<Value, Invalid> {
    let obj = object(v, "the input")?;
    if let Some(k) = obj.keys().find(|k| k.as_str() != "mean_max_power_w") {
        return Err(Invalid(format!(
            "unknown field `{k}`; expected mean_max_power_w"
        )));
    }
    let curve = obj
        .get("mean_max_power_w")
        .ok_or_else(|| Invalid("mean_max_power_w is required".into()))?;
    let curve = object(curve, "mean_max_power_w")?;
    let mut points = Vec::with_capacity(curve.len());
    for (k, w) in curve {
        let t: f64 = k
            .parse()
            .ok()
            .filter(|t: &f64| t.is_finite() && *t > 0.0)
            .ok_or_else(|| {
                Invalid(format!(
                    "mean_max_power_w key \"{k}\" must be a duration in seconds"
                ))
            })?;
        let w = w
            .as_f64()
            .filter(|w| w.is_finite() && *w > 0.0)
            .ok_or_else(|| {
                Invalid(format!(
                    "mean_max_power_w[\"{k}\"] must be a positive number of watts, got {w}"
                ))
            })?;
        points.push((t, w));
    }
    let two = cp2(&points).ok_or_else(|| {
        Invalid(format!(
            "mean_max_power_w needs at least two efforts between {CP2_MIN_S} and {CP2_MAX_S} s \
             whose work rises with time (a positive CP and W′)"
        ))
    })?;
    let mut out = json!({
        "cp_w": two.cp_w,
        "w_prime_j": two.w_prime_j,
        "points_used_s": two.points_used.iter().map(|p| p.0).collect::<Vec<_>>(),
    });
    if let Some(three) = cp3(&points) {
        out["pmax_w"] = json!(three.pmax_w);
        out["three_parameter"] = json!({
            "cp_w": three.cp_w,
            "w_prime_j": three.w_prime_j,
            "pmax_w": three.pmax_w,
        });
    }
    Ok(out)
}
