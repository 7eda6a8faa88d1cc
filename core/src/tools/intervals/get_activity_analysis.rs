//! `get_activity_analysis`: one Intervals.icu activity analysed locally from its streams and
//! intervals (`GET /api/v1/activity/{id}`, `/streams`, `/intervals`), with the same metrics as
//! the TrainingPeaks tool of that name (issue 10).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common;
use crate::analysis::source::DeviceSummary;
use crate::tools::shared::activity_load::LoadGiven;
use crate::tools::shared::activity_metrics::{
    LapView, Metrics, ThresholdsView, check_thresholds, laps, laps_text, load_icu, metrics,
    metrics_text,
};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::trimmed_text;

/// Intervals written out in the text (up to 40 in structured output).
const TEXT_LAPS: usize = 12;

/// Arguments of `get_activity_analysis`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetActivityAnalysisArgs {
    /// Activity id, e.g. `i12345678` (from get_activities).
    pub activity_id: String,
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

impl GetActivityAnalysisArgs {
    /// The overrides of the loads without power.
    fn load_given(&self) -> LoadGiven {
        LoadGiven {
            threshold_speed_mps: self.threshold_speed_mps,
            hr_rest_bpm: self.hr_rest_bpm,
            hr_max_bpm: self.hr_max_bpm,
        }
    }
}

/// Result of `get_activity_analysis`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetActivityAnalysisOutput {
    /// The activity.
    pub activity_id: String,
    /// Name.
    pub name: Option<String>,
    /// Local start.
    pub start_date_local: Option<String>,
    /// Intervals.icu activity type (`Ride`, `Run`, …).
    pub sport: Option<String>,
    /// `platform_streams`, or `record_only` when the activity has no streams.
    pub source: String,
    /// What is missing and why.
    pub notes: Vec<String>,
    /// The thresholds used and where each came from.
    pub thresholds: ThresholdsView,
    /// Metrics computed from the streams (null without streams).
    pub metrics: Option<Metrics>,
    /// Intervals, measured from the streams (at most 40).
    pub intervals: Vec<LapView>,
    /// Intervals on the activity.
    pub intervals_total: usize,
    /// Intervals.icu's own totals for the activity.
    pub platform: DeviceSummary,
    /// The planned workout it was matched to, for get_event_by_id.
    pub paired_event_id: Option<i64>,
}

/// The tool.
pub struct GetActivityAnalysis;

impl TypedTool for GetActivityAnalysis {
    type Args = GetActivityAnalysisArgs;
    type Output = GetActivityAnalysisOutput;
    const NAME: &'static str = "get_activity_analysis";
    const DESCRIPTION: &'static str = "Analyse one Intervals.icu activity from its streams, \
computed locally: duration, distance, average/NP/max power, IF, TSS, VI, EF, work (kJ), heart \
rate, Pw:HR decoupling (%), W′ balance minimum (J), time in Coggan power zones 1–7 and HR zones \
1–5, Seiler polarisation, best power at 1 s–2 h, load with its formula and inputs (power TSS, \
else rTSS from NGP for runs, swim TSS, else hrTSS; TRIMP, pace zones), its intervals, and \
Intervals.icu's own totals to compare. Thresholds default to the ones the activity was \
analysed with, else the athlete's sport settings for its type; pass ftp_w, lthr_bpm, cp_w, \
w_prime_j, threshold_speed_mps, hr_rest_bpm, hr_max_bpm to override. For a part of it use \
analyze_activity_range.";
    const ANNOTATIONS: Annotations = Annotations::read("Analyse an Intervals.icu activity");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        common::check_path_id("activity_id", &args.activity_id)?;
        check_thresholds(args.ftp_w, args.lthr_bpm, args.cp_w, args.w_prime_j)?;
        args.load_given().check()
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let given = [args.ftp_w, args.lthr_bpm, args.cp_w, args.w_prime_j];
        let (a, data, thresholds) =
            load_icu(ctx, &args.activity_id, given, args.load_given()).await?;
        let m = (!data.streams.is_empty())
            .then(|| metrics(&data.streams, 0, data.streams.len() - 1, &thresholds));
        let out = GetActivityAnalysisOutput {
            activity_id: args.activity_id,
            name: trimmed_text(&a.name),
            start_date_local: a.start_date_local.get().map(|s| s.as_str().to_string()),
            sport: trimmed_text(&a.sport),
            source: data.origin.as_str().into(),
            notes: data.notes.clone(),
            thresholds,
            metrics: m,
            intervals: laps(&data),
            intervals_total: data.segments.len(),
            platform: data.summary.clone(),
            paired_event_id: a.paired_event_id.val(),
        };
        let mut t = format!(
            "{} — {} on {} ({}).",
            out.name.as_deref().unwrap_or("Activity"),
            out.sport.as_deref().unwrap_or("?"),
            out.start_date_local.as_deref().unwrap_or("?"),
            out.activity_id
        );
        // Intervals.icu words its device names for people (`Garmin Edge 840`).
        if let Some(device) = &out.platform.device {
            t.push_str(&format!(" Recorded on {device}."));
        }
        for n in &out.notes {
            t.push_str(&format!("\nNote: {n}"));
        }
        if !out.thresholds.sources.is_empty() {
            t.push_str(&format!(
                "\nThresholds: {}.",
                out.thresholds.sources.join(", ")
            ));
        }
        if !out.thresholds.missing.is_empty() {
            t.push_str(&format!(
                "\nNot computed: {}.",
                out.thresholds.missing.join("; ")
            ));
        }
        if let Some(m) = &out.metrics {
            t.push_str(&format!("\n{}", metrics_text(m)));
        }
        if let (Some(load), Some(np)) = (out.platform.tss, out.platform.normalized_power_w) {
            t.push_str(&format!(
                "\nIntervals.icu's own figures: load {load}, NP {np} W."
            ));
        }
        if out.intervals_total > 0 {
            t.push_str(&format!(
                "\n{}",
                laps_text(&out.intervals, out.intervals_total, TEXT_LAPS).replacen(
                    "Laps",
                    "Intervals",
                    1
                )
            ));
        }
        if let Some(e) = out.paired_event_id {
            t.push_str(&format!(
                "\nPlanned workout: event {e} (get_event_by_id for what was planned)."
            ));
        }
        Ok((t, out))
    }
}
