//! `analyze_activity_range`: the metrics of `get_activity_analysis` over a time range of one
//! completed TrainingPeaks workout (an interval, a climb, the second half), from its device
//! file (issue 10).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::activity_metrics::{
    Metrics, ThresholdsView, check_range, check_thresholds, load_tp, metrics, metrics_text,
    range_in,
};
use super::shared::args::AthleteId;
use super::shared::workout_args::check_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct AnalyzeActivityRange;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AnalyzeActivityRangeArgs {
    /// Workout id of a completed workout (from `get_workouts`), e.g. 3000000123.
    pub workout_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
    /// Start of the range, seconds from the start of the recording (e.g. a lap's start_s).
    pub start_s: u32,
    /// End of the range, seconds, inclusive (past the end reads as the end).
    pub end_s: u32,
    /// FTP to use, W (default: the athlete's power-zone threshold for the sport).
    #[serde(default)]
    pub ftp_w: Option<f64>,
    /// Threshold heart rate to use, bpm (default: the athlete's HR-zone threshold).
    #[serde(default)]
    pub lthr_bpm: Option<f64>,
    /// Critical power for W′ balance, W (default: FTP).
    #[serde(default)]
    pub cp_w: Option<f64>,
    /// W′ for W′ balance, J (default 20000, said as assumed). W′ balance starts full at the
    /// range's start.
    #[serde(default)]
    pub w_prime_j: Option<f64>,
}

/// Result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AnalyzeActivityRangeOutput {
    /// Workout id.
    pub workout_id: i64,
    /// Seconds on the recording's 1 Hz grid.
    pub total_seconds: usize,
    /// The thresholds used and where each came from.
    pub thresholds: ThresholdsView,
    /// The range's metrics.
    pub metrics: Metrics,
    /// What is missing and why.
    pub notes: Vec<String>,
}

impl TypedTool for AnalyzeActivityRange {
    type Args = AnalyzeActivityRangeArgs;
    type Output = AnalyzeActivityRangeOutput;
    const NAME: &'static str = "analyze_activity_range";
    const DESCRIPTION: &'static str = "The metrics of get_activity_analysis over a time range of \
one completed TrainingPeaks workout (start_s–end_s, seconds from the start of the recording, \
e.g. a lap from get_activity_analysis): power, IF, TSS or rTSS/swim TSS/hrTSS, VI, EF, work, \
HR, decoupling, W′bal minimum (starting full), time in power, HR and pace zones, polarisation, \
best power. Needs a device file.";
    const ANNOTATIONS: Annotations = Annotations::read("Analyse part of a workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")?;
        check_range(args.start_s, args.end_s)?;
        check_thresholds(args.ftp_w, args.lthr_bpm, args.cp_w, args.w_prime_j)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let given = [args.ftp_w, args.lthr_bpm, args.cp_w, args.w_prime_j];
        let (_, data, thresholds) = load_tp(ctx, &args.athlete_id, args.workout_id, given).await?;
        let (start, end) = range_in(&data, args.start_s, args.end_s)?;
        let m = metrics(&data.streams, start, end, &thresholds);
        let mut t = format!("Workout {}, range {}", args.workout_id, metrics_text(&m));
        if !thresholds.sources.is_empty() {
            t.push_str(&format!("\nThresholds: {}.", thresholds.sources.join(", ")));
        }
        Ok((
            t,
            AnalyzeActivityRangeOutput {
                workout_id: args.workout_id,
                total_seconds: data.streams.len(),
                thresholds,
                metrics: m,
                notes: data.notes,
            },
        ))
    }
}
