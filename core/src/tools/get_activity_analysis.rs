//! `get_activity_analysis`: one completed workout analysed from its device file — summary
//! metrics, laps, time in zones, mean-max points, decoupling, W′bal minimum, and the
//! comparison with what was planned (issue 10).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::activity_metrics::{
    LapView, MAX_LAPS, Metrics, ThresholdsView, check_thresholds, clock_time, laps, laps_text,
    load_tp, metrics, metrics_text,
};
use super::shared::args::AthleteId;
use super::shared::peaksware_analysis::{TpAnalysisView, fill_laps, tp_summary};
use super::shared::workout_args::check_id;
use super::shared::workout_view::sport_name;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::analysis::source::{DeviceSummary, Origin};
use crate::structure;
use crate::tools::intervals::common::round;
use crate::trainingpeaks::workouts::{Workout, text};

/// Laps written out in the text (all of them, up to [`MAX_LAPS`], in structured output).
const TEXT_LAPS: usize = 12;

/// The tool.
pub struct GetActivityAnalysis;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetActivityAnalysisArgs {
    /// Workout id of a completed workout (from `get_workouts`), e.g. 3000000123.
    pub workout_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
    /// FTP to use, W (default: the athlete's power-zone threshold for the sport).
    #[serde(default)]
    pub ftp_w: Option<f64>,
    /// Threshold heart rate to use, bpm (default: the athlete's HR-zone threshold).
    #[serde(default)]
    pub lthr_bpm: Option<f64>,
    /// Critical power for W′ balance, W (default: FTP).
    #[serde(default)]
    pub cp_w: Option<f64>,
    /// W′ for W′ balance, J (default 20000, said as assumed).
    #[serde(default)]
    pub w_prime_j: Option<f64>,
    /// Add TrainingPeaks' own analysis figures (one more request).
    #[serde(default)]
    pub compare_trainingpeaks: bool,
}

/// Planned against actual, for one quantity.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlanPair {
    /// Planned.
    pub planned: Option<f64>,
    /// Done.
    pub actual: Option<f64>,
    /// Actual as a percentage of planned.
    pub percent_of_plan: Option<f64>,
}

impl PlanPair {
    fn new(planned: Option<f64>, actual: Option<f64>) -> Self {
        let pct = match (planned, actual) {
            (Some(p), Some(a)) if p > 0.0 => Some(round(a / p * 100.0, 0)),
            _ => None,
        };
        Self {
            planned,
            actual,
            percent_of_plan: pct,
        }
    }
}

/// The workout's plan against what was done.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlannedComparison {
    /// Duration, s.
    pub duration_s: PlanPair,
    /// Distance, m.
    pub distance_m: PlanPair,
    /// TSS (actual: computed from the file when possible — power TSS, else rTSS, swim TSS or
    /// hrTSS — else the workout's).
    pub tss: PlanPair,
    /// Intensity factor.
    pub intensity_factor: PlanPair,
    /// Energy, kJ.
    pub energy_kj: PlanPair,
    /// The planned interval structure in one line, when there is one.
    pub structure: Option<String>,
}

/// The analysis.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetActivityAnalysisOutput {
    /// Workout id.
    pub workout_id: i64,
    /// Title.
    pub title: Option<String>,
    /// Day (YYYY-MM-DD).
    pub date: Option<String>,
    /// Sport.
    pub sport: String,
    /// Where the data came from: `device_file`, or `record_only` for a workout without one.
    pub source: String,
    /// The device file analysed.
    pub file_name: Option<String>,
    /// What is missing and why.
    pub notes: Vec<String>,
    /// The thresholds used and where each came from.
    pub thresholds: ThresholdsView,
    /// Metrics computed from the recording (null without one).
    pub metrics: Option<Metrics>,
    /// Laps, measured from the recording (at most 40).
    pub laps: Vec<LapView>,
    /// Laps in all.
    pub laps_total: usize,
    /// Where the laps came from: `device_file`, `trainingpeaks_analysis` (TrainingPeaks' lap
    /// analysis, when the file has none or there is no file) or `none`.
    pub laps_source: String,
    /// TrainingPeaks' own analysis (workout-analysis summary), with compare_trainingpeaks.
    pub trainingpeaks_analysis: Option<TpAnalysisView>,
    /// The device's (or, without a file, the workout record's) own totals.
    pub device: DeviceSummary,
    /// Planned against actual, when the workout had a plan.
    pub planned: Option<PlannedComparison>,
}

fn planned(w: &Workout, m: Option<&Metrics>, d: &DeviceSummary) -> Option<PlannedComparison> {
    let hours = |h: Option<f64>| h.map(|h| (h * 3600.0).round());
    let c = PlannedComparison {
        duration_s: PlanPair::new(
            hours(w.total_time_planned.val()),
            hours(w.total_time.val()).or(d.moving_s),
        ),
        distance_m: PlanPair::new(w.distance_planned.val(), w.distance.val().or(d.distance_m)),
        tss: PlanPair::new(
            w.tss_planned.val(),
            // Power TSS, else the run/swim/HR load (TrainingPeaks plans those as TSS too).
            m.and_then(|m| m.tss.or(m.load.as_ref().map(|l| l.score)))
                .or(w.tss_actual.val()),
        ),
        intensity_factor: PlanPair::new(
            w.if_planned.val(),
            m.and_then(|m| m.intensity_factor).or(w.if_actual.val()),
        ),
        energy_kj: PlanPair::new(
            w.energy_planned.val(),
            m.and_then(|m| m.work_kj).or(w.energy.val()),
        ),
        structure: w.structure().as_ref().and_then(structure::stored_summary),
    };
    let any = [
        &c.duration_s,
        &c.distance_m,
        &c.tss,
        &c.intensity_factor,
        &c.energy_kj,
    ]
    .iter()
    .any(|p| p.planned.is_some())
        || c.structure.is_some();
    any.then_some(c)
}

fn plan_text(c: &PlannedComparison) -> String {
    let mut parts = Vec::new();
    for (name, p, fmt) in [
        ("duration", &c.duration_s, 0),
        ("distance", &c.distance_m, 1),
        ("TSS", &c.tss, 2),
        ("IF", &c.intensity_factor, 2),
        ("energy", &c.energy_kj, 2),
    ] {
        let Some(pl) = p.planned else { continue };
        let show = |v: f64| match fmt {
            0 => clock_time(v),
            1 => format!("{v} m"),
            _ => v.to_string(),
        };
        let actual = p.actual.map_or("—".into(), show);
        let pct = p
            .percent_of_plan
            .map_or(String::new(), |x| format!(" ({x} %)"));
        parts.push(format!("{name} {actual} of {}{pct}", show(pl)));
    }
    let mut out = format!("Plan: {}", parts.join(", "));
    if let Some(s) = &c.structure {
        out.push_str(&format!("\nPlanned structure: {s}"));
    }
    out
}

impl TypedTool for GetActivityAnalysis {
    type Args = GetActivityAnalysisArgs;
    type Output = GetActivityAnalysisOutput;
    const NAME: &'static str = "get_activity_analysis";
    const DESCRIPTION: &'static str = "Analyse one completed TrainingPeaks workout from its \
device file, computed locally: duration, distance, average/NP/max power, IF, TSS, VI, EF, kJ, \
HR, Pw:HR decoupling, W′bal minimum, time in power zones 1–7, HR and pace zones, polarisation, \
best power 1 s–2 h, laps (TrainingPeaks' if the file has none), device totals, plan vs actual. \
No power: rTSS (NGP) for runs, swim TSS, hrTSS/TRIMP. Thresholds default to the athlete's \
zones; ftp_w, lthr_bpm, cp_w, w_prime_j override. A manual entry gives the record's figures. \
Part of a workout: analyze_activity_range; series: get_activity_streams.";
    const ANNOTATIONS: Annotations = Annotations::read("Analyse a completed workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")?;
        check_thresholds(args.ftp_w, args.lthr_bpm, args.cp_w, args.w_prime_j)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let given = [args.ftp_w, args.lthr_bpm, args.cp_w, args.w_prime_j];
        let (w, mut data, thresholds) =
            load_tp(ctx, &args.athlete_id, args.workout_id, given).await?;
        let wid = w.workout_id.val().unwrap_or(args.workout_id);
        let laps_source = fill_laps(ctx, wid, &mut data).await;
        let tp_view = if args.compare_trainingpeaks {
            tp_summary(ctx, wid, &mut data.notes).await
        } else {
            None
        };
        let m = (!data.streams.is_empty())
            .then(|| metrics(&data.streams, 0, data.streams.len() - 1, &thresholds));
        let lap_views = laps(&data);
        let plan = planned(&w, m.as_ref(), &data.summary);
        let out = GetActivityAnalysisOutput {
            workout_id: wid,
            title: text(&w.title),
            date: w.date().map(|d| d.to_string()),
            sport: sport_name(w.workout_type_value_id.val()),
            source: data.origin.as_str().into(),
            file_name: data.file_name.clone(),
            notes: data.notes.clone(),
            thresholds,
            metrics: m,
            laps: lap_views,
            laps_total: data.segments.len(),
            laps_source: laps_source.into(),
            trainingpeaks_analysis: tp_view,
            device: data.summary.clone(),
            planned: plan,
        };
        let mut t = format!(
            "{} — {} on {} (workout {}), from {}.",
            out.title.as_deref().unwrap_or("Workout"),
            out.sport,
            out.date.as_deref().unwrap_or("?"),
            out.workout_id,
            match data.origin {
                Origin::RecordOnly => "the workout record only".to_string(),
                _ => format!(
                    "device file {}",
                    out.file_name.as_deref().unwrap_or("(unnamed)")
                ),
            }
        );
        // The summary's device is already worded for people (`fit::DeviceInfo::label`).
        if let Some(device) = &out.device.device {
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
        match &out.metrics {
            Some(m) => t.push_str(&format!("\n{}", metrics_text(m))),
            None => {
                let d = &out.device;
                let mut parts = Vec::new();
                if let Some(s) = d.moving_s {
                    parts.push(format!("duration {}", clock_time(s)));
                }
                for (name, v, unit) in [
                    ("distance", d.distance_m, " m"),
                    ("avg power", d.avg_power_w, " W"),
                    ("NP", d.normalized_power_w, " W"),
                    ("avg HR", d.avg_heart_rate_bpm, " bpm"),
                    ("TSS", d.tss, ""),
                    ("IF", d.intensity_factor, ""),
                ] {
                    if let Some(v) = v {
                        parts.push(format!("{name} {v}{unit}"));
                    }
                }
                t.push_str(&format!("\nWorkout record: {}", parts.join(", ")));
            }
        }
        if let (Some(dev), Some(m)) = (out.device.tss, &out.metrics)
            && let Some(ours) = m.tss
        {
            t.push_str(&format!("\nDevice's own TSS: {dev} (ours {ours})."));
        }
        if let Some(tp) = &out.trainingpeaks_analysis {
            let ours = out.metrics.as_ref();
            let mut parts = Vec::new();
            for (name, theirs, mine, unit) in [
                ("duration", tp.duration_s, ours.map(|m| m.duration_s), " s"),
                (
                    "avg power",
                    tp.avg_power_w,
                    ours.and_then(|m| m.avg_power_w),
                    " W",
                ),
                ("NP", tp.np_w, ours.and_then(|m| m.np_w), " W"),
                ("TSS", tp.tss, ours.and_then(|m| m.tss), ""),
                (
                    "IF",
                    tp.intensity_factor,
                    ours.and_then(|m| m.intensity_factor),
                    "",
                ),
            ] {
                if let Some(v) = theirs {
                    let m = mine.map_or(String::new(), |m| format!(" (ours {m}{unit})"));
                    parts.push(format!("{name} {v}{unit}{m}"));
                }
            }
            t.push_str(&format!(
                "\nTrainingPeaks' own analysis: {}.",
                if parts.is_empty() {
                    "no figures we can read".into()
                } else {
                    parts.join(", ")
                }
            ));
        }
        if out.laps_total > 1 || (laps_source == "trainingpeaks_analysis" && out.laps_total > 0) {
            t.push_str(&format!(
                "\n{}",
                laps_text(&out.laps, out.laps_total, TEXT_LAPS)
            ));
        }
        if out.laps_total > MAX_LAPS {
            t.push_str(&format!(
                "\nOnly the first {MAX_LAPS} laps are listed; analyze_activity_range measures any \
                 stretch."
            ));
        }
        if let Some(p) = &out.planned {
            t.push_str(&format!("\n{}", plan_text(p)));
        }
        Ok((t, out))
    }
}
