//! `analyze_activity_range`: the metrics of `get_activity_analysis` over a time range of one
//! Intervals.icu activity, from its streams (issue 10).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common;
use crate::tools::shared::activity_load::LoadGiven;
use crate::tools::shared::activity_metrics::{
    Metrics, ThresholdsView, check_range, check_thresholds, load_icu, metrics, metrics_text,
    range_in,
};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `analyze_activity_range`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AnalyzeActivityRangeArgs {
    /// Activity id, e.g. `i12345678` (from get_activities).
    pub activity_id: String,
    /// Start of the range, seconds from the start of the activity.
    pub start_s: u32,
    /// End of the range, seconds, inclusive (past the end reads as the end).
    pub end_s: u32,
    /// FTP to use, W (default: the one Intervals.icu used for the activity).
    #[serde(default)]
    pub ftp_w: Option<f64>,
    /// Threshold heart rate, bpm (default: the activity's).
    #[serde(default)]
    pub lthr_bpm: Option<f64>,
    /// Critical power for W′ balance, W (default: FTP).
    #[serde(default)]
    pub cp_w: Option<f64>,
    /// W′ for W′ balance, J (default: the activity's, else 20000, said as assumed).
    #[serde(default)]
    pub w_prime_j: Option<f64>,
    /// Threshold speed for rTSS (runs) and swim TSS, m/s (default: the activity's threshold
    /// pace, else the sport settings'); 4:00/km is 4.167, 1:40/100m is 1.0.
    #[serde(default)]
    pub threshold_speed_mps: Option<f64>,
    /// Resting heart rate for TRIMP and hrTSS, bpm (default: the activity's, else the athlete's).
    #[serde(default)]
    pub hr_rest_bpm: Option<f64>,
    /// Maximum heart rate for TRIMP and hrTSS, bpm (default: the activity's, else the sport
    /// settings').
    #[serde(default)]
    pub hr_max_bpm: Option<f64>,
}

impl AnalyzeActivityRangeArgs {
    /// The overrides of the loads without power.
    fn load_given(&self) -> LoadGiven {
        LoadGiven {
            threshold_speed_mps: self.threshold_speed_mps,
            hr_rest_bpm: self.hr_rest_bpm,
            hr_max_bpm: self.hr_max_bpm,
        }
    }
}

/// Result of `analyze_activity_range`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AnalyzeActivityRangeOutput {
    /// The activity.
    pub activity_id: String,
    /// Seconds on the activity's 1 Hz grid.
    pub total_seconds: usize,
    /// The thresholds used and where each came from.
    pub thresholds: ThresholdsView,
    /// The range's metrics.
    pub metrics: Metrics,
}

/// The tool.
pub struct AnalyzeActivityRange;

impl TypedTool for AnalyzeActivityRange {
    type Args = AnalyzeActivityRangeArgs;
    type Output = AnalyzeActivityRangeOutput;
    const NAME: &'static str = "analyze_activity_range";
    const DESCRIPTION: &'static str = "The metrics of get_activity_analysis over a time range of \
one Intervals.icu activity (start_s–end_s, seconds from its start; an interval's start from \
get_activity_analysis): average/NP/max power, IF, TSS, VI, EF, work, heart rate, decoupling \
within the range, W′ balance minimum (starting full), time in power, HR and pace zones, \
polarisation, best power at 1 s–2 h that fit, and the range's load (power TSS, else rTSS, swim \
TSS or hrTSS, with formula and inputs).";
    const ANNOTATIONS: Annotations = Annotations::read("Analyse part of an activity");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        common::check_path_id("activity_id", &args.activity_id)?;
        check_range(args.start_s, args.end_s)?;
        check_thresholds(args.ftp_w, args.lthr_bpm, args.cp_w, args.w_prime_j)?;
        args.load_given().check()
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let given = [args.ftp_w, args.lthr_bpm, args.cp_w, args.w_prime_j];
        let (_, data, thresholds) =
            load_icu(ctx, &args.activity_id, given, args.load_given()).await?;
        let (start, end) = range_in(&data, args.start_s, args.end_s)?;
        let m = metrics(&data.streams, start, end, &thresholds);
        let mut t = format!("Activity {}, range {}", args.activity_id, metrics_text(&m));
        if !thresholds.sources.is_empty() {
            t.push_str(&format!("\nThresholds: {}.", thresholds.sources.join(", ")));
        }
        if !thresholds.missing.is_empty() {
            t.push_str(&format!(
                "\nNot computed: {}.",
                thresholds.missing.join("; ")
            ));
        }
        Ok((
            t,
            AnalyzeActivityRangeOutput {
                activity_id: args.activity_id,
                total_seconds: data.streams.len(),
                thresholds,
                metrics: m,
            },
        ))
    }
}
